/**
 * The one GraphQL-over-HTTP client of the tool (management API, cloud API). It sends through node:http
 * (src/http/transport.ts, proxies from the environment it is given), bounds every request in time and size, and turns each way a request can fail into a ServerError the user can read. It never
 * puts the Authorization header, the variables or the response body's secrets into a message.
 */
import {describeDuration, parseDuration} from '../duration.js'
import {type ErrorCode, UserError} from '../errors.js'
import {sleep} from '../time.js'
import type {Env} from './proxy.js'
import {post, type PostResponse, ProxyTunnelError, ResponseTooLargeError} from './transport.js'

export interface GraphQLErrorEntry {
  message: string
  code?: number
  requestId?: string
  path?: Array<number | string>
}

export type ServerErrorKind = 'graphql' | 'http' | 'not-json' | 'timeout' | 'too-large' | 'unreachable'

const serverErrorCodes: Record<ServerErrorKind, ErrorCode> = {
  graphql: 'SERVER_ERROR',
  http: 'SERVER_UNREACHABLE',
  'not-json': 'SERVER_UNREACHABLE',
  timeout: 'SERVER_UNREACHABLE',
  'too-large': 'SERVER_ERROR',
  unreachable: 'SERVER_UNREACHABLE',
}

export class ServerError extends UserError {
  readonly kind: ServerErrorKind
  readonly url: string
  readonly status?: number
  readonly errors: GraphQLErrorEntry[]
  readonly data?: unknown
  /** The system error code of a network failure (ECONNRESET, ENOTFOUND, …), when there was one. */
  readonly networkCode?: string

  constructor(
    message: string,
    details: {
      cause?: unknown
      /** The error document's code when the kind alone does not say it (a refused credential). */
      code?: ErrorCode
      data?: unknown
      errors?: GraphQLErrorEntry[]
      kind: ServerErrorKind
      networkCode?: string
      status?: number
      url: string
    },
  ) {
    super(message, {cause: details.cause, code: details.code ?? serverErrorCodes[details.kind]})
    this.name = 'ServerError'
    this.kind = details.kind
    this.url = details.url
    this.status = details.status
    this.errors = details.errors ?? []
    this.data = details.data
    this.networkCode = details.networkCode
  }

  /** The first management error code the server sent, if any (4000, 3016, …). */
  get serverCode(): number | undefined {
    return this.errors.find((entry) => typeof entry.code === 'number')?.code
  }
}

/** One POST of a request body, with the bounds and failure messages every request to a server shares. */
export interface PostRequest {
  url: string
  /** The request body, already JSON text. */
  body: string
  /** Sent as `Authorization: Bearer <token>` when present. */
  token?: string
  /** Per-request bound; default 30 s. */
  timeoutMs?: number
  /** Responses larger than this are refused; default 16 MiB. */
  maxBytes?: number
  signal?: AbortSignal
  /**
   * The environment the settings come from (HTTPS_PROXY, HTTP_PROXY, NO_PROXY): the process environment merged
   * with the project's .env. Default: the process environment.
   */
  env?: Env
}

const defaultTimeoutMs = 30_000

/** The bound of each request to a server: PRISMA_REQUEST_TIMEOUT of the merged environment (a duration), else 30 s. */
export function requestTimeoutMs(env: Env): number {
  const configured = env.PRISMA_REQUEST_TIMEOUT
  return configured ? parseDuration(configured, 'PRISMA_REQUEST_TIMEOUT', 'env') : defaultTimeoutMs
}

const defaultMaxBytes = 16 * 1024 * 1024

/**
 * POSTs JSON text to a server: bounded in time and size, through the proxy the environment names, each way it can
 * fail turned into a ServerError (a caller's abort is passed on as its reason).
 */
export async function postToServer(request: PostRequest): Promise<PostResponse> {
  const {url} = request
  const timeoutMs = request.timeoutMs ?? defaultTimeoutMs
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout
  const headers: Record<string, string> = {'content-type': 'application/json', accept: 'application/json'}
  if (request.token) headers.authorization = `Bearer ${request.token}`
  const {body} = request
  const maxBytes = request.maxBytes ?? defaultMaxBytes

  try {
    if (!/^https?:\/\//i.test(url)) throw new ServerError(`${url} is not an http:// or https:// address.`, {kind: 'unreachable', url})
    return await post({body, env: request.env ?? process.env, headers, maxBytes, signal, url})
  } catch (error) {
    if (error instanceof UserError) throw error
    if (request.signal?.aborted) throw request.signal.reason ?? error
    if (timeout.aborted) {
      throw new ServerError(`The server at ${url} did not answer within ${describeDuration(timeoutMs)}.`, {
        cause: error,
        kind: 'timeout',
        url,
      })
    }

    if (error instanceof ResponseTooLargeError) throw tooLarge(url, maxBytes)
    throw new ServerError(describeNetworkFailure(url, error), {
      cause: error,
      kind: 'unreachable',
      networkCode: networkCodeOf(error),
      url,
    })
  }
}

/** A GraphQL answer's `data`; throws a ServerError for `errors`, an HTTP error status or text that is not JSON. */
export function readGraphQL<T>(text: string, status: number, url: string): T {
  const payload = (readJson(text, status, url, 'a GraphQL response') ?? {}) as {data?: unknown}
  if (payload.data === undefined || payload.data === null || status < 200 || status >= 300) throw httpError(url, status, text)
  return payload.data as T
}

/**
 * Parses an answer; throws a ServerError for `{"errors": [...]}` (or a management error `{"code", "error"}`), an HTTP
 * error status or text that is not JSON.
 */
export function readJson(text: string, status: number, url: string, expected?: string): unknown {
  const ok = status >= 200 && status < 300
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    if (!ok) throw httpError(url, status, text)
    throw new ServerError(
      `The server at ${url} answered with ${/^\s*</.test(text) ? 'an HTML page' : 'something that is not JSON'} (HTTP ${status})` +
        `${expected ? ` instead of ${expected}` : ''}. Check that the endpoint points to a Prisma server.`,
      {cause: error, kind: 'not-json', status, url},
    )
  }

  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const payload = body as {code?: unknown; data?: unknown; error?: unknown; errors?: unknown}
    const errors = normaliseErrors(payload)
    if (errors.length > 0) {
      throw new ServerError(errors.map((entry) => entry.message).join('\n'), {data: payload.data, errors, kind: 'graphql', status, url})
    }
  }

  if (!ok) throw httpError(url, status, text)
  return body
}

/** `text` without the token, and without anything else that looks like a JWT (three base64url parts). */
export function redactToken(text: string, token?: string): string {
  let result = text
  if (token) result = result.split(token).join('[token]')
  return result.replaceAll(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]')
}

export function normaliseErrors(payload: {code?: unknown; error?: unknown; errors?: unknown}): GraphQLErrorEntry[] {
  if (Array.isArray(payload.errors)) {
    return payload.errors.map((entry) => {
      const error = (entry ?? {}) as Record<string, unknown>
      return {
        code: typeof error.code === 'number' ? error.code : undefined,
        message: typeof error.message === 'string' ? error.message : 'The server reported an error without a message.',
        path: Array.isArray(error.path) ? (error.path as Array<number | string>) : undefined,
        requestId: typeof error.requestId === 'string' ? error.requestId : undefined,
      }
    })
  }

  // A management error rendered outside execution: {"code": N, "requestId": "…", "error": "…"}
  if (typeof payload.code === 'number' && typeof payload.error === 'string') {
    return [{code: payload.code, message: payload.error}]
  }

  return []
}

export function httpError(url: string, status: number, text: string): ServerError {
  const excerpt = text.replaceAll(/\s+/g, ' ').trim().slice(0, 200)
  return new ServerError(
    `The server at ${url} answered HTTP ${status}${excerpt ? `: ${excerpt.replace(/[.!]+$/, '')}` : ''}.` +
      (status >= 500 ? ' The server had a problem; try again, and check the server logs if it persists.' : ''),
    {kind: 'http', status, url},
  )
}

function tooLarge(url: string, maxBytes: number): ServerError {
  return new ServerError(
    `The server at ${url} sent a response larger than ${Math.round(maxBytes / 1024 / 1024)} MB; refusing to read it.`,
    {kind: 'too-large', url},
  )
}

function networkCodeOf(error: unknown): string | undefined {
  const cause = (error as {cause?: {code?: unknown}}).cause
  const code = cause?.code ?? (error as {code?: unknown}).code
  return typeof code === 'string' ? code : undefined
}

function describeNetworkFailure(url: string, error: unknown): string {
  if (error instanceof ProxyTunnelError) {
    const advice =
      error.status === 407
        ? ' The proxy asks for credentials: give them in the proxy address (http://user:password@proxy:port).'
        : ' Check HTTPS_PROXY / HTTP_PROXY, or list the host in NO_PROXY to reach it directly.'
    return `Could not reach the server at ${url}: ${error.message}.${advice}`
  }

  // fetch puts the system error under `cause`; node:http gives it as is
  const cause = ((error as {cause?: unknown}).cause ?? error) as {code?: string; message?: string}
  const code = networkCodeOf(error) ?? ''
  const host = safeHost(url)
  if (code === 'ECONNREFUSED') {
    const local = /^(localhost|127\.|\[::1\])/.test(host)
    return (
      `Could not connect to the server at ${url}: the connection was refused.` +
      (local ? ' Is the Prisma server running? Start it (for example with docker-compose up -d) and try again.' : '')
    )
  }

  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    // (also used for the cloud API, so the message does not presume the address came from prisma.yml)
    return `Could not resolve the host name "${host}" of ${url}. Check that the address is right and that your network can reach it.`
  }

  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return `The server at ${url} closed the connection before answering. Try again; check the server if it persists.`
  }

  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(cause?.message ?? '')) {
    return (
      `A secure connection to ${url} could not be established (${code || 'wrong version number'}): the server does not ` +
      'speak HTTPS on that port. If it is a plain HTTP server, use http:// instead of https://.'
    )
  }

  if (/CERT|SSL|TLS/i.test(code) || /certificate|ssl|tls/i.test(cause?.message ?? '')) {
    return `A secure connection to ${url} could not be established (${code || cause?.message}). Check the server's TLS certificate.`
  }

  return `Could not reach the server at ${url}${code ? ` (${code})` : ''}.`
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Retries with exponential backoff and jitter, for the failures that are worth a second try: a connection reset
// (the server or a proxy dropped an idle connection) on a request that may be repeated, and the throttling
// rejection "too many concurrent queries" (code 1004).

export interface RetryOptions {
  /** Attempts after the first one. */
  retries?: number
  baseMs?: number
  maxMs?: number
  signal?: AbortSignal
  /** Decides whether an error is worth another attempt. */
  shouldRetry?: (error: unknown, attempt: number) => boolean
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  random?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

export function isConnectionReset(error: unknown): boolean {
  if (!(error instanceof ServerError) || error.kind !== 'unreachable') return false
  return ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED'].includes(error.networkCode ?? '')
}

export function isThrottled(error: unknown): boolean {
  return error instanceof ServerError && error.errors.some((entry) => entry.code === 1004)
}

export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1))
  // "full jitter" in the upper half: never zero, never above the ceiling
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 4
  const baseMs = options.baseMs ?? 250
  const maxMs = options.maxMs ?? 4000
  const shouldRetry = options.shouldRetry ?? ((error) => isConnectionReset(error) || isThrottled(error))
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt)
    } catch (error) {
      if (attempt >= retries || options.signal?.aborted || !shouldRetry(error, attempt + 1)) throw error
      const delay = retryDelay(attempt + 1, baseMs, maxMs, options.random)
      options.onRetry?.(error, attempt + 1, delay)
      await (options.sleep ?? sleep)(delay, options.signal)
    }
  }
}
