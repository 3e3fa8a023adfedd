/**
 * Throwaway PostgreSQL and MariaDB servers for the upgrade tests: each in a temporary folder, on a free loopback
 * port, stopped and removed afterwards. Missing binaries skip the tests locally and fail them in CI (CI=true).
 */
import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {chownSync, existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface DatabaseServer {
  kind: 'postgres' | 'mysql'
  port: number
  /** A URL of the server (superuser, no password), without a database. */
  url: string
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
  return versions.length > 0 ? join(root, versions[0], 'bin') : undefined
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin'])) {
    if (dir && existsSync(join(dir, name))) return join(dir, name)
  }
  return undefined
}

/** Why the servers cannot start here, or undefined when they can. */
export function missingBinaries(kind: 'postgres' | 'mysql'): string | undefined {
  if (kind === 'postgres') return postgresBin() ? undefined : 'PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); apt-get install postgresql'
  return onPath('mariadbd') && onPath('mariadb-install-db') ? undefined : 'MariaDB is not installed (mariadbd, mariadb-install-db); apt-get install mariadb-server'
}

/** The skip reason for node:test, or false; in CI a missing server is a failure, never a skip. */
export function skipUnlessInstalled(kind: 'postgres' | 'mysql'): string | false {
  const missing = missingBinaries(kind)
  if (missing === undefined) return false
  if (process.env.CI === 'true') throw new Error(`CI=true and ${missing}`)
  return missing
}

async function waitFor(check: () => Promise<boolean>, what: string, child?: ChildProcess, log?: () => string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${log?.() ?? ''}`)
    if (await check().catch(() => false)) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${what} did not start within 60 s: ${log?.() ?? ''}`)
}

export async function startPostgres(): Promise<DatabaseServer> {
  const bin = postgresBin()!
  const dir = mkdtempSync(join(tmpdir(), 'upgrade-pg-'))
  const root = process.getuid?.() === 0
  // initdb refuses to run as root: the cluster belongs to the postgres user then
  const asUser = (command: string, args: string[]) => (root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]) as [string, string[]]
  if (root) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()))
  const data = join(dir, 'data')
  execFileSync(...asUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']), {stdio: 'pipe'})
  const port = await freePort()
  execFileSync(
    ...asUser(join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      'start',
    ]),
    {stdio: 'pipe'},
  )
  const url = `postgresql://postgres@127.0.0.1:${port}`
  // pg_ctl detaches the server: should the test process end without its after() hook, it still goes down
  const stopAtExit = () => {
    try {
      execFileSync(...asUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']), {stdio: 'pipe'})
    } catch {
      // already stopped
    }
  }
  process.once('exit', stopAtExit)
  const {default: pg} = await import('pg')
  await waitFor(async () => {
    const client = new pg.Client({connectionString: `${url}/postgres`})
    await client.connect()
    await client.end()
    return true
  }, 'PostgreSQL')
  return {
    kind: 'postgres',
    port,
    async stop() {
      process.removeListener('exit', stopAtExit)
      try {
        execFileSync(...asUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']), {stdio: 'pipe'})
      } finally {
        rmSync(dir, {force: true, recursive: true})
      }
    },
    url,
  }
}

export async function startMariadb(): Promise<DatabaseServer> {
  const dir = mkdtempSync(join(tmpdir(), 'upgrade-mariadb-'))
  const data = join(dir, 'data')
  execFileSync(onPath('mariadb-install-db')!, ['--no-defaults', `--datadir=${data}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], {
    stdio: 'pipe',
  })
  const port = await freePort()
  let log = ''
  const child = spawn(
    onPath('mariadbd')!,
    [
      '--no-defaults',
      `--datadir=${data}`,
      '--user=root',
      `--socket=${join(dir, 'sock')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-grant-tables',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=64M',
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-doublewrite=0',
      `--pid-file=${join(dir, 'pid')}`,
    ],
    {stdio: ['ignore', 'pipe', 'pipe']},
  )
  const killAtExit = () => child.kill('SIGKILL')
  process.once('exit', killAtExit)
  child.stdout?.on('data', (chunk) => (log += chunk))
  child.stderr?.on('data', (chunk) => (log += chunk))
  const url = `mysql://root@127.0.0.1:${port}`
  const mariadb = await import('mariadb')
  await waitFor(
    async () => {
      const connection = await mariadb.createConnection({host: '127.0.0.1', port, user: 'root'})
      await connection.end()
      return true
    },
    'MariaDB',
    child,
    () => log.slice(-2000),
  )
  return {
    kind: 'mysql',
    port,
    async stop() {
      process.removeListener('exit', killAtExit)
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))])
      if (child.exitCode === null) child.kill('SIGKILL')
      rmSync(dir, {force: true, recursive: true})
    },
    url,
  }
}
