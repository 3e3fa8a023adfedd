/**
 * The Prisma 1 datamodel as the server read it for a SQL connector: types, fields, directives and enums, with the
 * checks whose failure made the server refuse the deploy (so a database in that shape cannot exist). Pure: text in,
 * a typed datamodel or one list of problems out.
 */
import type {ConstDirectiveNode, ConstValueNode, TypeNode} from 'graphql'

export type Connector = 'postgres' | 'mysql'
/** 1.0: `id: ID! @unique`, relation tables everywhere; 1.1: `@id`, inline relations, no hidden columns. */
export type DatamodelVersion = '1.0' | '1.1'
export type ScalarType = 'String' | 'Int' | 'Float' | 'Boolean' | 'DateTime' | 'Json' | 'ID' | 'UUID'

export const SCALAR_TYPES: readonly ScalarType[] = ['String', 'Int', 'Float', 'Boolean', 'DateTime', 'Json', 'ID', 'UUID']

/** A `@default(value: ...)` as written: its kind and its value as the server read it. */
export interface DefaultValue {
  kind: 'string' | 'int' | 'float' | 'boolean' | 'enum'
  value: string | number | boolean
}

export interface Field {
  name: string
  /** `@db(name:)`, else the field name. */
  column: string
  /** The declared type name (`String`, `Role`, `Post`). */
  type: string
  kind: 'scalar' | 'enum' | 'relation'
  list: boolean
  required: boolean
  unique: boolean
  id: boolean
  /** `@id(strategy:)`; AUTO when not given. */
  idStrategy: 'AUTO' | 'NONE' | 'SEQUENCE'
  sequence?: {name: string; initialValue: number}
  default?: DefaultValue
  createdAt: boolean
  updatedAt: boolean
  relationName?: string
  link?: 'INLINE' | 'TABLE'
  onDelete?: 'CASCADE' | 'SET_NULL'
  /** The 1-based line of the field in the datamodel text. */
  line: number
}

export interface Type {
  name: string
  /** `@db(name:)`, else the type name. */
  table: string
  fields: Field[]
  line: number
}

export interface Enum {
  name: string
  values: string[]
}

export interface Datamodel {
  version: DatamodelVersion
  types: Type[]
  enums: Enum[]
}

export interface ReadDatamodelOptions {
  connector: Connector
  /** How the text is named in messages (the datamodel files, or "the deployed datamodel"). */
  source: string
}

/** The datamodel cannot be read, or the server would have refused it: every problem, each naming type, field, line. */
export class DatamodelProblems extends Error {
  constructor(
    readonly problems: string[],
    readonly source: string,
  ) {
    super(`${source} ${problems.length === 1 ? 'has a problem' : `has ${problems.length} problems`}: ${problems.join('; ')}`)
    this.name = 'DatamodelProblems'
  }
}

const NAME_RULES = {
  type: /^[A-Z][a-zA-Z0-9]{0,63}$/,
  field: /^[a-z][a-zA-Z0-9]{0,63}$/,
  relation: /^[A-Z][a-zA-Z0-9_]{0,53}$/,
  enumValue: /^[A-Z][a-zA-Z0-9_]*$/,
}
const RESERVED_TYPES = new Set(['Query', 'Mutation', 'Subscription', 'Node', 'PageInfo', 'BatchPayload', ...SCALAR_TYPES])
/** Directives a 1.1 datamodel may use; anything else on a type or field was refused. */
const FIELD_DIRECTIVES = new Set(['id', 'unique', 'default', 'db', 'relation', 'createdAt', 'updatedAt', 'scalarList', 'sequence', 'rename', 'index'])
const TYPE_DIRECTIVES = new Set(['db', 'rename', 'embedded', 'relationTable', 'index', 'pgTable', 'linkTable'])

/** Reads and checks a datamodel (the SDL the server was given). Throws DatamodelProblems. */
export async function readDatamodel(text: string, o: ReadDatamodelOptions): Promise<Datamodel> {
  const {parse, Kind, GraphQLError} = await import('graphql')
  let document
  try {
    document = parse(text)
  } catch (error) {
    const where = error instanceof GraphQLError && error.locations?.[0] ? ` (line ${error.locations[0].line})` : ''
    const message = error instanceof GraphQLError ? error.message.replace(/^Syntax Error: /, '') : String(error)
    throw new DatamodelProblems([`it is not valid SDL${where}: ${message}`], o.source)
  }

  const problems: string[] = []
  const typeNodes = document.definitions.filter((definition) => definition.kind === Kind.OBJECT_TYPE_DEFINITION)
  const enumNodes = document.definitions.filter((definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION)
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.ENUM_TYPE_DEFINITION) {
      problems.push(`line ${definition.loc?.startToken.line ?? '?'}: only \`type\` and \`enum\` definitions are allowed in a datamodel (found ${definition.kind})`)
    }
  }

  const enums: Enum[] = enumNodes.map((node) => ({name: node.name.value, values: (node.values ?? []).map((value) => value.name.value)}))
  const typeNames = new Set(typeNodes.map((node) => node.name.value))
  const enumNames = new Set(enums.map((item) => item.name))
  const seenNames = new Set<string>()
  for (const name of [...typeNodes.map((node) => node.name.value), ...enums.map((item) => item.name)]) {
    if (seenNames.has(name)) problems.push(`the name ${name} is defined twice`)
    seenNames.add(name)
  }
  for (const item of enums) {
    if (!NAME_RULES.type.test(item.name)) problems.push(`enum ${item.name}: an enum name starts with an uppercase letter and has only letters and digits`)
    if (item.values.length === 0) problems.push(`enum ${item.name} has no values`)
    for (const value of item.values) {
      if (!NAME_RULES.enumValue.test(value)) problems.push(`enum ${item.name}: the value ${value} must start with an uppercase letter (letters, digits, _)`)
    }
  }

  // Any 1.1 directive makes the datamodel 1.1; the 1.34 server accepted nothing else. `@relation(link:)` is not one:
  // servers up to 1.30 accepted it in 1.0 datamodels and ignored it.
  const v11Directives = new Set(['id', 'db', 'createdAt', 'updatedAt', 'scalarList', 'relationTable', 'sequence'])
  let v11 = false
  for (const node of typeNodes) {
    if ((node.directives ?? []).some((directive) => v11Directives.has(directive.name.value))) v11 = true
    for (const field of node.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (v11Directives.has(directive.name.value)) v11 = true
      }
    }
  }
  const version: DatamodelVersion = v11 ? '1.1' : '1.0'

  const types: Type[] = []
  for (const node of typeNodes) {
    const typeName = node.name.value
    const where = `type ${typeName}`
    if (!NAME_RULES.type.test(typeName)) problems.push(`${where}: a type name starts with an uppercase letter and has only letters and digits (at most 64)`)
    if (RESERVED_TYPES.has(typeName)) problems.push(`${where}: ${typeName} is a reserved name`)
    const typeDirectives = node.directives ?? []
    for (const directive of typeDirectives) {
      const name = directive.name.value
      if (!TYPE_DIRECTIVES.has(name)) problems.push(`${where}: the directive @${name} is not known`)
      else if (name === 'embedded') problems.push(`${where}: @embedded types exist only on MongoDB, not on a SQL database`)
      else if (name === 'relationTable' || name === 'linkTable') {
        problems.push(`${where}: @${name} types (relation tables with their own column names) are not supported by prisma upgrade yet`)
      } else if (name === 'pgTable') problems.push(`${where}: @pgTable belongs to introspected (passive) databases, which prisma upgrade does not read`)
    }
    const table = stringArgument(typeDirectives, 'db', 'name') ?? typeName

    const fields: Field[] = []
    const fieldNames = new Set<string>()
    for (const fieldNode of node.fields ?? []) {
      const name = fieldNode.name.value
      const at = `${where}, field ${name} (line ${fieldNode.loc?.startToken.line ?? '?'})`
      if (fieldNames.has(name)) problems.push(`${at}: the field is defined twice`)
      fieldNames.add(name)
      if (!NAME_RULES.field.test(name)) problems.push(`${at}: a field name starts with a lowercase letter and has only letters and digits`)
      if ((fieldNode.arguments ?? []).length > 0) problems.push(`${at}: fields of a datamodel take no arguments`)
      const shape = typeShape(fieldNode.type, Kind)
      if (shape === undefined) {
        problems.push(`${at}: the type must be T, T!, [T!]! or [T] (a list of lists is not allowed)`)
        continue
      }
      const isScalar = (SCALAR_TYPES as readonly string[]).includes(shape.name)
      const kind = isScalar ? 'scalar' : enumNames.has(shape.name) ? 'enum' : typeNames.has(shape.name) ? 'relation' : undefined
      if (kind === undefined) {
        problems.push(`${at}: the type ${shape.name} is neither a scalar (${SCALAR_TYPES.join(', ')}) nor a type or enum of the datamodel`)
        continue
      }
      const directives = fieldNode.directives ?? []
      for (const directive of directives) {
        if (!FIELD_DIRECTIVES.has(directive.name.value)) problems.push(`${at}: the directive @${directive.name.value} is not known`)
      }
      const has = (directive: string) => directives.some((item) => item.name.value === directive)
      const isId = version === '1.1' ? has('id') : name === 'id'
      const strategy = enumArgument(directives, 'id', 'strategy') ?? 'AUTO'
      const field: Field = {
        name,
        column: stringArgument(directives, 'db', 'name') ?? name,
        type: shape.name,
        kind,
        list: shape.list,
        required: shape.required,
        unique: has('unique'),
        id: isId,
        idStrategy: strategy === 'NONE' || strategy === 'SEQUENCE' ? strategy : 'AUTO',
        createdAt: version === '1.1' ? has('createdAt') : name === 'createdAt' && shape.name === 'DateTime',
        updatedAt: version === '1.1' ? has('updatedAt') : name === 'updatedAt' && shape.name === 'DateTime',
        line: fieldNode.loc?.startToken.line ?? 0,
      }
      if (strategy !== undefined && !['AUTO', 'NONE', 'SEQUENCE'].includes(strategy)) problems.push(`${at}: @id(strategy:) is AUTO, NONE or SEQUENCE`)
      if (has('sequence')) {
        const sequenceName = stringArgument(directives, 'sequence', 'name')
        const initial = intArgument(directives, 'sequence', 'initialValue')
        if (sequenceName === undefined) problems.push(`${at}: @sequence needs a name`)
        else field.sequence = {initialValue: initial ?? 1, name: sequenceName}
      }
      const relationName = stringArgument(directives, 'relation', 'name')
      if (relationName !== undefined) field.relationName = relationName
      const link = enumArgument(directives, 'relation', 'link')
      if (link === 'INLINE' || link === 'TABLE') field.link = link
      else if (link !== undefined) problems.push(`${at}: @relation(link:) is INLINE or TABLE`)
      const onDelete = enumArgument(directives, 'relation', 'onDelete')
      if (onDelete === 'CASCADE' || onDelete === 'SET_NULL') field.onDelete = onDelete
      if (has('default')) {
        const value = defaultArgument(directives)
        if (value === undefined) problems.push(`${at}: @default needs a value, e.g. @default(value: "text")`)
        else field.default = value
      }
      if (kind === 'relation' && has('db')) problems.push(`${at}: @db belongs on scalar fields; a relation column is named after its field`)
      checkField(field, {at, connector: o.connector, enums, problems, version, hasScalarList: has('scalarList'), scalarListStrategy: enumArgument(directives, 'scalarList', 'strategy')})
      fields.push(field)
    }

    const ids = fields.filter((field) => field.id)
    if (version === '1.1' && ids.length === 0) problems.push(`${where}: every type needs a field marked @id, e.g. id: ID! @id`)
    if (ids.length > 1) problems.push(`${where}: only one field may be the id (found ${ids.map((field) => field.name).join(', ')})`)
    types.push({fields, line: node.loc?.startToken.line ?? 0, name: typeName, table})
  }

  if (types.length === 0 && problems.length === 0) problems.push('it defines no type')
  checkTables(types, problems)
  checkRelations(types, version, problems)
  if (problems.length > 0) throw new DatamodelProblems(problems, o.source)
  return {enums, types, version}
}

interface FieldCheck {
  at: string
  connector: Connector
  enums: Enum[]
  problems: string[]
  version: DatamodelVersion
  hasScalarList: boolean
  scalarListStrategy?: string
}

function checkField(field: Field, c: FieldCheck): void {
  const {at, problems} = c
  if (field.id) {
    if (field.list || !field.required) problems.push(`${at}: the id field must be required and not a list (${field.type}!)`)
    const allowed = c.version === '1.0' ? ['ID'] : c.connector === 'postgres' ? ['ID', 'UUID', 'Int'] : ['ID', 'Int']
    if (!allowed.includes(field.type)) {
      problems.push(`${at}: an id is of type ${allowed.join(' or ')} on ${c.connector === 'postgres' ? 'PostgreSQL' : 'MySQL'}${c.version === '1.0' ? ' with datamodel 1.0' : ''}`)
    }
    if (field.idStrategy === 'SEQUENCE' && field.type !== 'Int') problems.push(`${at}: @id(strategy: SEQUENCE) needs an Int id`)
    if (field.idStrategy === 'SEQUENCE' && field.sequence === undefined) problems.push(`${at}: @id(strategy: SEQUENCE) needs @sequence(name:, initialValue:, allocationSize:)`)
  } else if (field.type === 'ID' || field.type === 'UUID') {
    if (c.version === '1.1') problems.push(`${at}: only the @id field may be of type ${field.type}`)
  }
  if (field.kind === 'relation') {
    if (field.default) problems.push(`${at}: a relation field cannot have a @default`)
    if (field.unique) problems.push(`${at}: a relation field cannot be @unique`)
    if (field.list && field.required === false && c.version === '1.1') {
      // [T] is allowed and read as [T!]!
    }
  } else if (field.list) {
    if (c.version === '1.1' && !c.hasScalarList) problems.push(`${at}: a scalar list needs @scalarList(strategy: RELATION) on a SQL database`)
    if (c.hasScalarList && c.scalarListStrategy !== 'RELATION') problems.push(`${at}: on a SQL database a scalar list is stored with @scalarList(strategy: RELATION)`)
    if (field.unique) problems.push(`${at}: a list cannot be @unique`)
  } else if (field.link !== undefined || field.relationName !== undefined) {
    problems.push(`${at}: @relation belongs on fields whose type is another type`)
  }
  if ((field.createdAt || field.updatedAt) && field.type !== 'DateTime') problems.push(`${at}: @createdAt and @updatedAt belong on DateTime fields`)
  if (field.default) {
    const value = field.default
    const ok = (() => {
      switch (field.type) {
        case 'String':
        case 'Json':
        case 'DateTime':
          return value.kind === 'string'
        case 'Int':
          return value.kind === 'int'
        case 'Float':
          return value.kind === 'int' || value.kind === 'float'
        case 'Boolean':
          return value.kind === 'boolean'
        default:
          return field.kind === 'enum' && value.kind === 'enum' && (c.enums.find((item) => item.name === field.type)?.values ?? []).includes(String(value.value))
      }
    })()
    if (!ok) problems.push(`${at}: the @default value ${JSON.stringify(value.value)} is not a ${field.type}`)
    if (field.list) problems.push(`${at}: a list cannot have a @default`)
    if (field.type === 'Json' && value.kind === 'string') {
      try {
        JSON.parse(String(value.value))
      } catch {
        problems.push(`${at}: the @default of a Json field must be JSON text`)
      }
    }
  }
}

function checkTables(types: Type[], problems: string[]): void {
  const tables = new Map<string, string>()
  for (const type of types) {
    const other = tables.get(type.table.toLowerCase())
    if (other !== undefined) problems.push(`type ${type.name}: its table ${type.table} is also the table of type ${other}`)
    tables.set(type.table.toLowerCase(), type.name)
    const columns = new Map<string, string>()
    for (const field of type.fields) {
      if (field.kind === 'relation' && field.list) continue
      if (field.kind !== 'relation' && field.list) continue
      const previous = columns.get(field.column)
      if (previous !== undefined) problems.push(`type ${type.name}: the fields ${previous} and ${field.name} use the same column ${field.column}`)
      columns.set(field.column, field.name)
    }
  }
}

/** The pairing rules of relation fields: names used by one pair at most, no ambiguous unnamed pairs. */
function checkRelations(types: Type[], version: DatamodelVersion, problems: string[]): void {
  const byName = new Map<string, Array<{type: Type; field: Field}>>()
  for (const type of types) {
    for (const field of type.fields) {
      if (field.kind !== 'relation') continue
      if (field.relationName !== undefined) {
        if (!NAME_RULES.relation.test(field.relationName)) {
          problems.push(`type ${type.name}, field ${field.name}: the relation name ${field.relationName} must start with an uppercase letter (letters, digits, _; at most 54)`)
        }
        const list = byName.get(field.relationName) ?? []
        list.push({field, type})
        byName.set(field.relationName, list)
      }
    }
  }
  for (const [name, fields] of byName) {
    if (fields.length > 2) problems.push(`the relation name ${name} is used by more than two fields (${fields.map((item) => `${item.type.name}.${item.field.name}`).join(', ')})`)
    if (fields.length === 2) {
      const [first, second] = fields
      if (first.field.type !== second.type.name || second.field.type !== first.type.name) {
        problems.push(`the relation ${name} joins ${first.type.name}.${first.field.name} and ${second.type.name}.${second.field.name}, whose types do not point at each other`)
      }
      if (version === '1.1' && first.field.link !== undefined && second.field.link !== undefined) {
        problems.push(`the relation ${name}: only one of its two fields may carry @relation(link:)`)
      }
    }
  }
  for (const type of types) {
    for (const field of type.fields) {
      if (field.kind !== 'relation' || field.relationName !== undefined) continue
      const target = types.find((item) => item.name === field.type)
      if (target === undefined) continue
      const toSameType = type.fields.filter((item) => item.kind === 'relation' && item.type === field.type)
      if (toSameType.length > 1) {
        problems.push(
          `type ${type.name}, field ${field.name}: ${type.name} has several relation fields of type ${field.type}, so each needs a name: @relation(name: "...") on it and on its back field`,
        )
        continue
      }
      const back = target.fields.filter((item) => item !== field && item.kind === 'relation' && item.type === type.name)
      if (target !== type && back.length === 1 && back[0].relationName !== undefined) {
        problems.push(
          `type ${type.name}, field ${field.name}: its back field ${target.name}.${back[0].name} is in the relation ${back[0].relationName}; give this field the same @relation(name: "${back[0].relationName}")`,
        )
      }
    }
  }
}

function typeShape(node: TypeNode, kind: typeof import('graphql').Kind): {name: string; list: boolean; required: boolean} | undefined {
  let type = node
  let required = false
  if (type.kind === kind.NON_NULL_TYPE) {
    required = true
    type = type.type
  }
  if (type.kind === kind.LIST_TYPE) {
    let inner = type.type
    if (inner.kind === kind.NON_NULL_TYPE) inner = inner.type
    if (inner.kind !== kind.NAMED_TYPE) return undefined
    // [T], [T!], [T!]!: every list reads as required ([T!]!) on a SQL connector
    return {list: true, name: inner.name.value, required: true}
  }
  if (type.kind !== kind.NAMED_TYPE) return undefined
  return {list: false, name: type.name.value, required}
}

function argument(directives: readonly ConstDirectiveNode[], directive: string, name: string): ConstValueNode | undefined {
  return directives.find((item) => item.name.value === directive)?.arguments?.find((item) => item.name.value === name)?.value
}

function stringArgument(directives: readonly ConstDirectiveNode[], directive: string, name: string): string | undefined {
  const value = argument(directives, directive, name)
  return value?.kind === 'StringValue' ? value.value : undefined
}

function enumArgument(directives: readonly ConstDirectiveNode[], directive: string, name: string): string | undefined {
  const value = argument(directives, directive, name)
  return value?.kind === 'EnumValue' || value?.kind === 'StringValue' ? value.value : undefined
}

function intArgument(directives: readonly ConstDirectiveNode[], directive: string, name: string): number | undefined {
  const value = argument(directives, directive, name)
  return value?.kind === 'IntValue' ? Number(value.value) : undefined
}

function defaultArgument(directives: readonly ConstDirectiveNode[]): DefaultValue | undefined {
  const value = argument(directives, 'default', 'value')
  switch (value?.kind) {
    case 'StringValue':
      return {kind: 'string', value: value.value}
    case 'IntValue':
      return {kind: 'int', value: Number(value.value)}
    case 'FloatValue':
      return {kind: 'float', value: Number(value.value)}
    case 'BooleanValue':
      return {kind: 'boolean', value: value.value}
    case 'EnumValue':
      return {kind: 'enum', value: value.value}
    default:
      return undefined
  }
}
