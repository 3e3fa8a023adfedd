/**
 * The schema of a deployed service, read from the service itself (GraphQL introspection with a service token) and
 * printed as SDL the way graphql 14's printSchema prints it: types sorted by name, built-in scalars and
 * introspection types left out. No graphql library is needed for it.
 */
import {ServerClient} from '../http/client.js'

const typeRef = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }'
const inputValue = `name description type { ${typeRef} } defaultValue`

/** The standard introspection query (with descriptions), as graphql-request clients send it. */
export const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types {
      kind name description
      fields(includeDeprecated: true) { name description args { ${inputValue} } type { ${typeRef} } isDeprecated deprecationReason }
      inputFields { ${inputValue} }
      interfaces { ${typeRef} }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      possibleTypes { ${typeRef} }
    }
    directives { name description locations args { ${inputValue} } }
  }
}`

interface TypeRef {
  kind: string
  name: string | null
  ofType: TypeRef | null
}

interface InputValue {
  name: string
  description: string | null
  type: TypeRef
  defaultValue: string | null
}

interface IntrospectedType {
  kind: string
  name: string
  description: string | null
  fields: Array<{name: string; description: string | null; args: InputValue[]; type: TypeRef; isDeprecated: boolean; deprecationReason: string | null}> | null
  inputFields: InputValue[] | null
  interfaces: TypeRef[] | null
  enumValues: Array<{name: string; description: string | null; isDeprecated: boolean; deprecationReason: string | null}> | null
  possibleTypes: TypeRef[] | null
}

export interface Introspection {
  __schema: {
    queryType: {name: string} | null
    mutationType: {name: string} | null
    subscriptionType: {name: string} | null
    types: IntrospectedType[]
    directives: Array<{name: string; description: string | null; locations: string[]; args: InputValue[]}>
  }
}

const builtInScalars = new Set(['String', 'Int', 'Float', 'Boolean', 'ID'])
const builtInDirectives = new Set(['skip', 'include', 'deprecated'])
const defaultDeprecationReason = 'No longer supported'

function typeName(ref: TypeRef): string {
  if (ref.kind === 'NON_NULL' && ref.ofType) return `${typeName(ref.ofType)}!`
  if (ref.kind === 'LIST' && ref.ofType) return `[${typeName(ref.ofType)}]`
  return ref.name ?? ''
}

/**
 * How graphql 14 lays out descriptions: `schema` is printSchema (long ones on their own lines, a blank line before a
 * described field that is not the first); `reprinted` is graphql's print of a parsed document (neither), which the
 * original's --endpoint form goes through.
 */
type Style = 'schema' | 'reprinted'

/** A description as a block string, on its own lines when multi-line or ending in `"` (or long, in printSchema). */
function description(text: string | null, style: Style, indentation = '', first = true): string {
  if (!text) return ''
  const singleLine = !text.includes('\n')
  const multiple = !singleLine || text.endsWith('"') || (style === 'schema' && text.length > 70)
  const leadingSpace = text.startsWith(' ') || text.startsWith('\t')
  const body = `${multiple && !(singleLine && leadingSpace) ? '\n' : ''}${text}${multiple ? '\n' : ''}`
  const blockString = `"""${body.replace(/"""/g, '\\"""')}"""`
  const prefix = indentation && !first && style === 'schema' ? `\n${indentation}` : indentation
  return `${prefix}${blockString.replace(/\n/g, `\n${indentation}`)}\n`
}

function deprecated(isDeprecated: boolean, reason: string | null): string {
  if (!isDeprecated) return ''
  if (reason === null || reason === '' || reason === defaultDeprecationReason) return ' @deprecated'
  return ` @deprecated(reason: ${JSON.stringify(reason)})`
}

function printInputValue(value: InputValue): string {
  const base = `${value.name}: ${typeName(value.type)}`
  return value.defaultValue === null ? base : `${base} = ${value.defaultValue}`
}

function printArgs(args: InputValue[], indentation: string, style: Style): string {
  if (args.length === 0) return ''
  if (args.every((arg) => !arg.description)) return `(${args.map(printInputValue).join(', ')})`
  const lines = args.map((arg, index) => `${description(arg.description, style, `  ${indentation}`, index === 0)}  ${indentation}${printInputValue(arg)}`)
  return `(\n${lines.join('\n')}\n${indentation})`
}

function block(lines: string[]): string {
  return lines.length === 0 ? '' : ` {\n${lines.join('\n')}\n}`
}

function printType(type: IntrospectedType, style: Style): string {
  const head = description(type.description, style)
  switch (type.kind) {
    case 'SCALAR':
      return `${head}scalar ${type.name}`
    case 'OBJECT':
    case 'INTERFACE': {
      const interfaces = (type.interfaces ?? []).map(typeName)
      const implementsPart = interfaces.length > 0 ? ` implements ${interfaces.join(' & ')}` : ''
      const fields = (type.fields ?? []).map(
        (field, index) =>
          `${description(field.description, style, '  ', index === 0)}  ${field.name}${printArgs(field.args, '  ', style)}: ${typeName(field.type)}${deprecated(field.isDeprecated, field.deprecationReason)}`,
      )
      return `${head}${type.kind === 'OBJECT' ? 'type' : 'interface'} ${type.name}${implementsPart}${block(fields)}`
    }
    case 'UNION': {
      const members = (type.possibleTypes ?? []).map(typeName)
      return `${head}union ${type.name}${members.length > 0 ? ` = ${members.join(' | ')}` : ''}`
    }
    case 'ENUM': {
      const values = (type.enumValues ?? []).map(
        (value, index) => `${description(value.description, style, '  ', index === 0)}  ${value.name}${deprecated(value.isDeprecated, value.deprecationReason)}`,
      )
      return `${head}enum ${type.name}${block(values)}`
    }
    default: {
      const fields = (type.inputFields ?? []).map((field, index) => `${description(field.description, style, '  ', index === 0)}  ${printInputValue(field)}`)
      return `${head}input ${type.name}${block(fields)}`
    }
  }
}

function isModel(type: IntrospectedType): boolean {
  return type.kind === 'OBJECT' && (type.interfaces ?? [])[0]?.name === 'Node'
}

export interface PrintedSchema {
  /** graphql 14 printSchema form (what prisma-generate-schema writes for a datamodel). */
  plain: string
  /** The form the original's `generate --endpoint` writes: a header, model types first, then the others. */
  grouped: string
}

/** Prints an introspection result as SDL, in both forms the original CLI writes. */
export function printIntrospection(introspection: Introspection): PrintedSchema {
  const schema = introspection.__schema
  const rootsStandard =
    (schema.queryType?.name ?? 'Query') === 'Query' &&
    (schema.mutationType?.name ?? 'Mutation') === 'Mutation' &&
    (schema.subscriptionType?.name ?? 'Subscription') === 'Subscription'
  const roots = [
    ['query', schema.queryType],
    ['mutation', schema.mutationType],
    ['subscription', schema.subscriptionType],
  ].flatMap(([operation, root]) => (root && typeof root === 'object' ? [`  ${operation as string}: ${root.name}`] : []))
  const schemaDefinition = rootsStandard ? [] : [`schema {\n${roots.join('\n')}\n}`]
  const directives = (style: Style) =>
    schema.directives
      .filter((directive) => !builtInDirectives.has(directive.name))
      .map((directive) => `${description(directive.description, style)}directive @${directive.name}${printArgs(directive.args, '', style)} on ${directive.locations.join(' | ')}`)
  const types = schema.types
    .filter((type) => !type.name.startsWith('__') && !(type.kind === 'SCALAR' && builtInScalars.has(type.name)))
    .sort((a, b) => a.name.localeCompare(b.name))

  const plain = [...schemaDefinition, ...directives('schema'), ...types.map((type) => printType(type, 'schema'))].join('\n\n') + '\n'
  const models = types.filter(isModel).map((type) => printType(type, 'reprinted'))
  const rest = [...schemaDefinition, ...directives('reprinted'), ...types.filter((type) => !isModel(type)).map((type) => printType(type, 'reprinted'))]
  const header = '# THIS FILE HAS BEEN AUTO-GENERATED BY "PRISMA DEPLOY"\n# DO NOT EDIT THIS FILE DIRECTLY\n\n'
  const groups = [
    models.length > 0 ? `#\n# Model Types\n#\n\n${models.join('\n\n')}` : '',
    rest.length > 0 ? `${models.length > 0 ? '\n\n' : ''}\n#\n# Other Types\n#\n\n${rest.join('\n\n')}` : '',
  ]
  return {grouped: `${header}${groups.join('')}\n`, plain}
}

/** Fetches the service's schema by introspection (with a service token when the service has a secret). */
export async function fetchServiceSchema(options: {
  url: string
  token?: string
  signal?: AbortSignal
  env?: Record<string, string | undefined>
}): Promise<PrintedSchema> {
  const client = new ServerClient({api: 'service', env: options.env, signal: options.signal, token: options.token})
  return printIntrospection(await client.graphql<Introspection>('introspection', {idempotent: true, query: introspectionQuery, url: options.url}))
}
