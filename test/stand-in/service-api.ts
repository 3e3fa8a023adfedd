/**
 * The minimal service (data) API of the stand-in: POST /<service>/<stage> (and /, /<service>, /<ws>/<service>/<stage>).
 * Checks service tokens like the server (HS256 with one of the service's secrets; no secrets = open), answers simple
 * GraphQL against a small schema derived from the deployed datamodel, and throttles like the Prisma Cloud sandboxes
 * when `sandbox` is set. The Management API never goes through here.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import {buildSchema, parse, type DocumentNode, type GraphQLSchema} from 'graphql'
import {executeGraphQL, newRequestId} from './execute.js'
import type {ProjectRecord, Store} from './state.js'

export interface ServiceApi {
  handle(segments: string[], body: unknown, req: IncomingMessage, res: ServerResponse): Promise<void>
  close(): void
}

interface Waiter {
  enqueued: number
  resolve: (waited: number | 'timeout') => void
}

interface Group {
  started: number[]
  queue: Waiter[]
  timer: NodeJS.Timeout | null
}

const RESERVED_TRAILING = new Set(['private', 'import', 'export', '_datamodel'])

function scalarType(typeName: string, isEnum: boolean): string {
  if (isEnum) return 'String'
  switch (typeName) {
    case 'ID':
    case 'Int':
    case 'Float':
    case 'Boolean':
    case 'String':
      return typeName
    default:
      return 'String'
  }
}

function serviceSchema(project: ProjectRecord, store: Store): GraphQLSchema {
  const schema = store.currentSchema(project)
  const types: string[] = []
  const queries: string[] = ['node(id: ID!): Node']
  for (const model of schema.models) {
    const fields = model.fields
      .filter((f) => f.kind !== 'relation' && !f.isList)
      .map((f) => `  ${f.name}: ${scalarType(f.declaredType, f.kind === 'enum')}${f.isRequired ? '!' : ''}`)
    if (fields.length === 0) continue
    // as the server: a model with an id implements Node
    const node = fields.includes('  id: ID!') ? ' implements Node' : ''
    types.push(`type ${model.name}${node} {\n${fields.join('\n')}\n}`)
    const plural = model.name.charAt(0).toLowerCase() + model.name.slice(1) + 's'
    queries.push(`${plural}: [${model.name}]!`)
  }
  return buildSchema(`interface Node { id: ID! }\n${types.join('\n')}\ntype Query {\n  ${queries.join('\n  ')}\n}`)
}

export function createServiceApi(options: {
  store: Store
  sandbox?: {rate: number; windowMs: number; maxQueue?: number}
  checkToken: (project: ProjectRecord, header: string | undefined) => boolean
}): ServiceApi {
  const groups = new Map<string, Group>()
  const sandbox = options.sandbox
  const maxQueue = sandbox?.maxQueue ?? 25
  const queueTimeoutMs = 25_000

  function release(id: string, group: Group): void {
    if (!sandbox) return
    group.timer = null
    const now = Date.now()
    group.started = group.started.filter((t) => t > now - sandbox.windowMs)
    while (group.queue.length > 0 && group.started.length < sandbox.rate) {
      const waiter = group.queue.shift() as Waiter
      group.started.push(now)
      waiter.resolve(now - waiter.enqueued)
    }
    for (const waiter of [...group.queue]) {
      if (now - waiter.enqueued > queueTimeoutMs) {
        group.queue.splice(group.queue.indexOf(waiter), 1)
        waiter.resolve('timeout')
      }
    }
    if (group.queue.length > 0) {
      const wait = Math.max(1, group.started[0] + sandbox.windowMs - now)
      group.timer = setTimeout(() => release(id, group), wait)
    }
  }

  /** Resolves with the ms the call waited, 'rejected' when the queue is full, 'timeout' after 25 s in the queue. */
  function acquire(id: string): Promise<number | 'rejected' | 'timeout'> | number {
    if (!sandbox) return 0
    let group = groups.get(id)
    if (!group) {
      group = {started: [], queue: [], timer: null}
      groups.set(id, group)
    }
    const now = Date.now()
    group.started = group.started.filter((t) => t > now - sandbox.windowMs)
    if (group.queue.length === 0 && group.started.length < sandbox.rate) {
      group.started.push(now)
      return 0
    }
    if (group.queue.length >= maxQueue) return Promise.resolve('rejected')
    const g = group
    return new Promise((resolve) => {
      g.queue.push({enqueued: now, resolve})
      if (!g.timer) release(id, g)
    })
  }

  return {
    close() {
      for (const group of groups.values()) {
        if (group.timer) clearTimeout(group.timer)
        for (const waiter of group.queue) waiter.resolve('timeout')
        group.queue = []
      }
    },
    async handle(segments, body, req, res) {
      const requestId = newRequestId()
      const send = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
        res.writeHead(status, {'Content-Type': 'application/json', 'Request-Id': requestId, ...extra})
        res.end(JSON.stringify(payload))
      }
      const reserved = segments.length > 0 && RESERVED_TRAILING.has(segments[segments.length - 1]) ? segments[segments.length - 1] : null
      const parts = reserved ? segments.slice(0, -1) : segments
      let name: string
      let stage: string
      if (parts.length === 0) [name, stage] = ['default', 'default']
      else if (parts.length === 1) [name, stage] = [parts[0], 'default']
      else if (parts.length === 2) [name, stage] = [parts[0], parts[1]]
      else [name, stage] = [`${parts[0]}~${parts[1]}`, parts[2]]
      const id = options.store.id(name, stage)
      const notFound = {errors: [{message: `Project not found: '${id}'`, code: 3016, requestId}]}
      const invalidToken = {
        errors: [{message: 'Your token is invalid. It might have expired or you might be using a token from a different project.', code: 3015, requestId}],
      }
      // As the server: the call is throttled first (per project id; never /management), then parsed, then the
      // project is looked up and the token checked.
      const throttled = reserved === null && !(segments.length === 1 && segments[0] === 'management')
      const waited = throttled ? await acquire(id) : 0
      if (waited === 'rejected') {
        send(200, {errors: [{message: 'There are too many concurrent queries for this service.', code: 1004, requestId}]})
        return
      }
      if (waited === 'timeout') {
        send(500, {errors: [{message: `The call to the group [${id}] timed out.`, requestId}]})
        return
      }
      const extra: Record<string, string> = waited > 0 ? {'Throttled-By': `${waited}ms`} : {}
      const lookup = (): ProjectRecord | 'not-found' | 'invalid-token' => {
        const project = parts.length <= 3 ? options.store.get(name, stage) : undefined
        if (!project) return 'not-found'
        return options.checkToken(project, req.headers.authorization) ? project : 'invalid-token'
      }
      if (reserved === '_datamodel' || reserved === 'import' || reserved === 'export') {
        const project = lookup()
        if (project === 'not-found') send(200, notFound)
        else if (project === 'invalid-token') send(200, invalidToken)
        else if (reserved === '_datamodel') send(200, options.store.lastSuccess(project)?.datamodel ?? '')
        else send(500, {errors: [{message: `Whoops. Looks like an internal server error. Search your server logs for request ID: ${requestId}`, requestId}]})
        return
      }
      const run = (item: unknown): {status: number; body: unknown} => {
        if (!item || typeof item !== 'object' || Array.isArray(item)) return {status: 500, body: {errors: [{message: 'request malformed', requestId}]}}
        const {query, variables, operationName} = item as {query?: unknown; variables?: unknown; operationName?: unknown}
        let doc: DocumentNode
        try {
          if (typeof query !== 'string') throw new Error('Unexpected end of input')
          doc = parse(query)
        } catch (error) {
          return {status: 500, body: {errors: [{message: `Syntax error while parsing GraphQL query. ${(error as Error).message.replace(/^Syntax Error: /, '')}`, requestId}]}}
        }
        const project = lookup()
        if (project === 'not-found') return {status: 200, body: notFound}
        if (project === 'invalid-token') return {status: 200, body: invalidToken}
        const schema = serviceSchema(project, options.store)
        const rootValue: Record<string, unknown> = {node: () => null}
        for (const field of Object.keys(schema.getQueryType()?.getFields() ?? {})) if (field !== 'node') rootValue[field] = () => []
        return {
          status: 200,
          body: executeGraphQL(
            schema,
            doc,
            rootValue,
            (variables ?? undefined) as Record<string, unknown> | undefined,
            typeof operationName === 'string' ? operationName : undefined,
            {},
            requestId,
          ),
        }
      }
      if (Array.isArray(body)) {
        const results = body.map(run)
        send(results.some((r) => r.status !== 200) ? 500 : 200, results.map((r) => r.body), extra)
        return
      }
      const result = run(body)
      send(result.status, result.body, extra)
    },
  }
}
