/**
 * The original Prisma 1 CLI (prisma1@1.34.12 from the npm registry), installed once into .cache/prisma1, and a way to
 * run it with a fresh HOME so it never sees the developer's ~/.prisma.
 */
import {execFile, spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

export const ORIGINAL_VERSION = '1.34.12'
const root = fileURLToPath(new URL('../..', import.meta.url))
const prefix = join(root, '.cache', 'prisma1')
export const originalEntry = join(prefix, 'node_modules', 'prisma1', 'dist', 'index.js')

/** Installs prisma1 into .cache/prisma1 unless it is there already (about 640 packages; ~35 s on a fast link). */
export async function ensureOriginalCli(): Promise<string> {
  if (existsSync(originalEntry)) return originalEntry
  mkdirSync(prefix, {recursive: true})
  await promisify(execFile)(
    'npm',
    ['install', '--prefix', prefix, `prisma1@${ORIGINAL_VERSION}`, '--no-audit', '--no-fund', '--no-save', '--loglevel=error'],
    {cwd: root, maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000},
  )
  if (!existsSync(originalEntry)) throw new Error(`npm install did not produce ${originalEntry}`)
  return originalEntry
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `node <prisma1> <args>` asynchronously (the stand-in runs in this process and must keep answering). */
export function runOriginal(args: string[], options: {cwd: string; env?: Record<string, string>; timeoutMs?: number}): Promise<RunResult> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue
    if (/^(PRISMA_|DEBUG$|HTTPS?_PROXY$|https?_proxy$|NO_PROXY$|no_proxy$)/.test(key)) continue
    env[key] = value
  }
  const home = mkdtempSync(join(tmpdir(), 'prisma1-home-'))
  Object.assign(env, {HOME: home, USERPROFILE: home, FORCE_COLOR: '0', NO_COLOR: '1', CI: '1'}, options.env ?? {})
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [originalEntry, ...args], {cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout, stderr})
    })
  })
}

/** A temp folder with prisma.yml + datamodel.prisma. */
export function serviceDir(files: {yml: string; datamodel: string}): string {
  const dir = mkdtempSync(join(tmpdir(), 'prisma1-service-'))
  writeFileSync(join(dir, 'prisma.yml'), files.yml)
  writeFileSync(join(dir, 'datamodel.prisma'), files.datamodel)
  return dir
}
