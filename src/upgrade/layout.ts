/**
 * The tables and columns a Prisma 1 server created for a datamodel (datamodel version and connector decide), as the
 * layout spec describes them: model tables, inline relation columns, relation tables, scalar-list tables. Where the
 * datamodel alone cannot decide (a database first deployed with 1.0 and redeployed with 1.1, A/B sides kept after a
 * rename), a catalog read from the live database decides; without one, the choice made is recorded as an assumption.
 */
import type {Connector, Datamodel, DatamodelVersion, Enum, Field, ScalarType, Type} from './datamodel.js'

export interface IdLayout {
  field: string
  column: string
  type: 'ID' | 'UUID' | 'Int'
  strategy: Field['idStrategy']
  sequence?: Field['sequence']
  /** 1.0 types without an `id` field still have the column. */
  hidden: boolean
}

export interface ColumnLayout {
  field: string
  column: string
  /** A scalar type, or `enum` (then `enumName`). */
  type: ScalarType | 'enum'
  enumName?: string
  required: boolean
  unique: boolean
  default?: Field['default']
  createdAt: boolean
  updatedAt: boolean
  /** 1.0 `createdAt`/`updatedAt` columns the type does not declare. */
  hidden: boolean
}

export interface ModelLayout {
  name: string
  table: string
  id: IdLayout
  columns: ColumnLayout[]
  /** Every field of the datamodel in its order (for the schema's field order). */
  fieldOrder: string[]
}

export interface RelationSide {
  model: string
  /** The datamodel field on this side, when the type declares one. */
  field?: string
  list: boolean
  required: boolean
  onDelete?: Field['onDelete']
}

export type RelationStorage =
  /** A foreign-key column in the table of `holder` (the side holding the single field). */
  | {kind: 'inline'; holder: 'A' | 'B'; column: string}
  /** `_<name>` with columns A, B (and `id` in the 1.0 layout). */
  | {kind: 'table'; table: string; idColumn: boolean}

export interface RelationLayout {
  name: string
  /** Side A: the type whose name sorts first (for a self relation: the field whose name sorts first). */
  a: RelationSide
  b: RelationSide
  self: boolean
  storage: RelationStorage
}

export interface ListLayout {
  model: string
  field: string
  /** The field's column name (`@db(name:)`), the suffix of the table and the array column after upgrade.sql. */
  column: string
  table: string
  type: ScalarType | 'enum'
  enumName?: string
}

export interface Layout {
  connector: Connector
  version: DatamodelVersion
  models: ModelLayout[]
  relations: RelationLayout[]
  lists: ListLayout[]
  enums: Enum[]
  /** The legacy `_RelayId` table exists (1.0 layout). */
  relayIdTable: boolean
  /** What the layout assumes that the datamodel alone does not decide, for the output and the schema's comments. */
  assumptions: string[]
  /** What the catalog showed that the datamodel does not say (pieces of the 1.0 layout, relations kept elsewhere). */
  findings: string[]
}

/** What the live database shows (from `--database-url`): tables with their columns and foreign keys. */
export interface Catalog {
  tables: Map<string, CatalogTable>
}

export interface CatalogTable {
  columns: Map<string, {type: string; nullable: boolean}>
  /** column -> referenced table */
  foreignKeys: Map<string, string>
}

/** The generated name of an unnamed relation: `<A>To<B>` of the two type names, cut to 54 characters like the server. */
export function generatedRelationName(a: string, b: string): string {
  let [first, second] = [a, b]
  while (first.length + second.length + 2 > 54) {
    if (first.length >= second.length) first = first.slice(0, -1)
    else second = second.slice(0, -1)
  }
  return `${first}To${second}`
}

/** Code-unit order, as the server's Scala string comparison. */
export function sortsBefore(a: string, b: string): boolean {
  return a < b
}

/** The layout a Prisma 1 server gave a datamodel on a connector (and, with a catalog, what the database shows). */
export function buildLayout(datamodel: Datamodel, connector: Connector, catalog?: Catalog): Layout {
  const assumptions: string[] = []
  const findings: string[] = []
  const typeByName = new Map(datamodel.types.map((type) => [type.name, type]))
  const version = datamodel.version
  const models: ModelLayout[] = datamodel.types.map((type) => modelLayout(type, version))

  // The catalog decides the hidden columns: a 1.0 one the database no longer has is left out.
  if (catalog && version === '1.0') {
    for (const model of models) {
      const table = catalog.tables.get(model.table)
      if (!table) continue
      const missing = model.columns.filter((column) => column.hidden && !table.columns.has(column.column))
      model.columns = model.columns.filter((column) => !missing.includes(column))
      model.fieldOrder = model.fieldOrder.filter((name) => !missing.some((column) => column.field === name))
    }
  }
  // A 1.1 datamodel over a database that still has 1.0 pieces: hidden timestamp columns stay (NOT NULL).
  if (catalog && version === '1.1') {
    for (const model of models) {
      const table = catalog.tables.get(model.table)
      if (!table) continue
      for (const name of ['updatedAt', 'createdAt'] as const) {
        if (table.columns.has(name) && !model.columns.some((column) => column.column === name)) {
          model.columns.push(hiddenTimestamp(name))
          model.fieldOrder.push(name)
          findings.push(`${model.table}.${name}: a column of the datamodel 1.0 layout that the datamodel does not declare.`)
        }
      }
    }
  }

  const relations = buildRelations({assumptions, catalog, datamodel, findings, typeByName, version})
  const lists: ListLayout[] = []
  for (const type of datamodel.types) {
    for (const field of type.fields) {
      if (field.kind === 'relation' || !field.list) continue
      lists.push({
        column: field.column,
        enumName: field.kind === 'enum' ? field.type : undefined,
        field: field.name,
        model: type.name,
        table: `${type.table}_${field.column}`,
        type: field.kind === 'enum' ? 'enum' : (field.type as ScalarType),
      })
    }
  }

  let relayIdTable = version === '1.0'
  if (catalog) {
    relayIdTable = catalog.tables.has('_RelayId')
    if (version === '1.1' && relayIdTable) findings.push('_RelayId: the node registry of datamodel 1.0 servers is still there.')
  } else if (version === '1.1') {
    assumptions.push(
      'The database was created by a 1.31+ server from a datamodel 1.1 (no `_RelayId` table, no hidden createdAt/updatedAt columns, relation tables without an `id` column). ' +
        'A database first deployed with datamodel 1.0 keeps pieces of that layout: run prisma upgrade with --database-url to read them from the database.',
    )
  } else {
    assumptions.push('The database was created by a server up to 1.30 from this datamodel 1.0 and never redeployed with datamodel 1.1.')
  }
  return {assumptions, connector, enums: datamodel.enums, findings, lists, models, relations, relayIdTable, version}
}

function modelLayout(type: Type, version: DatamodelVersion): ModelLayout {
  const idField = type.fields.find((field) => field.id)
  const id: IdLayout = idField
    ? {column: idField.column, field: idField.name, hidden: false, sequence: idField.sequence, strategy: idField.idStrategy, type: idField.type as IdLayout['type']}
    : {column: 'id', field: 'id', hidden: true, strategy: 'AUTO', type: 'ID'}
  const columns: ColumnLayout[] = []
  for (const field of type.fields) {
    if (field.id || field.list || field.kind === 'relation') continue
    columns.push({
      column: field.column,
      createdAt: field.createdAt,
      default: field.default,
      enumName: field.kind === 'enum' ? field.type : undefined,
      field: field.name,
      hidden: false,
      // 1.0 timestamps are NOT NULL whatever the declaration says
      required: field.required || (version === '1.0' && (field.createdAt || field.updatedAt)),
      type: field.kind === 'enum' ? 'enum' : (field.type as ScalarType),
      unique: field.unique,
      updatedAt: field.updatedAt,
    })
  }
  const fieldOrder = type.fields.map((field) => field.name)
  if (id.hidden) fieldOrder.unshift('id')
  if (version === '1.0') {
    // undeclared ones are appended, updatedAt first
    for (const name of ['updatedAt', 'createdAt'] as const) {
      if (!columns.some((column) => column.column === name)) {
        columns.push(hiddenTimestamp(name))
        fieldOrder.push(name)
      }
    }
  }
  return {columns, fieldOrder, id, name: type.name, table: type.table}
}

function hiddenTimestamp(name: 'createdAt' | 'updatedAt'): ColumnLayout {
  return {column: name, createdAt: name === 'createdAt', field: name, hidden: true, required: true, type: 'DateTime', unique: false, updatedAt: name === 'updatedAt'}
}

function buildRelations(o: {
  datamodel: Datamodel
  typeByName: Map<string, Type>
  version: DatamodelVersion
  catalog: Catalog | undefined
  assumptions: string[]
  findings: string[]
}): RelationLayout[] {
  const {datamodel, typeByName, version, catalog, assumptions, findings} = o
  const relations: RelationLayout[] = []
  const done = new Set<Field>()
  for (const type of datamodel.types) {
    for (const field of type.fields) {
      if (field.kind !== 'relation' || done.has(field)) continue
      const target = typeByName.get(field.type)!
      const back = backField(type, field, target)
      done.add(field)
      if (back) done.add(back)
      const self = type === target
      const name = field.relationName ?? back?.relationName ?? generatedRelationName(...sortedNames(type.name, target.name))

      // side A: the type sorting first; in a self relation the field sorting first (a lone field is A)
      let aIsField: boolean
      if (self) aIsField = back === undefined || sortsBefore(field.name, back.name)
      else aIsField = sortsBefore(type.name, target.name)
      const here: RelationSide = {field: field.name, list: field.list, model: type.name, onDelete: field.onDelete, required: field.required}
      const there: RelationSide = back
        ? {field: back.name, list: back.list, model: target.name, onDelete: back.onDelete, required: back.required}
        : // a missing back field: a list, as the server's hidden back field
          {list: true, model: target.name, required: false}
      let a = aIsField ? here : there
      let b = aIsField ? there : here

      let storage = storageOf({back, field, name, self, target, type, version})
      if (catalog) {
        const decided = storageFromCatalog({a, b, catalog, name, storage, typeByName})
        if (decided.finding) findings.push(decided.finding)
        storage = decided.storage
        if (decided.swap) [a, b] = [b, a]
      }
      relations.push({a, b, name, self, storage})
    }
  }
  if (!catalog && relations.some((relation) => relation.storage.kind === 'table')) {
    assumptions.push(
      'In each relation table, column A references the type whose name sorts first (as the server assigns it when the relation is created). ' +
        'A type renamed later keeps the old assignment: --database-url reads it from the foreign keys.',
    )
  }
  if (relations.some((relation) => relation.self && relation.storage.kind === 'table' && relation.a.field !== undefined && relation.b.field !== undefined)) {
    assumptions.push(
      'In a self relation kept in a table, the field whose name sorts first reads column A, as the server assigns the sides; a field renamed later keeps its old side.',
    )
  }
  return relations
}

function sortedNames(a: string, b: string): [string, string] {
  return sortsBefore(b, a) ? [b, a] : [a, b]
}

function backField(type: Type, field: Field, target: Type): Field | undefined {
  const candidates = target.fields.filter(
    (item) => item !== field && item.kind === 'relation' && item.type === type.name && item.relationName === field.relationName,
  )
  return candidates[0]
}

function storageOf(o: {
  type: Type
  field: Field
  target: Type
  back: Field | undefined
  name: string
  self: boolean
  version: DatamodelVersion
}): RelationStorage {
  const table: RelationStorage = {idColumn: o.version === '1.0', kind: 'table', table: `_${o.name}`}
  if (o.version === '1.0') return table
  const link = o.field.link ?? o.back?.link
  if (link === 'TABLE') return table
  let holder: Field | undefined
  if (link === 'INLINE') {
    const carrier = o.field.link === 'INLINE' ? o.field : o.back!
    const other = carrier === o.field ? o.back : o.field
    holder = carrier.list && other && !other.list ? other : carrier
    if (holder.list) return table
  } else if (!o.field.list && (o.back === undefined || o.back.list)) holder = o.field
  else if (o.field.list && o.back && !o.back.list) holder = o.back
  else if (!o.field.list && o.back && !o.back.list) holder = o.field
  else return table
  return {column: holder.column, holder: fieldSide(o, holder), kind: 'inline'}
}

function fieldSide(o: {type: Type; target: Type; field: Field; back: Field | undefined; self: boolean}, which: Field): 'A' | 'B' {
  if (o.self) {
    const aIsField = o.back === undefined || sortsBefore(o.field.name, o.back.name)
    return (which === o.field) === aIsField ? 'A' : 'B'
  }
  const typeOf = which === o.field ? o.type : o.target
  const other = which === o.field ? o.target : o.type
  return sortsBefore(typeOf.name, other.name) ? 'A' : 'B'
}

/** The catalog decides inline versus table, the 1.0 `id` column and which model column A references. */
function storageFromCatalog(o: {
  a: RelationSide
  b: RelationSide
  catalog: Catalog
  name: string
  storage: RelationStorage
  typeByName: Map<string, Type>
}): {storage: RelationStorage; swap: boolean; finding?: string} {
  const tableName = `_${o.name}`
  const table = o.catalog.tables.get(tableName)
  const tableOfA = o.typeByName.get(o.a.model)!.table
  const tableOfB = o.typeByName.get(o.b.model)!.table
  if (table && table.columns.has('A') && table.columns.has('B')) {
    const swap = tableOfA !== tableOfB && table.foreignKeys.get('A') === tableOfB && table.foreignKeys.get('B') === tableOfA
    const idColumn = table.columns.has('id')
    const notes = [
      ...(o.storage.kind === 'inline' ? ['kept in a relation table although the datamodel would put it in a column'] : []),
      ...(idColumn && !(o.storage.kind === 'table' && o.storage.idColumn) ? ['its relation table still has the `id` column of datamodel 1.0'] : []),
      ...(swap ? [`its column A references ${o.b.model} (the model was renamed after the table was created)`] : []),
    ]
    return {finding: notes.length > 0 ? `${tableName}: ${notes.join('; ')}.` : undefined, storage: {idColumn, kind: 'table', table: tableName}, swap}
  }
  if (o.storage.kind === 'table') {
    // no relation table: the relation lives in the column of a single side
    for (const [letter, side, tableOfSide] of [
      ['A', o.a, tableOfA],
      ['B', o.b, tableOfB],
    ] as const) {
      if (side.field === undefined || side.list || !o.catalog.tables.get(tableOfSide)?.columns.has(side.field)) continue
      return {
        finding: `${o.name}: kept in the column ${tableOfSide}.${side.field}, not in a relation table.`,
        storage: {column: side.field, holder: letter, kind: 'inline'},
        swap: false,
      }
    }
  }
  return {storage: o.storage, swap: false}
}
