/** GraphQL execution and error rendering shared by the stand-in's Management API and service API. */
import {randomBytes} from 'node:crypto'
import {execute, GraphQLError, validate, type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema, type GraphQLTypeResolver} from 'graphql'

/** A management error: rendered with its numeric code at the top level of the GraphQL error. */
export class ManagementError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message)
  }
}

export function newRequestId(): string {
  return `local:cj${randomBytes(12).toString('hex').slice(0, 23)}`
}

/** Sangria's wording for the validation messages clients match on, with its location snippet. */
function sangriaMessage(error: GraphQLError, source: string): string {
  let message = error.message.replace(/ Did you mean .*$/, '')
  const unknownInput = /^Field "([^"]+)" is not defined by type "([^"]+)"\.$/.exec(message)
  const unknownField = /^Cannot query field "([^"]+)" on type "([^"]+)"\.$/.exec(message)
  if (unknownInput) message = `Field '${unknownInput[1]}' is not defined in the input type '${unknownInput[2]}'.`
  else if (unknownField) message = `Cannot query field '${unknownField[1]}' on type '${unknownField[2]}'.`
  else return error.message
  const where = error.locations?.[0]
  if (!where) return message
  const line = source.split('\n')[where.line - 1] ?? ''
  return `${message} (line ${where.line}, column ${where.column}):\n${line}\n${' '.repeat(where.column - 1)}^`
}

export function executeGraphQL(
  schema: GraphQLSchema,
  doc: DocumentNode,
  rootValue: unknown,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  ctx: unknown,
  requestId: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: {fieldResolver?: GraphQLFieldResolver<unknown, any>; typeResolver?: GraphQLTypeResolver<unknown, any>} = {},
): unknown {
  const validationErrors = validate(schema, doc)
  if (validationErrors.length > 0) {
    const source = doc.loc?.source.body ?? ''
    return {data: null, errors: validationErrors.map((e) => ({message: sangriaMessage(e, source), locations: e.locations}))}
  }
  const result = execute({schema, document: doc, rootValue, variableValues: variables, operationName, contextValue: ctx, ...resolvers})
  if (result instanceof Promise) throw new Error('asynchronous execution is not expected')
  if (!result.errors || result.errors.length === 0) return {data: result.data}
  const errors = result.errors.map((e) => {
    const original = e.originalError
    if (original instanceof ManagementError) {
      return {message: original.message, path: e.path, locations: e.locations, code: original.code, requestId}
    }
    if (original && !(original instanceof GraphQLError)) {
      return {
        message: `Whoops. Looks like an internal server error. Search your server logs for request ID: ${requestId}`,
        path: e.path,
        locations: e.locations,
        requestId,
      }
    }
    return {message: e.message, ...(e.path ? {path: e.path} : {}), locations: e.locations}
  })
  return {data: result.data ?? null, errors}
}

