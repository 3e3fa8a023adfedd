/**
 * The Prisma Cloud API operations the CLI uses: the browser login flow (requestCloudToken / cloudTokenRequest),
 * the account query (`me`) and cluster tokens for Prisma Cloud servers. Every request goes through the shared request
 * path (src/http/client.ts); the session key travels only in the Authorization header and never into a message.
 */
import {describeDuration} from '../duration.js'
import {ServerAnswerError, TimeoutError} from '../errors.js'
import {ServerClient} from '../http/client.js'
import {ServerError} from '../http/graphql.js'
import {sleep} from '../time.js'

type Env = Record<string, string | undefined>

/** The original's account/login API; its cluster-token calls went to the older host below. */
export const defaultCloudApiUrl = 'https://api2.cloud.prisma.sh'
export const defaultClusterTokenApiUrl = 'https://api.cloud.prisma.sh'
export const defaultConsoleUrl = 'https://app.prisma.io'

/** `CLOUD_API_ENDPOINT`, else the original's default for that kind of call. */
export function cloudApiUrl(env: Env, purpose: 'account' | 'cluster-token' = 'account'): string {
  const configured = env.CLOUD_API_ENDPOINT?.trim()
  if (configured) return configured
  return purpose === 'account' ? defaultCloudApiUrl : defaultClusterTokenApiUrl
}

/** `PRISMA_CONSOLE_ENDPOINT`, else `http://localhost:3000` with the original's `CONSOLE_ENDPOINT=dev`, else app.prisma.io. */
export function consoleUrl(env: Env): string {
  const configured = env.PRISMA_CONSOLE_ENDPOINT?.trim()
  if (configured) return configured.replace(/\/+$/, '')
  return env.CONSOLE_ENDPOINT === 'dev' ? 'http://localhost:3000' : defaultConsoleUrl
}

export function loginUrl(env: Env, secret: string): string {
  return `${consoleUrl(env)}/cli-auth?secret=${encodeURIComponent(secret)}`
}

interface CallOptions {
  env: Env
  signal?: AbortSignal
  timeoutMs?: number
}

function cloudClient(o: CallOptions, token?: string): ServerClient {
  return new ServerClient({api: 'cloud', env: o.env, signal: o.signal, timeoutMs: o.timeoutMs ?? 15_000, token})
}

export interface CloudCluster {
  id?: string
  name: string
  /** The cluster's address as the cloud lists it; only its origin is used. */
  endpoint: string
}

export interface CloudWorkspace {
  id?: string
  slug: string
  name?: string
  clusters: CloudCluster[]
}

export interface CloudAccount {
  id?: string
  name?: string
  email?: string
  workspaces: CloudWorkspace[]
}

export const meQuery = `query {
  me {
    id
    name
    login {
      email
    }
    memberships {
      workspace {
        id
        slug
        name
        clusters {
          id
          name
          connectInfo {
            endpoint
          }
        }
      }
    }
  }
}`

interface MeAnswer {
  me: null | {
    id?: string
    name?: string
    login?: null | {email?: string} | Array<{email?: string}>
    memberships?: null | Array<{
      workspace?: null | {
        id?: string
        slug?: string
        name?: string
        clusters?: null | Array<{id?: string; name?: string; connectInfo?: null | {endpoint?: string}}>
      }
    }>
  }
}

/** The account behind a session key. A rejected key is a UserError (see isRejectedKey); so is an unreachable API. */
export async function fetchAccount(o: CallOptions & {sessionKey: string}): Promise<CloudAccount> {
  const url = cloudApiUrl(o.env)
  const data = await cloudClient(o, o.sessionKey).graphql<MeAnswer>('me', {idempotent: true, query: meQuery, url})
  if (!data.me) {
    throw new ServerError(`The Prisma Cloud API at ${url} does not accept the session key.`, {kind: 'graphql', url})
  }

  const login = Array.isArray(data.me.login) ? data.me.login[0] : data.me.login
  return {
    email: login?.email ?? undefined,
    id: data.me.id,
    name: data.me.name,
    workspaces: (data.me.memberships ?? []).flatMap((membership) => {
      const workspace = membership?.workspace
      if (!workspace?.slug) return []
      return [
        {
          clusters: (workspace.clusters ?? []).flatMap((cluster) =>
            cluster?.name ? [{endpoint: cluster.connectInfo?.endpoint ?? '', id: cluster.id ?? '', name: cluster.name}] : [],
          ),
          id: workspace.id ?? '',
          name: workspace.name ?? workspace.slug,
          slug: workspace.slug,
        },
      ]
    }),
  }
}

/** True when the cloud API answered and refused the key (as opposed to not answering at all). */
export function isRejectedKey(error: unknown): boolean {
  if (!(error instanceof ServerError)) return false
  if (error.kind === 'graphql') return true
  return error.kind === 'http' && (error.status === 401 || error.status === 403)
}

/** True when the cloud API could not be reached or did not answer in time. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof ServerError && (error.kind === 'unreachable' || error.kind === 'timeout')
}

export async function generateClusterToken(
  o: CallOptions & {sessionKey: string; workspaceSlug: string | null; clusterName: string; serviceName: string; stageName: string},
): Promise<string> {
  const url = cloudApiUrl(o.env, 'cluster-token')
  const data = await cloudClient(o, o.sessionKey).graphql<{generateClusterToken: null | {clusterToken?: string | null}}>('generateClusterToken', {
    query: `mutation ($input: GenerateClusterTokenRequest!) {
  generateClusterToken(input: $input) {
    clusterToken
  }
}`,
    url,
    variables: {
      input: {
        clusterName: o.clusterName,
        serviceName: o.serviceName,
        stageName: o.stageName,
        workspaceSlug: o.workspaceSlug ?? '*',
      },
    },
  })
  const token = data.generateClusterToken?.clusterToken
  if (!token) {
    throw new ServerAnswerError(`The Prisma Cloud API at ${url} did not return a token for the cluster ${o.clusterName}.`)
  }

  return token
}

/** Step 1 of the browser login: a one-time secret the console page is opened with. */
export async function requestLoginSecret(o: CallOptions): Promise<string> {
  const url = cloudApiUrl(o.env)
  const data = await cloudClient(o).graphql<{requestCloudToken: null | {secret?: string | null}}>('requestCloudToken', {
    query: 'mutation {\n  requestCloudToken {\n    secret\n  }\n}',
    url,
  })
  const secret = data.requestCloudToken?.secret
  if (!secret) throw new ServerAnswerError(`The Prisma Cloud API at ${url} did not start a login (no secret in its answer).`)
  return secret
}

/**
 * Step 2: asks for the session key once a second (the first time immediately) until the user approved the login
 * in the browser, `timeoutMs` passed, or `signal` aborted. Brief network failures are retried until the deadline.
 */
export async function pollLoginToken(
  o: CallOptions & {secret: string; intervalMs?: number; timeoutMs?: number; onWait?: () => void},
): Promise<string> {
  const url = cloudApiUrl(o.env)
  const intervalMs = o.intervalMs ?? 1000
  const totalMs = o.timeoutMs ?? 5 * 60_000
  const deadline = Date.now() + totalMs
  const client = cloudClient(o)
  for (;;) {
    if (o.signal?.aborted) throw o.signal.reason
    try {
      // (brief network failures are retried by this loop, until the deadline)
      const data = await client.graphql<{cloudTokenRequest: null | {secret?: string; token?: string | null}}>('cloudTokenRequest', {
        query: 'query ($secret: String!) {\n  cloudTokenRequest(secret: $secret) {\n    secret\n    token\n  }\n}',
        timeoutMs: Math.max(1000, Math.min(15_000, deadline - Date.now())),
        url,
        variables: {secret: o.secret},
      })
      const token = data.cloudTokenRequest?.token
      if (token) return token
    } catch (error) {
      if (o.signal?.aborted || !isUnreachable(error)) throw error
    }

    if (Date.now() + intervalMs > deadline) {
      throw new TimeoutError(
        `The login was not completed in the browser within ${describeDuration(totalMs)}. Run prisma login again ` +
          '(--timeout to wait longer), or log in with a session key: prisma login --key <key>.',
      )
    }

    o.onWait?.()
    await sleep(intervalMs, o.signal)
  }
}
