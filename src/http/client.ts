/**
 * The one request path to every server the tool talks to (the Management API, a service's data API, the Prisma Cloud
 * API): a POST through node:http (src/http/transport.ts) bounded in time and size, retried with backoff when the
 * server throttles (code 1004) or, for requests that may be repeated, when the connection was reset; `Throttled-By`
 * reported with DEBUG; the answer read as GraphQL or JSON; and every failure turned into a ServerError whose message
 * says what to do and never holds the token. The clients of each API add only their operations and their advice.
 */
import {type Env} from './proxy.js'
import {
  isConnectionReset,
  isThrottled,
  postToServer,
  readGraphQL,
  readJson,
  redactToken,
  ServerError,
  withRetry,
} from './graphql.js'
import type {PostResponse} from './transport.js'

export interface ServerClientOptions {
  /** Which API, in DEBUG lines: `management`, `service`, `cloud`. */
  api: string
  /** Sent as `Authorization: Bearer <token>` when present; never shown. */
  token?: string
  /** The environment the transport's settings (proxies) come from: the process environment merged with .env. */
  env?: Env
  /** Per-request bound in milliseconds (default 30 s). */
  timeoutMs?: number
  signal?: AbortSignal
  /** Receives one line per request, per retry and per `Throttled-By` header (with DEBUG). */
  debug?: (line: string) => void
  /**
   * The API's own advice for a server error (a refused credential, an unknown stage), or undefined to keep the
   * server's words. What it returns is redacted like any other message.
   */
  explain?: (error: ServerError) => ServerError | undefined
}

export interface SendOptions {
  url: string
  /** The request may be sent again after a connection reset (throttled requests are always sent again). */
  idempotent?: boolean
  timeoutMs?: number
  /** Largest answer accepted (default 16 MB). */
  maxBytes?: number
  signal?: AbortSignal
}

const throttledAdvice =
  '("There are too many concurrent queries for this service.", code 1004) and kept refusing after several retries with backoff. Wait a moment and try again.'

export class ServerClient {
  /** Requests sent so far (every attempt). */
  requestCount = 0

  constructor(private readonly options: ServerClientOptions) {}

  /** One GraphQL operation; returns its `data`. */
  async graphql<T>(operation: string, request: SendOptions & {query: string; variables?: Record<string, unknown>}): Promise<T> {
    const body = JSON.stringify({query: request.query, variables: request.variables ?? {}})
    return this.send(operation, {...request, body}, (answer) => readGraphQL<T>(answer.text, answer.status, request.url))
  }

  /** One POST of JSON text to an endpoint that answers JSON (`/export`, `/import`); returns the parsed answer. */
  async json(operation: string, request: SendOptions & {body: string}): Promise<unknown> {
    return this.send(operation, request, (answer) => readJson(answer.text, answer.status, request.url))
  }

  /**
   * One POST whose answer `read` interprets (inside the attempt, so that an answer with a throttling error is sent
   * again like a failed request).
   */
  async send<T>(operation: string, request: SendOptions & {body: string}, read: (answer: PostResponse) => T): Promise<T> {
    const {debug, token} = this.options
    const signal = request.signal ?? this.options.signal
    try {
      return await withRetry(
        async () => {
          this.requestCount++
          debug?.(`${this.options.api} request ${operation} → ${request.url}`)
          const answer = await postToServer({
            body: request.body,
            env: this.options.env,
            maxBytes: request.maxBytes,
            signal,
            timeoutMs: request.timeoutMs ?? this.options.timeoutMs,
            token,
            url: request.url,
          })
          const throttled = answer.headers.get('throttled-by')
          // the server sends Throttled-By on every call of a throttled service, `0ms` when it was not delayed
          if (throttled && Number.parseInt(throttled, 10) !== 0) debug?.(`request ${operation} was throttled by the server: ${throttled}`)
          return read(answer)
        },
        {
          onRetry: (error, count, delay) => debug?.(`retrying ${operation} in ${delay} ms (attempt ${count + 1}): ${redactToken((error as Error).message, token)}`),
          shouldRetry: (error) => isThrottled(error) || (Boolean(request.idempotent) && isConnectionReset(error)),
          signal,
        },
      )
    } catch (error) {
      throw this.explain(error)
    }
  }

  /** The message the user sees for a failed request: the API's advice, the shared throttling advice, no token. */
  private explain(error: unknown): unknown {
    if (!(error instanceof ServerError)) return error
    const advised =
      this.options.explain?.(error) ??
      (isThrottled(error) ? rebuild(error, `The server at ${error.url} is throttling requests ${throttledAdvice}`) : error)
    const redacted = redactToken(advised.message, this.options.token)
    return redacted === advised.message ? advised : rebuild(advised, redacted)
  }
}

/** The same error with another message. */
export function rebuild(error: ServerError, message: string): ServerError {
  return new ServerError(message, {
    cause: error.cause,
    code: error.code,
    data: error.data,
    errors: error.errors,
    kind: error.kind,
    networkCode: error.networkCode,
    status: error.status,
    url: error.url,
  })
}
