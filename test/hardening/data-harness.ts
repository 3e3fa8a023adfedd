// Infrastructure of the data-command hardening tests: a CLI run that reports its own peak memory, and a proxy in front
// of the stand-in that loses answers (the request reaches the server, its answer never reaches the CLI).
import {spawn} from 'node:child_process'
import {chmod, readFile, writeFile} from 'node:fs/promises'
import {createServer, request as httpRequest, type IncomingMessage, type ServerResponse} from 'node:http'
import {join} from 'node:path'

import {binPath, cliEnvironment, tempDir, type CliResult} from '../helpers/cli.js'

export interface MeasuredResult extends CliResult {
  /** Peak resident memory of the CLI process (MB). */
  peakMb: number
  wallMs: number
}

let recorder: string | undefined

/** Runs the built CLI with a preloaded module that records the process's peak memory on exit. */
export async function runMeasured(
  args: string[],
  o: {cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number; uid?: number; gid?: number; shellPrefix?: string; onSpawn?: (kill: (signal: NodeJS.Signals) => void) => void},
): Promise<MeasuredResult> {
  if (!recorder) {
    const folder = await tempDir('usage-')
    // readable by every user: some runs are as an unprivileged user
    await chmod(folder, 0o755)
    recorder = join(folder, 'record-usage.mjs')
    await writeFile(recorder, "import {writeFileSync} from 'node:fs'\nprocess.on('exit', () => { try { writeFileSync(process.env.USAGE_FILE, String(process.resourceUsage().maxRSS)) } catch {} })\n")
    await chmod(recorder, 0o644)
  }

  const usageFolder = await tempDir('usage-')
  await chmod(usageFolder, 0o777)
  const usageFile = join(usageFolder, 'usage')
  const {env} = await cliEnvironment({...o.env, USAGE_FILE: usageFile})
  const started = performance.now()
  const result = await new Promise<CliResult>((resolve, reject) => {
    const command = [process.execPath, '--import', recorder!, binPath, ...args]
    // a shell prefix (e.g. `ulimit -f 8;`) applies to the CLI alone
    const child = o.shellPrefix
      ? spawn('sh', ['-c', `${o.shellPrefix} exec "$@"`, 'sh', ...command], {cwd: o.cwd, env, gid: o.gid, uid: o.uid})
      : spawn(command[0], command.slice(1), {cwd: o.cwd, env, gid: o.gid, uid: o.uid})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({code, signal, stderr, stdout})
    })
    child.stdin.end('')
    o.onSpawn?.((signal) => child.kill(signal))
  })
  const wallMs = performance.now() - started
  const kb = Number(await readFile(usageFile, 'utf8').catch(() => '0'))
  return {...result, peakMb: Math.round(kb / 1024), wallMs: Math.round(wallMs)}
}

export type DataFault = 'lose-answer' | 'drop-request' | undefined

/**
 * A proxy in front of the stand-in. `rule` sees each request's path and its index among the requests to that path
 * and may lose it: 'lose-answer' passes the request on, waits for the server's whole answer, then cuts the connection
 * (the server did the work, the CLI never hears of it); 'drop-request' cuts the connection before passing it on.
 */
export async function startLossyProxy(target: string, rule: (request: {path: string; index: number; body: string}) => DataFault): Promise<{url: string; close(): Promise<void>; counts: Map<string, number>}> {
  const counts = new Map<string, number>()
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const path = req.url ?? '/'
    const index = counts.get(path) ?? 0
    counts.set(path, index + 1)
    const fault = rule({body: body.toString('utf8'), index, path})
    if (fault === 'drop-request') {
      req.socket.destroy()
      return
    }

    const forwarded = httpRequest(`${target}${path}`, {headers: req.headers, method: req.method}, (answer) => {
      const parts: Buffer[] = []
      answer.on('data', (chunk: Buffer) => parts.push(chunk))
      answer.on('end', () => {
        if (fault === 'lose-answer') {
          req.socket.destroy()
          return
        }

        res.writeHead(answer.statusCode ?? 502, answer.headers)
        res.end(Buffer.concat(parts))
      })
    })
    forwarded.on('error', () => req.socket.destroy())
    forwarded.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  return {
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
    counts,
    url: `http://127.0.0.1:${port}`,
  }
}

export type HostileAnswer =
  | 'html' // a proxy's HTML error page, status 200
  | 'empty' // status 200, no body
  | 'invalid-json' // status 200, JSON cut in the middle
  | 'error-without-message' // a GraphQL error with neither message nor code
  | 'huge' // a 200 MB JSON document
  | 'drop-mid-body' // headers and part of the body, then the connection is closed
  | 'never-ends' // headers and a first chunk, then nothing, ever
  | 'cursor-backwards' // an export page whose cursor points before the one asked for

/**
 * A proxy in front of the stand-in that answers the requests `rule` picks as a hostile server would; the others pass
 * through. `rule` sees the path, the body and the index of the request among those to the same path.
 */
export async function startHostileProxy(
  target: string,
  rule: (request: {path: string; index: number; body: string}) => HostileAnswer | undefined,
): Promise<{url: string; close(): Promise<void>}> {
  const counts = new Map<string, number>()
  const open = new Set<ServerResponse>()
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const path = req.url ?? '/'
    const index = counts.get(path) ?? 0
    counts.set(path, index + 1)
    res.on('error', () => undefined)
    const answer = rule({body: body.toString('utf8'), index, path})
    const json = (text: string) => {
      res.writeHead(200, {'Content-Length': String(Buffer.byteLength(text)), 'Content-Type': 'application/json'})
      res.end(text)
    }

    switch (answer) {
      case 'html': {
        res.writeHead(200, {'Content-Type': 'text/html'})
        res.end('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>')
        return
      }

      case 'empty': {
        res.writeHead(200, {'Content-Length': '0', 'Content-Type': 'application/json'})
        res.end()
        return
      }

      case 'invalid-json': {
        json('{"data": {"serverInfo": {"version": "1.34')
        return
      }

      case 'error-without-message': {
        json('{"data": null, "errors": [{"locations": []}]}')
        return
      }

      case 'huge': {
        res.writeHead(200, {'Content-Type': 'application/json'})
        res.write('{"data": {"padding": "')
        const piece = 'z'.repeat(1024 * 1024)
        let written = 0
        const more = () => {
          while (written < 200) {
            written += 1
            if (!res.write(piece)) {
              res.once('drain', more)
              return
            }
          }

          res.end('"}}')
        }

        res.on('close', () => (written = 1000))
        more()
        return
      }

      case 'drop-mid-body': {
        const text = JSON.stringify({data: {padding: 'q'.repeat(4000)}})
        res.writeHead(200, {'Content-Length': String(text.length), 'Content-Type': 'application/json'})
        res.write(text.slice(0, 1000), () => req.socket.destroy())
        return
      }

      case 'never-ends': {
        open.add(res)
        res.writeHead(200, {'Content-Type': 'application/json'})
        res.write('{"data": ')
        return
      }

      case 'cursor-backwards': {
        json(JSON.stringify({cursor: {array: 0, field: 0, row: 0, table: 0}, isFull: true, out: {jsonElements: [], size: 0}}))
        return
      }

      case undefined: {
        break
      }
    }

    const forwarded = httpRequest(`${target}${path}`, {headers: req.headers, method: req.method}, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers)
      reply.pipe(res)
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
    url: `http://127.0.0.1:${port}`,
  }
}
