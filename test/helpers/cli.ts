// Drives the built CLI as a user would: a spawned `node bin/run.js`, its own HOME, exit code and both streams.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {rmSync} from 'node:fs'
import {chmod, mkdtemp, mkdir, readFile, writeFile} from 'node:fs/promises'
import {createServer as createNetServer} from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
export const binPath = join(repoRoot, 'bin', 'run.js')

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  cwd?: string
  /** Added to a clean environment (PATH, HOME, NO_COLOR); HOME defaults to a fresh temporary folder. */
  env?: Record<string, string | undefined>
  input?: string
  timeoutMs?: number
  /** The binary to run instead of this repository's bin/run.js (a copy of the published package). */
  bin?: string
  /**
   * Under --json, stdout is checked against schemas/ (the command's result, or the error document) unless this is
   * false: for a run that is meant to break the contract's premises (a process killed on purpose).
   */
  jsonContract?: boolean
}

/** Variables of the developer's or CI's shell that would change what the CLI does. */
const leakyVariables = /^(PRISMA_|CLOUD_API_ENDPOINT|DEBUG$|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy)/

/**
 * The environment a spawned CLI runs with: this process's, without the leaky variables (and those matching
 * `alsoDrop`), with HOME (a fresh temporary folder unless `given` names one), NO_COLOR=1 and `fixed`, then `given`
 * on top (an undefined value removes the variable).
 */
export async function cliEnvironment(
  given: Record<string, string | undefined> = {},
  o: {fixed?: Record<string, string>; alsoDrop?: RegExp} = {},
): Promise<{env: Record<string, string>; home: string}> {
  const home = given.HOME ?? (await tempDir('home-'))
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !leakyVariables.test(key) && !o.alsoDrop?.test(key)) env[key] = value
  }

  Object.assign(env, {HOME: home, NO_COLOR: '1'}, o.fixed)
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }

  return {env, home}
}

export async function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const result = await spawnCli(args, options)
  if (options.jsonContract !== false) (await import('./json-schema.js')).assertJsonContract(args, result)
  return result
}

async function spawnCli(args: string[], options: RunOptions): Promise<CliResult> {
  const {env, home} = await cliEnvironment(options.env)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? binPath, ...args], {cwd: options.cwd ?? home, env})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({code, signal, stdout, stderr})
    })
    child.stdin.end(options.input ?? '')
  })
}

const created: string[] = []

/** A fresh temporary folder, removed when the test process exits. */
export async function tempDir(prefix = 'prisma-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  created.push(dir)
  return dir
}

process.once('exit', () => {
  for (const dir of created) {
    try {
      rmSync(dir, {force: true, recursive: true})
    } catch {
      // a folder a test made unreadable on purpose may resist; it is in the system's temporary folder anyway
    }
  }
})

/** Writes a tree of files (relative path → content) under a fresh temporary folder and returns the folder. */
export async function writeTree(files: Record<string, string>, dir?: string): Promise<string> {
  const root = dir ?? (await tempDir('prisma-project-'))
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path)
    await mkdir(dirname(full), {recursive: true})
    await writeFile(full, content)
  }
  return root
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function freePort(): Promise<number> {
  const probe = createNetServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const {port} = probe.address() as {port: number}
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/** The CLI failed with a message, not with a stack trace or the "Unexpected error" of a bug. */
export function noStack(stderr: string): void {
  assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace')
  assert.doesNotMatch(stderr, /Unexpected error/)
}

/** A fake browser (for BROWSER) that records the address it was asked to open. */
export async function fakeBrowser(): Promise<{command: string; opened: () => Promise<string | undefined>}> {
  const dir = await tempDir('browser-')
  const log = join(dir, 'opened')
  const command = join(dir, 'browser')
  await writeFile(command, `#!/bin/sh\nprintf '%s' "$1" > "${log}"\n`)
  await chmod(command, 0o755)
  return {
    command,
    async opened() {
      for (let i = 0; i < 50; i++) {
        const text = await readFile(log, 'utf8').catch(() => undefined)
        if (text) return text
        await new Promise((resolve) => setTimeout(resolve, 100))
      }

      return undefined
    },
  }
}
