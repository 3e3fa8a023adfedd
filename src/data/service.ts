/**
 * The service (data) API as the data commands use it: GraphQL operations on the service endpoint, `resetData` on
 * `<endpoint>/private`, and the JSON endpoints `<endpoint>/export` and `<endpoint>/import`. One place retries
 * throttled requests (code 1004) with backoff, reports `Throttled-By` (with DEBUG) and turns the token and
 * "project not found" errors into advice. The service token never appears in a message.
 */
import {isConnectionReset, isThrottled, requestGraphQL, ServerError, withRetry} from '../http/graphql.js'
import {postJson} from '../http/json.js'
import {redact} from '../management-api/errors.js'

export interface ServiceTarget {
  /** The service's data endpoint (ParsedEndpoint.httpUrl). */
  url: string
  service: string
  stage: string
  /** The service token, when prisma.yml has a secret. */
  token?: string
  /** prisma.yml, for advice in messages. */
  file?: string
  /** Per-request bound (ms). */
  timeoutMs?: number
  signal?: AbortSignal
  debug?: (line: string) => void
  fetch?: typeof fetch
}

export interface ExportCursor {
  table: number
  row: number
  field: number
  array: number
}

export interface ExportPage {
  elements: unknown[]
  cursor: ExportCursor
}

export type NdfKind = 'nodes' | 'lists' | 'relations'

export const startCursor: ExportCursor = Object.freeze({array: 0, field: 0, row: 0, table: 0})

/** The server says a walk is finished with a cursor whose numbers add up to less than zero (all -1). */
export function cursorDone(cursor: ExportCursor): boolean {
  return cursor.table + cursor.row + cursor.field + cursor.array < 0
}

export class ServiceClient {
  /** Requests sent so far (every attempt). */
  requestCount = 0

  constructor(readonly target: ServiceTarget) {}

  /** One GraphQL operation, sent as written (no variables). Returns its `data`. */
  async operation(query: string, name: string): Promise<unknown> {
    return this.send(name, this.target.url, false, async () => {
      const response = await requestGraphQL<unknown>({
        fetch: this.target.fetch,
        query,
        signal: this.target.signal,
        timeoutMs: this.target.timeoutMs,
        token: this.target.token,
        url: this.target.url,
      })
      return {headers: response.headers, value: response.data}
    })
  }

  /** Deletes every node, list value and relation of the service stage. */
  async resetData(): Promise<void> {
    const url = `${this.target.url}/private`
    await this.send('resetData', url, true, async () => {
      const response = await requestGraphQL<{resetData?: unknown}>({
        fetch: this.target.fetch,
        query: 'mutation { resetData }',
        signal: this.target.signal,
        timeoutMs: this.target.timeoutMs,
        token: this.target.token,
        url,
      })
      return {headers: response.headers, value: response.data}
    })
  }

  /** One page of the export walk of `kind`, starting at `cursor`. */
  async exportPage(kind: NdfKind, cursor: ExportCursor): Promise<ExportPage> {
    const url = `${this.target.url}/export`
    const body = await this.send(`export ${kind}`, url, true, () => this.post(url, JSON.stringify({cursor, fileType: kind})))
    const page = body as {out?: {jsonElements?: unknown}; cursor?: Partial<ExportCursor>}
    const next = page?.cursor
    if (!page || !Array.isArray(page.out?.jsonElements) || !next || typeof next.table !== 'number' || typeof next.row !== 'number') {
      throw new ServerError(`The server at ${url} answered the export with something that is not an export page.`, {kind: 'not-json', url})
    }

    return {
      cursor: {array: next.array ?? 0, field: next.field ?? 0, row: next.row, table: next.table},
      elements: page.out.jsonElements as unknown[],
    }
  }

  /** Uploads one NDF document (its text as read). Returns the per-row errors the server reported ([] when none). */
  async importChunk(text: string): Promise<string[]> {
    const url = `${this.target.url}/import`
    // not retried after a connection reset: the server may have inserted the rows, and a second upload would clash
    const body = await this.send('import', url, false, () => this.post(url, text))
    if (!Array.isArray(body)) throw new ServerError(`The server at ${url} answered the import with something that is not a list of errors.`, {kind: 'not-json', url})
    return body.map((entry) => (typeof entry === 'string' ? entry : JSON.stringify(entry)))
  }

  private async post(url: string, body: string): Promise<{headers: Headers; value: unknown}> {
    const response = await postJson({body, fetch: this.target.fetch, signal: this.target.signal, timeoutMs: this.target.timeoutMs, token: this.target.token, url})
    return {headers: response.headers, value: response.body}
  }

  private async send<T>(what: string, url: string, idempotent: boolean, attempt: () => Promise<{headers: Headers; value: T}>): Promise<T> {
    const debug = this.target.debug
    try {
      return await withRetry(
        async () => {
          this.requestCount++
          debug?.(`service request ${what} → ${url}`)
          const {headers, value} = await attempt()
          const throttled = headers.get('throttled-by')
          if (throttled) debug?.(`request ${what} was throttled by the server: ${throttled}`)
          return value
        },
        {
          onRetry: (error, count, delay) => debug?.(`retrying ${what} in ${delay} ms (attempt ${count + 1}): ${redact((error as Error).message, this.target.token)}`),
          shouldRetry: (error) => isThrottled(error) || (idempotent && isConnectionReset(error)),
          signal: this.target.signal,
        },
      )
    } catch (error) {
      throw this.explain(error)
    }
  }

  /** Advice for the errors a data request can meet; the server's own words otherwise, without the token. */
  private explain(error: unknown): unknown {
    if (!(error instanceof ServerError)) return error
    const {service, stage, file} = this.target
    const where = file ?? 'prisma.yml'
    const rebuild = (message: string) => new ServerError(message, {errors: error.errors, kind: error.kind, status: error.status, url: error.url})
    if (error.errors.some((entry) => entry.code === 3015)) {
      return rebuild(
        this.target.token
          ? `The server rejected the service token for ${service}@${stage} (code 3015). The token is signed with the first secret of ${where}; ` +
              'check that it is the secret the service was deployed with (deploy again after changing it).'
          : `The service ${service}@${stage} is protected by a secret, but ${where} has none, so no service token was sent (code 3015). ` +
              'Add the service\'s secret to prisma.yml (`secret: ...`, or `secret: ${env:PRISMA_SECRET}`).',
      )
    }

    if (error.errors.some((entry) => entry.code === 3016)) {
      return rebuild(`The service ${service} has no stage ${stage} on the server ${new URL(error.url).origin} (code 3016). Deploy it first with prisma deploy.`)
    }

    if (isThrottled(error)) {
      return rebuild(
        `The server at ${error.url} is throttling requests ("There are too many concurrent queries for this service.", code 1004) ` +
          'and kept refusing after several retries with backoff. Wait a moment and try again.',
      )
    }

    const token = this.target.token
    return token && error.message.includes(token) ? rebuild(redact(error.message, token)) : error
  }
}
