/**
 * Datamodel (SDL, "datamodel 1.1" syntax) parsing and validation as a Prisma 1.34 server on a Postgres connector
 * does it, reduced to what clients can observe: the SchemaError entries of a deploy and the inferred schema that
 * step inference compares.
 */
import {parse, print, Kind, type ConstDirectiveNode, type FieldDefinitionNode, type TypeNode, type ValueNode} from 'graphql'

export const SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'DateTime', 'Json', 'ID', 'UUID', 'Enum', 'GraphQLID'])
const RESERVED_TYPE_NAMES = new Set(['Mutation', 'Query', 'Subscription', 'Node', 'PageInfo', 'BatchPayload'])

export interface SchemaProblem {
  type: string
  field: string | null
  description: string
}

export interface DefaultValue {
  /** GCValue class name, e.g. StringGCValue */
  kind: string
  value: string
}

export interface DmField {
  name: string
  /** The declared type name (String, Post, Role …). */
  declaredType: string
  isRequired: boolean
  isList: boolean
  isUnique: boolean
  isId: boolean
  kind: 'scalar' | 'enum' | 'relation'
  default: DefaultValue | null
  /** The name given with @relation(name:), if any. */
  relationName: string | null
  /** The relation this field belongs to (given or generated name), set once relations are inferred. */
  relation: string | null
  oldName: string | null
  createdAt: boolean
  updatedAt: boolean
  link: 'INLINE' | 'TABLE' | null
  dbName: string | null
}

export interface DmModel {
  name: string
  oldName: string | null
  isEmbedded: boolean
  isRelationTable: boolean
  fields: DmField[]
}

export interface DmEnum {
  name: string
  values: string[]
}

/** `__typename` equals `type`: graphql-js resolves the RelationManifestation interface through it. */
export type Manifestation =
  | {type: 'LinkTable'; __typename: 'LinkTable'; table: string; modelAColumn: string; modelBColumn: string; idColumn: string | null}
  | {type: 'Inline'; __typename: 'Inline'; model: string; column: string}

export interface DmRelation {
  name: string
  modelA: string
  modelB: string
  manifestation: Manifestation
}

export interface DmSchema {
  models: DmModel[]
  enums: DmEnum[]
  relations: DmRelation[]
}

export const EMPTY_SCHEMA: DmSchema = {models: [], enums: [], relations: []}

export class DatamodelSyntaxError extends Error {}

/** "User friendly" type name used in CreateField/UpdateField steps. */
export function friendlyTypeName(field: DmField): string {
  if (field.kind === 'enum') return 'Enum'
  if (field.kind === 'relation') return field.declaredType
  if (field.isId && field.declaredType === 'ID') return 'ID'
  if (field.declaredType === 'GraphQLID') return 'ID'
  return field.declaredType
}

function unwrap(type: TypeNode): {name: string; isRequired: boolean; isList: boolean} {
  let isRequired = false
  let isList = false
  let node = type
  if (node.kind === Kind.NON_NULL_TYPE) {
    isRequired = true
    node = node.type
  }
  if (node.kind === Kind.LIST_TYPE) {
    // As the server: only `T!` is required; list fields never are.
    isRequired = false
    isList = true
    node = node.type
    if (node.kind === Kind.NON_NULL_TYPE) node = node.type
    while (node.kind === Kind.LIST_TYPE || node.kind === Kind.NON_NULL_TYPE) node = node.type
  }
  return {name: (node as {name: {value: string}}).name.value, isRequired, isList}
}

function valueText(value: ValueNode): string {
  switch (value.kind) {
    case Kind.STRING:
    case Kind.ENUM:
    case Kind.INT:
    case Kind.FLOAT:
      return value.value
    case Kind.BOOLEAN:
      return String(value.value)
    case Kind.NULL:
      return 'null'
    default:
      return ''
  }
}

function arg(directive: ConstDirectiveNode | undefined, name: string): ValueNode | undefined {
  return directive?.arguments?.find((a) => a.name.value === name)?.value
}

function directive(node: {directives?: readonly ConstDirectiveNode[]}, name: string): ConstDirectiveNode | undefined {
  return node.directives?.find((d) => d.name.value === name)
}

/** The generated name of an unnamed relation: `<A>To<B>` (A the smaller model name), the longer part shortened
 * character by character until the name fits 54 characters. */
export function generatedRelationName(a: string, b: string): string {
  let [first, second] = [a, b].sort()
  while (`${first}To${second}`.length > 54 && (first.length > 1 || second.length > 1)) {
    if (second.length > first.length) second = second.slice(0, -1)
    else first = first.slice(0, -1)
  }
  return `${first}To${second}`
}

/** A deploy that fails with a management error code while the schema is inferred (4004, 3018). */
export class DeployFailure extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message)
  }
}

/**
 * Parses `types`. Throws DatamodelSyntaxError (the 3017 case) when the text is not a GraphQL document, DeployFailure
 * (4004) when generated relation names clash. Returns either
 * the validation problems or the inferred schema.
 */
export function analyseDatamodel(types: string): {errors: SchemaProblem[]; warnings: SchemaProblem[]; schema: DmSchema} {
  let document
  try {
    document = parse(types, {noLocation: false})
  } catch (error) {
    const e = error as {message: string; locations?: Array<{line: number; column: number}>}
    const where = e.locations?.[0]
    const detail = e.message.replace(/^Syntax Error: /, '')
    const line = where ? types.split('\n')[where.line - 1] ?? '' : ''
    throw new DatamodelSyntaxError(
      `Syntax error while parsing GraphQL query. ${detail}` +
        (where ? ` (line ${where.line}, column ${where.column}):\n${line}\n${' '.repeat(Math.max(0, where.column - 1))}^` : ''),
    )
  }

  const errors: SchemaProblem[] = []
  const warnings: SchemaProblem[] = []
  const problem = (type: string, field: string | null, description: string) => {
    if (!errors.some((e) => e.type === type && e.field === field && e.description === description)) {
      errors.push({type, field, description})
    }
  }

  const objectNodes = document.definitions.filter((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION)
  const enumNodes = document.definitions.filter((d) => d.kind === Kind.ENUM_TYPE_DEFINITION)

  // Enums
  const enums: DmEnum[] = []
  for (const node of enumNodes) {
    const name = node.name.value
    const values = (node.values ?? []).map((v) => v.name.value)
    if (enums.some((e) => e.name === name)) {
      problem(name, null, `The enum type \`${name}\` is defined twice in the schema. Enum names must be unique.`)
      continue
    }
    if (values.some((v) => /^[a-z]/.test(v))) {
      problem(name, null, `The enum type \`${name}\` contains invalid enum values. The first character of each value must be an uppercase letter.`)
    } else {
      const invalid = values.filter((v) => !/^[A-Z][a-zA-Z0-9_]*$/.test(v) || v.length > 191)
      if (invalid.length > 0) {
        problem(name, null, `The enum type \`${name}\` contains invalid enum values. Those are invalid: ${invalid.map((v) => `\`${v}\``).join(', ')}.`)
      }
    }
    enums.push({name, values})
  }
  const enumNames = new Set(enums.map((e) => e.name))

  // Type names
  const seenTypes = new Map<string, number>()
  for (const node of [...objectNodes, ...enumNodes]) {
    const key = node.name.value.toLowerCase()
    seenTypes.set(key, (seenTypes.get(key) ?? 0) + 1)
  }
  const modelNames = new Set(objectNodes.map((n) => n.name.value))
  for (const node of objectNodes) {
    const name = node.name.value
    if ((seenTypes.get(name.toLowerCase()) ?? 0) > 1) {
      problem(name, null, `The name of the type \`${name}\` occurs more than once. The detection of duplicates is performed case insensitive.`)
    }
    if (RESERVED_TYPE_NAMES.has(name)) problem(name, null, `The type \`${name}\` has is using a reserved type name. Please rename it.`)
  }

  // Models and fields
  const models: DmModel[] = []
  for (const node of objectNodes) {
    const modelName = node.name.value
    const isEmbedded = Boolean(directive(node, 'embedded'))
    const isRelationTable = Boolean(directive(node, 'relationTable'))
    if (isEmbedded) problem(modelName, null, `The type \`${modelName}\` is marked as embedded but this connector does not support embedded types.`)
    const typeDirectiveNames = (node.directives ?? []).map((d) => d.name.value)
    if (new Set(typeDirectiveNames).size !== typeDirectiveNames.length) {
      problem(modelName, null, `The type \`${modelName}\` specifies a directive more than once. Directives must appear exactly once on a type.`)
    }
    const renameArg = arg(directive(node, 'rename'), 'oldName')
    const fields: DmField[] = []
    const fieldNames = new Map<string, number>()
    for (const f of node.fields ?? []) fieldNames.set(f.name.value.toLowerCase(), (fieldNames.get(f.name.value.toLowerCase()) ?? 0) + 1)
    if ([...fieldNames.values()].some((n) => n > 1)) {
      problem(modelName, null, `The type \`${modelName}\` has a duplicate fieldName. The detection of duplicates is performed case insensitive. `)
    }
    for (const f of node.fields ?? []) fields.push(readField(modelName, f, modelNames, enumNames, enums, problem))
    const idFields = fields.filter((f) => f.isId)
    if (idFields.length === 0 && !isEmbedded && !isRelationTable) {
      problem(modelName, null, `One field of the type \`${modelName}\` must be marked as the id field with the \`@id\` directive.`)
    }
    models.push({name: modelName, oldName: renameArg ? valueText(renameArg) : null, isEmbedded, isRelationTable, fields})
  }

  const {relations, nameClash} = inferRelations(models, problem)
  // Validation comes first; a clash of generated relation names fails the schema inference after it (4004).
  if (errors.length === 0 && nameClash) throw nameClash

  // createdAt/updatedAt without directives are only warnings on new fields (see steps); nothing here.
  return {errors, warnings, schema: {models, enums, relations}}
}

function readField(
  modelName: string,
  f: FieldDefinitionNode,
  modelNames: Set<string>,
  enumNames: Set<string>,
  enums: DmEnum[],
  problem: (type: string, field: string | null, description: string) => void,
): DmField {
  const name = f.name.value
  const {name: typeName, isRequired, isList} = unwrap(f.type)
  const directiveNames = (f.directives ?? []).map((d) => d.name.value)
  if (new Set(directiveNames).size !== directiveNames.length) {
    problem(modelName, name, `The field \`${name}\` specifies a directive more than once. Directives must appear exactly once on a field.`)
  }
  let kind: DmField['kind'] = 'scalar'
  if (enumNames.has(typeName)) kind = 'enum'
  else if (modelNames.has(typeName)) kind = 'relation'
  else if (!SCALARS.has(typeName)) {
    problem(modelName, name, `The field \`${name}\` has the type \`${print(f.type)}\` but there's no type or enum declaration with that name.`)
  }
  const idDirective = directive(f, 'id')
  const isId = Boolean(idDirective)
  if (idDirective) {
    if (!isRequired) problem(modelName, name, 'Fields that are marked as id must be required.')
    else if (!['ID', 'UUID', 'Int'].includes(typeName) || isList) {
      problem(modelName, name, `The field \`${name}\` is marked as id must have one of the following types: \`ID!\`,\`UUID!\`,\`Int!\`.`)
    }
    const strategy = arg(idDirective, 'strategy')
    if (strategy && !['AUTO', 'NONE', 'SEQUENCE'].includes(valueText(strategy))) {
      problem(modelName, name, 'Valid values for the strategy argument of `@id` are: AUTO, NONE, SEQUENCE.')
    }
  }
  const relationDirective = directive(f, 'relation')
  if (relationDirective && kind !== 'relation') {
    problem(modelName, name, `The field \`${name}\` is a scalar field and cannot specify the \`@relation\` directive.`)
  }
  let relationName: string | null = null
  let link: DmField['link'] = null
  if (relationDirective && kind === 'relation') {
    const n = arg(relationDirective, 'name')
    if (n) {
      relationName = valueText(n)
      if (!/^[A-Z][a-zA-Z0-9_]*$/.test(relationName) || relationName.length > 54) {
        problem(modelName, name, `The field \`${name}\` has an invalid name in the \`@relation\` directive. It can only have up to 54 characters and must have the shape [A-Z][a-zA-Z0-9]*`)
      }
    }
    const l = arg(relationDirective, 'link')
    if (l) {
      const v = valueText(l)
      if (v === 'INLINE' || v === 'TABLE') link = v
      else problem(modelName, name, 'Valid values for the argument `link` are: INLINE,TABLE.')
    }
    const onDelete = arg(relationDirective, 'onDelete')
    if (onDelete && !['CASCADE', 'SET_NULL'].includes(valueText(onDelete))) {
      problem(modelName, name, 'Valid values for the argument `onDelete` are: CASCADE,SET_NULL.')
    }
  }
  if (isList && (kind === 'enum' || SCALARS.has(typeName))) {
    const sl = directive(f, 'scalarList')
    const strategy = sl ? arg(sl, 'strategy') : undefined
    if (!strategy || valueText(strategy) !== 'RELATION') {
      problem(modelName, name, 'Valid values for the strategy argument of `@scalarList` are: RELATION.')
    }
  } else if (directive(f, 'scalarList')) {
    problem(modelName, name, `Fields that are marked as \`@scalarList\` must be lists, e.g. \`[${typeName}]\`.`)
  }
  const createdAt = Boolean(directive(f, 'createdAt'))
  const updatedAt = Boolean(directive(f, 'updatedAt'))
  if (createdAt && updatedAt) problem(modelName, name, 'Fields cannot be marked simultaneously with `@createdAt` and `@updatedAt`.')
  else if (createdAt && (typeName !== 'DateTime' || isList)) problem(modelName, name, 'Fields that are marked as `@createdAt` must be of type `DateTime!` or `DateTime`.')
  else if (updatedAt && (typeName !== 'DateTime' || isList)) problem(modelName, name, 'Fields that are marked as @updatedAt must be of type `DateTime!` or `DateTime`.')

  let defaultValue: DefaultValue | null = null
  const defaultDirective = directive(f, 'default')
  if (defaultDirective) {
    const v = arg(defaultDirective, 'value')
    if (!v) {
      problem(modelName, name, `The field \`${name}\` specifies the directive \`@default\` but it's missing the required argument \`value\`.`)
    } else if (isList || kind === 'relation') {
      problem(modelName, name, 'The `@default` directive must only be placed on scalar fields that are not lists.')
    } else {
      // As the server: the literal's GraphQL kind must fit the field's type (Int wants 3, String wants "x", …).
      const text = valueText(v)
      if (kind === 'enum' && v.kind === Kind.ENUM) {
        const values = enums.find((e) => e.name === typeName)?.values ?? []
        if (!values.includes(text)) problem(modelName, name, `The default value is invalid for this enum. Valid values are: ${values.join(', ')}.`)
        else defaultValue = {kind: 'EnumGCValue', value: text}
      } else {
        const converted = kind === 'enum' ? null : convertDefault(typeName, v)
        if (!converted) problem(modelName, name, `The value ${print(v)} is not a valid default for fields of type ${typeCode(typeName, kind)}.`)
        else defaultValue = converted
      }
    }
  }
  const renameArg = arg(directive(f, 'rename'), 'oldName')
  const dbArg = arg(directive(f, 'db'), 'name')
  if (dbArg && kind === 'relation') problem(modelName, name, `The field \`${name}\` specifies the \`@db\` directive. Relation fields must not specify this directive.`)
  return {
    name,
    declaredType: typeName,
    isRequired,
    isList,
    isUnique: Boolean(directive(f, 'unique')) || isId,
    isId,
    kind,
    default: defaultValue,
    relationName,
    relation: null,
    oldName: renameArg ? valueText(renameArg) : null,
    createdAt,
    updatedAt,
    link,
    dbName: dbArg ? valueText(dbArg) : null,
  }
}

function typeCode(typeName: string, kind: DmField['kind']): string {
  if (kind === 'enum') return 'Enum'
  if (typeName === 'GraphQLID') return 'ID'
  return typeName
}

function convertDefault(typeName: string, v: ValueNode): DefaultValue | null {
  const text = valueText(v)
  switch (typeName) {
    case 'String':
      return v.kind === Kind.STRING ? {kind: 'StringGCValue', value: text} : null
    case 'Int':
      return v.kind === Kind.INT ? {kind: 'IntGCValue', value: String(Number(text))} : null
    case 'Float':
      return v.kind === Kind.FLOAT || v.kind === Kind.INT ? {kind: 'FloatGCValue', value: String(Number(text))} : null
    case 'Boolean':
      return v.kind === Kind.BOOLEAN ? {kind: 'BooleanGCValue', value: text} : null
    case 'DateTime':
      return v.kind === Kind.STRING ? {kind: 'DateTimeGCValue', value: text} : null
    case 'Json':
      return v.kind === Kind.STRING ? {kind: 'JsonGCValue', value: text} : null
    default:
      return null
  }
}

interface RelationEnd {
  model: DmModel
  field: DmField
}

function inferRelations(
  models: DmModel[],
  problem: (type: string, field: string | null, description: string) => void,
): {relations: DmRelation[]; nameClash: DeployFailure | null} {
  const generatedPairs = new Map<string, string[]>()
  let nameClash: DeployFailure | null = null
  const byName = new Map<string, RelationEnd[]>()
  const order: string[] = []
  for (const model of models) {
    const relationFields = model.fields.filter((f) => f.kind === 'relation')
    for (const field of relationFields) {
      let name = field.relationName
      if (!name) {
        const toSameType = relationFields.filter((g) => g.declaredType === field.declaredType)
        if (toSameType.length > 1) {
          problem(model.name, field.name, `The relation field \`${field.name}\` must specify a \`@relation\` directive: \`@relation(name: "MyRelation")\``)
          continue
        }
        // An unnamed field pairs with the (single) field on the other side pointing back, named or not.
        const target = models.find((m) => m.name === field.declaredType)
        const back = target?.fields.filter((g) => g.kind === 'relation' && g.declaredType === model.name && g !== field) ?? []
        const namedBack = back.filter((g) => g.relationName)
        if (back.length === 1 && namedBack.length === 1 && target && target.name !== model.name) {
          const r = namedBack[0].relationName as string
          problem(
            target.name,
            namedBack[0].name,
            `You are trying to set the relation '${r}' from \`${target.name}\` to \`${model.name}\` and are only providing a relation directive with a name on \`${target.name}\`. Please also provide the same named relation directive on the relation field on \`${model.name}\` pointing towards \`${target.name}\`.`,
          )
          continue
        }
        name = generatedRelationName(model.name, field.declaredType)
        const pair = [model.name, field.declaredType].sort()
        const earlier = generatedPairs.get(name)
        if (earlier && (earlier[0] !== pair[0] || earlier[1] !== pair[1]) && !nameClash) {
          nameClash = new DeployFailure(
            `There was an error during the autogeneration of relation names.\nPrisma generated the name ${name} twice, once for:\nA relation between ${earlier[0]} and ${earlier[1]}\nA relation between ${pair[0]} and ${pair[1]}\nPlease name at least one of the relations.`,
            4004,
          )
          continue
        }
        generatedPairs.set(name, pair)
      }
      if (!byName.has(name)) {
        byName.set(name, [])
        order.push(name)
      }
      byName.get(name)?.push({model, field})
    }
  }
  const relations: DmRelation[] = []
  for (const name of order) {
    const ends = byName.get(name) ?? []
    const self = ends.every((e) => e.model.name === e.field.declaredType)
    if (self && ends.length > 2) {
      problem(ends[0].model.name, ends[0].field.name, `A relation directive for a self relation must appear either 1 or 2 times. Relation name: '${name}'`)
      continue
    }
    if (ends.length > 2) {
      problem(ends[0].model.name, ends[0].field.name, `A relation directive cannot appear more than twice. Relation name: '${name}'`)
      continue
    }
    const [a, b] = ends
    if (b && (b.model.name !== a.field.declaredType || a.model.name !== b.field.declaredType)) {
      problem(b.model.name, b.field.name, `The relation field \`${b.field.name}\` has the type \`${b.field.declaredType}\`. But the other directive for this relation appeared on the type \`${a.model.name}\``)
      continue
    }
    if (a.field.link && b?.field.link) {
      problem(a.model.name, a.field.name, `The \`link\` argument must be specified only on one side of a relation. The field \`${a.field.name}\` provides a link mode and the opposite field \`${b.field.name}\` as well.}`)
      continue
    }
    const oneToOne = !a.field.isList && b !== undefined && !b.field.isList
    const linked = ends.find((e) => e.field.link)
    if (oneToOne && !linked) {
      problem(a.model.name, a.field.name, `The field \`${a.field.name}\` must provide a relation link mode. Either specify it on this field or the opposite field. Valid values are: \`@relation(link: TABLE)\`,\`@relation(link: INLINE)\``)
      continue
    }
    if (linked?.field.link === 'INLINE' && linked.field.isList) {
      const opposite = ends.find((e) => e !== linked)
      const hint =
        opposite && !opposite.field.isList
          ? `You could fix this by putting \`link: INLINE\` on the opposite field \`${opposite.field.name}\` in the model \`${opposite.model.name}\`.`
          : 'You could fix this by using the strategy `TABLE` instead.'
      problem(linked.model.name, linked.field.name, `This connector does not support the \`INLINE\` strategy for list relation fields. ${hint}`)
      continue
    }
    const [modelA, modelB] = [a.model.name, a.field.declaredType].sort()
    // As the server on SQL: an explicit link wins; otherwise many-to-many (a one-sided list field included) is a
    // link table and one-to-many (a one-sided single field included) is inline in the table of the "one" side.
    const oneSide = linked && !linked.field.isList ? linked : ends.find((e) => !e.field.isList)
    const strategy = linked?.field.link ?? (oneSide ? 'INLINE' : 'TABLE')
    const manifestation: Manifestation =
      strategy === 'INLINE' && oneSide
        ? {type: 'Inline', __typename: 'Inline', model: oneSide.model.name, column: oneSide.field.dbName ?? oneSide.field.name}
        : {type: 'LinkTable', __typename: 'LinkTable', table: `_${name}`, modelAColumn: 'A', modelBColumn: 'B', idColumn: null}
    for (const end of ends) end.field.relation = name
    relations.push({name, modelA, modelB, manifestation})
  }
  return {relations, nameClash}
}
