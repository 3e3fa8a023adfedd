/**
 * What the commands that work on a deployed service stage share: the project (prisma.yml, or only
 * PRISMA_MANAGEMENT_API_ENDPOINT where a command allows it), its endpoint, and Management API clients with the token
 * the credential rules give (src/auth/management-token.ts) and the request bound of PRISMA_REQUEST_TIMEOUT.
 */
import {resolveManagementAuth} from '../auth/management-token.js'
import {NotFoundError, ProjectError, UserError} from '../errors.js'
import {findProjectFile, loadEnvironment, loadProject, missingEndpoint, NOT_FOUND_MESSAGE, parseEndpoint, type ParsedEndpoint, type Project} from '../project/index.js'
import {ManagementClient} from '../management-api/client.js'
import {requestTimeoutMs} from '../http/graphql.js'

type Env = Record<string, string | undefined>

export const endpointVariable = 'PRISMA_MANAGEMENT_API_ENDPOINT'

export interface ServiceContextOptions {
  cwd: string
  env: Env
  /** --env-file */
  envFile?: string
  /** --project */
  project?: string
  /** The command's parsed flags, for ${opt:NAME} in prisma.yml. */
  options?: Record<string, unknown>
  /** prisma.yml may be missing when PRISMA_MANAGEMENT_API_ENDPOINT names the server (`list`). */
  projectOptional?: boolean
  /** Receives the DEBUG lines (requests, which credential signed the token). */
  debug?: (line: string) => void
  /** Receives each `[WARNING] …` line of reading prisma.yml, before anything goes to the network. */
  onWarning?: (line: string) => void
}

export interface ServiceContext {
  /** Undefined only when the command allows running without prisma.yml and none was found. */
  project?: Project
  /** The merged environment (process environment plus .env or --env-file). */
  env: Env
  endpoint: ParsedEndpoint
  debug?: (line: string) => void
}

/** Reads prisma.yml (when there is one, or when it is required) and the endpoint; nothing goes to the network. */
export async function loadServiceContext(o: ServiceContextOptions): Promise<ServiceContext> {
  if (o.projectOptional && o.project === undefined && (await findProjectFile({cwd: o.cwd}).catch(() => undefined)) === undefined) {
    const env = await loadEnvironment({cwd: o.cwd, env: o.env, envFile: o.envFile})
    const fromEnv = env[endpointVariable]?.trim()
    if (!fromEnv) {
      throw new ProjectError(`${NOT_FOUND_MESSAGE} Without one, set ${endpointVariable} to an endpoint on the server, e.g. http://localhost:4466.`)
    }

    return {debug: o.debug, endpoint: parseEndpoint(fromEnv, endpointVariable), env}
  }

  const project = await loadProject({cwd: o.cwd, env: o.env, envFile: o.envFile, options: o.options, project: o.project})
  for (const warning of project.warnings) o.onWarning?.(warning)
  if (!project.endpoint) throw missingEndpoint(project.file)

  return {debug: o.debug, endpoint: project.endpoint, env: project.env, project}
}


/** A client for the service's server carrying the Management API token of the credential rules (if any applies). */
export async function openManagementClient(context: ServiceContext, o: {home: string; signal?: AbortSignal}): Promise<ManagementClient> {
  const {endpoint, env} = context
  const auth = await resolveManagementAuth({debug: context.debug, endpoint, env, home: o.home})
  return new ManagementClient({
    credential: auth.description,
    debug: context.debug,
    env,
    secretFromEnv: env.PRISMA_MANAGEMENT_API_SECRET !== undefined,
    serverName: endpoint.clusterName,
    signal: o.signal,
    timeoutMs: requestTimeoutMs(env),
    token: auth.token,
    url: endpoint.managementUrl,
  })
}

/** A client without a token, for what a server answers everyone (serverInfo). */
export function openPublicClient(context: ServiceContext): ManagementClient {
  return new ManagementClient({
    debug: context.debug,
    env: context.env,
    serverName: context.endpoint.clusterName,
    timeoutMs: requestTimeoutMs(context.env),
    url: context.endpoint.managementUrl,
  })
}

/** The server's answer for an unknown service stage (code 4000), in the server's words plus where it was asked. */
export function serviceNotFound(endpoint: ParsedEndpoint, cause?: unknown): UserError {
  return new NotFoundError(
    `No service with name '${endpoint.managementName}' and stage '${endpoint.stage}' found on the server ${endpoint.serverUrl}. ` +
      'Check the endpoint (prisma.yml or PRISMA_MANAGEMENT_API_ENDPOINT); prisma list shows the service stages on the server.',
    {cause},
  )
}
