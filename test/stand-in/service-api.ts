/**
 * The service (data) API of the stand-in: POST /<service>/<stage> (and /, /<service>, /<ws>/<service>/<stage>), with
 * the trailing segments private (resetData), export, import and _datamodel. Checks service tokens like the server
 * (HS256 with one of the service's secrets; no secrets = open), executes GraphQL against the OpenCRUD schema of the
 * deployed datamodel (data-api.ts), and throttles like the Prisma Cloud sandboxes when `sandbox` is set. The
 * Management API never goes through here.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import {parse, type DocumentNode} from 'graphql'
import {DataOperations, fieldResolver, PRIVATE_SCHEMA, serviceSchema, typeResolver, type RequestContext, type ServiceSchema} from './data-api.js'
import {schemaIndex} from './data-store.js'
import {EMPTY_SCHEMA} from './datamodel.js'
import {executeGraphQL, newRequestId} from './execute.js'
import {exportPage, exportRequest, importDocument} from './ndf.js'
import type {MigrationRecord, ProjectRecord, Store} from './state.js'

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

const schemas = new WeakMap<MigrationRecord, ServiceSchema>()

/** The OpenCRUD schema of the stage's last successful migration, built once per migration. */
function stageSchema(project: ProjectRecord, store: Store): ServiceSchema {
  const migration = store.lastSuccess(project)
  if (!migration) return serviceSchema('', EMPTY_SCHEMA)
  let built = schemas.get(migration)
  if (!built) {
    built = serviceSchema(migration.datamodel, migration.schema)
    schemas.set(migration, built)
  }
  return built
}

export function createServiceApi(options: {
  store: Store
  sandbox?: {rate: number; windowMs: number; maxQueue?: number}
  checkToken: (project: ProjectRecord, header: string | undefined) => boolean
  /** Bound of one /export page in characters of compact JSON (the server's 1,000,000 by default). */
  exportLimit?: number
  /** False for a connector without the import/export capability (Mongo): /export and /import then fail. */
  bulk?: boolean
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
      // As the server (SangriaHandlerImpl.handleRawRequest, RequestThrottler.throttleCallIfNeeded): every call but
      // /import, /export and /_datamodel is throttled, /private included (per project id; never /management), then
      // parsed, then the project is looked up and the token checked.
      const throttled = reserved !== 'import' && reserved !== 'export' && reserved !== '_datamodel' && !(segments.length === 1 && segments[0] === 'management')
      const waited = throttled ? await acquire(id) : 0
      if (waited === 'rejected') {
        send(200, {errors: [{message: 'There are too many concurrent queries for this service.', code: 1004, requestId}]})
        return
      }
      if (waited === 'timeout') {
        send(500, {errors: [{message: `The call to the group [${id}] timed out.`, requestId}]})
        return
      }
      // RequestThrottler.throttledCall adds `Throttled-By: <n>ms` to every response of a throttled call that
      // succeeded, 0ms included; a failed call (parse error, unknown project, invalid token) has none
      const extra: Record<string, string> = sandbox && throttled ? {'Throttled-By': `${waited}ms`} : {}
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
        else {
          const index = schemaIndex(options.store.currentSchema(project))
          try {
            if (options.bulk === false) throw new Error('The connector is missing the import / export capability.')
            if (reserved === 'export') {
              // BulkExport.executeExport: a malformed request or cursor is an internal error, HTTP 500
              const request = exportRequest(body)
              send(200, exportPage(project.data, index, request.fileType, request.cursor, options.exportLimit))
            } else send(200, project.data.transaction(() => importDocument(project.data, index, body)))
          } catch (error) {
            send(500, {errors: [{message: (error as Error).message, requestId}]})
          }
        }
        return
      }
      const run = (item: unknown): {status: number; body: unknown; failed?: boolean} => {
        if (!item || typeof item !== 'object' || Array.isArray(item)) return {status: 500, body: {errors: [{message: 'request malformed', requestId}]}, failed: true}
        const {query, variables, operationName} = item as {query?: unknown; variables?: unknown; operationName?: unknown}
        let doc: DocumentNode
        try {
          if (typeof query !== 'string') throw new Error('Unexpected end of input')
          doc = parse(query)
        } catch (error) {
          return {status: 500, body: {errors: [{message: `Syntax error while parsing GraphQL query. ${(error as Error).message.replace(/^Syntax Error: /, '')}`, requestId}]}, failed: true}
        }
        const project = lookup()
        if (project === 'not-found') return {status: 200, body: notFound, failed: true}
        if (project === 'invalid-token') return {status: 200, body: invalidToken, failed: true}
        const vars = (variables ?? undefined) as Record<string, unknown> | undefined
        const operation = typeof operationName === 'string' ? operationName : undefined
        if (reserved === 'private') {
          const root = {
            resetData: () => {
              project.data.reset()
              return true
            },
            validateSubscriptionQuery: () => ({errors: []}),
          }
          return {status: 200, body: executeGraphQL(PRIVATE_SCHEMA, doc, root, vars, operation, {}, requestId)}
        }
        const service = stageSchema(project, options.store)
        const ctx: RequestContext = {ops: new DataOperations(project.data, service.index), service}
        return {
          status: 200,
          body: executeGraphQL(service.schema, doc, null, vars, operation, ctx, requestId, {
fieldResolver, typeResolver}),
        }
      }
      if (Array.isArray(body)) {
        const results = body.map(run)
        send(results.some((r) => r.status !== 200) ? 500 : 200, results.map((r) => r.body), results.some((r) => r.failed) ? {} : extra)
        return
      }
      const result = run(body)
      send(result.status, result.body, result.failed ? {} : extra)
    },
  }
}
