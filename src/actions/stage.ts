/**
 * The one way from a command's flags to a service stage: prisma.yml (or PRISMA_MANAGEMENT_API_ENDPOINT where a
 * command allows running without it) -> the endpoint -> the credential -> a Management API or service API client.
 * Reading sends nothing; each client is made on request.
 */
import {resolveManagementAuth} from '../auth/management-token.js'
import {DataError, NotFoundError, ProjectError, UserError} from '../errors.js'
import {userHome} from '../global-config/index.js'
import {requestTimeoutMs} from '../http/graphql.js'
import {ManagementClient} from '../management-api/client.js'
import {endpointVariable} from '../messages.js'
import {findProjectFile, loadEnvironment, loadProject, missingEndpoint, NOT_FOUND_MESSAGE, parseEndpoint, type ParsedEndpoint, type Project} from '../project/index.js'
import type {ServiceClient} from '../data/service.js'
import type {Io} from './io.js'

type Env = Record<string, string | undefined>

/** The flags of every command that reads prisma.yml: `project` and `env-file` name it; all serve ${opt:NAME}. */
export type ProjectFlags = {project?: string; 'env-file'?: string} & Record<string, unknown>

export interface StageOptions {
  cwd: string
  /** The process environment. */
  env: Env
  flags: ProjectFlags
  /** prisma.yml may be missing when PRISMA_MANAGEMENT_API_ENDPOINT names the server (`list`). */
  projectOptional?: boolean
  /** A datamodel file must be named and exist (deploy). */
  requireDatamodel?: boolean
  /**
   * Chooses the endpoint (deploy's wizard), or resolves undefined to keep prisma.yml's. Without a choice, a
   * prisma.yml without endpoint is the one "no endpoint" error.
   */
  choose?: (project: Project) => Promise<ChosenEndpoint | undefined>
  /** prisma.yml when the caller has read it already (readProject). */
  project?: Project
  io: Pick<Io, 'notice' | 'debug'>
  signal?: AbortSignal
}

export interface ChosenEndpoint {
  endpoint: ParsedEndpoint
  /** A management API secret typed into the wizard: for this run only, never stored. */
  managementSecret?: string
}

export interface Stage {
  /** Undefined only when the command allows running without prisma.yml and none was found. */
  project?: Project
  /** The merged environment (process environment plus .env or --env-file). */
  env: Env
  endpoint: ParsedEndpoint
  /** The user's home folder (~/.prisma/config.yml). */
  home: string
  /** The bound of each request (PRISMA_REQUEST_TIMEOUT). */
  requestTimeoutMs: number
  /** A client of the server's Management API with the token of the credential rules (src/auth/management-token.ts). */
  managementClient(o?: {timeoutMs?: number}): Promise<ManagementClient>
  /** A client without a token, for what a server answers everyone (serverInfo). */
  publicClient(): ManagementClient
  /** A client of the service's own API, with a service token signed with the first secret of prisma.yml. */
  serviceClient(o?: {now?: () => number; timeoutMs?: number}): Promise<ServiceClient>
}

export async function openStage(o: StageOptions): Promise<Stage> {
  const home = userHome(o.env)
  const {debug} = o.io
  const envFile = o.flags['env-file']
  let project: Project | undefined
  let env: Env
  let chosen: ChosenEndpoint
  if (o.projectOptional && o.flags.project === undefined && (await findProjectFile({cwd: o.cwd}).catch(() => undefined)) === undefined) {
    env = await loadEnvironment({cwd: o.cwd, env: o.env, envFile})
    const fromEnv = env[endpointVariable]?.trim()
    if (!fromEnv) {
      throw new ProjectError(`${NOT_FOUND_MESSAGE} Without one, set ${endpointVariable} to an endpoint on the server, e.g. http://localhost:4466.`)
    }

    chosen = {endpoint: parseEndpoint(fromEnv, endpointVariable)}
  } else {
    project = o.project ?? (await readProject(o))
    env = project.env
    const choice = await o.choose?.(project)
    if (choice) chosen = choice
    else if (project.endpoint) chosen = {endpoint: project.endpoint}
    else throw missingEndpoint(project.file)
  }

  const {endpoint, managementSecret} = chosen
  // a management API secret typed into the endpoint wizard counts for this run only
  const authEnv = managementSecret === undefined ? env : {...env, PRISMA_MANAGEMENT_API_SECRET: managementSecret}
  const timeoutMs = requestTimeoutMs(env)
  const loaded = project
  return {
    endpoint,
    env,
    home,
    project,
    requestTimeoutMs: timeoutMs,
    async managementClient(options = {}) {
      const auth = await resolveManagementAuth({debug, endpoint, env: authEnv, home})
      return new ManagementClient({
        credential: auth.description,
        debug,
        env: authEnv,
        secretFromEnv: authEnv.PRISMA_MANAGEMENT_API_SECRET !== undefined,
        serverName: endpoint.clusterName,
        signal: o.signal,
        timeoutMs: options.timeoutMs ?? timeoutMs,
        token: auth.token,
        url: endpoint.managementUrl,
      })
    },
    publicClient() {
      return new ManagementClient({debug, env, serverName: endpoint.clusterName, timeoutMs, url: endpoint.managementUrl})
    },
    async serviceClient(options = {}) {
      const [{ServiceClient}, {signServiceToken}] = await Promise.all([import('../data/service.js'), import('../tokens/index.js')])
      const secret = loaded?.secrets.find((value) => value.length > 0)
      const now = Math.floor((options.now ?? Date.now)() / 1000)
      // one hour is plenty for one command; the original's seven days would outlive it for nothing
      const token = secret ? signServiceToken({expiresInSeconds: 60 * 60, now, secret, service: endpoint.service, stage: endpoint.stage}).token : undefined
      return new ServiceClient({
        debug,
        env,
        file: loaded?.file ?? endpointVariable,
        service: endpoint.service,
        signal: o.signal,
        stage: endpoint.stage,
        timeoutMs: options.timeoutMs ?? timeoutMs,
        token,
        url: endpoint.httpUrl,
      })
    },
  }
}

/** prisma.yml with its files and variables, its warnings (unresolved variables) shown as notices. */
export async function readProject(o: Pick<StageOptions, 'cwd' | 'env' | 'flags' | 'io' | 'requireDatamodel'>): Promise<Project> {
  const {flags} = o
  const project = await loadProject({cwd: o.cwd, env: o.env, envFile: flags['env-file'], options: flags, project: flags.project, requireDatamodel: o.requireDatamodel})
  for (const warning of project.warnings) o.io.notice(warning)
  return project
}

/** The stage's prisma.yml, for the actions that cannot run without one. */
export function projectOf(stage: Stage): Project {
  if (!stage.project) throw new Error('openStage returned no project although the command requires one')
  return stage.project
}

/** The server's answer for an unknown service stage (code 4000), in the server's words plus where it was asked. */
export function serviceNotFound(endpoint: ParsedEndpoint, cause?: unknown): UserError {
  return new NotFoundError(
    `No service with name '${endpoint.managementName}' and stage '${endpoint.stage}' found on the server ${endpoint.serverUrl}. ` +
      `Check the endpoint (prisma.yml or ${endpointVariable}); prisma list shows the service stages on the server.`,
    {cause},
  )
}

/** export and import need the relational connector's export and import APIs. */
export function requireRelational(project: Project, command: string): void {
  if (project.definition.databaseType !== 'document') return
  throw new DataError(
    `prisma ${command} works with relational databases only, and ${project.file} says \`databaseType: document\`. ` +
      `Use your database's own tools instead (mongodump / mongorestore).`,
    {},
  )
}
