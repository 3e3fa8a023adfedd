/**
 * The service (data) API as the data commands use it: GraphQL operations on the service endpoint, `resetData` on
 * `<endpoint>/private`, and the JSON endpoints `<endpoint>/export` and `<endpoint>/import`. One place retries
 * throttled requests (code 1004) with backoff, reports `Throttled-By` (with DEBUG) and turns the token and
 * "project not found" errors into advice. The service token never appears in a message.
 */
import {isConnectionReset, isThrottled, requestGraphQL, ServerError, withRetry} from '../http/graphql.js'
import type {ResponseHeaders} from '../http/transport.js'
import {interpretJson, postForText, postJson} from '../http/json.js'
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
  /** The merged environment the transport's settings (proxies) come from. */
  env?: Record<string, string | undefined>
  fetch?: typeof fetch
}

export interface ExportCursor {
  table: number
  row: number
  field: number
  array: number
}

export interface ExportPage {
  /** The page's values as the JSON text of an array, exactly as the server sent them. */
  valuesJson: string
  /** How many values the page holds. */
  count: number
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
        env: this.target.env,
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
        env: this.target.env,
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

  /**
   * One page of the export walk of `kind`, starting at `cursor`. The values are passed on as the server's text, not
   * parsed: an export holds one page in memory, as text, and spends no time building objects it only writes out.
   */
  async exportPage(kind: NdfKind, cursor: ExportCursor): Promise<ExportPage> {
    const url = `${this.target.url}/export`
    const body = JSON.stringify({cursor, fileType: kind})
    // read inside the attempt, so that an answer with errors (throttling: 1004) is retried like a failed request
    return this.send(`export ${kind}`, url, true, async () => {
      const response = await postForText({body, env: this.target.env, fetch: this.target.fetch, signal: this.target.signal, timeoutMs: this.target.timeoutMs, token: this.target.token, url})
      return {headers: response.headers, value: readExportPage(response.text, response.status, url)}
    })
  }

  /** Uploads one NDF document (its text as read). Returns the per-row errors the server reported ([] when none). */
  async importChunk(text: string): Promise<string[]> {
    const url = `${this.target.url}/import`
    // not retried after a connection reset: the server may have inserted the rows, and a second upload would clash
    const body = await this.send('import', url, false, () => this.post(url, text))
    if (!Array.isArray(body)) throw new ServerError(`The server at ${url} answered the import with something that is not a list of errors.`, {kind: 'not-json', url})
    return body.map((entry) => (typeof entry === 'string' ? entry : JSON.stringify(entry)))
  }

  private async post(url: string, body: string): Promise<{headers: ResponseHeaders; value: unknown}> {
    const response = await postJson({body, env: this.target.env, fetch: this.target.fetch, signal: this.target.signal, timeoutMs: this.target.timeoutMs, token: this.target.token, url})
    return {headers: response.headers, value: response.body}
  }

  private async send<T>(what: string, url: string, idempotent: boolean, attempt: () => Promise<{headers: ResponseHeaders; value: T}>): Promise<T> {
    const debug = this.target.debug
    try {
      return await withRetry(
        async () => {
          this.requestCount++
          debug?.(`service request ${what} → ${url}`)
          const {headers, value} = await attempt()
          const throttled = headers.get('throttled-by')
          // the server sends Throttled-By on every call of a throttled service, `0ms` when it was not delayed
          if (throttled && Number.parseInt(throttled, 10) !== 0) debug?.(`request ${what} was throttled by the server: ${throttled}`)
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

/** An export answer as a page: the values' text cut out by scanning, checked by parsing the rest of the answer. */
function readExportPage(text: string, status: number, url: string): ExportPage {
  const found = status === 200 ? locateArray(text, '"jsonElements"') : undefined
  let rest: unknown
  try {
    rest = found ? JSON.parse(text.slice(0, found.start) + '[]' + text.slice(found.end)) : undefined
  } catch {
    rest = undefined
  }

  // anything unexpected (an error answer, another layout) is read the ordinary way
  const scanned = rest === undefined ? undefined : found
  const page = (rest ?? interpretJson(text, status, url)) as {out?: {jsonElements?: unknown}; cursor?: Partial<ExportCursor>}
  const next = page?.cursor
  if (!page || !Array.isArray(page.out?.jsonElements) || !next || typeof next.table !== 'number' || typeof next.row !== 'number') {
    throw new ServerError(`The server at ${url} answered the export with something that is not an export page.`, {kind: 'not-json', url})
  }

  const elements = page.out.jsonElements as unknown[]
  return {
    count: scanned ? scanned.count : elements.length,
    cursor: {array: next.array ?? 0, field: next.field ?? 0, row: next.row, table: next.table},
    valuesJson: scanned ? text.slice(scanned.start, scanned.end) : JSON.stringify(elements),
  }
}

/**
 * Where the JSON array value of `key` lies in `text` (`start` at its `[`, `end` after its `]`) and how many values it
 * holds, found by scanning (strings and nesting respected) instead of parsing.
 */
export function locateArray(text: string, key: string): {start: number; end: number; count: number} | undefined {
  let index = text.indexOf(key)
  if (index === -1) return undefined
  index += key.length
  while (/\s/.test(text[index] ?? '')) index++
  if (text[index] !== ':') return undefined
  index++
  while (/\s/.test(text[index] ?? '')) index++
  if (text[index] !== '[') return undefined
  const start = index
  let depth = 1
  let commas = 0
  let value = false
  let inString = false
  for (index = start + 1; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (inString) {
      if (code === 0x5c) index++
      else if (code === 0x22) inString = false
      continue
    }

    if (code === 0x22) {
      inString = true
      value = true
    } else if (code === 0x5b || code === 0x7b) {
      depth++
      value = true
    } else if (code === 0x5d || code === 0x7d) {
      depth--
      if (depth === 0) return {count: value ? commas + 1 : 0, end: index + 1, start}
    } else if (code === 0x2c) {
      if (depth === 1) commas++
    } else if (code > 0x20) value = true
  }

  return undefined
}
