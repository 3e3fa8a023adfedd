/**
 * Prisma ORM 7 schemas for a Prisma 1 layout: `schema.prisma`, which maps onto the database exactly as the server
 * left it, and `schema.upgraded.prisma`, the schema of the same database after upgrade.sql. Pure: layout in, text out.
 */
import type {ColumnLayout, Layout, ListLayout, ModelLayout, RelationLayout, RelationSide} from './layout.js'
import {sortsBefore} from './layout.js'

export type SchemaStage = 'current' | 'upgraded'

export interface SchemaOptions {
  stage: SchemaStage
  /** Lines of the header comment (service, stage, datamodel version, source). */
  header: string[]
}

/** A construct the schema could not express as the original: its place and why (for --json and the report). */
export interface SchemaNote {
  model: string
  field?: string
  note: string
}

export interface RenderedSchema {
  text: string
  notes: SchemaNote[]
}

interface Line {
  text: string
  comment?: string
}

interface ModelOut {
  name: string
  /** Fields in order; each field keyed by its name for collision checks. */
  fields: Array<Line & {name: string}>
  blockAttributes: string[]
  comments: string[]
}

/** Relation-table relations that become inline foreign keys with upgrade.sql (1-1 and 1-n kept in tables). */
export function movesInline(relation: RelationLayout): boolean {
  return relation.storage.kind === 'table' && (!relation.a.list || !relation.b.list)
}

/** Whether Prisma ORM can read a relation table as its implicit many-to-many (two columns A, B in its own order). */
export function implicitManyToMany(relation: RelationLayout, stage: SchemaStage): boolean {
  if (relation.storage.kind !== 'table') return false
  if (stage === 'upgraded' && movesInline(relation)) return false
  // upgrade.sql drops the 1.0 `id` column; A/B are never swapped, so a table in the other order stays a model
  if (stage === 'current' && relation.storage.idColumn) return false
  return relation.self || sortsBefore(relation.a.model, relation.b.model)
}

export function renderSchema(layout: Layout, o: SchemaOptions): RenderedSchema {
  const r = new SchemaRenderer(layout, o.stage)
  return r.render(o.header)
}

class SchemaRenderer {
  readonly notes: SchemaNote[] = []
  readonly out = new Map<string, ModelOut>()
  readonly extraModels: ModelOut[] = []
  readonly usedModelNames: Set<string>

  constructor(
    readonly layout: Layout,
    readonly stage: SchemaStage,
  ) {
    this.usedModelNames = new Set(layout.models.map((model) => model.name))
  }

  get postgres(): boolean {
    return this.layout.connector === 'postgres'
  }

  model(name: string): ModelLayout {
    return this.layout.models.find((model) => model.name === name)!
  }

  note(model: string, field: string | undefined, note: string): string {
    this.notes.push({field, model, note})
    return note
  }

  render(header: string[]): RenderedSchema {
    for (const model of this.layout.models) this.out.set(model.name, {blockAttributes: [], comments: [], fields: [], name: model.name})
    // fields in datamodel order: placeholders first, filled by the scalar, list and relation passes
    const slots = new Map<string, Map<string, Array<Line & {name: string}>>>()
    for (const model of this.layout.models) {
      const bySlot = new Map<string, Array<Line & {name: string}>>()
      for (const name of model.fieldOrder) bySlot.set(name, [])
      slots.set(model.name, bySlot)
    }
    const put = (model: string, slot: string | undefined, line: Line & {name: string}) => {
      const bySlot = slots.get(model)!
      if (slot !== undefined && bySlot.has(slot)) bySlot.get(slot)!.push(line)
      else {
        const key = `+${line.name}`
        bySlot.set(key, [line])
      }
    }

    for (const model of this.layout.models) {
      put(model.name, model.id.field, this.idLine(model))
      for (const column of model.columns) put(model.name, column.field, this.columnLine(model, column))
    }
    for (const list of this.layout.lists) this.listField(list, put)
    for (const relation of this.layout.relations) this.relation(relation, put)

    for (const model of this.layout.models) {
      const target = this.out.get(model.name)!
      for (const lines of slots.get(model.name)!.values()) target.fields.push(...lines)
      if (model.table !== model.name) target.blockAttributes.push(`@@map(${quote(model.table)})`)
    }

    const parts: string[] = [...header.map((line) => (line === '' ? '//' : `// ${line}`)), '']
    parts.push('generator client {', '  provider = "prisma-client"', '  output   = "./generated/client"', '}', '')
    parts.push('datasource db {', `  provider = "${this.postgres ? 'postgresql' : 'mysql'}"`, '}', '')
    if (this.stage === 'upgraded') {
      for (const item of this.layout.enums) {
        parts.push(`enum ${item.name} {`, ...item.values.map((value) => `  ${value}`), '}', '')
      }
    }
    for (const model of [...this.layout.models.map((item) => this.out.get(item.name)!), ...this.extraModels]) {
      parts.push(...renderModel(model), '')
    }
    return {notes: this.notes, text: `${parts.join('\n').trimEnd()}\n`}
  }

  idLine(model: ModelLayout): Line & {name: string} {
    const id = model.id
    const attributes = ['@id']
    let type = 'String'
    if (id.type === 'Int') {
      type = 'Int'
      if (id.strategy !== 'NONE') attributes.push('@default(autoincrement())')
    } else if (id.type === 'UUID') {
      if (id.strategy !== 'NONE') attributes.push('@default(uuid())')
      attributes.push('@db.Uuid')
    } else {
      if (id.strategy !== 'NONE') attributes.push('@default(cuid())')
      attributes.push(this.cuidType())
    }
    if (id.column !== id.field) attributes.push(`@map(${quote(id.column)})`)
    const comment = id.hidden ? this.note(model.name, id.field, 'not in the datamodel: the Prisma 1 server added this id column to every type') : undefined
    return {comment, name: id.field, text: `${id.field} ${type} ${attributes.join(' ')}`}
  }

  cuidType(): string {
    const length = this.stage === 'upgraded' ? 30 : 25
    return this.postgres ? `@db.VarChar(${length})` : `@db.Char(${length})`
  }

  /** The Prisma type and native type of a foreign key to `model`'s id. */
  keyType(model: string): {type: string; native: string} {
    const id = this.model(model).id
    if (id.type === 'Int') return {native: '', type: 'Int'}
    if (id.type === 'UUID') return {native: ' @db.Uuid', type: 'String'}
    return {native: ` ${this.cuidType()}`, type: 'String'}
  }

  scalarType(column: {type: ColumnLayout['type']; enumName?: string}): {type: string; native: string} {
    const upgraded = this.stage === 'upgraded'
    switch (column.type) {
      case 'String':
        return {native: this.postgres ? '' : ' @db.MediumText', type: 'String'}
      case 'Json':
        return upgraded ? {native: '', type: 'Json'} : {native: this.postgres ? '' : ' @db.MediumText', type: 'String'}
      case 'Int':
        return {native: '', type: 'Int'}
      case 'Float':
        return {native: ' @db.Decimal(65, 30)', type: 'Decimal'}
      case 'Boolean':
        return {native: '', type: 'Boolean'}
      case 'DateTime':
        return {native: '', type: 'DateTime'}
      case 'ID':
        return {native: ` ${this.cuidType()}`, type: 'String'}
      case 'UUID':
        return {native: ' @db.Uuid', type: 'String'}
      case 'enum':
        return upgraded ? {native: '', type: column.enumName!} : {native: this.postgres ? '' : ' @db.VarChar(191)', type: 'String'}
    }
  }

  columnLine(model: ModelLayout, column: ColumnLayout): Line & {name: string} {
    const {type, native} = this.scalarType(column)
    const attributes: string[] = []
    const comments: string[] = []
    if (column.unique) {
      attributes.push(!this.postgres && (column.type === 'String' || (column.type === 'Json' && this.stage === 'current')) ? '@unique(length: 191)' : '@unique')
    }
    if (column.createdAt) attributes.push('@default(now())')
    else if (column.updatedAt) attributes.push('@updatedAt')
    else if (column.default !== undefined) {
      const value = defaultLiteral(column, this.stage)
      if (value === undefined) comments.push(`Prisma 1 default ${JSON.stringify(column.default.value)} cannot be written as a Prisma ORM default`)
      else attributes.push(`@default(${value})`)
    }
    if (column.column !== column.field) attributes.push(`@map(${quote(column.column)})`)
    if (column.type === 'enum' && this.stage === 'current') {
      const values = this.layout.enums.find((item) => item.name === column.enumName)?.values ?? []
      comments.push(`enum ${column.enumName}: ${values.join(' | ')} (stored as text)`)
    }
    if (column.type === 'Json' && this.stage === 'current') comments.push('Json, stored as text')
    if (column.type === 'Float') comments.push('Float in Prisma 1: decimal(65,30) in the database')
    if (column.hidden) comments.push('not in the datamodel: a column the Prisma 1 server (datamodel 1.0) added to every type')
    const comment = comments.length > 0 ? this.note(model.name, column.field, comments.join('; ')) : undefined
    const optional = column.required ? '' : '?'
    return {comment, name: column.field, text: `${column.field} ${type}${optional}${[native, ...attributes.map((item) => ` ${item}`)].join('')}`}
  }

  listField(list: ListLayout, put: (model: string, slot: string | undefined, line: Line & {name: string}) => void): void {
    const model = this.model(list.model)
    if (this.stage === 'upgraded' && this.postgres) {
      const {type, native} = this.scalarType(list)
      const map = list.column === list.field ? '' : ` @map(${quote(list.column)})`
      put(list.model, list.field, {name: list.field, text: `${list.field} ${type}[]${native}${map}`})
      return
    }
    const name = this.freshModelName(`${list.model}_${list.field}`)
    const key = this.keyType(list.model)
    const value = this.scalarType(list.type === 'String' || list.type === 'Json' ? {type: list.type} : list)
    const onDelete = this.postgres ? 'NoAction' : 'Cascade'
    const listModel: ModelOut = {
      blockAttributes: ['@@id([nodeId, position])', ...(list.table === name ? [] : [`@@map(${quote(list.table)})`])],
      comments: [`The scalar list ${list.model}.${list.field}: one row per element, in the order of position.`],
      fields: [
        {name: 'nodeId', text: `nodeId ${key.type}${key.native}`},
        {name: 'position', text: 'position Int'},
        {name: 'value', text: `value ${value.type}${value.native}`},
        {name: 'node', text: `node ${list.model} @relation(fields: [nodeId], references: [${model.id.field}], onDelete: ${onDelete}, onUpdate: NoAction)`},
      ],
      name,
    }
    this.extraModels.push(listModel)
    const comment = this.note(list.model, list.field, `scalar list kept in table ${list.table}: read the values through ${name} ordered by position`)
    put(list.model, list.field, {comment, name: list.field, text: `${list.field} ${name}[]`})
  }

  freshModelName(base: string): string {
    let name = base
    for (let index = 2; this.usedModelNames.has(name); index++) name = `${base}${index}`
    this.usedModelNames.add(name)
    return name
  }

  freshFieldName(model: string, base: string, taken: Set<string>): string {
    const existing = new Set([...this.model(model).fieldOrder, ...taken])
    let name = base
    for (let index = 2; existing.has(name); index++) name = `${base}${index}`
    taken.add(name)
    return name
  }

  /** Names added to a model (foreign keys, back fields) so far, per model. */
  readonly added = new Map<string, Set<string>>()
  addedIn(model: string): Set<string> {
    let set = this.added.get(model)
    if (!set) {
      set = new Set()
      this.added.set(model, set)
    }
    return set
  }

  relation(relation: RelationLayout, put: (model: string, slot: string | undefined, line: Line & {name: string}) => void): void {
    const storage = relation.storage
    const inline = storage.kind === 'inline' ? storage : this.stage === 'upgraded' && movesInline(relation) ? upgradedInline(relation) : undefined
    if (inline) {
      const holder = inline.holder === 'A' ? relation.a : relation.b
      const other = inline.holder === 'A' ? relation.b : relation.a
      this.inlineRelation(relation, holder, other, inline.column, put)
    } else if (implicitManyToMany(relation, this.stage)) {
      this.implicitRelation(relation, put)
    } else {
      this.joinModelRelation(relation, put)
    }
  }

  inlineRelation(
    relation: RelationLayout,
    holder: RelationSide,
    other: RelationSide,
    column: string,
    put: (model: string, slot: string | undefined, line: Line & {name: string}) => void,
  ): void {
    const holderField = holder.field!
    const key = this.keyType(other.model)
    const oneToOne = other.field !== undefined && !other.list
    const keyName = this.freshFieldName(holder.model, `${holderField}Id`, this.addedIn(holder.model))
    const target = this.model(other.model)
    const unique = oneToOne ? ' @unique' : ''
    const keyComment = oneToOne
      ? this.note(holder.model, keyName, this.stage === 'current' ? 'unique for the 1-1 relation; the database has no unique index on it until upgrade.sql' : 'unique for the 1-1 relation')
      : undefined
    const holderNotes = [
      ...(holder.required && this.stage === 'current' ? ['required in Prisma 1; optional here because the column is nullable (Prisma 1 links after inserting)'] : []),
      ...cascadeNotes(relation),
    ]
    put(holder.model, holderField, {
      comment: holderNotes.length > 0 ? this.note(holder.model, holderField, holderNotes.join('; ')) : undefined,
      name: holderField,
      text: `${holderField} ${other.model}? @relation(${quote(relation.name)}, fields: [${keyName}], references: [${target.id.field}], onDelete: SetNull, onUpdate: NoAction)`,
    })
    put(holder.model, holderField, {comment: keyComment, name: keyName, text: `${keyName} ${key.type}?${key.native}${unique} @map(${quote(column)})`})
    if (other.field !== undefined) {
      put(other.model, other.field, {name: other.field, text: `${other.field} ${holder.model}${other.list ? '[]' : '?'} @relation(${quote(relation.name)})`})
    } else {
      const name = this.freshFieldName(other.model, `${holderField}Of${relation.self ? '' : holder.model}`, this.addedIn(other.model))
      put(other.model, undefined, {
        comment: this.note(other.model, name, `not in the datamodel: the other side of ${holder.model}.${holderField}, which Prisma ORM needs`),
        name,
        text: `${name} ${holder.model}[] @relation(${quote(relation.name)})`,
      })
    }
  }

  implicitRelation(relation: RelationLayout, put: (model: string, slot: string | undefined, line: Line & {name: string}) => void): void {
    for (const [side, other] of [
      [relation.a, relation.b],
      [relation.b, relation.a],
    ] as const) {
      let name = side.field
      let comment: string | undefined
      if (name === undefined) {
        // in a self relation the added field must sort after the existing one: it is side B
        const base = relation.self ? `${other.field}Of` : `${other.field}Of${other.model}`
        name = this.freshFieldName(side.model, base, this.addedIn(side.model))
        comment = this.note(side.model, name, `not in the datamodel: the other side of ${other.model}.${other.field}, which Prisma ORM needs`)
      } else if (!side.list) {
        comment = this.note(
          side.model,
          name,
          `a ${other.list ? '1-n' : '1-1'} relation kept in the relation table _${relation.name}: Prisma ORM reads it as a list (many-to-many) over the unchanged database; upgrade.sql moves it to a foreign key`,
        )
      }
      put(side.model, side.field, {comment, name, text: `${name} ${other.model}[] @relation(${quote(relation.name)})`})
    }
  }

  joinModelRelation(relation: RelationLayout, put: (model: string, slot: string | undefined, line: Line & {name: string}) => void): void {
    const storage = relation.storage as Extract<RelationLayout['storage'], {kind: 'table'}>
    const name = this.freshModelName(`${relation.name}_link`)
    const a = this.model(relation.a.model)
    const b = this.model(relation.b.model)
    const keyA = this.keyType(a.name)
    const keyB = this.keyType(b.name)
    const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)
    const fieldA = relation.self ? `${lower(a.name)}A` : lower(a.name)
    const fieldB = relation.self ? `${lower(b.name)}B` : lower(b.name)
    const idColumn = storage.idColumn && this.stage === 'current'
    const why = idColumn
      ? 'it has the `id` column of datamodel 1.0, which Prisma ORM does not fill'
      : `its column A references ${a.name}, not the model Prisma ORM would put first`
    const fields: ModelOut['fields'] = []
    if (idColumn) fields.push({name: 'id', text: `id String @id @default(cuid()) @db.Char(25)`})
    fields.push(
      {name: 'A', text: `A ${keyA.type}${keyA.native}`},
      {name: 'B', text: `B ${keyB.type}${keyB.native}`},
      {name: fieldA, text: `${fieldA} ${a.name} @relation(${quote(`${relation.name}_A`)}, fields: [A], references: [${a.id.field}], onDelete: Cascade, onUpdate: NoAction)`},
      {name: fieldB, text: `${fieldB} ${b.name} @relation(${quote(`${relation.name}_B`)}, fields: [B], references: [${b.id.field}], onDelete: Cascade, onUpdate: NoAction)`},
    )
    this.extraModels.push({
      blockAttributes: ['@@unique([A, B])', `@@map(${quote(storage.table)})`],
      comments: [`The relation table of ${relation.name} as a model: ${why}.`],
      fields,
      name,
    })
    for (const [side, other, letter] of [
      [relation.a, relation.b, 'A'],
      [relation.b, relation.a, 'B'],
    ] as const) {
      let field = side.field
      let comment: string
      if (field === undefined) {
        const base = relation.self ? `${other.field}Of` : `${other.field}Of${other.model}`
        field = this.freshFieldName(side.model, base, this.addedIn(side.model))
        comment = `not in the datamodel: the other side of ${other.model}.${other.field}, which Prisma ORM needs; the related ${other.model} of each row is in .${letter === 'A' ? fieldB : fieldA}`
      } else {
        comment = `the relation table ${storage.table} read as a model (${why}): the related ${other.model} of each row is in .${letter === 'A' ? fieldB : fieldA}`
      }
      put(side.model, side.field, {comment: this.note(side.model, field, comment), name: field, text: `${field} ${name}[] @relation(${quote(`${relation.name}_${letter}`)})`})
    }
  }
}

/** `@relation(onDelete: CASCADE)` was carried out by the Prisma 1 server, never by the database. */
function cascadeNotes(relation: RelationLayout): string[] {
  return [relation.a, relation.b]
    .filter((side) => side.onDelete === 'CASCADE')
    .map((side) => {
      const other = side === relation.a ? relation.b : relation.a
      return `Prisma 1 deleted the related ${other.model} when a ${side.model} was deleted (onDelete: CASCADE on ${side.model}.${side.field}); the database does not, so delete them in the application`
    })
}

/** After upgrade.sql a 1-1 or 1-n relation table is a column in the table of the single side. */
export function upgradedInline(relation: RelationLayout): {holder: 'A' | 'B'; column: string} {
  // the single side holds the key; a 1-1 puts it on side A (the column named after A's field)
  const holder: 'A' | 'B' = !relation.a.list && relation.a.field !== undefined ? 'A' : 'B'
  const side = holder === 'A' ? relation.a : relation.b
  return {column: side.field!, holder}
}

function defaultLiteral(column: ColumnLayout, stage: SchemaStage): string | undefined {
  const value = column.default!
  switch (column.type) {
    case 'Boolean':
      return String(value.value)
    case 'Int':
    case 'Float':
      return String(value.value)
    case 'DateTime': {
      const date = new Date(String(value.value))
      return Number.isNaN(date.getTime()) ? undefined : quote(date.toISOString())
    }
    case 'enum':
      return stage === 'upgraded' ? String(value.value) : quote(String(value.value))
    default:
      return quote(String(value.value))
  }
}

/** A Prisma schema string literal. */
export function quote(text: string): string {
  return JSON.stringify(text)
}

function renderModel(model: ModelOut): string[] {
  const lines: string[] = [...model.comments.map((comment) => `/// ${comment}`), `model ${model.name} {`]
  const width = Math.max(...model.fields.map((field) => field.text.split(' ')[0].length))
  for (const field of model.fields) {
    const [name, ...rest] = field.text.split(' ')
    const text = `  ${name.padEnd(width)} ${rest.join(' ')}`
    lines.push(field.comment ? `${text} // ${field.comment}` : text)
  }
  if (model.blockAttributes.length > 0) lines.push('', ...model.blockAttributes.map((attribute) => `  ${attribute}`))
  lines.push('}')
  return lines
}
