/**
 * POST over node:http / node:https: for the few small requests a command sends, it answers in a fraction of the
 * time Node's fetch takes to start (fetch loads and compiles undici and its WebAssembly parser on first use).
 * Connections are kept alive between the requests of one command, and an idle kept-alive connection never holds
 * the process open (Node's agents unref their free sockets). Proxies come from the environment the request is
 * given (src/http/proxy.ts) and are used the way undici's EnvHttpProxyAgent used them: a CONNECT tunnel per
 * connection, for http:// and https:// addresses alike.
 */
import {Agent as HttpAgent, type IncomingMessage, request as httpRequest, type AgentOptions} from 'node:http'
import type {Socket} from 'node:net'
import type {Duplex} from 'node:stream'

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
    const secure = target.protocol === 'https:'
    const tls = secure || proxy?.protocol === 'https:' ? await https() : undefined
    agent = proxy ? tunnellingAgent(tls, secure, proxy, options) : secure ? new tls!.Agent(options) : new HttpAgent(options)
    agents.set(key, agent)
  }

  return agent
}

type CreateConnection = (options: Record<string, unknown>, done?: (error: Error | null, socket?: Duplex) => void) => Duplex | undefined

/** An agent whose every connection is a CONNECT tunnel through `proxy` (TLS inside it for https:// targets). */
function tunnellingAgent(tls: Https | undefined, secure: boolean, proxy: URL, options: AgentOptions): HttpAgent {
  const agent = secure ? new tls!.Agent(options) : new HttpAgent(options)
  const connectDirect = (agent as unknown as {createConnection: CreateConnection}).createConnection.bind(agent)
  const createConnection: CreateConnection = (connection, done) => {
    const host = String(connection.host)
    const port = Number(connection.port)
    openTunnel({host, port, proxy, signal: connection.tunnelSignal as AbortSignal | undefined, tls}).then(
      (socket) => {
        // https.Agent's own createConnection starts TLS on the socket it is given, with every TLS option of the request
        done?.(null, secure ? connectDirect({...connection, socket, servername: connection.servername ?? host}) : socket)
      },
      (error: Error) => done?.(error),
    )
    return undefined
  }

  ;(agent as unknown as {createConnection: CreateConnection}).createConnection = createConnection
  return agent
}

async function openTunnel(o: {proxy: URL; host: string; port: number; signal?: AbortSignal; tls?: Https}): Promise<Socket> {
  const {proxy, host, port, signal} = o
  const shown = redactProxyCredentials(proxy)
  const authority = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`
  const headers: Record<string, string> = {host: authority}
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`
  }

  const connect = (proxy.protocol === 'https:' ? o.tls!.request : httpRequest)({
    agent: false,
    headers,
    host: proxy.hostname.replace(/^\[|\]$/g, ''),
    method: 'CONNECT',
    path: authority,
    port: Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80),
    signal,
  })
  return new Promise<Socket>((resolve, reject) => {
    connect.once('connect', (response: IncomingMessage, socket: Socket, head: Buffer) => {
      if (response.statusCode !== 200) {
        socket.destroy()
        reject(
          new ProxyTunnelError(`the proxy ${shown} refused the connection to ${authority} (HTTP ${response.statusCode})`, {
            proxy: shown,
            status: response.statusCode,
          }),
        )
        return
      }

      if (head.length > 0) socket.unshift(head)
      resolve(socket)
    })
    connect.once('response', (response: IncomingMessage) => {
      response.resume()
      reject(new ProxyTunnelError(`the proxy ${shown} does not open tunnels (HTTP ${response.statusCode})`, {proxy: shown, status: response.statusCode}))
    })
    connect.once('error', (error: Error & {code?: string}) => {
      reject(new ProxyTunnelError(`the proxy ${shown} could not be reached (${error.code ?? error.message})`, {cause: error, code: error.code, proxy: shown}))
    })
    connect.end()
  })
}

/** Sends one POST and reads the whole answer, bounded by `maxBytes` and by `signal`. */
export async function post(options: PostOptions): Promise<PostResponse> {
  const target = new URL(options.url)
  const secure = target.protocol === 'https:'
  const agent = await agentFor(target, proxyFor(target, options.env))
  const request = (secure ? (await https()).request : httpRequest)(target, {
    agent,
    headers: {...options.headers, 'accept-encoding': 'gzip, deflate', 'content-length': String(Buffer.byteLength(options.body))},
    method: 'POST',
    signal: options.signal,
    // reaches the tunnelling agent's createConnection (the signal option itself is kept from the agent)
    tunnelSignal: options.signal,
  } as Parameters<typeof httpRequest>[1])
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve)
    request.once('error', reject)
    // written as text: no copy of a large body (an import chunk) is made first
    request.end(options.body, 'utf8')
  })
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
