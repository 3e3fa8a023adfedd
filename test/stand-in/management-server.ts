/**
 * A local stand-in of a Prisma 1.34 server: the Management API (POST /management, or /cluster for the
 * 'cluster-path' profile) and the service (data) API at each deployed service's path (OpenCRUD GraphQL over an
 * in-memory store, /private resetData, /export and /import). Real HTTP on
 * 127.0.0.1, graphql-js schema execution. Test and demo infrastructure only.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {buildSchema, GraphQLError, parse, type DocumentNode, type GraphQLSchema} from 'graphql'
import {AuthError, checkManagementAuth, checkServiceToken, signHs256, type AuthMode} from './auth.js'
import {executeGraphQL, ManagementError, newRequestId} from './execute.js'
import {schemaIndex} from './data-store.js'
import {analyseDatamodel, DatamodelSyntaxError, DeployFailure, type DmSchema} from './datamodel.js'
import {dumpData, importDocument} from './ndf.js'
import {managementSdl, type Profile} from './schema-sdl.js'
import {serverLine, type ServerLine} from './server-lines.js'
import {createServiceApi, type ServiceApi} from './service-api.js'
import {separatorOf, Store, type Connector, type MigrationRecord, type ProjectRecord} from './state.js'
import {destructiveChanges, inferSteps, type Step} from './steps.js'

export {ManagementError} from './execute.js'

export interface ManagementServerOptions {
  /** Management API auth: none (default), HS256 with the managementApiSecret, or legacy RS256 with a public key
   * (servers 1.0–1.26 only: with it the version defaults to 1.26.6, and a later version refuses to start). */
  auth?: AuthMode
  /** '1.34' (default); 'pre-1.5': no DeployInput.force/noMigration, no DeployPayload.warnings/steps, no
   * CreateRelation.after, no Project/Migration.datamodel, no setCloudSecret; 'cluster-path': the Management API
   * only at /cluster (/management is then a service path: 3016 "Project not found: 'management$default'"). */
  profile?: Profile
  /** Time per background migration unit (start, each step, finish); default 20 ms. */
  migrationStepMs?: number
  /** Default 0 (a free port) on 127.0.0.1. */
  port?: number
  host?: string
  /** serverInfo.version, which also picks the server line's behaviour (server-lines.ts): how tokens are checked
   * (1.27–1.34.6: jwt-native-rs), whether RS256 can be configured (to 1.26) and whether `serverInfo` exists (1.8+).
   * Default 1.34.12; 1.4.0 for 'pre-1.5', 1.7.4 for 'cluster-path', 1.26.6 with RS256 auth. */
  version?: string
  /** Rate limit of the service API like the Prisma Cloud sandboxes: `rate` calls per `windowMs`, then queued
   * (response header Throttled-By: <n>ms); more than `maxQueue` (default 25) queued fails with code 1004. */
  sandbox?: {rate: number; windowMs: number; maxQueue?: number}
  /** Database connector: decides the project id separator ($ postgres, @ mysql, _ mongo/sqlite) and serverInfo.primaryConnector. Default postgres. */
  connector?: Connector
  /** Bound of one /export page in characters of compact JSON; default 1,000,000 as the server. */
  exportPageLimit?: number
  /** Keep every request in `requests` (default true); off for bulk loads, where the log would hold a copy of the data. */
  recordRequests?: boolean
  /** false: the Management API is switched off (prisma-prod without `enableManagementApi`): /management and
   * /cluster are service paths, answered with 3016 "Project not found: 'management$default'" / 'cluster$default'. */
  managementApi?: boolean
  /** How long an idle connection is kept open (Node's default: 5 s); a long time shows a client that holds one open. */
  keepAliveMs?: number
}

export interface RecordedRequest {
  method: string
  path: string
  /** Lower-case header names. */
  headers: Record<string, string>
  /** Parsed JSON body (or the raw text when it is not JSON). */
  body: unknown
  /** The request's operationName, else the name of its first operation. */
  operationName?: string
  query?: string
  variables?: unknown
  /** Date.now() when received. */
  at: number
}

export type Fault = 'close-connection' | 'hang' | 'html' | 'http-500' | 'huge-response' | 'not-json'

export interface ManagementServer {
  /** http://127.0.0.1:PORT (no path). */
  url: string
  /** Every request received, in order (faulted ones included). */
  requests: RecordedRequest[]
  close(): Promise<void>
  /** Which models hold rows: drives the destructive-change warnings and errors of deploy. */
  setModelHasData(service: string, stage: string, model: string, hasData: boolean): void
  /** The next migration created fails at its last step: ROLLING_BACK (errors filled) -> ROLLBACK_SUCCESS. */
  failNextMigration(errors?: string[]): void
  /** While held, no migration advances (they stay PENDING/IN_PROGRESS; deploys meanwhile get 4008). */
  holdMigrations(hold: boolean): void
  /** The next `times` (default 1) requests, on any path, misbehave; null clears. */
  fault(f: null | Fault, times?: number): void
  /** Stored state of a service: its secrets, subscriptions, datamodel of the last successful migration and highest revision. */
  project(service: string, stage: string): undefined | {secrets: string[]; subscriptions: unknown[]; datamodel: string; revision: number}
  /** Every node, scalar list and relation of a stage as NDF elements, in export order (for round-trip checks). */
  data(service: string, stage: string): StageData
  /** Imports one NDF document into a stage directly (as POST /import would); returns the per-row errors. */
  importData(service: string, stage: string, document: {valueType: string; values: unknown[]}): string[]
}

export type StageData = {nodes: unknown[]; lists: unknown[]; relations: unknown[]}

const noProject = (name: string, stage: string) => new ManagementError(`No service with name '${name}' and stage '${stage}' found`, 4000)
const RESERVED = ['cluster', 'management', 'export', 'import']

interface Context {
  authorization: string | undefined
}

function nullToUndefined<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value
}

function schemaFingerprint(schema: DmSchema): string {
  return JSON.stringify(schema, (key, value) => (key === 'oldName' ? undefined : value))
}

function migrationView(m: MigrationRecord) {
  return {
    projectId: m.projectId,
    revision: m.revision,
    status: m.status,
    applied: m.applied,
    rolledBack: m.rolledBack,
    errors: [...m.errors],
    startedAt: m.startedAt,
    finishedAt: m.finishedAt,
    datamodel: m.datamodel,
    steps: m.steps,
  }
}

const ADMIN_HTML = `<!DOCTYPE html>
<html>
<head>
  <meta charset=utf-8/>
  <title>Prisma Admin</title>
</head>
<body>
  <div id="root">Loading Prisma Admin</div>
</body>
</html>
`

const PLAYGROUND_HTML = `<!DOCTYPE html>
<html>
<head>
  <meta charset=utf-8/>
  <title>Prisma Playground</title>
</head>
<body>
  <div id="root">Loading GraphQL Playground</div>
  <script>window.addEventListener('load', function () { GraphQLPlayground.init(document.getElementById('root'), {}) })</script>
</body>
</html>
`

/** The stand-in's Management API schema for a profile (to validate client documents against in tests). */
export function managementSchema(profile: Profile = '1.34', line?: ServerLine): GraphQLSchema {
  return buildSchema(managementSdl(profile, line))
}

/** The version a stand-in reports when none is given: the newest one its profile and auth mode existed in. */
function defaultVersion(profile: Profile, auth: AuthMode): string {
  if (profile === 'pre-1.5') return '1.4.0'
  // 1.0–1.7 served the Management API at /cluster only (spec management-api.md §1.3)
  if (profile === 'cluster-path') return '1.7.4'
  if (auth.mode === 'asymmetric') return '1.26.6'
  return '1.34.12'
}

export async function startManagementServer(options: ManagementServerOptions = {}): Promise<ManagementServer> {
  // as the server reads its configuration: an empty managementApiSecret means no auth at all
  const auth: AuthMode = options.auth?.mode === 'symmetric' && options.auth.secret === '' ? {mode: 'none'} : (options.auth ?? {mode: 'none'})
  const profile: Profile = options.profile ?? '1.34'
  const modern = profile !== 'pre-1.5'
  const version = options.version ?? defaultVersion(profile, auth)
  const line = serverLine(version)
  if (auth.mode === 'asymmetric' && !line.rs256) {
    throw new Error(
      `A Prisma ${version} server has no RS256 management auth (a public key): it was last wired in 1.26 ` +
        '(images/prisma-prod PrismaProdDependencies.scala); 1.27 and later accept only HS256 with managementApiSecret. ' +
        'Give a 1.26 or older version with the public key, or a secret.',
    )
  }
  const connector: Connector = options.connector ?? 'postgres'
  const store = new Store(options.migrationStepMs ?? 20, separatorOf(connector))
  const requests: RecordedRequest[] = []
  let faultKind: Fault | null = null
  let faultTimes = 0

  const authorize = (ctx: Context, name: string, stage: string) => {
    try {
      checkManagementAuth(auth, ctx.authorization, name, stage, line.tokenCheck)
    } catch (error) {
      if (error instanceof AuthError) throw new ManagementError(error.message, error.code)
      throw error
    }
  }
  const mustFind = (name: string, stage: string): ProjectRecord => {
    const project = store.get(name, stage)
    if (!project) throw noProject(name, stage)
    return project
  }
  const projectView = (p: ProjectRecord) => ({
    name: p.name,
    stage: p.stage,
    datamodel: store.lastSuccess(p)?.datamodel ?? '',
    metricKey: null,
  })

  type Args = Record<string, unknown>
  type Input = {input: Record<string, unknown>}
  const root = {
    migrationStatus: ({name, stage}: Args, ctx: Context) => {
      authorize(ctx, name as string, stage as string)
      const project = mustFind(name as string, stage as string)
      const m = store.migrationStatus(project)
      if (!m) throw noProject(name as string, stage as string)
      return migrationView(m)
    },
    listProjects: (_: Args, ctx: Context) => {
      authorize(ctx, '', '')
      return [...store.projects.values()].map(projectView)
    },
    listMigrations: ({name, stage}: Args, ctx: Context) => {
      authorize(ctx, name as string, stage as string)
      const project = store.get(name as string, stage as string)
      return project ? [...project.migrations].reverse().map(migrationView) : []
    },
    project: ({name, stage}: Args, ctx: Context) => {
      authorize(ctx, name as string, stage as string)
      return projectView(mustFind(name as string, stage as string))
    },
    // the schema has each of these only in the versions that had it (schema-sdl.ts, server-lines.ts)
    serverInfo: () => ({version, commit: 'standin0000000000000000000000000000000000', primaryConnector: connector}),
    clusterInfo: () => ({version, commit: 'standin0000000000000000000000000000000000'}),
    generateProjectToken: ({name, stage}: Args, ctx: Context) => {
      authorize(ctx, name as string, stage as string)
      const project = mustFind(name as string, stage as string)
      if (project.secrets.length === 0) return ''
      const now = Math.floor(Date.now() / 1000)
      // 1.27–1.34.6 signed with the Rust library's create_token (libs/jwt-native-rs/src/lib.rs): iat, nbf, exp
      if (line.tokenCheck === 'jwt-native-rs') return signHs256({iat: now, nbf: now, exp: now + 86400}, project.secrets[0])
      return signHs256({exp: now + 86400, nbf: now}, project.secrets[0])
    },
    addProject: ({input}: Input, ctx: Context) => {
      const name = input.name as string
      const stage = input.stage as string
      authorize(ctx, name, stage)
      if (RESERVED.includes(name)) throw new ManagementError(`Service name ${name} is reserved. Please choose a different name.`, 4006)
      if (RESERVED.includes(stage)) throw new ManagementError(`Stage name ${stage} is reserved. Please choose a different stage name.`, 4007)
      if (!/^[a-zA-Z][a-zA-Z0-9\-_~]*$/.test(name) || name.length > 140) {
        throw new ManagementError(`${name} is not a valid name for a service name. It must start with a letter and may contain up to 30 letters, numbers, underscores and hyphens.`, 4001)
      }
      if (!/^[a-zA-Z][a-zA-Z0-9\-_]*$/.test(stage) || stage.length > 30) {
        throw new ManagementError(`${stage} is not a valid name for a service stage. It must start with a letter and may contain up to 30 letters, numbers, underscores and hyphens.`, 4002)
      }
      if (store.get(name, stage)) throw new ManagementError(`Service with name '${name}' and stage '${stage}' already exists`, 4005)
      const project = store.add(name, stage, (nullToUndefined(input.secrets) as string[] | undefined) ?? [])
      return {project: projectView(project), clientMutationId: input.clientMutationId ?? null}
    },
    deleteProject: ({input}: Input, ctx: Context) => {
      const name = input.name as string
      const stage = input.stage as string
      authorize(ctx, name, stage)
      const project = mustFind(name, stage)
      store.delete(name, stage)
      return {project: {name: project.name, stage: project.stage, datamodel: null}, clientMutationId: input.clientMutationId ?? null}
    },
    setCloudSecret: ({input}: Input, ctx: Context) => {
      authorize(ctx, '', '')
      store.cloudSecret = (nullToUndefined(input.secret) as string | undefined) ?? null
      return {clientMutationId: input.clientMutationId ?? null}
    },
    deploy: ({input}: Input, ctx: Context) => {
      const name = input.name as string
      const stage = input.stage as string
      const project = mustFind(name, stage)
      authorize(ctx, project.name, project.stage)
      const types = input.types as string
      const dryRun = input.dryRun === true
      const force = input.force === true
      const noMigration = input.noMigration === true
      const secrets = (nullToUndefined(input.secrets) as string[] | undefined) ?? []
      const subscriptions = (nullToUndefined(input.subscriptions) as unknown[] | undefined) ?? []
      const clientMutationId = input.clientMutationId ?? null
      const result = (errors: unknown[], warnings: unknown[], steps: Step[], migration: MigrationRecord | null) => ({
        errors,
        warnings,
        steps,
        migration: migration ? migrationView(migration) : null,
        clientMutationId,
      })

      let analysed
      try {
        analysed = analyseDatamodel(types)
      } catch (error) {
        if (error instanceof DatamodelSyntaxError) throw new ManagementError(error.message, 3017)
        if (error instanceof DeployFailure) throw new ManagementError(error.message, error.code)
        throw error
      }
      if (analysed.errors.length > 0) return result(analysed.errors, [], [], null)
      const newSchema = analysed.schema

      const subscriptionErrors = validateSubscriptions(subscriptions, newSchema)
      if (subscriptionErrors.length > 0) return result(subscriptionErrors, [], [], null)

      const oldSchema = store.currentSchema(project)
      let steps: Step[] = []
      try {
        if (!noMigration) steps = inferSteps(oldSchema, newSchema)
      } catch (error) {
        if (error instanceof DeployFailure) throw new ManagementError(error.message, error.code)
        throw error
      }
      const destructive = noMigration
        ? {warnings: [], errors: []}
        : destructiveChanges(oldSchema, newSchema, steps, (model) => project.modelsWithData.has(model) || project.data.count(model) > 0)
      if (destructive.errors.length > 0) return result(destructive.errors, [], [], null)
      const warnings = modern ? [...analysed.warnings, ...destructive.warnings] : []
      if (warnings.length > 0 && !force) return result([], warnings, steps, null)
      if (dryRun) return result([], warnings, steps, null)

      const secretsChanged = JSON.stringify(secrets) !== JSON.stringify(project.secrets)
      const schemaChanged = schemaFingerprint(newSchema) !== schemaFingerprint(oldSchema)
      const migrate = steps.length > 0 || secretsChanged || subscriptions.length > 0 || schemaChanged
      if (!migrate) return result([], warnings, steps, null)
      if (store.openMigration(project)) {
        throw new ManagementError(
          'You can not deploy to a service stage while there is a deployment in progress or a pending deployment scheduled already. Please try again after the deployment finished.',
          4008,
        )
      }
      const migrationSteps = [...steps]
      if (secretsChanged) {
        project.secrets = [...secrets]
        migrationSteps.push({type: 'UpdateSecrets', __typename: 'UpdateSecrets', message: 'Secrets have been updated.'})
      }
      project.subscriptions = subscriptions
      const migration = store.createMigration(project, types, migrationSteps, newSchema)
      return result([], warnings, steps, migration)
    },
  }

  const schemaForProfile = managementSchema(profile, line)
  const serviceApi: ServiceApi = createServiceApi({
    store,
    sandbox: options.sandbox,
    exportLimit: options.exportPageLimit,
    bulk: connector !== 'mongo',
    checkToken: (project, header) => checkServiceToken(project.secrets, header, line.tokenCheck),
  })

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) {
        res.writeHead(500, {'Content-Type': 'application/json', 'Request-Id': newRequestId()})
        res.end(JSON.stringify({errors: [{message: String((error as Error).message)}]}))
      } else res.destroy()
    })
  })

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }

  function cors(req: IncomingMessage, res: ServerResponse) {
    const origin = req.headers.origin
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin)
      res.setHeader('Access-Control-Allow-Credentials', 'true')
    }
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string, extra: Record<string, string> = {}) {
    res.writeHead(status, {'Content-Type': 'application/json', 'Request-Id': requestId, ...extra})
    res.end(JSON.stringify(body))
  }

  function sendText(res: ServerResponse, status: number, text: string) {
    res.writeHead(status, {'Content-Type': 'text/plain; charset=UTF-8'})
    res.end(text)
  }

  function applyFault(kind: Fault, res: ServerResponse, req: IncomingMessage): void {
    switch (kind) {
      case 'close-connection':
        req.socket.destroy()
        return
      case 'hang':
        return // never answered; close() destroys the socket
      case 'html':
        res.writeHead(200, {'Content-Type': 'text/html; charset=UTF-8'})
        res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>')
        return
      case 'http-500':
        res.writeHead(500, {'Content-Type': 'text/plain; charset=UTF-8'})
        res.end('There was an internal server error.')
        return
      case 'not-json':
        res.writeHead(200, {'Content-Type': 'application/json'})
        res.end('this is not json {')
        return
      case 'huge-response': {
        res.writeHead(200, {'Content-Type': 'application/json'})
        const chunk = 'x'.repeat(1024 * 1024)
        let written = 0
        res.write('{"data":{"padding":"')
        const writeMore = () => {
          while (written < 40) {
            written += 1
            if (!res.write(chunk)) {
              res.once('drain', writeMore)
              return
            }
          }
          res.end('"}}')
        }
        res.on('error', () => undefined)
        writeMore()
        return
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const method = req.method ?? 'GET'
    const text = method === 'POST' || method === 'PUT' ? await readBody(req) : ''
    let body: unknown = text
    try {
      body = text === '' ? undefined : JSON.parse(text)
    } catch {
      body = text
    }
    const headers: Record<string, string> = {}
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value
    const record: RecordedRequest = {method, path: url.pathname, headers, body, at: Date.now()}
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const b = body as {query?: unknown; variables?: unknown; operationName?: unknown}
      if (typeof b.query === 'string') {
        record.query = b.query
        try {
          const doc = parse(b.query)
          const op = doc.definitions.find((d) => d.kind === 'OperationDefinition') as {name?: {value: string}} | undefined
          record.operationName = typeof b.operationName === 'string' ? b.operationName : op?.name?.value
        } catch {
          if (typeof b.operationName === 'string') record.operationName = b.operationName
        }
      }
      if (b.variables !== undefined) record.variables = b.variables
    }
    if (options.recordRequests !== false) requests.push(record)

    if (faultKind && faultTimes > 0) {
      const kind = faultKind
      faultTimes -= 1
      if (faultTimes === 0) faultKind = null
      applyFault(kind, res, req)
      return
    }

    cors(req, res)
    const segments = url.pathname.split('/').filter((s) => s !== '')

    if (method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) {
      res.writeHead(200, {
        'Access-Control-Allow-Methods': 'GET, POST, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '',
        'Access-Control-Max-Age': '1800',
      })
      res.end()
      return
    }
    if (method === 'GET' || method === 'HEAD') {
      if (url.pathname === '/status') {
        sendJson(res, 200, 'OK', newRequestId())
        return
      }
      const page = segments[segments.length - 1] === '_admin' ? ADMIN_HTML : PLAYGROUND_HTML
      res.writeHead(200, {'Content-Type': 'text/html; charset=UTF-8', 'Request-Id': newRequestId()})
      res.end(method === 'HEAD' ? undefined : page)
      return
    }
    if (method !== 'POST') {
      sendText(res, 405, 'HTTP method not allowed, supported methods: GET, POST')
      return
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    if (contentType !== 'application/json') {
      sendText(res, 415, "The request's Content-Type is not supported. Expected:\napplication/json")
      return
    }
    if (typeof body === 'string' || body === undefined) {
      sendText(res, 400, `The request content was malformed:\n${text === '' ? 'No content to map due to end-of-input' : 'Unexpected character in JSON input'}`)
      return
    }
    const managementPath = options.managementApi === false ? undefined : profile === 'cluster-path' ? 'cluster' : 'management'
    if (segments.length === 1 && segments[0] === managementPath) {
      const requestId = newRequestId()
      const answer = runBatch(body, requestId, (doc, variables, operationName) =>
        runManagement(doc, variables, operationName, {authorization: req.headers.authorization}, requestId),
      )
      sendJson(res, answer.status, answer.body, requestId)
      return
    }
    await serviceApi.handle(segments, body, req, res)
  }

  function runBatch(
    body: unknown,
    requestId: string,
    run: (doc: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined) => unknown,
  ): {status: number; body: unknown} {
    const one = (item: unknown): {status: number; body: unknown} => {
      if (!item || typeof item !== 'object' || Array.isArray(item)) return {status: 500, body: {errors: [{message: 'request malformed', requestId}]}}
      const {query, variables, operationName} = item as {query?: unknown; variables?: unknown; operationName?: unknown}
      if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
        return {status: 500, body: {errors: [{message: `JsResultException(errors:List((,List(JsonValidationError(List(error.expected.jsobject),WrappedArray())))))`, requestId}]}}
      }
      let doc: DocumentNode
      try {
        if (typeof query !== 'string') throw new GraphQLError('Unexpected end of input')
        doc = parse(query)
      } catch (error) {
        const detail = (error as Error).message.replace(/^Syntax Error: /, '')
        return {status: 500, body: {errors: [{message: `Syntax error while parsing GraphQL query. ${detail}`, requestId}]}}
      }
      return {
        status: 200,
        body: run(doc, (variables ?? undefined) as Record<string, unknown> | undefined, typeof operationName === 'string' ? operationName : undefined),
      }
    }
    if (Array.isArray(body)) {
      const results = body.map(one)
      return {status: results.some((r) => r.status !== 200) ? 500 : 200, body: results.map((r) => r.body)}
    }
    return one(body)
  }

  function runManagement(
    doc: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName: string | undefined,
    ctx: Context,
    requestId: string,
  ): unknown {
    return executeGraphQL(schemaForProfile, doc, root, variables, operationName, ctx, requestId)
  }

  const closeTimer = () => store.stop()
  const mustFindStage = (service: string, stage: string): ProjectRecord => {
    const project = store.get(service, stage)
    if (!project) throw new Error(`No project ${store.id(service, stage)} on the stand-in`)
    return project
  }
  if (options.keepAliveMs !== undefined) server.keepAliveTimeout = options.keepAliveMs
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address

  return {
    url: `http://${host}:${address.port}`,
    requests,
    async close() {
      closeTimer()
      serviceApi.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
    setModelHasData(service, stage, model, hasData) {
      const project = mustFindStage(service, stage)
      if (hasData) project.modelsWithData.add(model)
      else project.modelsWithData.delete(model)
    },
    failNextMigration(errors) {
      store.failNextMigration(errors)
    },
    holdMigrations(hold) {
      store.hold(hold)
    },
    fault(f, times = 1) {
      faultKind = f
      faultTimes = f ? times : 0
    },
    project(service, stage) {
      const p = store.get(service, stage)
      if (!p) return undefined
      return {
        secrets: [...p.secrets],
        subscriptions: structuredClone(p.subscriptions),
        datamodel: store.lastSuccess(p)?.datamodel ?? '',
        revision: Math.max(...p.migrations.map((m) => m.revision)),
      }
    },
    data(service, stage) {
      const p = mustFindStage(service, stage)
      return dumpData(p.data, schemaIndex(store.currentSchema(p)))
    },
    importData(service, stage, document) {
      const p = mustFindStage(service, stage)
      return p.data.transaction(() => importDocument(p.data, schemaIndex(store.currentSchema(p)), document))
    },
  }
}

function validateSubscriptions(subscriptions: unknown[], schema: DmSchema): Array<{type: string; field: string | null; description: string}> {
  const errors: Array<{type: string; field: string | null; description: string}> = []
  for (const sub of subscriptions as Array<{name: string; query: string}>) {
    try {
      parse(sub.query)
    } catch {
      errors.push({type: 'Subscription', field: sub.name, description: 'The subscription query is invalid GraphQL.'})
      continue
    }
    const mentionsModel = schema.models.some((m) => sub.query.includes(m.name.charAt(0).toLowerCase() + m.name.slice(1)) || sub.query.includes(m.name))
    if (!mentionsModel) {
      errors.push({
        type: 'Subscription',
        field: sub.name,
        description: "The provided query doesn't include any known model name. Please check for the latest subscriptions API.",
      })
    }
  }
  return errors
}
