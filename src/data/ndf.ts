/**
 * The Normalized Data Format (NDF) of Prisma 1's import and export: documents `{"valueType", "values"}` in the folders
 * nodes/, lists/ and relations/, files numbered 000001.json, 000002.json, ... Checks a document against the datamodel
 * before anything is uploaded, so that a bad file is named before the server sees a byte of it.
 */
import type {NdfKind} from './service.js'

export const ndfKinds: readonly NdfKind[] = ['nodes', 'lists', 'relations']

/** `000001.json` for 1: the exporter's 6-digit names. */
export function ndfFileName(number: number): string {
  return `${String(number).padStart(6, '0')}.json`
}

/** The number of an NDF file: the digits right before `.json` (`000012.json` → 12), else undefined. */
export function ndfFileNumber(name: string): number | undefined {
  const match = /(\d+)\.json$/.exec(name)
  return match ? Number(match[1]) : undefined
}

export interface DataModelField {
  name: string
  /** The type name without list or non-null markers. */
  type: string
  list: boolean
  required: boolean
  /** The type is another model of the datamodel. */
  relation: boolean
  /** @createdAt / @updatedAt: the server sets the field when a node comes without it. */
  serverFilled: boolean
}

export interface DataModel {
  models: Map<string, Map<string, DataModelField>>
  enums: Map<string, Set<string>>
}

/** Reads the models, their fields and the enums of a datamodel. Throws graphql's syntax error when it is not SDL. */
export async function readDataModel(text: string): Promise<DataModel> {
  const {parse, Kind} = await import('graphql')
  const document = parse(text, {noLocation: true})
  const models = new Map<string, Map<string, DataModelField>>()
  const enums = new Map<string, Set<string>>()
  const objectTypes = new Set<string>()
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) objectTypes.add(definition.name.value)
  }

  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      enums.set(definition.name.value, new Set((definition.values ?? []).map((value) => value.name.value)))
    } else if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
      const fields = new Map<string, DataModelField>()
      for (const field of definition.fields ?? []) {
        let type = field.type
        let required = false
        let list = false
        if (type.kind === Kind.NON_NULL_TYPE) {
          required = true
          type = type.type
        }

        if (type.kind === Kind.LIST_TYPE) {
          list = true
          type = type.type.kind === Kind.NON_NULL_TYPE ? type.type.type : type.type
        }

        const name = type.kind === Kind.NAMED_TYPE ? type.name.value : 'String'
        fields.set(field.name.value, {
          // the server fills these itself when an imported node has no value for them
          serverFilled: (field.directives ?? []).some((directive) => ['createdAt', 'updatedAt'].includes(directive.name.value)),
          list,
          name: field.name.value,
          relation: objectTypes.has(name),
          required,
          type: name,
        })
      }

      models.set(definition.name.value, fields)
    }
  }

  return {enums, models}
}

/** Keys every node may carry, whatever its model. */
const systemKeys = new Set(['_typeName', 'id', 'createdAt', 'updatedAt'])
// the forms the server reads: 2020-01-31T12:00:00.000Z (or an offset), without the fraction, and 2020-01-31 12:00:00
const dateTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})| \d{2}:\d{2}:\d{2})$/

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

function valueProblem(value: unknown, field: DataModelField, model: DataModel): string | undefined {
  const ok = (() => {
    switch (field.type) {
      case 'ID':
      case 'String':
      case 'UUID': {
        return typeof value === 'string'
      }

      case 'Int':
      case 'Long': {
        return typeof value === 'number' && Number.isInteger(value)
      }

      case 'Float': {
        return typeof value === 'number'
      }

      case 'Boolean': {
        return typeof value === 'boolean'
      }

      case 'DateTime': {
        return typeof value === 'string' && dateTime.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')))
      }

      case 'Json': {
        return true
      }

      default: {
        const values = model.enums.get(field.type)
        return values ? typeof value === 'string' && values.has(value) : true
      }
    }
  })()
  return ok ? undefined : `the value ${describe(value)} of field ${field.name} is not a valid ${field.type}`
}

/**
 * The first problem of an NDF document of `kind` against `model`, as words naming the value, or undefined when the
 * document is fine.
 */
export function ndfProblem(document: unknown, kind: NdfKind, model: DataModel): string | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return 'it is not a JSON object {"valueType": ..., "values": [...]}'
  const {valueType, values} = document as {valueType?: unknown; values?: unknown}
  if (valueType !== kind) return `its "valueType" is ${describe(valueType)}, but files in ${kind}/ must have "valueType": "${kind}"`
  if (!Array.isArray(values)) return 'it has no "values" list'
  for (const [index, value] of values.entries()) {
    const problem = kind === 'relations' ? relationProblem(value, model) : nodeProblem(value, kind, model)
    if (problem) return `value ${index + 1} (${describe(value)}): ${problem}`
  }

  return undefined
}

function identity(value: unknown, model: DataModel): {fields: Map<string, DataModelField>; item: Record<string, unknown>} | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'it is not a JSON object'
  const item = value as Record<string, unknown>
  if (typeof item._typeName !== 'string') return 'it has no "_typeName"'
  const fields = model.models.get(item._typeName)
  if (!fields) return `the datamodel has no type ${item._typeName}`
  if (item.id === undefined || item.id === null || item.id === '') return 'it has no "id"'
  // a 1.34 server imports ID and UUID ids only (an Int id fails the whole request)
  if (typeof item.id !== 'string') return `its "id" is ${describe(item.id)}, not a string (the server imports only string ids)`
  return {fields, item}
}

function nodeProblem(value: unknown, kind: 'nodes' | 'lists', model: DataModel): string | undefined {
  const found = identity(value, model)
  if (typeof found === 'string') return found
  const {fields, item} = found
  const keys = Object.keys(item).filter((key) => !systemKeys.has(key))
  if (kind === 'lists') {
    if (keys.length !== 1) return `a list value names exactly one scalar list field besides "_typeName" and "id" (it has ${keys.length})`
    const field = fields.get(keys[0])
    if (!field || !field.list || field.relation) return `${item._typeName}.${keys[0]} is not a scalar list field`
    const entries = item[keys[0]]
    if (!Array.isArray(entries)) return `the value of ${keys[0]} is not a list`
    for (const entry of entries) {
      const problem = valueProblem(entry, field, model)
      if (problem) return problem
    }

    return undefined
  }

  for (const key of keys) {
    const field = fields.get(key)
    if (!field) return `the type ${item._typeName} has no field ${key}`
    if (field.relation) return `${key} is a relation; relations belong in relations/`
    if (field.list) return `${key} is a scalar list; its values belong in lists/`
    if (item[key] === null) {
      if (field.required) return `the required field ${key} is null`
      continue
    }

    const problem = valueProblem(item[key], field, model)
    if (problem) return problem
  }

  for (const field of fields.values()) {
    // @default does not apply: the server stores a field the node does not have as null
    if (field.required && !field.list && !field.relation && !field.serverFilled && !systemKeys.has(field.name) && !(field.name in item)) {
      return `the required field ${field.name} is missing`
    }
  }

  return undefined
}

function relationProblem(value: unknown, model: DataModel): string | undefined {
  if (!Array.isArray(value) || value.length !== 2) return 'a relation is a list of exactly two nodes [{"_typeName", "id", "fieldName"}, {...}]'
  let named = 0
  for (const side of value) {
    const found = identity(side, model)
    if (typeof found === 'string') return found
    const {fields, item} = found
    if (item.fieldName === undefined) continue
    named++
    const field = typeof item.fieldName === 'string' ? fields.get(item.fieldName) : undefined
    if (!field?.relation) return `the type ${item._typeName} has no relation field ${describe(item.fieldName)}`
  }

  return named === 0 ? 'neither side names its relation field ("fieldName")' : undefined
}
