/**
 * What the token commands need from the project: the merged environment (process env + .env / --env-file), the
 * parsed endpoint and, for `token`, the service's secrets. Also the one way a token leaves the tool (stdout, JSON
 * or the clipboard), shared by `token` and `cluster-token`.
 */
import {UserError} from '../errors.js'
import type {EndpointForAuth} from './management-token.js'

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
  env: Env
  /** The command's parsed flags, for ${opt:NAME} in prisma.yml. */
  options?: Record<string, unknown>
}

/**
 * For `cluster-token`: prisma.yml is optional. When PRISMA_MANAGEMENT_API_SECRET is set, a missing or broken
 * prisma.yml (or endpoint) does not matter, since the token needs neither. Without the secret, problems reading
 * prisma.yml are reported as usual.
 */
export async function readClusterTokenContext(o: ContextOptions): Promise<TokenContext> {
  const project = await import('../project/index.js')
  const {explicitSecret} = await import('./management-token.js')
  const debug = o.env.DEBUG ? (line: string) => process.stderr.write(`${line}\n`) : () => {}

  let file: string | undefined
  try {
    file = o.project === undefined ? await project.findProjectFile({cwd: o.cwd}) : undefined
  } catch {
    file = undefined
  }

  let context: TokenContext
  if (o.project !== undefined || file !== undefined) {
    try {
      const loaded = await project.loadProject({cwd: o.cwd, env: o.env, envFile: o.envFile, options: o.options, project: o.project})
      context = {endpoint: loaded.endpoint, env: loaded.env, file: loaded.file, secrets: loaded.secrets ?? []}
    } catch (error) {
      const env = await project.loadEnvironment({cwd: o.cwd, env: o.env, envFile: o.envFile})
      if (explicitSecret(env) === undefined) throw error
      debug(`prisma.yml was not used (${(error as Error).message.split('\n')[0]}); PRISMA_MANAGEMENT_API_SECRET is set, so it is not needed.`)
      context = {env, secrets: []}
    }
  } else {
    context = {env: await project.loadEnvironment({cwd: o.cwd, env: o.env, envFile: o.envFile}), secrets: []}
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
export async function readServiceTokenContext(o: ContextOptions): Promise<Required<Pick<TokenContext, 'env' | 'file' | 'secrets'>> & {endpoint?: EndpointForAuth}> {
  const project = await import('../project/index.js')
  const loaded = await project.loadProject({cwd: o.cwd, env: o.env, envFile: o.envFile, options: o.options, project: o.project})
  return {endpoint: loaded.endpoint, env: loaded.env, file: loaded.file, secrets: loaded.secrets ?? []}
}

export interface DeliveredToken {
  /** What goes to stdout (exactly one line, or a JSON document), if anything. */
  stdout?: string
  /** A notice for stderr, if any. */
  stderr?: string
}

/**
 * The token on stdout as one line; with `json`, a JSON object (the token included unless it was copied); with
 * `copy`, into the clipboard with a notice on stderr.
 */
export async function deliverToken(
  token: string,
  o: {copy?: boolean; json?: boolean; env: Env; details?: () => Record<string, unknown>},
): Promise<DeliveredToken> {
  const delivered: DeliveredToken = {}
  if (o.copy) {
    const {copyToClipboard} = await import('../tokens/clipboard.js')
    await copyToClipboard(token, {env: o.env})
    delivered.stderr = 'Token copied to clipboard\n'
  }

  if (o.json) {
    const document = {...(o.copy ? {copied: true} : {token}), ...o.details?.()}
    delivered.stdout = `${JSON.stringify(document, null, 2)}\n`
  } else if (!o.copy) {
    if (/[\r\n]/.test(token)) throw new UserError('The token contains a line break; refusing to print it as one line.')
    delivered.stdout = `${token}\n`
  }

  return delivered
}
