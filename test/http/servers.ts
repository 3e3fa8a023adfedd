// Local servers for the transport tests: a GraphQL-ish HTTP server whose answers a test scripts, and an HTTP proxy
// that opens CONNECT tunnels (optionally asking for credentials), both on 127.0.0.1.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {connect, type AddressInfo, type Socket} from 'node:net'

export interface Received {
  headers: IncomingMessage['headers']
  body: string
  /** The request's path. */
  url: string
}

export interface TestServer {
  url: string
  port: number
  received: Received[]
  /** Connections accepted so far. */
  connections: number
  close(): Promise<void>
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

function closer(server: Server, sockets: Set<Socket>) {
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    })
}

/** Answers each POST with `answer` (after reading its body); the request and the connection count are recorded. */
export async function startServer(
  answer: (request: Received, response: ServerResponse, index: number) => void,
  o: {keepAliveMs?: number} = {},
): Promise<TestServer> {
  const received: Received[] = []
  const sockets = new Set<Socket>()
  const state = {connections: 0}
  const server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      const entry = {body, headers: request.headers, url: request.url ?? ''}
      received.push(entry)
      answer(entry, response, received.length - 1)
    })
  })
  if (o.keepAliveMs) server.keepAliveTimeout = o.keepAliveMs
  server.on('connection', (socket: Socket) => {
    state.connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const port = await listen(server)
  return {
    close: closer(server, sockets),
    get connections() {
      return state.connections
    },
    port,
    received,
    url: `http://127.0.0.1:${port}`,
  }
}

export function json(response: ServerResponse, body: unknown, status = 200): void {
  response.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(body))
}

export interface TestProxy {
  url: string
  /** `host:port` of every CONNECT, and the Proxy-Authorization header it came with. */
  connects: {target: string; authorization?: string}[]
  close(): Promise<void>
}

/** A CONNECT proxy that tunnels to whatever host:port is asked (all local here); `credentials` makes it ask (407). */
export async function startProxy(o: {credentials?: string; refuse?: number} = {}): Promise<TestProxy> {
  const connects: TestProxy['connects'] = []
  const sockets = new Set<Socket>()
  const server = createServer((_request, response) => response.writeHead(501).end())
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const authorization = request.headers['proxy-authorization']
    connects.push({authorization, target: request.url ?? ''})
    const expected = o.credentials && `Basic ${Buffer.from(o.credentials).toString('base64')}`
    if (o.refuse || (expected && authorization !== expected)) {
      socket.end(`HTTP/1.1 ${o.refuse ?? 407} No\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n`)
      return
    }

    const [host, port] = (request.url ?? '').split(/:(?=\d+$)/)
    // every host name leads to the local server: the tests use names that do not resolve
    const upstream = connect(Number(port), host.endsWith('.example') ? '127.0.0.1' : host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  const port = await listen(server)
  return {close: closer(server, sockets), connects, url: `http://127.0.0.1:${port}`}
}

export interface Sent {
  url: string
  query: string
  variables: Record<string, unknown>
  authorization?: string
}

/** An answer of a scripted server: a status and a body (JSON unless text), or `reset` to drop the connection. */
export type Answer = {status?: number; body: unknown} | 'reset'

/**
 * A server on 127.0.0.1 that answers each POST from a script (a list taken in order, or a function of the request)
 * and records the GraphQL documents it was sent; `url` is its base address.
 */
export async function scriptedServer(answers: Answer[] | ((sent: Sent) => Answer)) {
  const sent: Sent[] = []
  const server = await startServer((request, response) => {
    const body = JSON.parse(request.body) as {query: string; variables: Record<string, unknown>}
    const record = {authorization: request.headers.authorization, query: body.query, url: `${server.url}${request.url}`, variables: body.variables}
    sent.push(record)
    const answer = typeof answers === 'function' ? answers(record) : answers.shift()
    if (answer === undefined) response.writeHead(500).end('no scripted answer left')
    else if (answer === 'reset') response.socket?.destroy()
    else {
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
      response.writeHead(answer.status ?? 200, {'content-type': 'application/json'}).end(text)
    }
  })
  return {close: () => server.close(), sent, url: server.url}
}
