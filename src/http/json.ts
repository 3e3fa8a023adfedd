/**
 * Plain JSON POSTs beside the GraphQL transport, for the service endpoints that do not speak GraphQL (`/export`,
 * `/import`): the same bounds in time and size, the same failure messages, and a GraphQL-style `errors` answer becomes
 * the same ServerError, so retries on throttling (1004) and error explanations work alike.
 */
import {httpError, normaliseErrors, type PostRequest, postToServer, ServerError} from './graphql.js'
import type {ResponseHeaders} from './transport.js'

export type JsonRequest = PostRequest

export interface JsonResponse {
  body: unknown
  status: number
  headers: ResponseHeaders
}

// export pages and import chunks are larger than the Management API's answers
const defaultMaxBytes = 64 * 1024 * 1024

/** POSTs JSON text and returns the parsed answer; an answer `{"errors": [...]}` is thrown as a ServerError. */
export async function postJson(request: JsonRequest): Promise<JsonResponse> {
  const response = await postForText(request)
  return {body: interpretJson(response.text, response.status, request.url), headers: response.headers, status: response.status}
}

/**
 * POSTs JSON text and returns the answer's text unparsed (for large answers whose bulk the caller passes on as it is);
 * the caller hands an answer it cannot use to `interpretJson`, which throws the server's error.
 */
export async function postForText(request: JsonRequest): Promise<{text: string; status: number; headers: ResponseHeaders}> {
  return postToServer({...request, maxBytes: request.maxBytes ?? defaultMaxBytes})
}

/** Parses an answer; throws a ServerError for `{"errors": [...]}`, an HTTP error status or text that is not JSON. */
export function interpretJson(text: string, status: number, url: string): unknown {
  const ok = status >= 200 && status < 300
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    if (!ok) throw httpError(url, status, text)
    throw new ServerError(
      `The server at ${url} answered with ${/^\s*</.test(text) ? 'an HTML page' : 'something that is not JSON'} (HTTP ${status}). ` +
        'Check that the endpoint points to a Prisma server.',
      {cause: error, kind: 'not-json', status, url},
    )
  }

  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const entries = normaliseErrors(body as {errors?: unknown})
    if (entries.length > 0) throw new ServerError(entries.map((entry) => entry.message).join('\n'), {errors: entries, kind: 'graphql', status, url})
  }

  if (!ok) throw httpError(url, status, text)
  return body
}
