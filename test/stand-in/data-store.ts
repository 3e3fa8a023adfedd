/**
 * The data of one service stage on the stand-in: nodes per model (Maps keyed by id, in insertion order), scalar
 * lists inside the node records, and relations as pairs (A id, B id) indexed from both sides, as a 1.34 server keeps
 * them in its tables. A journal makes one mutation atomic: when it fails, its changes are undone.
 */
import type {DmField, DmModel, DmSchema} from './datamodel.js'

export type NodeId = string | number
export type NodeRecord = Record<string, unknown>

/** Every stored record carries its model name under this key (invisible to JSON.stringify). */
export const MODEL = Symbol('model')

export interface RelationInfo {
  name: string
  modelA: string
  modelB: string
  /** The field on model A pointing to B (null for a one-sided relation declared on B). */
  fieldA: DmField | null
  fieldB: DmField | null
}

export interface RelationEnd {
  relation: RelationInfo
  side: 'A' | 'B'
  field: DmField
  otherModel: string
  /** The field pointing back, if the relation has one. */
  otherField: DmField | null
}

export interface ModelInfo {
  model: DmModel
  idField: DmField
  /** Non-relation, non-list fields (enums included), in datamodel order. */
  scalars: DmField[]
  lists: DmField[]
  uniques: DmField[]
  relationEnds: Map<string, RelationEnd>
}

/** What the data layer needs to know about a deployed schema, computed once per schema. */
export class SchemaIndex {
  readonly models = new Map<string, ModelInfo>()
  readonly relations: RelationInfo[] = []

  constructor(readonly schema: DmSchema) {
    for (const model of schema.models) {
      const idField = model.fields.find((f) => f.isId) ?? model.fields[0]
      this.models.set(model.name, {
        model,
        idField,
        scalars: model.fields.filter((f) => f.kind !== 'relation' && !f.isList),
        lists: model.fields.filter((f) => f.kind !== 'relation' && f.isList),
        uniques: model.fields.filter((f) => f.kind !== 'relation' && f.isUnique && !f.isId),
        relationEnds: new Map(),
      })
    }
    for (const relation of schema.relations) {
      const fields: Array<{model: string; field: DmField}> = []
      for (const model of schema.models) for (const field of model.fields) if (field.relation === relation.name) fields.push({model: model.name, field})
      let fieldA: DmField | null = null
      let fieldB: DmField | null = null
      if (relation.modelA === relation.modelB) {
        // A self relation: the fields in name order take sides A and B.
        const sorted = fields.map((f) => f.field).sort((x, y) => x.name.localeCompare(y.name))
        fieldA = sorted[0] ?? null
        fieldB = sorted[1] ?? null
      } else {
        fieldA = fields.find((f) => f.model === relation.modelA)?.field ?? null
        fieldB = fields.find((f) => f.model === relation.modelB)?.field ?? null
      }
      const info: RelationInfo = {name: relation.name, modelA: relation.modelA, modelB: relation.modelB, fieldA, fieldB}
      this.relations.push(info)
      if (fieldA) this.models.get(relation.modelA)?.relationEnds.set(fieldA.name, {relation: info, side: 'A', field: fieldA, otherModel: relation.modelB, otherField: fieldB})
      if (fieldB) this.models.get(relation.modelB)?.relationEnds.set(fieldB.name, {relation: info, side: 'B', field: fieldB, otherModel: relation.modelA, otherField: fieldA})
    }
  }

  model(name: string): ModelInfo {
    const info = this.models.get(name)
    if (!info) throw new Error(`No model with name: ${name} found.`)
    return info
  }
}

const indexes = new WeakMap<DmSchema, SchemaIndex>()

export function schemaIndex(schema: DmSchema): SchemaIndex {
  let index = indexes.get(schema)
  if (!index) {
    index = new SchemaIndex(schema)
    indexes.set(schema, index)
  }
  return index
}

interface LinkTable {
  /** A id -> B ids */
  a: Map<NodeId, Set<NodeId>>
  /** B id -> A ids */
  b: Map<NodeId, Set<NodeId>>
}

function addTo(map: Map<NodeId, Set<NodeId>>, key: NodeId, value: NodeId): void {
  const set = map.get(key)
  if (set) set.add(value)
  else map.set(key, new Set([value]))
}

function removeFrom(map: Map<NodeId, Set<NodeId>>, key: NodeId, value: NodeId): void {
  const set = map.get(key)
  if (!set) return
  set.delete(value)
  if (set.size === 0) map.delete(key)
}

export class ProjectData {
  /** model -> id -> record */
  private readonly nodes = new Map<string, Map<NodeId, NodeRecord>>()
  private readonly links = new Map<string, LinkTable>()
  /** model -> unique field -> value -> id */
  private readonly uniques = new Map<string, Map<string, Map<unknown, NodeId>>>()
  /** model -> highest Int id stored */
  private readonly sequences = new Map<string, number>()
  private journal: Array<() => void> | null = null

  /** Runs `work` atomically: if it throws, every change it made is undone. */
  transaction<T>(work: () => T): T {
    if (this.journal) return work()
    this.journal = []
    try {
      const result = work()
      this.journal = null
      return result
    } catch (error) {
      const undo = this.journal ?? []
      this.journal = null
      for (let i = undo.length - 1; i >= 0; i--) undo[i]()
      throw error
    }
  }

  reset(): void {
    this.nodes.clear()
    this.links.clear()
    this.uniques.clear()
    this.sequences.clear()
  }

  /** After a migration: keeps the rows of models and fields that still exist (following `@rename`), and the
   * relation rows whose relation and both nodes still exist; the rest is dropped, as the server's tables are. */
  adapt(before: SchemaIndex, after: SchemaIndex): void {
    const nodes = new Map(this.nodes)
    const links = new Map(this.links)
    this.reset()
    for (const info of after.models.values()) {
      const source = before.models.get(info.model.oldName ?? info.model.name) ?? before.models.get(info.model.name)
      const rows = source && nodes.get(source.model.name)
      if (!source || !rows) continue
      const fields = [...info.scalars, ...info.lists].map((f) => {
        const renamed = f.oldName && source.model.fields.some((g) => g.name === f.oldName)
        return [f.name, renamed ? (f.oldName as string) : f.name] as const
      })
      for (const old of rows.values()) {
        const record: NodeRecord = {}
        Object.defineProperty(record, MODEL, {value: info.model.name, enumerable: false})
        for (const [name, from] of fields) if (old[from] !== undefined) record[name] = old[from]
        this.insert(info, record)
      }
    }
    for (const relation of after.relations) {
      const table = links.get(relation.name)
      const previous = before.relations.find((r) => r.name === relation.name)
      if (!table || !previous) continue
      // A renamed model can swap the sides A and B.
      const renamedFrom = after.models.get(relation.modelA)?.model.oldName
      const swapped = previous.modelA !== (renamedFrom && before.models.has(renamedFrom) ? renamedFrom : relation.modelA)
      for (const [a, bs] of table.a) {
        for (const b of bs) {
          const [x, y] = swapped ? [b, a] : [a, b]
          if (this.get(relation.modelA, x) && this.get(relation.modelB, y)) this.link(relation, x, y)
        }
      }
    }
  }

  /** The next Int id of a model (ids of Int type count up like a database sequence). */
  nextSequence(model: string): number {
    return (this.sequences.get(model) ?? 0) + 1
  }

  table(model: string): Map<NodeId, NodeRecord> {
    let table = this.nodes.get(model)
    if (!table) {
      table = new Map()
      this.nodes.set(model, table)
    }
    return table
  }

  count(model: string): number {
    return this.nodes.get(model)?.size ?? 0
  }

  get(model: string, id: NodeId): NodeRecord | undefined {
    return this.nodes.get(model)?.get(id)
  }

  private uniqueIndex(model: string, field: string): Map<unknown, NodeId> {
    let byField = this.uniques.get(model)
    if (!byField) {
      byField = new Map()
      this.uniques.set(model, byField)
    }
    let index = byField.get(field)
    if (!index) {
      index = new Map()
      byField.set(field, index)
    }
    return index
  }

  /** The id holding `value` in the unique field, if any. */
  findUnique(info: ModelInfo, field: string, value: unknown): NodeId | undefined {
    if (field === info.idField.name) return this.get(info.model.name, value as NodeId) ? (value as NodeId) : undefined
    return this.uniqueIndex(info.model.name, field).get(value)
  }

  insert(info: ModelInfo, record: NodeRecord): void {
    const model = info.model.name
    const id = record[info.idField.name] as NodeId
    this.table(model).set(id, record)
    if (typeof id === 'number' && id > (this.sequences.get(model) ?? 0)) this.sequences.set(model, id)
    for (const field of info.uniques) {
      const value = record[field.name]
      if (value !== undefined && value !== null) this.uniqueIndex(model, field.name).set(value, id)
    }
    this.journal?.push(() => this.removeRecord(info, id))
  }

  /** Sets one field of a stored record, keeping the unique index. */
  set(info: ModelInfo, record: NodeRecord, field: string, value: unknown): void {
    const old = record[field]
    if (old === value) return
    const id = record[info.idField.name] as NodeId
    if (info.uniques.some((f) => f.name === field)) {
      const index = this.uniqueIndex(info.model.name, field)
      if (old !== undefined && old !== null) index.delete(old)
      if (value !== undefined && value !== null) index.set(value, id)
    }
    if (value === undefined) delete record[field]
    else record[field] = value
    this.journal?.push(() => this.set(info, record, field, old))
  }

  /** Removes a node and every relation row it takes part in. */
  remove(index: SchemaIndex, info: ModelInfo, id: NodeId): void {
    for (const relation of index.relations) {
      if (relation.modelA === info.model.name) for (const other of [...this.linked(relation, 'A', id)]) this.unlink(relation, id, other)
      if (relation.modelB === info.model.name) for (const other of [...this.linked(relation, 'B', id)]) this.unlink(relation, other, id)
    }
    const record = this.get(info.model.name, id)
    if (!record) return
    this.removeRecord(info, id)
    this.journal?.push(() => this.insert(info, record))
  }

  private removeRecord(info: ModelInfo, id: NodeId): void {
    const record = this.nodes.get(info.model.name)?.get(id)
    if (!record) return
    this.nodes.get(info.model.name)?.delete(id)
    for (const field of info.uniques) {
      const value = record[field.name]
      if (value !== undefined && value !== null) this.uniqueIndex(info.model.name, field.name).delete(value)
    }
  }

  private linkTable(relation: string): LinkTable {
    let table = this.links.get(relation)
    if (!table) {
      table = {a: new Map(), b: new Map()}
      this.links.set(relation, table)
    }
    return table
  }

  /** Ids on the other side linked to `id` on `side`. */
  linked(relation: RelationInfo, side: 'A' | 'B', id: NodeId): ReadonlySet<NodeId> {
    const table = this.links.get(relation.name)
    return (side === 'A' ? table?.a.get(id) : table?.b.get(id)) ?? new Set()
  }

  isLinked(relation: RelationInfo, a: NodeId, b: NodeId): boolean {
    return this.links.get(relation.name)?.a.get(a)?.has(b) ?? false
  }

  /** Adds the row (a, b). A side whose field holds one node (not a list) keeps only this link. */
  link(relation: RelationInfo, a: NodeId, b: NodeId): void {
    if (this.isLinked(relation, a, b)) return
    if (relation.fieldA && !relation.fieldA.isList) for (const other of [...this.linked(relation, 'A', a)]) this.unlink(relation, a, other)
    if (relation.fieldB && !relation.fieldB.isList) for (const other of [...this.linked(relation, 'B', b)]) this.unlink(relation, other, b)
    const table = this.linkTable(relation.name)
    addTo(table.a, a, b)
    addTo(table.b, b, a)
    this.journal?.push(() => this.unlink(relation, a, b))
  }

  unlink(relation: RelationInfo, a: NodeId, b: NodeId): void {
    if (!this.isLinked(relation, a, b)) return
    const table = this.linkTable(relation.name)
    removeFrom(table.a, a, b)
    removeFrom(table.b, b, a)
    this.journal?.push(() => this.link(relation, a, b))
  }

  /** All rows (a, b) of a relation, grouped by A id in insertion order. */
  *rows(relation: RelationInfo): Generator<[NodeId, NodeId]> {
    const table = this.links.get(relation.name)
    if (!table) return
    for (const [a, bs] of table.a) for (const b of bs) yield [a, b]
  }

  relationRowCount(relation: RelationInfo): number {
    let count = 0
    for (const bs of this.links.get(relation.name)?.a.values() ?? []) count += bs.size
    return count
  }
}

/** A cuid-like id: 25 characters, `c` + time + counter + random, increasing within this process. */
let counter = 0
const random36 = (length: number) =>
  Math.floor(Math.random() * 36 ** length)
    .toString(36)
    .padStart(length, '0')
export function newCuid(): string {
  counter = (counter + 1) % 36 ** 4
  return `c${Date.now().toString(36).padStart(8, '0')}${counter.toString(36).padStart(4, '0')}${random36(6)}${random36(6)}`
}
