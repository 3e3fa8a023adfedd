/**
 * What the token commands need from the project: the merged environment (process env + .env / --env-file), the
 * parsed endpoint and, for `token`, the service's secrets. Reading the project fails with a ProjectError.
 */
import * as project from '../project/index.js'
import {explicitSecret, type EndpointForAuth} from './management-token.js'

type Env = Record<string, string | undefined>

export interface TokenContext {
  env: Env
  endpoint?: EndpointForAuth
  /** prisma.yml's path when one was read. */
  file?: string
  secrets: string[]
}

export interface ContextOptions {
  cwd: string
  project?: string
  envFile?: string
  /** The process environment. */
  env: Env
  /** The command's parsed flags, for ${opt:NAME} in prisma.yml. */
  options?: Record<string, unknown>
  /** Learns why prisma.yml was passed over (for DEBUG). */
  debug?: (line: string) => void
}

/**
 * For `cluster-token`: prisma.yml is optional. When PRISMA_MANAGEMENT_API_SECRET is set, a missing or broken
 * prisma.yml (or endpoint) does not matter, since the token needs neither. Without the secret, problems reading
 * prisma.yml are reported as usual.
 */
export async function readClusterTokenContext(o: ContextOptions): Promise<TokenContext> {
  const environment = () => project.loadEnvironment({cwd: o.cwd, env: o.env, envFile: o.envFile})

  let file: string | undefined
  try {
    file = o.project === undefined ? await project.findProjectFile({cwd: o.cwd}) : undefined
  } catch {
    file = undefined
  }

  let context: TokenContext
  if (o.project !== undefined || file !== undefined) {
    try {
      context = await readServiceTokenContext(o)
    } catch (error) {
      const env = await environment()
      if (explicitSecret(env) === undefined) throw error
      o.debug?.(`prisma.yml was not used (${(error as Error).message.split('\n')[0]}); PRISMA_MANAGEMENT_API_SECRET is set, so it is not needed.`)
      context = {env, secrets: []}
    }
  } else {
    context = {env: await environment(), secrets: []}
  }

  const fallback = context.env.PRISMA_MANAGEMENT_API_ENDPOINT?.trim()
  if (!context.endpoint && fallback) {
    try {
      context.endpoint = project.parseEndpoint(fallback, 'PRISMA_MANAGEMENT_API_ENDPOINT')
    } catch (error) {
      if (explicitSecret(context.env) === undefined) throw error
    }
  }

  return context
}

/** For `token`: prisma.yml is required (the secret and the service name come from it). */
export async function readServiceTokenContext(o: ContextOptions): Promise<TokenContext & {file: string}> {
  const loaded = await project.loadProject({cwd: o.cwd, env: o.env, envFile: o.envFile, options: o.options, project: o.project})
  return {endpoint: loaded.endpoint, env: loaded.env, file: loaded.file, secrets: loaded.secrets ?? []}
}
