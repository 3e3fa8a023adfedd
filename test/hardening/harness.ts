// Infrastructure of the hardening tests: a CLI run that also proves no process of it is left behind, a fault proxy
// in front of the Management API stand-in, a server that accepts connections and never answers, free ports.
import {spawn} from 'node:child_process'
import {createServer as createHttpServer, request as httpRequest, type IncomingMessage, type ServerResponse} from 'node:http'
import {readdirSync, readFileSync} from 'node:fs'
import {createServer as createNetServer, type Socket} from 'node:net'

import {binPath, cliEnvironment, type CliResult} from '../helpers/cli.js'

export interface TrackedResult extends CliResult {
  /** True when some process of the CLI's process group was still alive after the CLI exited. */
  leftover: boolean
}

export interface TrackedOptions {
  cwd?: string
  env?: Record<string, string | undefined>
  input?: string
  timeoutMs?: number
  /** Run as this user and group (only when the tests run as root). */
  uid?: number
  gid?: number
  /** Called once the process runs; e.g. to send it a signal later. */
  onSpawn?: (child: {pid: number; kill: (signal: NodeJS.Signals) => void}) => void
}

/**
 * Like runCli (same clean environment), but the CLI leads its own process group, so that after it exits the test
 * can check that no process it started (a hook, a browser opener, a clipboard tool) is still running.
 */
export async function runTracked(args: string[], options: TrackedOptions = {}): Promise<TrackedResult> {
  const result = await spawnTracked(args, options)
  // under --json, stdout is the command's result or the error document, as schemas/ describes them
  const {assertJsonContract} = await import('../helpers/json-schema.js')
  assertJsonContract(args, result)
  return result
}

async function spawnTracked(args: string[], options: TrackedOptions): Promise<TrackedResult> {
  const {env, home} = await cliEnvironment(options.env)

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {cwd: options.cwd ?? home, detached: true, env, gid: options.gid, uid: options.uid})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const pid = child.pid!
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal)
      } catch {
        // already gone
      }
    }

    const timer = setTimeout(() => killGroup('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', async (code, signal) => {
      clearTimeout(timer)
      const leftover = await groupOutlives(pid)
      if (leftover) killGroup('SIGKILL')
      resolve({code, leftover, signal, stderr, stdout})
    })
    child.stdin.on('error', () => undefined)
    child.stdin.end(options.input ?? '')
    options.onSpawn?.({kill: (signal) => child.kill(signal), pid})
  })
}

/**
 * The live (not zombie) processes of process group `pgid`. A child the CLI killed on its way out may linger as a
 * zombie until init reaps it; that is not a process left running.
 */
export function groupMembers(pgid: number): string[] {
  const members: string[] = []
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    // no /proc: fall back to asking whether the group exists at all
    try {
      process.kill(-pgid, 0)
      return ['(unknown process)']
    } catch {
      return []
    }
  }

  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(`${entry} ${stat.slice(stat.indexOf('('), stat.lastIndexOf(')') + 1)}`)
    } catch {
      // ended meanwhile
    }
  }

  return members
}

/** True when some process of the group is still alive a second after the CLI exited. */
async function groupOutlives(pgid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (groupMembers(pgid).length === 0) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }

  return true
}

/** Accepts TCP connections and never sends a byte. */
export async function startSilentServer(): Promise<{url: string; close(): Promise<void>}> {
  const sockets = new Set<Socket>()
  const server = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  return {
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
    url: `http://127.0.0.1:${port}`,
  }
}

export type ProxyFault =
  | 'mid-response' // headers and half of the body, then the connection is closed
  | 'reset' // the connection is closed before any answer
  | 'huge-20mb' // a 20 MB JSON document
  | 'expired-token' // the answer of a server whose clock says the token expired
  | 'hang' // never answered
  | 'http-500' // a plain-text internal server error
  | 'html' // a proxy's HTML error page with status 200

export interface FaultProxy {
  url: string
  /** Requests seen, with the GraphQL operation (first field name of the query) when there is one. */
  seen: Array<{path: string; operation: string}>
  close(): Promise<void>
}

/**
 * An HTTP proxy in front of `target` that replaces the answers chosen by `rule` with a fault. `rule` sees the
 * request's path, body text and its index (0-based) among all requests.
 */
export async function startFaultProxy(
  target: string,
  rule: (request: {path: string; body: string; index: number; operation: string}) => ProxyFault | undefined,
): Promise<FaultProxy> {
  const seen: FaultProxy['seen'] = []
  const open = new Set<ServerResponse>()
  const server = createHttpServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const operation = operationOf(body)
    const index = seen.length
    seen.push({operation, path: req.url ?? '/'})
    res.on('error', () => undefined)
    const fault = rule({body, index, operation, path: req.url ?? '/'})
    switch (fault) {
      case 'reset':
        req.socket.destroy()
        return
      case 'hang':
        open.add(res)
        return
      case 'mid-response': {
        const text = JSON.stringify({data: {serverInfo: {version: '1.34.12', commit: 'x'.repeat(400)}}})
        res.writeHead(200, {'Content-Length': String(text.length), 'Content-Type': 'application/json'})
        res.write(text.slice(0, text.length / 2), () => req.socket.destroy())
        return
      }
      case 'huge-20mb': {
        res.writeHead(200, {'Content-Type': 'application/json'})
        res.write('{"data":{"padding":"')
        const chunk = 'y'.repeat(1024 * 1024)
        let written = 0
        const more = () => {
          while (written < 20) {
            written += 1
            if (!res.write(chunk)) {
              res.once('drain', more)
              return
            }
          }

          res.end('"}}')
        }

        more()
        return
      }
      case 'http-500':
        res.writeHead(500, {'Content-Type': 'text/plain'})
        res.end('Internal Server Error')
        return
      case 'html':
        res.writeHead(200, {'Content-Type': 'text/html'})
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>')
        return
      case 'expired-token': {
        const text = JSON.stringify({data: null, errors: [{code: 3016, message: 'Authentication token is expired', requestId: 'local:expired'}]})
        res.writeHead(200, {'Content-Type': 'application/json'})
        res.end(text)
        return
      }
    }

    const forwarded = httpRequest(`${target}${req.url ?? '/'}`, {headers: req.headers, method: req.method}, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    forwarded.on('error', () => req.socket.destroy())
    forwarded.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  return {
    async close() {
      for (const res of open) res.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
    seen,
    url: `http://127.0.0.1:${port}`,
  }
}

function operationOf(body: string): string {
  try {
    const query = (JSON.parse(body) as {query?: unknown}).query
    if (typeof query !== 'string') return ''
    const match = /\{\s*([A-Za-z_]\w*)/.exec(query)
    return match?.[1] ?? ''
  } catch {
    return ''
  }
}

/** Runs `items` through `worker`, at most `limit` at a time. */
export async function mapLimit<T, R>(items: T[], limit: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  let next = 0
  const lanes = Array.from({length: Math.min(limit, items.length)}, async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await worker(items[index], index)
    }
  })
  await Promise.all(lanes)
  return results
}
export {freePort} from '../helpers/cli.js'
