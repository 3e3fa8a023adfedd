/**
 * Typed operations of a Prisma server's Management API over the project's GraphQL transport. Every request carries
 * the token when there is one (probes included), switches once to the old `/cluster` path when the server asks for
 * it, and maps authentication failures to messages that say what to set.
 */
import {ServerError, requestGraphQL, withRetry, isConnectionReset, isThrottled} from '../http/graphql.js'
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
  redact,
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
  fetch?: typeof fetch
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
  /** Requests sent so far (all attempts). */
  requestCount = 0
  private readonly options: ManagementClientOptions

  constructor(options: ManagementClientOptions) {
    this.options = options
    this.url = options.url
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
    const signal = options.signal ?? this.options.signal
    const send = async (): Promise<T> => {
      this.requestCount++
      this.options.debug?.(`management request ${operation} → ${this.url}`)
      const {data, headers} = await requestGraphQL<T>({
        env: this.options.env,
        fetch: this.options.fetch,
        maxBytes: options.maxBytes,
        query,
        signal,
        timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
        token: this.options.token,
        url: this.url,
        variables,
      })
      const throttled = headers.get('throttled-by')
      if (throttled && Number.parseInt(throttled, 10) !== 0) this.options.debug?.(`request ${operation} was throttled by the server: ${throttled}`)
      return data
    }

    const attempt = async (): Promise<T> => {
      try {
        return await send()
      } catch (error) {
        if (wantsClusterPath(error, this.url)) {
          this.url = this.url.replace(/\/management\/?$/, '/cluster')
          this.options.debug?.(`server does not serve /management; switching to ${this.url}`)
          try {
            return await send()
          } catch (clusterError) {
            throw managementApiOff(clusterError, this.url) ?? clusterError
          }
        }

        throw error
      }
    }

    try {
      return await withRetry(attempt, {
        onRetry: (error, count, delay) =>
          this.options.debug?.(`retrying ${operation} in ${delay} ms (attempt ${count + 1}): ${(error as Error).message}`),
        shouldRetry: (error) => isThrottled(error) || (Boolean(options.idempotent) && isConnectionReset(error)),
        signal,
      })
    } catch (error) {
      throw this.explain(error)
    }
  }

  /** Rewrites authentication failures; redacts the token from any other server message. */
  explain(error: unknown): unknown {
    if (!(error instanceof ServerError)) return error
    if (isAuthError(error)) {
      return new ServerError(describeAuthError(error, this.authContext), {
        code: 'AUTH_FAILED',
        errors: error.errors,
        kind: error.kind,
        status: error.status,
        url: error.url,
      })
    }

    if (isThrottled(error)) {
      return new ServerError(
        `The server at ${error.url} is throttling requests ("There are too many concurrent queries for this service.", code 1004) ` +
          'and kept refusing after several retries with backoff. Wait a moment and try again.',
        {errors: error.errors, kind: error.kind, status: error.status, url: error.url},
      )
    }

    const token = this.options.token
    if (token && error.message.includes(token)) {
      return new ServerError(redact(error.message, token), {
        errors: error.errors,
        kind: error.kind,
        status: error.status,
        url: error.url,
      })
    }

    return error
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
