/**
 * The bulk endpoints of a 1.34 server over the stand-in's ProjectData, in the Normalized Data Format:
 * /export (BulkExport: pages bounded by the summed length of the compact JSON elements, a cursor
 * {table,row,field,array}, all -1 when done) and /import (BulkImport: an array of per-row error strings).
 */
import type {DmField} from './datamodel.js'
import {MODEL, type ModelInfo, type NodeId, type NodeRecord, type ProjectData, type RelationInfo, type SchemaIndex} from './data-store.js'

export interface Cursor {
  table: number
  row: number
  field: number
  array: number
}

export interface ExportAnswer {
  out: {jsonElements: unknown[]; size: number}
  cursor: Cursor
  isFull: boolean
}

/** The server's bound: 1,000,000 characters of compact JSON per response. */
export const EXPORT_LIMIT = 1_000_000

const DONE: Cursor = {table: -1, row: -1, field: -1, array: -1}

/** A request that cannot be processed: answered with HTTP 500 and this message, as the server does. */
export class BulkRequestError extends Error {}

interface ExportTable {
  rowCount: number
  /** The element for a row, or undefined for a row that yields none (a node without list values). */
  element(row: number): unknown
}

/**
 * BulkExport.prismaNodeToExportNode: `{_typeName, id}` followed by every scalar field of the node, the id field
 * included, so a type whose id field has another name (`userId: ID! @id`) carries the id twice, as `id` and under
 * its own name.
 */
function nodeElement(info: ModelInfo, record: NodeRecord): Record<string, unknown> {
  const element: Record<string, unknown> = {_typeName: info.model.name, id: record[info.idField.name]}
  for (const field of info.scalars) {
    const value = record[field.name]
    if (value !== undefined && value !== null) element[field.name] = value
  }
  return element
}

function exportTables(data: ProjectData, index: SchemaIndex, fileType: string): ExportTable[] {
  const models = [...index.models.values()]
  if (fileType === 'nodes') {
    return models.map((info) => {
      let rows: NodeRecord[] | undefined
      return {
        rowCount: data.count(info.model.name),
        element: (row) => {
          rows ??= [...data.table(info.model.name).values()]
          return nodeElement(info, rows[row])
        },
      }
    })
  }
  if (fileType === 'lists') {
    // BulkExport's ListInfo pages through getScalarListValues: one row per node that has values for the field, so
    // the cursor's row counts those nodes only
    return models.flatMap((info) =>
      info.lists.map((field): ExportTable => {
        let rows: NodeRecord[] | undefined
        const withValues = () =>
          (rows ??= [...data.table(info.model.name).values()].filter((record) => ((record[field.name] as unknown[] | undefined) ?? []).length > 0))
        return {
          get rowCount() {
            return withValues().length
          },
          element: (row) => {
            const record = withValues()[row]
            return {_typeName: info.model.name, id: record[info.idField.name], [field.name]: record[field.name]}
          },
        }
      }),
    )
  }
  if (fileType === 'relations') {
    return index.relations.map((relation): ExportTable => {
      let rows: Array<[NodeId, NodeId]> | undefined
      return {
        rowCount: data.relationRowCount(relation),
        element: (row) => {
          rows ??= [...data.rows(relation)]
          const [a, b] = rows[row]
          return [side(relation.modelB, b, relation.fieldB), side(relation.modelA, a, relation.fieldA)]
        },
      }
    })
  }
  return []
}

function side(model: string, id: NodeId, field: DmField | null): Record<string, unknown> {
  return field ? {_typeName: model, id, fieldName: field.name} : {_typeName: model, id}
}

/**
 * The body of an /export request as the server reads it (`json.as[ExportRequest]`: fileType a string, cursor with
 * integer table and row; field and array are ignored), or a BulkRequestError (HTTP 500) with play-json's
 * JsResultException text.
 */
export function exportRequest(body: unknown): {fileType: string; cursor: {table: number; row: number}} {
  const missing: string[] = []
  const invalid: string[] = []
  const object = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined
  if (!object) throw new BulkRequestError('JsResultException(errors:List((,List(JsonValidationError(List(error.expected.jsobject),WrappedArray())))))')
  if (object.fileType === undefined) missing.push('/fileType')
  else if (typeof object.fileType !== 'string') invalid.push('/fileType:error.expected.jsstring')
  const cursor = object.cursor
  if (cursor === undefined) missing.push('/cursor')
  else if (!cursor || typeof cursor !== 'object' || Array.isArray(cursor)) invalid.push('/cursor:error.expected.jsobject')
  else {
    for (const key of ['table', 'row'] as const) {
      const value = (cursor as Record<string, unknown>)[key]
      if (value === undefined) missing.push(`/cursor/${key}`)
      else if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2 ** 31 - 1) invalid.push(`/cursor/${key}:error.expected.int`)
    }
  }
  const problems = [
    ...missing.map((path) => `(${path},List(JsonValidationError(List(error.path.missing),WrappedArray())))`),
    ...invalid.map((entry) => {
      const [path, error] = entry.split(':')
      return `(${path},List(JsonValidationError(List(${error}),WrappedArray())))`
    }),
  ]
  if (problems.length > 0) throw new BulkRequestError(`JsResultException(errors:List(${problems.join(', ')}))`)
  const {table, row} = cursor as {table: number; row: number}
  return {fileType: object.fileType as string, cursor: {table, row}}
}

/** One /export page from `cursor`: elements are added while their summed size stays within `limit`. */
export function exportPage(data: ProjectData, index: SchemaIndex, fileType: string, cursor: Partial<Cursor>, limit = EXPORT_LIMIT): ExportAnswer {
  const tables = exportTables(data, index, fileType)
  const elements: unknown[] = []
  let size = 0
  let table = cursor.table ?? 0
  let row = cursor.row ?? 0
  if (tables.length > 0) {
    // NodeInfo/ListInfo/RelationInfo.current: `find(_._2 == cursor.table).get` fails for a table that does not
    // exist; a negative row is a negative OFFSET for the database. Both are internal errors (HTTP 500).
    if (!Number.isInteger(table) || table < 0 || table >= tables.length) throw new BulkRequestError('java.util.NoSuchElementException: None.get')
    if (!Number.isInteger(row) || row < 0) throw new BulkRequestError('ERROR: OFFSET must not be negative')
  }
  for (; table < tables.length; table++, row = 0) {
    const current = tables[table]
    for (; row < current.rowCount; row++) {
      const element = current.element(row)
      if (element === undefined) continue
      const length = JSON.stringify(element).length
      if (size + length > limit && elements.length > 0) {
        return {out: {jsonElements: elements, size}, cursor: {table, row, field: 0, array: 0}, isFull: true}
      }
      elements.push(element)
      size += length
    }
  }
  return {out: {jsonElements: elements, size}, cursor: {...DONE}, isFull: false}
}

const DATE_PATTERNS = [
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:?\d{2})$/,
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})$/,
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
]

/** The stored form of an imported value, or undefined when it does not fit the field's type. */
function importValue(field: DmField, value: unknown): unknown {
  if (value === null) return null
  if (field.kind === 'enum') return typeof value === 'string' ? value : undefined
  switch (field.declaredType) {
    case 'String':
    case 'ID':
    case 'UUID':
      return typeof value === 'string' ? value : undefined
    case 'Int':
      return Number.isInteger(value) ? value : undefined
    case 'Float':
      return typeof value === 'number' ? value : undefined
    case 'Boolean':
      return typeof value === 'boolean' ? value : undefined
    case 'DateTime': {
      if (typeof value !== 'string' || !DATE_PATTERNS.some((p) => p.test(value))) return undefined
      const date = new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`)
      return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
    }
    default:
      return value
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function objectOf(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BulkRequestError(`Expected a JSON object, got ${JSON.stringify(value)}`)
  return value as Record<string, unknown>
}

function stringField(object: Record<string, unknown>, key: string): string {
  const value = object[key]
  if (typeof value !== 'string') throw new BulkRequestError(`key not found: ${key}`)
  return value
}

/** Imports one NDF document; returns the per-row error strings ([] when everything was inserted). */
export function importDocument(data: ProjectData, index: SchemaIndex, body: unknown): string[] {
  const document = objectOf(body)
  const values = document.values
  if (!Array.isArray(values)) throw new BulkRequestError('Object is missing required member \'values\'')
  switch (document.valueType) {
    case 'nodes':
      return importNodes(data, index, values)
    case 'relations':
      return importRelations(data, index, values)
    case 'lists':
      return importLists(data, index, values)
    default:
      throw new BulkRequestError(`${String(document.valueType)} (of class java.lang.String)`)
  }
}

function importNodes(data: ProjectData, index: SchemaIndex, values: unknown[]): string[] {
  const errors: string[] = []
  const now = new Date().toISOString()
  const valid: Array<{info: ModelInfo; record: NodeRecord}> = []
  for (const value of values) {
    const object = objectOf(value)
    const info = index.model(stringField(object, '_typeName'))
    const id = stringField(object, 'id')
    if (info.idField.declaredType === 'Int') throw new BulkRequestError('TypeIdentifier not yet supported in Import as ID. Int')
    if (info.idField.declaredType === 'UUID' && !UUID.test(id)) throw new BulkRequestError(`Invalid UUID string: ${id}`)
    const record: NodeRecord = {[info.idField.name]: id}
    Object.defineProperty(record, MODEL, {value: info.model.name, enumerable: false})
    let problem: string | null = null
    for (const [key, raw] of Object.entries(object)) {
      if (key === '_typeName') continue
      // BulkImport.convertToImportNode reads the id from `id` (parseIdGCValue) and then every key but _typeName as
      // a field of the model (GCValueJsonFormatter.readModelAwareGcValue): `id` itself is checked as a field too, so
      // a type whose id field has another name cannot be imported ("unknown field 'id'")
      if (key === 'id' && info.idField.name === 'id') continue
      const field = info.scalars.find((f) => f.name === key)
      if (!field) {
        if (key === 'createdAt' || key === 'updatedAt') continue
        problem = `The model ${info.model.name} with id ${id} has an unknown field '${key}' in field list.`
        break
      }
      const converted = importValue(field, raw)
      if (converted === undefined) {
        problem = `The model ${info.model.name} with id ${id} has an invalid value for field' ${key}'.`
        break
      }
      if (converted !== null) record[key] = converted
    }
    if (problem) {
      errors.push(problem)
      continue
    }
    for (const field of info.scalars) if ((field.createdAt || field.updatedAt) && record[field.name] === undefined) record[field.name] = now
    valid.push({info, record})
  }
  // Inserted per model, after the conversion problems, like the server's batches.
  const failures: string[] = []
  for (const {info, record} of valid) {
    const model = info.model.name
    const id = record[info.idField.name] as NodeId
    const fail = (cause: string) => failures.push(`Failure inserting ${model} with Id: ${id}. Cause: ${cause}`)
    if (data.get(model, id)) {
      fail(`ERROR: duplicate key value violates unique constraint "${model}_pkey"\n  Detail: Key (id)=(${id}) already exists.`)
      continue
    }
    const missing = info.scalars.find((f) => f.isRequired && record[f.name] === undefined)
    if (missing) {
      fail(`ERROR: null value in column "${missing.name}" violates not-null constraint`)
      continue
    }
    const taken = info.uniques.find((f) => record[f.name] !== undefined && data.findUnique(info, f.name, record[f.name]) !== undefined)
    if (taken) {
      fail(`ERROR: duplicate key value violates unique constraint "${model}.${taken.name}._UNIQUE"\n  Detail: Key (${taken.name})=(${String(record[taken.name])}) already exists.`)
      continue
    }
    data.insert(info, record)
  }
  return [...errors, ...failures]
}

interface RelationSideInput {
  typeName: string
  id: string
  fieldName: string | null
}

function relationSide(value: unknown): RelationSideInput {
  const object = objectOf(value)
  const fieldName = object.fieldName
  return {typeName: stringField(object, '_typeName'), id: stringField(object, 'id'), fieldName: typeof fieldName === 'string' ? fieldName : null}
}

function importRelations(data: ProjectData, index: SchemaIndex, values: unknown[]): string[] {
  const rows: Array<{relation: RelationInfo; a: string; b: string}> = []
  for (const value of values) {
    if (!Array.isArray(value) || value.length === 0) throw new BulkRequestError(`Expected a JSON array of two objects, got ${JSON.stringify(value)}`)
    let left = relationSide(value[0])
    let right = relationSide(value[value.length - 1])
    if (!left.fieldName) [left, right] = [right, left]
    if (!left.fieldName) throw new BulkRequestError('Invalid ImportRelation at least one fieldName needs to be defined.')
    const info = index.model(left.typeName)
    const end = info.relationEnds.get(left.fieldName)
    if (!end) throw new BulkRequestError(`The field ${left.fieldName} on the model ${info.model.name} is not a relation field.`)
    rows.push(end.side === 'A' ? {relation: end.relation, a: left.id, b: right.id} : {relation: end.relation, a: right.id, b: left.id})
  }
  const errors: string[] = []
  for (const {relation, a, b} of rows) {
    const fail = (cause: string) => errors.push(`Failure inserting into relationtable _${relation.name} with ids ${a} and ${b}. Cause: ${cause}`)
    if (!data.get(relation.modelA, a) || !data.get(relation.modelB, b)) {
      fail(`ERROR: insert or update on table "_${relation.name}" violates foreign key constraint`)
      continue
    }
    if (data.isLinked(relation, a, b)) {
      fail(`ERROR: duplicate key value violates unique constraint "_${relation.name}_AB_unique"`)
      continue
    }
    data.link(relation, a, b)
  }
  return errors
}

function importLists(data: ProjectData, index: SchemaIndex, values: unknown[]): string[] {
  const errors: string[] = []
  for (const value of values) {
    const object = objectOf(value)
    const info = index.model(stringField(object, '_typeName'))
    const id = stringField(object, 'id')
    const key = Object.keys(object).find((k) => k !== '_typeName' && k !== 'id')
    const field = info.lists.find((f) => f.name === key)
    if (!key || !field) throw new BulkRequestError(`The model ${info.model.name} has no scalar list field ${String(key)}.`)
    const raw = object[key]
    if (!Array.isArray(raw)) throw new BulkRequestError(`Expected a JSON array for ${key}, got ${JSON.stringify(raw)}`)
    const converted = raw.map((v) => importValue(field, v))
    const bad = converted.findIndex((v) => v === undefined || v === null)
    if (bad >= 0) throw new BulkRequestError(`The value ${JSON.stringify(raw[bad])} is not a valid ${field.declaredType} for the list field ${key}.`)
    const record = data.get(info.model.name, id)
    if (!record) {
      for (const v of converted) {
        errors.push(`Failure inserting into listTable ${info.model.name}_${key} for the id ${id} for value ${String(v)}. Cause: ERROR: insert or update on table "${info.model.name}_${key}" violates foreign key constraint`)
      }
      continue
    }
    data.set(info, record, key, [...((record[key] as unknown[] | undefined) ?? []), ...converted])
  }
  return errors
}

/** Every node, list and relation of a stage as NDF elements in export order (for round-trip comparisons). */
export function dumpData(data: ProjectData, index: SchemaIndex): {nodes: unknown[]; lists: unknown[]; relations: unknown[]} {
  const all = (fileType: string) => exportPage(data, index, fileType, {table: 0, row: 0}, Number.POSITIVE_INFINITY).out.jsonElements
  return {nodes: all('nodes'), lists: all('lists'), relations: all('relations')}
}
