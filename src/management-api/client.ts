/**
 * Typed operations of a Prisma server's Management API over the shared request path (src/http/client.ts). Every
 * request carries the token when there is one (probes included), switches once to the old `/cluster` path when the
 * server asks for it, and maps authentication failures to messages that say what to set.
 */
import {ServerClient} from '../http/client.js'
import {ServerError} from '../http/graphql.js'
import {
  addProjectMutation,
  deployMutation,
  deleteProjectMutation,
  deployProbeQuery,
  featuresQuery,
  listMigrationsQuery,
  listProjectsQuery,
  migrationHistoryQuery,
  migrationStatusQuery,
  projectQuery,
  serverInfoQuery,
} from './documents.js'
import {
  describeAuthError,
  isAuthError,
  isValidationError,
  managementApiOff,
  wantsClusterPath,
  type AuthContext,
} from './errors.js'
import {detectFeatures, type FeatureIntrospection, type ServerFeatures} from './features.js'
import type {DeployPayload, FunctionInput, MigrationRecord, MigrationStatus, ProjectName} from './types.js'

export interface ManagementClientOptions {
  /** `<server>/management` */
  url: string
  token?: string
  /** Name of the server in messages (cluster name, e.g. `local`). */
  serverName: string
  /** Whether PRISMA_MANAGEMENT_API_SECRET was set; changes the advice on authentication failures. */
  secretFromEnv?: boolean
  /** Which credential produced the token, in words (never the value). */
  credential?: string
  /** Per-request bound in milliseconds (default 30 s). */
  timeoutMs?: number
  /** The environment the transport's settings (proxies) come from: the process environment merged with .env. */
  env?: Record<string, string | undefined>
  signal?: AbortSignal
  /** Receives one line per request and per notable response header (with DEBUG). */
  debug?: (line: string) => void
}

export interface RequestOptions {
  /** The request may be sent again after a connection reset or a throttling rejection. */
  idempotent?: boolean
  timeoutMs?: number
  /** Largest response accepted (default: the transport's 16 MB). */
  maxBytes?: number
  signal?: AbortSignal
}

export interface ProbeResult {
  version?: string
  /** The service stage exists on the server. */
  exists: boolean
  features: ServerFeatures
  /** Newest revision of the service stage, when known. */
  revision?: number
}

export interface DeployInput {
  name: string
  stage: string
  types: string
  dryRun?: boolean
  force?: boolean
  noMigration?: boolean
  secrets: string[] | null
  subscriptions: FunctionInput[]
}

export class ManagementClient {
  url: string
  private readonly options: ManagementClientOptions
  private readonly http: ServerClient

  constructor(options: ManagementClientOptions) {
    this.options = options
    this.url = options.url
    this.http = new ServerClient({
      api: 'management',
      debug: options.debug,
      env: options.env,
      explain: (error) => this.explain(error),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      token: options.token,
    })
  }

  /** Requests sent so far (all attempts). */
  get requestCount(): number {
    return this.http.requestCount
  }

  get authContext(): AuthContext {
    return {
      credential: this.options.credential,
      secretFromEnv: Boolean(this.options.secretFromEnv),
      serverName: this.options.serverName,
      token: this.options.token,
      tokenSent: Boolean(this.options.token),
    }
  }

  async request<T>(
    operation: string,
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<T> {
    const send = () => this.http.graphql<T>(operation, {...options, query, url: this.url, variables})
    try {
      return await send()
    } catch (error) {
      if (!wantsClusterPath(error, this.url)) throw error
      this.url = this.url.replace(/\/management\/?$/, '/cluster')
      this.options.debug?.(`server does not serve /management; switching to ${this.url}`)
      return send()
    }
  }

  /** Advice for authentication failures and for a server whose Management API is switched off. */
  private explain(error: ServerError): ServerError | undefined {
    if (isAuthError(error)) {
      return new ServerError(describeAuthError(error, this.authContext), {
        code: 'AUTH_FAILED',
        errors: error.errors,
        kind: error.kind,
        status: error.status,
        url: error.url,
      })
    }

    return managementApiOff(error, error.url)
  }

  /**
   * Version, existence of the service stage and the schema features, in one request when the server accepts the
   * combined query, else in the separate requests older servers understand.
   */
  async probe(name: string, stage: string): Promise<ProbeResult> {
    interface Combined extends FeatureIntrospection {
      serverInfo?: {version?: string} | null
      migrations?: Array<{revision: number; status: string}> | null
    }
    try {
      const data = await this.request<Combined>('deployProbe', deployProbeQuery, {name, stage}, {idempotent: true})
      const migrations = data.migrations ?? []
      return {
        exists: migrations.length > 0,
        features: detectFeatures(data),
        revision: migrations.reduce<number | undefined>((max, item) => Math.max(max ?? 0, item.revision), undefined),
        version: data.serverInfo?.version ?? undefined,
      }
    } catch (error) {
      if (!isValidationError(error)) throw error
      this.options.debug?.(`combined probe refused (${(error as Error).message}); using separate requests`)
    }

    const introspection = await this.request<FeatureIntrospection>('features', featuresQuery, {}, {idempotent: true})
    const exists = await this.projectExists(name, stage)
    const version = await this.serverVersion()
    return {exists, features: detectFeatures(introspection), version}
  }

  async serverVersion(): Promise<string | undefined> {
    try {
      const data = await this.request<{serverInfo?: {version?: string}}>('serverInfo', serverInfoQuery, {}, {idempotent: true})
      return data.serverInfo?.version
    } catch (error) {
      if (isValidationError(error)) return undefined
      throw error
    }
  }

  async projectExists(name: string, stage: string): Promise<boolean> {
    try {
      await this.request('project', projectQuery, {name, stage}, {idempotent: true})
      return true
    } catch (error) {
      if (error instanceof ServerError && error.errors.some((entry) => entry.code === 4000)) return false
      throw error
    }
  }

  async addProject(name: string, stage: string, secrets: string[] | null): Promise<void> {
    await this.request('addProject', addProjectMutation, {name, secrets, stage})
  }

  async deploy(input: DeployInput, features: ServerFeatures): Promise<DeployPayload> {
    const variables: Record<string, unknown> = {
      name: input.name,
      secrets: input.secrets,
      stage: input.stage,
      subscriptions: input.subscriptions,
      types: input.types,
    }
    if (input.dryRun) variables.dryRun = true
    const document = (force: boolean) =>
      deployMutation({
        force,
        noMigration: Boolean(input.noMigration),
        payloadSteps: features.payloadSteps,
        relationManifestations: features.relationManifestations,
      })

    // the answer lists every step, which grows with the datamodel: allow ~40 bytes of answer per byte sent
    const limits = {maxBytes: 16 * 1024 * 1024 + 40 * input.types.length}
    let data: {deploy: DeployPayload | null}
    if (features.force) {
      try {
        data = await this.request('deploy', document(true), input.force ? {...variables, force: true} : variables, limits)
      } catch (error) {
        if (!(error instanceof ServerError && /Field 'force' is not defined/i.test(error.message))) throw error
        this.options.debug?.('server does not know DeployInput.force; sending the pre-1.5 mutation')
        data = await this.request('deploy', document(false), variables, limits)
      }
    } else {
      data = await this.request('deploy', document(false), variables, limits)
    }

    const payload = data.deploy
    if (!payload) throw new ServerError(`The server at ${this.url} answered the deploy without a result.`, {kind: 'graphql', url: this.url})
    return {
      errors: payload.errors ?? [],
      migration: payload.migration ?? null,
      steps: payload.steps ?? undefined,
      warnings: payload.warnings ?? [],
    }
  }

  async migrationStatus(name: string, stage: string, options: RequestOptions = {}): Promise<MigrationStatus> {
    const data = await this.request<{migrationStatus: MigrationStatus}>(
      'migrationStatus',
      migrationStatusQuery,
      {name, stage},
      {...options, idempotent: true},
    )
    return data.migrationStatus
  }

  async listMigrations(name: string, stage: string, options: RequestOptions = {}): Promise<MigrationStatus[]> {
    const data = await this.request<{listMigrations: MigrationStatus[]}>(
      'listMigrations',
      listMigrationsQuery,
      {name, stage},
      {...options, idempotent: true},
    )
    return data.listMigrations
  }

  /** Every service stage on the server (needs a token granting every service, `*` / `*`, when the server has a secret). */
  async listProjects(options: RequestOptions = {}): Promise<ProjectName[]> {
    const data = await this.request<{listProjects: ProjectName[]}>('listProjects', listProjectsQuery, {}, {...options, idempotent: true})
    return data.listProjects
  }

  /** Deletes the service stage with its data; the server answers code 4000 when it does not exist. */
  async deleteProject(name: string, stage: string, options: RequestOptions = {}): Promise<void> {
    await this.request('deleteProject', deleteProjectMutation, {name, stage}, options)
  }

  /** Every migration of the service stage, newest first, with times and step counts; [] for an unknown stage. */
  async migrationHistory(name: string, stage: string, options: RequestOptions = {}): Promise<MigrationRecord[]> {
    type Answer = Omit<MigrationRecord, 'steps'> & {steps?: Array<{type: string}> | null}
    const data = await this.request<{listMigrations: Answer[]}>('migrationHistory', migrationHistoryQuery, {name, stage}, {...options, idempotent: true})
    return data.listMigrations.map(({steps, ...migration}) => ({...migration, steps: steps?.length ?? 0}))
  }
}
