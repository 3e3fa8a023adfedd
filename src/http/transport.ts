/**
 * POST over node:http / node:https: for the few small requests a command sends, it answers in a fraction of the
 * time Node's fetch takes to start (fetch loads and compiles undici and its WebAssembly parser on first use).
 * Connections are kept alive between the requests of one command, and an idle kept-alive connection never holds
 * the process open (Node's agents unref their free sockets). Proxies come from the environment the request is
 * given (src/http/proxy.ts) and are used the way undici's EnvHttpProxyAgent used them: a CONNECT tunnel per
 * connection, for http:// and https:// addresses alike, through https-proxy-agent (loaded only when a proxy is set).
 */
import {Agent as HttpAgent, type IncomingMessage, request as httpRequest, type AgentOptions} from 'node:http'

import {type Env, proxyFor, redactProxyCredentials} from './proxy.js'

export interface PostOptions {
  url: string
  body: string
  headers: Record<string, string>
  /** Responses larger than this (after decompression) are refused with a ResponseTooLargeError. */
  maxBytes: number
  signal: AbortSignal
  /** Where proxy settings come from. */
  env: Env
}

export interface ResponseHeaders {
  get(name: string): string | null
}

export interface PostResponse {
  status: number
  headers: ResponseHeaders
  text: string
}

export class ResponseTooLargeError extends Error {
  constructor() {
    super('response too large')
    this.name = 'ResponseTooLargeError'
  }
}

/** A failure on the way to the server through a proxy: the proxy could not be reached, or it refused the tunnel. */
export class ProxyTunnelError extends Error {
  readonly code?: string
  readonly proxy: string
  readonly status?: number

  constructor(message: string, details: {cause?: unknown; code?: string; proxy: string; status?: number}) {
    super(message, {cause: details.cause})
    this.name = 'ProxyTunnelError'
    this.code = details.code
    this.proxy = details.proxy
    this.status = details.status
  }
}

type Https = typeof import('node:https')

/** node:https (and with it TLS) is loaded only for an https:// server or proxy. */
async function https(): Promise<Https> {
  return import('node:https')
}

const agents = new Map<string, HttpAgent>()

async function agentFor(target: URL, proxy: URL | undefined): Promise<HttpAgent> {
  const key = `${target.protocol}${proxy ? ` via ${proxy.href}` : ''}`
  let agent = agents.get(key)
  if (!agent) {
    const options: AgentOptions = {keepAlive: true}
    if (proxy) {
      // a CONNECT tunnel per connection, for http:// and https:// addresses alike (TLS inside it for https://)
      const {HttpsProxyAgent} = await import('./proxy-agent.js')
      agent = new HttpsProxyAgent(proxy, options)
    } else {
      agent = target.protocol === 'https:' ? new (await https()).Agent(options) : new HttpAgent(options)
    }

    agents.set(key, agent)
  }

  return agent
}

function unreachableProxy(proxy: URL, error: Error & {code?: string}): ProxyTunnelError {
  const shown = redactProxyCredentials(proxy)
  return new ProxyTunnelError(`the proxy ${shown} could not be reached (${error.code ?? error.message})`, {cause: error, code: error.code, proxy: shown})
}

function refusedTunnel(proxy: URL, target: URL, status: number | undefined): ProxyTunnelError {
  const shown = redactProxyCredentials(proxy)
  const authority = `${target.hostname}:${Number(target.port) || (target.protocol === 'https:' ? 443 : 80)}`
  return new ProxyTunnelError(`the proxy ${shown} refused the connection to ${authority} (HTTP ${status})`, {proxy: shown, status})
}

/** Sends one POST and reads the whole answer, bounded by `maxBytes` and by `signal`. */
export async function post(options: PostOptions): Promise<PostResponse> {
  const target = new URL(options.url)
  const secure = target.protocol === 'https:'
  const proxy = proxyFor(target, options.env)
  const agent = await agentFor(target, proxy)
  const request = (secure ? (await https()).request : httpRequest)(target, {
    agent,
    headers: {...options.headers, 'accept-encoding': 'gzip, deflate', 'content-length': String(Buffer.byteLength(options.body))},
    method: 'POST',
    signal: options.signal,
  })
  // the proxy's answer to CONNECT, when the request goes through a proxy
  let tunnel: IncomingMessage | undefined
  request.once('proxyConnect', (answer: IncomingMessage) => (tunnel = answer))
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve)
    request.once('error', (error: Error & {code?: string}) => reject(proxy && !tunnel ? unreachableProxy(proxy, error) : error))
    // written as text: no copy of a large body (an import chunk) is made first
    request.end(options.body, 'utf8')
  })
  if (proxy && tunnel && tunnel.statusCode !== 200) {
    response.destroy()
    throw refusedTunnel(proxy, target, tunnel.statusCode)
  }

  const declared = Number(response.headers['content-length'] ?? Number.NaN)
  if (declared > options.maxBytes) {
    response.destroy()
    throw new ResponseTooLargeError()
  }

  const text = await readBounded(await decoded(response), options.maxBytes, () => response.destroy())
  return {
    headers: {
      get(name) {
        const value = response.headers[name.toLowerCase()]
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
      },
    },
    status: response.statusCode ?? 0,
    text,
  }
}

/** The body as sent, or decompressed (zlib is loaded only for a compressed answer). */
async function decoded(response: IncomingMessage): Promise<AsyncIterable<Buffer>> {
  const encoding = response.headers['content-encoding']?.trim().toLowerCase()
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') return response
  const {createUnzip} = await import('node:zlib')
  // gunzip and inflate in one: it tells the two formats apart by their header
  const decompress = createUnzip()
  response.on('error', (error) => decompress.destroy(error))
  return response.pipe(decompress)
}

/** The whole body as text; past `maxBytes`, `stop` is called and a ResponseTooLargeError thrown. */
async function readBounded(body: AsyncIterable<Uint8Array>, maxBytes: number, stop: () => unknown): Promise<string> {
  // chunks are kept as bytes and decoded once: large answers (a deploy lists every step) stay cheap to read
  const chunks: Uint8Array[] = []
  let received = 0
  for await (const chunk of body) {
    received += chunk.byteLength
    if (received > maxBytes) {
      stop()
      throw new ResponseTooLargeError()
    }

    chunks.push(chunk)
  }

  return Buffer.concat(chunks, received).toString('utf8')
}
