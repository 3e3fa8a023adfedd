// The original CLI (prisma1@1.34.12) as the benchmarks run it: installed in .cache/prisma1 by the conformance suite.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

export const originalEntry = join(root, '.cache', 'prisma1', 'node_modules', 'prisma1', 'dist', 'index.js')

/**
 * The original starts a detached process after each command (prisma-cli-engine's check.js: usage statistics and
 * the update check), which keeps a core busy for a few hundred milliseconds after the command has exited. The next
 * case measured must not share the machine with it, so the benchmark waits until no such process is left (on a
 * system without /proc, one second).
 */
export async function originalBackgroundDone(): Promise<void> {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  if (!existsSync('/proc/self/cmdline')) return void (await pause(1000))
  const running = () =>
    readdirSync('/proc').some((pid) => {
      if (!/^\d+$/.test(pid)) return false
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        return cmdline.includes('prisma-cli-engine') && cmdline.includes('check.js')
      } catch {
        return false // ended meanwhile
      }
    })
  for (const started = Date.now(); running() && Date.now() - started < 10_000; ) await pause(20)
}
