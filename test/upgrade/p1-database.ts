/**
 * Builds a database in the layout a Prisma 1 server gives a datamodel (PostgreSQL and MySQL/MariaDB, datamodel 1.0
 * and 1.1), fills it with rows, links and list values, and reads it back through SQL as a graph: type -> id -> field
 * -> value (scalars) or related ids / list values. Written from the layout spec
 * (../shared/spec/prisma1-database-layout.md) and the server sources it cites, independently of src/upgrade; for
 * datamodel 1.1 the inline-or-table choice comes from the stand-in server's datamodel analysis (test/stand-in).
 */
import {Kind, parse, type ConstDirectiveNode} from 'graphql'

import {analyseDatamodel, generatedRelationName} from '../stand-in/datamodel.js'

export type Connector = 'postgres' | 'mysql'

interface TField {
  name: string
  column: string
  type: string
  list: boolean
  required: boolean
  unique: boolean
  id: boolean
  strategy: string
  sequence?: {name: string; initialValue: number}
  relationName?: string
  link?: string
  relation: boolean
  enum: boolean
}

interface TType {
  name: string
  table: string
  fields: TField[]
  idType: 'ID' | 'UUID' | 'Int'
  idColumn: string
  idStrategy: string
  sequence?: {name: string; initialValue: number}
}

export interface TRelation {
  name: string
  modelA: string
  modelB: string
  /** The field on side A / side B (undefined: the type has no field for it). */
  fieldA?: string
  fieldB?: string
  inline?: {holder: string; column: string; holderField: string; target: string}
  table?: {name: string; id: boolean}
}

export interface P1Database {
  version: '1.0' | '1.1'
  connector: Connector
  types: TType[]
  enums: Map<string, string[]>
  relations: TRelation[]
  /** DDL then data, one statement each. */
  statements: string[]
}

/** type -> id -> field -> value */
export type Graph = Record<string, Record<string, Record<string, unknown>>>

const arg = (directives: readonly ConstDirectiveNode[] | undefined, directive: string, name: string) => {
  const value = directives?.find((item) => item.name.value === directive)?.arguments?.find((item) => item.name.value === name)?.value
  if (!value) return undefined
  if (value.kind === Kind.STRING || value.kind === Kind.ENUM) return value.value
  if (value.kind === Kind.INT) return Number(value.value)
  return undefined
}

export function describeDatamodel(text: string): {version: '1.0' | '1.1'; types: TType[]; enums: Map<string, string[]>} {
  const document = parse(text)
  const version: '1.0' | '1.1' = /@id\b/.test(text) ? '1.1' : '1.0'
  const enums = new Map<string, string[]>()
  const typeNames = new Set<string>()
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) enums.set(definition.name.value, (definition.values ?? []).map((value) => value.name.value))
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) typeNames.add(definition.name.value)
  }
  const types: TType[] = []
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue
    const fields: TField[] = []
    for (const node of definition.fields ?? []) {
      let type = node.type
      let required = false
      let list = false
      if (type.kind === Kind.NON_NULL_TYPE) {
        required = true
        type = type.type
      }
      if (type.kind === Kind.LIST_TYPE) {
        list = true
        type = type.type
        if (type.kind === Kind.NON_NULL_TYPE) type = type.type
      }
      const typeName = type.kind === Kind.NAMED_TYPE ? type.name.value : 'String'
      const directives = node.directives
      const isId = version === '1.1' ? Boolean(directives?.some((item) => item.name.value === 'id')) : node.name.value === 'id'
      const sequenceName = arg(directives, 'sequence', 'name')
      fields.push({
        column: String(arg(directives, 'db', 'name') ?? node.name.value),
        enum: enums.has(typeName),
        id: isId,
        link: arg(directives, 'relation', 'link') as string | undefined,
        list,
        name: node.name.value,
        relation: typeNames.has(typeName),
        relationName: arg(directives, 'relation', 'name') as string | undefined,
        required,
        sequence: sequenceName === undefined ? undefined : {initialValue: Number(arg(directives, 'sequence', 'initialValue') ?? 1), name: String(sequenceName)},
        strategy: String(arg(directives, 'id', 'strategy') ?? 'AUTO'),
        type: typeName,
        unique: Boolean(directives?.some((item) => item.name.value === 'unique')),
      })
    }
    const id = fields.find((field) => field.id)
    types.push({
      fields,
      idColumn: id?.column ?? 'id',
      idStrategy: id?.strategy ?? 'AUTO',
      idType: (id?.type ?? 'ID') as TType['idType'],
      name: definition.name.value,
      sequence: id?.sequence,
      table: String(arg(definition.directives, 'db', 'name') ?? definition.name.value),
    })
  }
  return {enums, types, version}
}

function relationsOf(text: string, types: TType[], version: '1.0' | '1.1'): TRelation[] {
  const manifestations = version === '1.1' ? analyseDatamodel(text) : undefined
  if (manifestations && manifestations.errors.length > 0) {
    throw new Error(`the stand-in server refuses this datamodel: ${manifestations.errors.map((error) => `${error.type}.${error.field}: ${error.description}`).join('; ')}`)
  }
  const relations: TRelation[] = []
  const seen = new Set<TField>()
  for (const type of types) {
    for (const field of type.fields) {
      if (!field.relation || seen.has(field)) continue
      const target = types.find((item) => item.name === field.type)!
      const back = target.fields.find((item) => item !== field && item.relation && item.type === type.name && item.relationName === field.relationName)
      seen.add(field)
      if (back) seen.add(back)
      const name = field.relationName ?? back?.relationName ?? generatedRelationName(type.name, target.name)
      const [modelA, modelB] = [type.name, target.name].sort()
      let fieldA: string | undefined
      let fieldB: string | undefined
      if (type === target) {
        const names = [field.name, back?.name].filter((item): item is string => item !== undefined).sort()
        ;[fieldA, fieldB] = names
      } else if (type.name === modelA) {
        fieldA = field.name
        fieldB = back?.name
      } else {
        fieldA = back?.name
        fieldB = field.name
      }
      const relation: TRelation = {fieldA, fieldB, modelA, modelB, name}
      const manifestation = manifestations?.schema.relations.find((item) => item.name === name)?.manifestation
      if (version === '1.0' || !manifestation || manifestation.type === 'LinkTable') {
        relation.table = {id: version === '1.0', name: `_${name}`}
      } else {
        const holder = types.find((item) => item.name === manifestation.model)!
        const holderField = [field, back].find((item) => item !== undefined && holder.fields.includes(item) && !item.list)!
        relation.inline = {column: manifestation.column, holder: holder.name, holderField: holderField.name, target: holderField.type}
      }
      relations.push(relation)
    }
  }
  return relations
}

const q = (connector: Connector, name: string) => (connector === 'postgres' ? `"${name.replaceAll('"', '""')}"` : `\`${name}\``)

function columnType(connector: Connector, field: {type: string; enum: boolean}): string {
  const pg = connector === 'postgres'
  if (field.enum) return pg ? 'text' : 'varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
  switch (field.type) {
    case 'String':
    case 'Json':
      return pg ? 'text' : 'mediumtext CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
    case 'Int':
      return pg ? 'integer' : 'int(11)'
    case 'Float':
      return pg ? 'numeric(65,30)' : 'decimal(65,30)'
    case 'Boolean':
      return pg ? 'boolean' : 'tinyint(1)'
    case 'DateTime':
      return pg ? 'timestamp(3)' : 'datetime(3)'
    case 'ID':
      return pg ? 'varchar(25)' : 'char(25) CHARACTER SET utf8 COLLATE utf8_general_ci'
    case 'UUID':
      return 'uuid'
    default:
      throw new Error(`no column type for ${field.type}`)
  }
}

function idType(connector: Connector, type: TType): string {
  if (type.idType === 'Int') return connector === 'postgres' ? 'integer' : 'int(11)'
  if (type.idType === 'UUID') return 'uuid'
  return connector === 'postgres' ? 'varchar(25)' : 'char(25) CHARACTER SET utf8 COLLATE utf8_general_ci'
}

/** A 25-character id in the shape of a CUID. */
export function cuidLike(prefix: string, index: number): string {
  const text = `c${prefix.toLowerCase().replace(/[^a-z0-9]/g, '')}${index}`
  return `${text}${'x'.repeat(25)}`.slice(0, 24) + String(index % 10)
}

/** The DDL and data of a Prisma 1 database for `datamodel`; the Postgres schema (or MySQL database) is `projectId`. */
export function buildP1Database(
  text: string,
  connector: Connector,
  projectId: string,
  o: {rowsPerType?: number; swapped?: string[]} = {},
): P1Database {
  const rowsPerType = o.rowsPerType ?? 3
  const {enums, types, version} = describeDatamodel(text)
  const relations = relationsOf(text, types, version)
  // A type renamed after its relation table was created keeps the old A/B assignment (the layout spec, section 7.3).
  for (const relation of relations) {
    if (!o.swapped?.includes(relation.name) || relation.modelA === relation.modelB) continue
    ;[relation.modelA, relation.modelB, relation.fieldA, relation.fieldB] = [relation.modelB, relation.modelA, relation.fieldB, relation.fieldA]
  }
  const pg = connector === 'postgres'
  const s = (name: string) => (pg ? `${q(connector, projectId)}.${q(connector, name)}` : q(connector, name))
  const Q = (name: string) => q(connector, name)
  const statements: string[] = []
  const tableOptions = pg ? '' : ' DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci'
  if (pg) statements.push(`CREATE SCHEMA IF NOT EXISTS ${Q(projectId)}`)

  // model tables: id column and primary key first, every other column added afterwards (PG/MY mutation builders)
  for (const type of types) {
    let id = `${Q(type.idColumn)} ${idType(connector, type)} NOT NULL`
    let options = tableOptions
    if (type.idType === 'Int' && type.idStrategy !== 'NONE') {
      if (pg) {
        const sequence = type.idStrategy === 'SEQUENCE' && type.sequence ? type.sequence.name : `${type.name}_${type.fields.find((field) => field.id)!.name}_seq`
        statements.push(`CREATE SEQUENCE ${s(sequence)} START WITH ${type.sequence?.initialValue ?? 1}`)
        id += ` DEFAULT nextval('${s(sequence).replaceAll("'", "''")}'::regclass)`
      } else {
        id += ' AUTO_INCREMENT'
        if (type.idStrategy === 'SEQUENCE' && type.sequence) options += ` AUTO_INCREMENT=${type.sequence.initialValue}`
      }
    }
    statements.push(`CREATE TABLE ${s(type.table)} (${id}, PRIMARY KEY (${Q(type.idColumn)}))${options}`)
    const scalars = type.fields.filter((field) => !field.id && !field.relation && !field.list)
    for (const field of scalars) {
      statements.push(`ALTER TABLE ${s(type.table)} ADD COLUMN ${Q(field.column)} ${columnType(connector, field)}${field.required ? ' NOT NULL' : ' NULL'}`)
      if (field.unique) {
        statements.push(
          pg
            ? `CREATE UNIQUE INDEX ${Q(`${projectId}.${type.table}.${field.column}._UNIQUE`)} ON ${s(type.table)} (${Q(field.column)})`
            : `ALTER TABLE ${Q(type.table)} ADD UNIQUE KEY ${Q(`${field.column}_UNIQUE`)} (${Q(field.column)}${['String', 'Json'].includes(field.type) && !field.enum ? '(191)' : ''})`,
        )
      }
    }
    if (version === '1.0') {
      for (const name of ['updatedAt', 'createdAt']) {
        if (!type.fields.some((field) => field.name === name)) {
          statements.push(`ALTER TABLE ${s(type.table)} ADD COLUMN ${Q(name)} ${pg ? 'timestamp(3)' : 'datetime(3)'} NOT NULL`)
        }
      }
    }
  }
  const typeOf = (name: string) => types.find((type) => type.name === name)!
  for (const relation of relations) {
    if (relation.inline) {
      const holder = typeOf(relation.inline.holder)
      const target = typeOf(relation.inline.target)
      statements.push(`ALTER TABLE ${s(holder.table)} ADD COLUMN ${Q(relation.inline.column)} ${idType(connector, target)} NULL`)
      statements.push(
        `ALTER TABLE ${s(holder.table)} ADD ${pg ? `CONSTRAINT ${Q(`${holder.table}_${relation.inline.column}_fkey`)} ` : ''}FOREIGN KEY (${Q(relation.inline.column)}) REFERENCES ${s(target.table)} (${Q(target.idColumn)}) ON DELETE SET NULL`,
      )
    } else {
      const a = typeOf(relation.modelA)
      const b = typeOf(relation.modelB)
      const table = relation.table!.name
      const id = relation.table!.id ? `${Q('id')} ${pg ? 'character(25)' : 'char(25) CHARACTER SET utf8 COLLATE utf8_general_ci'} NOT NULL, ` : ''
      const pk = relation.table!.id ? `, PRIMARY KEY (${Q('id')})` : ''
      statements.push(
        `CREATE TABLE ${s(table)} (${id}${Q('A')} ${idType(connector, a)} NOT NULL, ${Q('B')} ${idType(connector, b)} NOT NULL${pk}, ` +
          `FOREIGN KEY (${Q('A')}) REFERENCES ${s(a.table)} (${Q(a.idColumn)}) ON DELETE CASCADE, FOREIGN KEY (${Q('B')}) REFERENCES ${s(b.table)} (${Q(b.idColumn)}) ON DELETE CASCADE)${tableOptions}`,
      )
      statements.push(pg ? `CREATE UNIQUE INDEX ${Q(`${table}_AB_unique`)} ON ${s(table)} (${Q('A')}, ${Q('B')})` : `CREATE UNIQUE INDEX ${Q(`${relation.name}_AB_unique`)} ON ${Q(table)} (${Q('A')}, ${Q('B')})`)
      statements.push(pg ? `CREATE INDEX ${Q(`${table}_B`)} ON ${s(table)} (${Q('B')})` : `CREATE INDEX ${Q('B')} ON ${Q(table)} (${Q('B')})`)
    }
  }
  for (const type of types) {
    for (const field of type.fields.filter((item) => item.list && !item.relation)) {
      const table = `${type.table}_${field.column}`
      const textValue = !pg && (field.enum || ['String', 'Json'].includes(field.type))
      statements.push(
        `CREATE TABLE ${s(table)} (${Q('nodeId')} ${idType(connector, type)} NOT NULL, ${Q('position')} ${pg ? 'integer' : 'int(4)'} NOT NULL, ${Q('value')} ${columnType(connector, field)} NOT NULL, ` +
          `PRIMARY KEY (${Q('nodeId')}, ${Q('position')})${pg ? '' : `, KEY ${Q('value')} (${Q('value')}${textValue && !field.enum ? '(191)' : ''})`}, ` +
          `FOREIGN KEY (${Q('nodeId')}) REFERENCES ${s(type.table)} (${Q(type.idColumn)})${pg ? '' : ' ON DELETE CASCADE'})${tableOptions}`,
      )
    }
  }
  if (version === '1.0') {
    statements.push(
      `CREATE TABLE ${s('_RelayId')} (${Q('id')} varchar(36) NOT NULL, ${Q('stableModelIdentifier')} varchar(25) NOT NULL, ${pg ? `CONSTRAINT ${Q('pk_RelayId')} ` : ''}PRIMARY KEY (${Q('id')}))${pg ? '' : ' DEFAULT CHARSET=latin1'}`,
    )
  }

  // data
  const ids = new Map<string, Array<string | number>>()
  for (const type of types) {
    ids.set(
      type.name,
      Array.from({length: rowsPerType}, (_, index) =>
        type.idType === 'Int' ? (type.sequence?.initialValue ?? 1) + index : type.idType === 'UUID' ? `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}` : cuidLike(type.name, index),
      ),
    )
  }
  const literal = (value: unknown): string => {
    if (value === null) return 'NULL'
    if (typeof value === 'number') return String(value)
    if (typeof value === 'boolean') return pg ? String(value) : value ? '1' : '0'
    return `'${String(value).replaceAll("'", "''").replaceAll('\\', pg ? '\\' : '\\\\')}'`
  }
  for (const type of types) {
    const scalars = type.fields.filter((field) => !field.id && !field.relation && !field.list)
    const hidden = version === '1.0' ? ['updatedAt', 'createdAt'].filter((name) => !type.fields.some((field) => field.name === name)) : []
    ids.get(type.name)!.forEach((id, index) => {
      const columns = [type.idColumn, ...scalars.map((field) => field.column), ...hidden]
      const values = [
        id,
        ...scalars.map((field) => (!field.required && index === rowsPerType - 1 ? null : sampleValue(field, index, enums, type.name))),
        ...hidden.map(() => '2019-05-01 10:00:00.000'),
      ]
      statements.push(`INSERT INTO ${s(type.table)} (${columns.map(Q).join(', ')}) VALUES (${values.map(literal).join(', ')})`)
      if (version === '1.0') statements.push(`INSERT INTO ${s('_RelayId')} (${Q('id')}, ${Q('stableModelIdentifier')}) VALUES (${literal(id)}, ${literal(`cmodel${type.name}`.slice(0, 25))})`)
    })
    for (const field of type.fields.filter((item) => item.list && !item.relation)) {
      ids.get(type.name)!.forEach((id, index) => {
        for (let element = 0; element < index + 1; element++) {
          // positions as the server writes them: 1000, 2000, ...; stored out of order to prove the reads order them
          const position = (index + 1 - element) * 1000
          statements.push(
            `INSERT INTO ${s(`${type.table}_${field.column}`)} (${Q('nodeId')}, ${Q('position')}, ${Q('value')}) VALUES (${literal(id)}, ${position}, ${literal(sampleValue(field, index * 7 + element, enums, type.name))})`,
          )
        }
      })
    }
  }
  for (const relation of relations) {
    const aIds = ids.get(relation.modelA)!
    const bIds = ids.get(relation.modelB)!
    const typeA = typeOf(relation.modelA)
    const typeB = typeOf(relation.modelB)
    const fieldA = relation.fieldA ? typeA.fields.find((field) => field.name === relation.fieldA) : undefined
    const fieldB = relation.fieldB ? typeB.fields.find((field) => field.name === relation.fieldB) : undefined
    const singleA = fieldA !== undefined && !fieldA.list
    const singleB = fieldB !== undefined && !fieldB.list
    const pairs: Array<[number, number]> = []
    for (let i = 0; i < aIds.length; i++) {
      for (let j = 0; j < bIds.length; j++) {
        let linked: boolean
        if (singleA && singleB) linked = i === j && i < aIds.length - 1
        else if (singleA) linked = j === (i + 1) % bIds.length && i < aIds.length - 1
        else if (singleB) linked = i === (j + 1) % aIds.length && j < bIds.length - 1
        else linked = (i + j) % 2 === 0 && !(i === aIds.length - 1 && j === 0)
        if (linked) pairs.push([i, j])
      }
    }
    if (relation.inline) {
      const holderIsA = relation.inline.holder === relation.modelA && (relation.modelA !== relation.modelB || relation.inline.holderField === relation.fieldA)
      const holder = typeOf(relation.inline.holder)
      for (const [i, j] of pairs) {
        const [holderId, targetId] = holderIsA ? [aIds[i], bIds[j]] : [bIds[j], aIds[i]]
        statements.push(`UPDATE ${s(holder.table)} SET ${Q(relation.inline.column)} = ${literal(targetId)} WHERE ${Q(holder.idColumn)} = ${literal(holderId)}`)
      }
    } else {
      const table = relation.table!
      pairs.forEach(([i, j], index) => {
        const id = table.id ? `${literal(cuidLike(`l${relation.name}`, index))}, ` : ''
        statements.push(`INSERT INTO ${s(table.name)} (${table.id ? `${Q('id')}, ` : ''}${Q('A')}, ${Q('B')}) VALUES (${id}${literal(aIds[i])}, ${literal(bIds[j])})`)
      })
    }
  }
  return {connector, enums, relations, statements, types, version}
}

function sampleValue(field: TField, index: number, enums: Map<string, string[]>, typeName: string): unknown {
  if (field.enum) {
    const values = enums.get(field.type)!
    return values[index % values.length]
  }
  switch (field.type) {
    case 'String':
      return field.unique ? `${typeName.toLowerCase()}-${field.name}-${index}@example.com` : `${field.name} ${index} — “quoted” 'text' ✓`
    case 'Json':
      return JSON.stringify({index, nested: {list: [1, 2, index]}, text: `é${index}`})
    case 'Int':
      return field.unique ? 100 + index : index * 7 - 3
    case 'Float':
      return index + 0.25
    case 'Boolean':
      return index % 2 === 0
    case 'DateTime':
      return `2020-0${(index % 9) + 1}-1${index % 10} 12:34:56.${String(100 + index).padStart(3, '0')}`
    case 'ID':
      return cuidLike(`v${field.name}`, index)
    case 'UUID':
      return `11111111-0000-4000-8000-${String(index + 1).padStart(12, '0')}`
    default:
      throw new Error(`no sample for ${field.type}`)
  }
}

/** Runs SQL on one connection: rows as objects. */
export type Query = (sql: string) => Promise<Array<Record<string, unknown>>>

/** Reads every type, scalar, relation field and scalar list of the Prisma 1 layout through SQL. */
export async function readGraphBySql(db: P1Database, projectId: string, query: Query): Promise<Graph> {
  const pg = db.connector === 'postgres'
  const Q = (name: string) => q(db.connector, name)
  const s = (name: string) => (pg ? `${Q(projectId)}.${Q(name)}` : Q(name))
  const graph: Graph = {}
  const typeOf = (name: string) => db.types.find((type) => type.name === name)!
  for (const type of db.types) {
    const records: Record<string, Record<string, unknown>> = {}
    const scalars = type.fields.filter((field) => !field.id && !field.relation && !field.list)
    const rows = await query(`SELECT ${[type.idColumn, ...scalars.map((field) => field.column)].map(Q).join(', ')} FROM ${s(type.table)}`)
    for (const row of rows) {
      const id = String(row[type.idColumn])
      const record: Record<string, unknown> = {}
      for (const field of scalars) record[field.name] = normalize(field, row[field.column])
      for (const field of type.fields.filter((item) => item.relation)) record[field.name] = []
      for (const field of type.fields.filter((item) => item.list && !item.relation)) {
        const values = await query(`SELECT ${Q('value')} FROM ${s(`${type.table}_${field.column}`)} WHERE ${Q('nodeId')} = '${id}' ORDER BY ${Q('position')}`)
        record[field.name] = values.map((value) => normalize(field, value.value))
      }
      records[id] = record
    }
    graph[type.name] = records
  }
  const add = (type: string, id: unknown, field: string | undefined, other: unknown) => {
    if (field === undefined || id === null || other === null) return
    ;(graph[type][String(id)][field] as string[]).push(String(other))
  }
  for (const relation of db.relations) {
    if (relation.inline) {
      const holder = typeOf(relation.inline.holder)
      const rows = await query(`SELECT ${Q(holder.idColumn)} AS h, ${Q(relation.inline.column)} AS t FROM ${s(holder.table)} WHERE ${Q(relation.inline.column)} IS NOT NULL`)
      const holderSideA = relation.modelA === holder.name && (relation.modelA !== relation.modelB || relation.fieldA === relation.inline.holderField)
      for (const row of rows) {
        add(holder.name, row.h, relation.inline.holderField, row.t)
        add(relation.inline.target, row.t, holderSideA ? relation.fieldB : relation.fieldA, row.h)
      }
    } else {
      const rows = await query(`SELECT ${Q('A')} AS a, ${Q('B')} AS b FROM ${s(relation.table!.name)}`)
      for (const row of rows) {
        add(relation.modelA, row.a, relation.fieldA, row.b)
        add(relation.modelB, row.b, relation.fieldB, row.a)
      }
    }
  }
  for (const type of db.types) {
    for (const record of Object.values(graph[type.name])) {
      for (const field of type.fields.filter((item) => item.relation)) (record[field.name] as string[]).sort()
    }
  }
  return graph
}

/** JSON with sorted keys: jsonb reorders keys, text keeps them as written. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

/** One form for a value read by SQL or by Prisma Client. */
export function normalize(field: {type: string; enum: boolean}, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (field.enum) return String(value)
  switch (field.type) {
    case 'Int':
      return Number(value)
    case 'Float':
      return Number(String(value))
    case 'Boolean':
      return value === true || value === 1 || value === '1' || value === 't'
    case 'DateTime': {
      if (value instanceof Date) return value.toISOString()
      const text = String(value)
      return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`).toISOString()
    }
    case 'Json':
      return stableJson(typeof value === 'string' ? JSON.parse(value) : value)
    default:
      return String(value)
  }
}

export {normalize as normalizeValue}
export type {TField, TType}
