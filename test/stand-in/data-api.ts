/**
 * The GraphQL service API of a deployed stage: the OpenCRUD schema a 1.34 server serves for the datamodel (produced
 * by the original's prisma-generate-schema, with `implements Node` added as the server does) executed with graphql-js
 * over the in-memory ProjectData: queries with where/orderBy/pagination, connections, node(id), and the create,
 * update, upsert, delete, updateMany and deleteMany mutations with nested create/connect/set/disconnect/delete/
 * update/upsert/updateMany/deleteMany. Also the private schema of /private (resetData).
 */
import {randomUUID} from 'node:crypto'
import {createRequire} from 'node:module'
import {
  GraphQLDeprecatedDirective,
  GraphQLIncludeDirective,
  GraphQLSchema,
  GraphQLSkipDirective,
  buildASTSchema,
  buildSchema,
  getNamedType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLTypeResolver,
  type ObjectTypeDefinitionNode,
} from 'graphql'
import type {DmField, DmSchema} from './datamodel.js'
import {MODEL, newCuid, schemaIndex, type ModelInfo, type NodeId, type NodeRecord, type ProjectData, type RelationEnd, type SchemaIndex} from './data-store.js'
import {ManagementError} from './execute.js'

/** A service API error: rendered with its numeric code like the server's API errors. */
export class ServiceError extends ManagementError {}

const noNode = (model: string, field: string, value: unknown) => new ServiceError(`No Node for the model ${model} with value ${String(value)} for ${field} found.`, 3039)
const uniqueViolation = (model: string, field: string) => new ServiceError(`A unique constraint would be violated on ${model}. Details: Field name = ${field}`, 3010)
const requiredField = (model: string, field: string) =>
  new ServiceError(`The field '${field}' on type '${model}' is required. Performing this mutation would violate that constraint`, 3032)
const requiredRelation = (relation: string, a: string, b: string) =>
  new ServiceError(`The change you are trying to make would violate the required relation '${relation}' between ${a} and ${b}`, 3042)
/** 3041: the parent (by id) has no node linked through the relation that matches the child selection. */
const notConnected = (end: RelationEnd, parent: ModelInfo, record: NodeRecord, child: string) =>
  new ServiceError(
    `The relation ${end.relation.name} has no node for the model ${parent.model.name} with the value '${String(record[parent.idField.name])}' for the field '${parent.idField.name}' connected to a node for the model ${end.otherModel} ${child}`,
    3041,
  )
const badWhere = (model: string) => new ServiceError(`You provided an invalid argument for the where selector on ${model}.`, 3040)

type Args = Record<string, unknown>
type Where = Record<string, unknown>

const EMPTY_SDL = 'interface Node { id: ID! }\ntype Query { node(id: ID!): Node }'

let generateCrudSchema: ((datamodel: string, databaseType: string) => string) | undefined

/** The SDL a 1.34 server serves for a datamodel, as a graphql-js schema. */
export function openCrudSchema(datamodel: string, schema: DmSchema): GraphQLSchema {
  if (schema.models.length === 0) return withServerDirectives(buildSchema(EMPTY_SDL))
  if (!generateCrudSchema) {
    // CommonJS with its own graphql 14; loaded on first use only.
    const loaded = createRequire(import.meta.url)('prisma-generate-schema') as {default: (datamodel: string, databaseType: string) => string}
    generateCrudSchema = loaded.default
  }
  const document = parse(generateCrudSchema(datamodel, 'postgres'))
  const withNodeId = new Set(
    schema.models.filter((m) => m.fields.some((f) => f.isId && f.name === 'id' && f.declaredType === 'ID')).map((m) => m.name),
  )
  const definitions = document.definitions.map((definition) => {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || !withNodeId.has(definition.name.value)) return definition
    const node: ObjectTypeDefinitionNode = {
      ...definition,
      interfaces: [...(definition.interfaces ?? []), {kind: Kind.NAMED_TYPE, name: {kind: Kind.NAME, value: 'Node'}}],
    }
    return node
  })
  // The server always declares Json, used or not.
  const hasJson = definitions.some((d) => d.kind === Kind.SCALAR_TYPE_DEFINITION && d.name.value === 'Json')
  if (!hasJson) definitions.push(...parse('scalar Json').definitions)
  return withServerDirectives(buildASTSchema({...document, definitions} as DocumentNode))
}

/** The server (Sangria) knows only @include, @skip and @deprecated; graphql-js 16 would also introspect @specifiedBy and @oneOf. */
function withServerDirectives(schema: GraphQLSchema): GraphQLSchema {
  return new GraphQLSchema({...schema.toConfig(), directives: [GraphQLIncludeDirective, GraphQLSkipDirective, GraphQLDeprecatedDirective]})
}

export const PRIVATE_SCHEMA = buildSchema(`
type Query { validateSubscriptionQuery(query: String): SubscriptionQueryValidationResult }
type SubscriptionQueryValidationResult { errors: [String] }
type Mutation { resetData: Boolean }
`)

type OperationKind = 'single' | 'list' | 'connection' | 'node' | 'create' | 'update' | 'upsert' | 'delete' | 'updateMany' | 'deleteMany'

export interface ServiceSchema {
  schema: GraphQLSchema
  index: SchemaIndex
  operations: Map<string, {kind: OperationKind; model: string}>
}

/** Builds the executable pieces for a deployed schema: which root field does what to which model. */
export function serviceSchema(datamodel: string, dm: DmSchema): ServiceSchema {
  const schema = openCrudSchema(datamodel, dm)
  const index = schemaIndex(dm)
  const operations = new Map<string, {kind: OperationKind; model: string}>()
  for (const [name, field] of Object.entries(schema.getQueryType()?.getFields() ?? {})) {
    const named = getNamedType(field.type).name
    const type = isNonNullType(field.type) ? field.type.ofType : field.type
    if (name === 'node') operations.set(name, {kind: 'node', model: ''})
    else if (named.endsWith('Connection') && index.models.has(named.slice(0, -'Connection'.length))) {
      operations.set(name, {kind: 'connection', model: named.slice(0, -'Connection'.length)})
    } else if (isListType(type)) operations.set(name, {kind: 'list', model: named})
    else operations.set(name, {kind: 'single', model: named})
  }
  for (const [name, field] of Object.entries(schema.getMutationType()?.getFields() ?? {})) {
    const named = getNamedType(field.type).name
    if (named === 'BatchPayload') {
      const where = field.args.find((a) => a.name === 'where')
      const model = where ? getNamedType(where.type).name.replace(/WhereInput$/, '') : ''
      operations.set(name, {kind: name.startsWith('update') ? 'updateMany' : 'deleteMany', model})
    } else {
      const kind = (['create', 'update', 'upsert', 'delete'] as const).find((k) => name.startsWith(k))
      if (kind) operations.set(name, {kind, model: named})
    }
  }
  return {schema, index, operations}
}

const SCALAR_FILTERS = ['not', 'in', 'not_in', 'lt', 'lte', 'gt', 'gte', 'contains', 'not_contains', 'starts_with', 'not_starts_with', 'ends_with', 'not_ends_with']
const RELATION_FILTERS = ['every', 'some', 'none']

type Filter = {field: DmField; op: string; end?: RelationEnd}
const filterKeys = new WeakMap<ModelInfo, Map<string, Filter>>()

function filtersOf(info: ModelInfo): Map<string, Filter> {
  let map = filterKeys.get(info)
  if (map) return map
  map = new Map()
  for (const field of info.model.fields) {
    if (field.kind === 'relation') {
      const end = info.relationEnds.get(field.name)
      if (!end) continue
      if (field.isList) for (const op of RELATION_FILTERS) map.set(`${field.name}_${op}`, {field, op, end})
      else map.set(field.name, {field, op: 'is', end})
    } else if (!field.isList) {
      map.set(field.name, {field, op: 'eq'})
      for (const op of SCALAR_FILTERS) map.set(`${field.name}_${op}`, {field, op})
    }
  }
  filterKeys.set(info, map)
  return map
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0
  if (a === undefined || a === null) return 1
  if (b === undefined || b === null) return -1
  return (a as number) < (b as number) ? -1 : 1
}

function equal(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null
  if (b === undefined) b = null
  if (a === b) return true
  return typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b)
}

/** Runs the API for one request: ProjectData + SchemaIndex + the clock of the request. */
export class DataOperations {
  private readonly now = new Date().toISOString()

  constructor(
    readonly data: ProjectData,
    readonly index: SchemaIndex,
  ) {}

  // ---- values ----

  /** Brings an input value to the stored form (DateTime as ISO string, Int ids as numbers, Json parsed). */
  input(field: DmField, value: unknown): unknown {
    if (value === null || value === undefined) return value
    if (Array.isArray(value)) return value.map((v) => this.input(field, v))
    switch (field.declaredType) {
      case 'DateTime': {
        // Without a zone the server reads UTC (JavaScript would read local time).
        const text = String(value)
        const date = new Date(/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(text) ? `${text}Z` : text)
        if (Number.isNaN(date.getTime())) throw new ServiceError(`The input value ${text} was not valid for field ${field.name} of type DateTime.`, 3036)
        return date.toISOString()
      }
      case 'Json':
        if (typeof value !== 'string') return value
        try {
          return JSON.parse(value)
        } catch {
          throw new ServiceError(`The value in the field '${field.name}' is not a valid Json: '${value}'`, 3037)
        }
      case 'Int':
        return field.isId ? Number(value) : value
      default:
        return value
    }
  }

  private defaultValue(field: DmField): unknown {
    const d = field.default
    if (!d) return undefined
    switch (d.kind) {
      case 'IntGCValue':
      case 'FloatGCValue':
        return Number(d.value)
      case 'BooleanGCValue':
        return d.value === 'true'
      case 'JsonGCValue':
        return JSON.parse(d.value)
      case 'DateTimeGCValue':
        return new Date(d.value).toISOString()
      default:
        return d.value
    }
  }

  // ---- reading ----

  /** The node a XWhereUniqueInput selects (exactly one key must be given). */
  findUnique(model: string, where: Where): NodeRecord | undefined {
    const info = this.index.model(model)
    const keys = Object.keys(where ?? {}).filter((k) => where[k] !== undefined && where[k] !== null)
    if (keys.length !== 1) throw badWhere(model)
    const field = info.model.fields.find((f) => f.name === keys[0])
    if (!field) throw badWhere(model)
    const id = this.data.findUnique(info, field.name, this.input(field, where[keys[0]]))
    return id === undefined ? undefined : this.data.get(model, id)
  }

  mustFind(model: string, where: Where): NodeRecord {
    const found = this.findUnique(model, where)
    if (found) return found
    const key = Object.keys(where).find((k) => where[k] !== undefined && where[k] !== null) as string
    throw noNode(model, key, where[key])
  }

  related(end: RelationEnd, record: NodeRecord): NodeRecord[] {
    const ids = this.data.linked(end.relation, end.side, this.idOf(end, record))
    const out: NodeRecord[] = []
    for (const other of ids) {
      const r = this.data.get(end.otherModel, other)
      if (r) out.push(r)
    }
    return out
  }

  private idOf(end: RelationEnd, record: NodeRecord): NodeId {
    const model = end.side === 'A' ? end.relation.modelA : end.relation.modelB
    return record[this.index.model(model).idField.name] as NodeId
  }

  matches(model: string, record: NodeRecord, where: Where | null | undefined): boolean {
    if (!where) return true
    const info = this.index.model(model)
    for (const key of Object.keys(where)) {
      const arg = where[key]
      if (arg === undefined) continue
      if (key === 'AND') {
        if (!(arg as Where[]).every((w) => this.matches(model, record, w))) return false
        continue
      }
      if (key === 'OR') {
        const list = arg as Where[]
        if (list.length > 0 && !list.some((w) => this.matches(model, record, w))) return false
        continue
      }
      if (key === 'NOT') {
        if ((arg as Where[]).some((w) => this.matches(model, record, w))) return false
        continue
      }
      const filter = filtersOf(info).get(key)
      if (!filter) continue
      if (filter.end) {
        const others = this.related(filter.end, record)
        const model2 = filter.end.otherModel
        const w = arg as Where | null
        if (filter.op === 'is') {
          if (w === null ? others.length > 0 : !others.some((o) => this.matches(model2, o, w))) return false
        } else if (filter.op === 'some') {
          if (!others.some((o) => this.matches(model2, o, w))) return false
        } else if (filter.op === 'every') {
          if (!others.every((o) => this.matches(model2, o, w))) return false
        } else if (others.some((o) => this.matches(model2, o, w))) return false
        continue
      }
      if (!this.scalarMatches(record[filter.field.name], filter.op, this.input(filter.field, arg))) return false
    }
    return true
  }

  private scalarMatches(value: unknown, op: string, arg: unknown): boolean {
    const v = value === undefined ? null : value
    switch (op) {
      case 'eq':
        return equal(v, arg)
      case 'not':
        return !equal(v, arg)
      case 'in':
        return (arg as unknown[]).some((a) => equal(v, a))
      case 'not_in':
        return !(arg as unknown[]).some((a) => equal(v, a))
      case 'lt':
        return v !== null && arg !== null && compare(v, arg) < 0
      case 'lte':
        return v !== null && arg !== null && compare(v, arg) <= 0
      case 'gt':
        return v !== null && arg !== null && compare(v, arg) > 0
      case 'gte':
        return v !== null && arg !== null && compare(v, arg) >= 0
    }
    if (typeof v !== 'string' || typeof arg !== 'string') return false
    switch (op) {
      case 'contains':
        return v.includes(arg)
      case 'not_contains':
        return !v.includes(arg)
      case 'starts_with':
        return v.startsWith(arg)
      case 'not_starts_with':
        return !v.startsWith(arg)
      case 'ends_with':
        return v.endsWith(arg)
      default:
        return !v.endsWith(arg)
    }
  }

  /** where, orderBy, then after/before/skip/first/last, as the server applies them. */
  list(model: string, args: Args, candidates?: Iterable<NodeRecord>): NodeRecord[] {
    const where = args.where as Where | undefined
    let rows: NodeRecord[] = []
    for (const record of candidates ?? this.data.table(model).values()) if (this.matches(model, record, where)) rows.push(record)
    const orderBy = args.orderBy as string | undefined
    if (orderBy) {
      const cut = orderBy.lastIndexOf('_')
      const field = orderBy.slice(0, cut)
      const sign = orderBy.slice(cut + 1) === 'DESC' ? -1 : 1
      rows.sort((a, b) => sign * compare(a[field], b[field]))
    }
    const idName = this.index.model(model).idField.name
    const position = (id: unknown) => rows.findIndex((r) => String(r[idName]) === String(id))
    if (typeof args.after === 'string') rows = rows.slice(position(args.after) + 1)
    if (typeof args.before === 'string') {
      const at = position(args.before)
      rows = at < 0 ? rows : rows.slice(0, at)
    }
    if (typeof args.first === 'number' && typeof args.last === 'number') {
      throw new ServiceError(
        'Including a value for both first and last is not supported. See the spec for a discussion of why https://facebook.github.io/relay/graphql/connections.htm#sec-Pagination-algorithm',
        3014,
      )
    }
    for (const [name, code] of [['first', 3026], ['last', 3027], ['skip', 3028]] as const) {
      if (typeof args[name] === 'number' && (args[name] as number) < 0) throw new ServiceError(`The '${name}' argument must be non negative`, code)
    }
    if (typeof args.skip === 'number') rows = rows.slice(args.skip)
    if (typeof args.first === 'number') rows = rows.slice(0, args.first)
    if (typeof args.last === 'number') rows = rows.slice(Math.max(0, rows.length - args.last))
    return rows
  }

  connection(model: string, args: Args) {
    const all = this.list(model, {where: args.where})
    const page = this.list(model, args, all)
    const idName = this.index.model(model).idField.name
    const cursors = page.map((r) => String(r[idName]))
    return {
      pageInfo: {
        hasNextPage: page.length > 0 && all.indexOf(page[page.length - 1]) < all.length - 1,
        hasPreviousPage: page.length > 0 && all.indexOf(page[0]) > 0,
        startCursor: cursors[0] ?? null,
        endCursor: cursors[cursors.length - 1] ?? null,
      },
      edges: page.map((node, i) => ({node, cursor: cursors[i]})),
      aggregate: {count: all.length},
    }
  }

  node(id: string): NodeRecord | null {
    // Only models with `id: ID` implement Node.
    for (const info of this.index.models.values()) {
      if (info.idField.name !== 'id' || info.idField.declaredType !== 'ID') continue
      const found = this.data.get(info.model.name, id)
      if (found) return found
    }
    return null
  }

  // ---- writing ----

  private newId(info: ModelInfo): NodeId {
    if (info.idField.declaredType === 'UUID') return randomUUID()
    if (info.idField.declaredType === 'Int') return this.data.nextSequence(info.model.name)
    return newCuid()
  }

  private checkUnique(info: ModelInfo, field: DmField, value: unknown, self: NodeId | undefined): void {
    if (value === null || value === undefined) return
    const holder = this.data.findUnique(info, field.name, value)
    if (holder !== undefined && holder !== self) throw uniqueViolation(info.model.name, field.name)
  }

  /** Creates a node from a XCreateInput (nested writes included); `parent` is linked before nested writes. */
  create(model: string, input: Args, parent?: {end: RelationEnd; record: NodeRecord}): NodeRecord {
    const info = this.index.model(model)
    const record: NodeRecord = {}
    Object.defineProperty(record, MODEL, {value: model, enumerable: false})
    const id = input[info.idField.name] === undefined || input[info.idField.name] === null ? this.newId(info) : this.input(info.idField, input[info.idField.name])
    this.checkUnique(info, info.idField, id, undefined)
    record[info.idField.name] = id
    for (const field of info.scalars) {
      if (field === info.idField) continue
      let value = this.input(field, input[field.name])
      if (value === undefined || value === null) value = field.createdAt || field.updatedAt ? this.now : this.defaultValue(field)
      if ((value === undefined || value === null) && field.isRequired) throw requiredField(model, field.name)
      this.checkUnique(info, field, value, undefined)
      if (value !== undefined && value !== null) record[field.name] = value
    }
    for (const field of info.lists) {
      const set = (input[field.name] as {set?: unknown[]} | undefined)?.set
      if (set) record[field.name] = this.input(field, set)
    }
    this.data.insert(info, record)
    if (parent) this.connectEnds(parent.end, record, parent.record)
    for (const [name, end] of info.relationEnds) {
      const nested = input[name] as Args | undefined | null
      if (nested) this.nestedCreate(end, record, nested)
    }
    return record
  }

  /** Links `record` (on the side of `end`) with `other`. */
  private connectEnds(end: RelationEnd, record: NodeRecord, other: NodeRecord): void {
    const mine = this.idOf(end, record)
    const theirs = other[this.index.model(end.otherModel).idField.name] as NodeId
    // Linking replaces the partner of a to-one side; refused when the node left behind requires a partner.
    const refused = () => requiredRelation(end.relation.name, end.relation.modelA, end.relation.modelB)
    if (!end.field.isList && end.otherField?.isRequired && !end.otherField.isList) {
      for (const old of this.data.linked(end.relation, end.side, mine)) if (old !== theirs) throw refused()
    }
    if (end.otherField && !end.otherField.isList && end.field.isRequired && !end.field.isList) {
      for (const old of this.data.linked(end.relation, end.side === 'A' ? 'B' : 'A', theirs)) if (old !== mine) throw refused()
    }
    if (end.side === 'A') this.data.link(end.relation, mine, theirs)
    else this.data.link(end.relation, theirs, mine)
  }

  private disconnectEnds(end: RelationEnd, record: NodeRecord, other: NodeRecord): void {
    if ((end.otherField?.isRequired && !end.otherField.isList) || (end.field.isRequired && !end.field.isList)) {
      throw requiredRelation(end.relation.name, end.relation.modelA, end.relation.modelB)
    }
    const mine = this.idOf(end, record)
    const theirs = other[this.index.model(end.otherModel).idField.name] as NodeId
    if (end.side === 'A') this.data.unlink(end.relation, mine, theirs)
    else this.data.unlink(end.relation, theirs, mine)
  }

  private backEnd(end: RelationEnd): RelationEnd {
    const back = end.otherField ? this.index.model(end.otherModel).relationEnds.get(end.otherField.name) : undefined
    // A one-sided relation: a synthetic end seen from the other model.
    return (
      back ?? {
        relation: end.relation,
        side: end.side === 'A' ? 'B' : 'A',
        field: {...end.field, isList: true, isRequired: false},
        otherModel: end.side === 'A' ? end.relation.modelA : end.relation.modelB,
        otherField: end.field,
      }
    )
  }

  private createRelated(end: RelationEnd, record: NodeRecord, data: Args): NodeRecord {
    return this.create(end.otherModel, data, {end: this.backEnd(end), record})
  }

  private nestedCreate(end: RelationEnd, record: NodeRecord, nested: Args): void {
    const many = end.field.isList
    const creates = many ? ((nested.create as Args[] | undefined) ?? []) : nested.create ? [nested.create as Args] : []
    const connects = many ? ((nested.connect as Where[] | undefined) ?? []) : nested.connect ? [nested.connect as Where] : []
    for (const data of creates) this.createRelated(end, record, data)
    for (const where of connects) this.connectEnds(end, record, this.mustFind(end.otherModel, where))
  }

  /** The node `where` selects among those linked to `record` through `end` (3041 when it is not linked). */
  private relatedUnique(end: RelationEnd, record: NodeRecord, where: Where): NodeRecord {
    const other = this.mustFind(end.otherModel, where)
    if (this.related(end, record).includes(other)) return other
    const key = Object.keys(where).find((k) => where[k] !== undefined && where[k] !== null) as string
    throw notConnected(end, this.index.model(this.modelOf(record)), record, `with the value '${String(where[key])}' for the field '${key}'`)
  }

  private modelOf(record: NodeRecord): string {
    return (record as {[MODEL]?: string})[MODEL] ?? ''
  }

  /** Applies a XUpdateInput to a stored node. */
  update(model: string, record: NodeRecord, input: Args): NodeRecord {
    const info = this.index.model(model)
    const id = record[info.idField.name] as NodeId
    for (const field of info.scalars) {
      if (field.updatedAt) this.data.set(info, record, field.name, this.now)
      if (!(field.name in input) || field === info.idField) continue
      const value = this.input(field, input[field.name])
      if ((value === null || value === undefined) && field.isRequired) throw requiredField(model, field.name)
      this.checkUnique(info, field, value, id)
      this.data.set(info, record, field.name, value === null ? undefined : value)
    }
    for (const field of info.lists) {
      const set = (input[field.name] as {set?: unknown[] | null} | undefined)?.set
      if (set !== undefined) this.data.set(info, record, field.name, set === null ? undefined : this.input(field, set))
    }
    for (const [name, end] of info.relationEnds) {
      const nested = input[name] as Args | undefined | null
      if (nested) this.nestedUpdate(end, record, nested)
    }
    return record
  }

  private nestedUpdate(end: RelationEnd, record: NodeRecord, nested: Args): void {
    const other = end.otherModel
    if (!end.field.isList) {
      const current = this.related(end, record)[0]
      if (nested.create) this.createRelated(end, record, nested.create as Args)
      if (nested.connect) this.connectEnds(end, record, this.mustFind(other, nested.connect as Where))
      if (nested.disconnect === true && current) this.disconnectEnds(end, record, current)
      if (nested.delete === true && current) this.deleteNode(other, current)
      if (nested.update) {
        if (!current) throw notConnected(end, this.index.model(this.modelOf(record)), record, 'on your mutation path.')
        this.update(other, current, nested.update as Args)
      }
      if (nested.upsert) {
        const upsert = nested.upsert as {create: Args; update: Args}
        if (current) this.update(other, current, upsert.update)
        else this.createRelated(end, record, upsert.create)
      }
      return
    }
    const list = <T>(key: string) => (nested[key] as T[] | undefined | null) ?? []
    for (const data of list<Args>('create')) this.createRelated(end, record, data)
    for (const where of list<Where>('connect')) this.connectEnds(end, record, this.mustFind(other, where))
    if (nested.set) {
      for (const current of this.related(end, record)) this.disconnectEnds(end, record, current)
      for (const where of list<Where>('set')) this.connectEnds(end, record, this.mustFind(other, where))
    }
    for (const where of list<Where>('disconnect')) this.disconnectEnds(end, record, this.relatedUnique(end, record, where))
    for (const where of list<Where>('delete')) this.deleteNode(other, this.relatedUnique(end, record, where))
    for (const item of list<{where: Where; data: Args}>('update')) this.update(other, this.relatedUnique(end, record, item.where), item.data)
    for (const item of list<{where: Where; create: Args; update: Args}>('upsert')) {
      const found = this.findUnique(other, item.where)
      if (found && this.related(end, record).includes(found)) this.update(other, found, item.update)
      else this.createRelated(end, record, item.create)
    }
    for (const where of list<Where>('deleteMany')) for (const r of this.list(other, {where}, this.related(end, record))) this.deleteNode(other, r)
    for (const item of list<{where: Where; data: Args}>('updateMany')) {
      for (const r of this.list(other, {where: item.where}, this.related(end, record))) this.update(other, r, item.data)
    }
  }

  /** Deletes a node; refused while another node requires it through a required to-one field. */
  deleteNode(model: string, record: NodeRecord): void {
    const info = this.index.model(model)
    for (const end of info.relationEnds.values()) {
      if (end.otherField?.isRequired && !end.otherField.isList && this.related(end, record).length > 0) {
        throw requiredRelation(end.relation.name, end.relation.modelA, end.relation.modelB)
      }
    }
    this.data.remove(this.index, info, record[info.idField.name] as NodeId)
  }
}

export interface RequestContext {
  ops: DataOperations
  service: ServiceSchema
}

/** Root fields go to the operations; fields of stored nodes read the record or follow a relation. */
export const fieldResolver: GraphQLFieldResolver<unknown, RequestContext> = (source, args, ctx, info) => {
  const {ops, service} = ctx
  if (info.parentType === service.schema.getQueryType() || info.parentType === service.schema.getMutationType()) {
    const operation = service.operations.get(info.fieldName)
    if (!operation) return null
    return runOperation(ops, operation.kind, operation.model, args)
  }
  const record = source as NodeRecord & {[MODEL]?: string}
  const model = record?.[MODEL]
  if (model) {
    const modelInfo = ops.index.model(model)
    const end = modelInfo.relationEnds.get(info.fieldName)
    if (end) {
      const related = ops.related(end, record)
      return end.field.isList ? ops.list(end.otherModel, args, related) : (related[0] ?? null)
    }
    const value = record[info.fieldName]
    if (value === undefined) return modelInfo.lists.some((f) => f.name === info.fieldName) ? [] : null
    return value
  }
  return (source as Record<string, unknown> | null)?.[info.fieldName]
}

export const typeResolver: GraphQLTypeResolver<unknown, RequestContext> = (value) => (value as {[MODEL]?: string})[MODEL]

function runOperation(ops: DataOperations, kind: OperationKind, model: string, args: Args): unknown {
  switch (kind) {
    case 'node':
      return ops.node(String(args.id))
    case 'single':
      return ops.findUnique(model, args.where as Where) ?? null
    case 'list':
      return ops.list(model, args)
    case 'connection':
      return ops.connection(model, args)
  }
  return ops.data.transaction(() => {
    switch (kind) {
      case 'create':
        return ops.create(model, args.data as Args)
      case 'update':
        return ops.update(model, ops.mustFind(model, args.where as Where), args.data as Args)
      case 'upsert': {
        const found = ops.findUnique(model, args.where as Where)
        return found ? ops.update(model, found, args.update as Args) : ops.create(model, args.create as Args)
      }
      case 'delete': {
        const record = ops.mustFind(model, args.where as Where)
        ops.deleteNode(model, record)
        return record
      }
      case 'updateMany': {
        const rows = ops.list(model, {where: args.where})
        for (const record of rows) ops.update(model, record, args.data as Args)
        return {count: rows.length}
      }
      default: {
        const rows = ops.list(model, {where: args.where})
        for (const record of rows) ops.deleteNode(model, record)
        return {count: rows.length}
      }
    }
  })
}
