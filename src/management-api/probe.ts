/**
 * Whether a Prisma server runs at an address, and whether it wants a token: the endpoint wizard's probe. Both
 * requests are unauthenticated, as the original's: `serverInfo` answers (or, before 1.8, `listProjects` does) => a
 * server runs there; `listProjects` refused => it needs authentication.
 */
import {describeDuration} from '../duration.js'
import {ServerClient} from '../http/client.js'
import {ServerError} from '../http/graphql.js'
import {ManagementClient} from './client.js'
import {isAuthError} from './errors.js'

export interface ServerReachability {
  /** The server answered `serverInfo`. */
  reachable: boolean
  /** The server refuses unauthenticated management requests. */
  needsAuth: boolean
  /** Why it could not be reached, in a few words for the user. */
  error?: string
}

/** Probes the server at `base` (`http://localhost:4466`), each request bounded by `timeoutMs` (default 5 s). */
export async function probeServer(
  base: string,
  o: {debug?: (line: string) => void; env?: Record<string, string | undefined>; timeoutMs?: number} = {},
): Promise<ServerReachability> {
  const timeoutMs = o.timeoutMs ?? 5000
  const client = new ManagementClient({debug: o.debug, env: o.env, serverName: base, timeoutMs, url: `${base}/management`})
  let version: string | undefined
  try {
    version = await client.serverVersion()
  } catch (error) {
    return {error: unreachableReason(error, timeoutMs), needsAuth: false, reachable: false}
  }

  try {
    await client.request('listProjects', 'query { listProjects { name } }', {}, {idempotent: true})
    return {needsAuth: false, reachable: true}
  } catch (error) {
    // Servers before 1.8 have no serverInfo; their listProjects (answered, or refused for want of a token) still
    // tells a Prisma server. Anything else answering neither is not one.
    if (version === undefined && !(error instanceof ServerError && isAuthError(error))) return {error: 'it does not answer like a Prisma server', needsAuth: false, reachable: false}
    return {needsAuth: true, reachable: true}
  }
}

/** Why a server did not answer the probe, in a few words. */
export function unreachableReason(error: unknown, timeoutMs = 5000): string {
  const failure = error as {kind?: string; networkCode?: string; status?: number; message?: string}
  if (failure.kind === 'timeout') return `no answer within ${describeDuration(timeoutMs)}`
  if (failure.networkCode === 'ECONNREFUSED') return 'connection refused'
  if (failure.networkCode === 'ENOTFOUND' || failure.networkCode === 'EAI_AGAIN') return 'host not found'
  if (failure.kind === 'unreachable') return failure.networkCode ?? 'not reachable'
  if (failure.kind === 'http') return `it answered HTTP ${failure.status ?? 'error'}, not like a Prisma server`
  if (failure.kind === 'not-json' || failure.kind === 'too-large') return 'it does not answer like a Prisma server'
  return (failure.message ?? String(error)).split('\n')[0]
}

/** The bound of the Prisma Cloud API probe: the wizard's first question waits for it. */
export const cloudProbeTimeoutMs = 1000

/**
 * Whether the Prisma Cloud API at `url` answers a GraphQL request (`{ __typename }`) within `timeoutMs`: the wizard
 * offers the demo servers and Prisma Cloud workspaces only then. A GraphQL error is an answer; no answer in time, a
 * refused connection, an HTTP error or a page that is not GraphQL are not.
 */
export async function probeCloudApi(
  url: string,
  o: {debug?: (line: string) => void; env?: Record<string, string | undefined>; timeoutMs?: number} = {},
): Promise<{answered: boolean; error?: string}> {
  const timeoutMs = o.timeoutMs ?? cloudProbeTimeoutMs
  try {
    await new ServerClient({api: 'cloud', debug: o.debug, env: o.env, timeoutMs}).graphql('probe', {query: '{ __typename }', url})
    return {answered: true}
  } catch (error) {
    if (error instanceof ServerError && error.kind === 'graphql') return {answered: true}
    const reason = unreachableReason(error, timeoutMs)
    o.debug?.(`Prisma Cloud API at ${url} did not answer: ${reason}`)
    return {answered: false, error: reason}
  }
}
