// SIGINT and SIGTERM at random moments of deploy, the endpoint wizard (on a pseudo-terminal), the browser login and
// login --key / logout. Afterwards prisma.yml and ~/.prisma/config.yml are byte-identical to before or a complete
// valid new version (never partial, no temporary file left), and the exit status is 130 for SIGINT and 143 for
// SIGTERM. Four runs in five wait until the tool listens for the signals (its signal mask in /proc says so) and then
// wait a random time; the fifth waits a random time from the spawn, so some signals land while Node itself is still
// starting (on a busy machine that takes hundreds of milliseconds): those end the process the default way, killed by
// the signal, which a shell reports as the same 130 / 143, and are counted apart. A run that finished before its
// signal arrived is not counted as an interruption.
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, readlinkSync} from 'node:fs'
import {mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {after, describe, test} from 'node:test'

import yaml from 'js-yaml'

import {binPath, tempDir, writeTree} from '../helpers/cli.js'
import {keys, spawnPty} from '../helpers/pty.js'
import {startCloudServer} from '../stand-in/cloud-api.js'
import {startManagementServer} from '../stand-in/management-server.js'
import {groupMembers, mapLimit, runTracked, type TrackedResult} from './harness.js'

type Signal = 'SIGINT' | 'SIGTERM'
const codes: Record<Signal, number> = {SIGINT: 130, SIGTERM: 143}
const numbers: Record<Signal, number> = {SIGINT: 2, SIGTERM: 15}

const tally = {byCode: 0, bySignal: 0, finishedFirst: 0, filesChecked: 0, latestKill: 0}
after(() => {
  process.stdout.write(
    `# interruptions: ${tally.byCode + tally.bySignal} (${tally.byCode} exited 130/143, ${tally.bySignal} killed by the signal before start-up, the latest ${tally.latestKill} ms after spawning), ` +
      `${tally.finishedFirst} runs finished before their signal, ${tally.filesChecked} file checks, all intact\n`,
  )
})

const datamodel = 'type User {\n  id: ID! @id\n  name: String!\n}\n'
const unknownConfig = {clusters: {old: {host: 'http://old.invalid:4466'}}, custom: {nested: [1, 2, {three: 3}]}}
const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min))

async function homeWithConfig(extra: Record<string, unknown> = {}): Promise<{home: string; file: string; before: string}> {
  const home = await tempDir('interrupt-home-')
  await mkdir(join(home, '.prisma'), {mode: 0o700})
  const file = join(home, '.prisma', 'config.yml')
  const before = yaml.dump({...unknownConfig, ...extra})
  await writeFile(file, before, {mode: 0o600})
  return {before, file, home}
}

/** config.yml is what it was, or a whole new version: parses, keeps the unknown keys, 0600, no temporary file. */
async function assertConfig(file: string, before: string, allowed: {cloudSessionKey?: string | null}, context: string): Promise<void> {
  const text = await readFile(file, 'utf8')
  tally.filesChecked += 1
  if (text !== before) {
    const data = yaml.load(text) as Record<string, unknown>
    const {cloudSessionKey, ...rest} = data
    assert.deepEqual(rest, unknownConfig, `config.yml lost keys\n${text}\n${context}`)
    assert.ok(
      allowed.cloudSessionKey === undefined ? true : allowed.cloudSessionKey === null ? cloudSessionKey === undefined : cloudSessionKey === allowed.cloudSessionKey,
      `unexpected cloudSessionKey ${String(cloudSessionKey)}\n${context}`,
    )
  }

  assert.equal((await stat(file)).mode & 0o777, 0o600, context)
  assert.deepEqual(await readdir(join(file, '..')), ['config.yml'], `no temporary file\n${context}`)
}

/**
 * The exit status of a run that got `signal`: 130 / 143; killed by the signal only if it went out before the tool
 * listened (`early`); exit 0, or killed while Node was tearing down, only if the run had finished (`finished`) before
 * the signal arrived.
 */
function assertInterrupted(
  signal: Signal,
  exit: {code: number | null; signal: NodeJS.Signals | number | null},
  finished: boolean,
  context: string,
  early: boolean,
): void {
  if (exit.code === codes[signal]) {
    tally.byCode += 1
    return
  }

  if ((exit.signal === signal || exit.signal === numbers[signal]) && finished && !early) {
    // the work was done and the process was ending: Node no longer runs listeners while it tears down
    tally.finishedFirst += 1
    return
  }

  if (exit.signal === signal || exit.signal === numbers[signal]) {
    assert.ok(early, `killed by ${signal} although the tool was listening for it\n${context}`)
    tally.bySignal += 1
    tally.latestKill = Math.max(tally.latestKill, Number(/after (\d+) ms/.exec(context)?.[1] ?? 0))
    return
  }

  assert.ok(finished && exit.code === 0, `${signal}: expected exit ${codes[signal]}, got code ${exit.code} signal ${exit.signal}\n${context}`)
  tally.finishedFirst += 1
}

const marker = fileURLToPath(new URL('listen-marker.mjs', import.meta.url))

/** Environment that makes the tool write `file` once it listens for the signals (see listen-marker.mjs). */
function marking(file: string): Record<string, string> {
  return {HARDENING_MARK_FILE: file, NODE_OPTIONS: `--import=${pathToFileURL(marker).href}`}
}

/** Resolves true once `file` exists (the tool listens), false if it never appeared within 20 s. */
async function whenListening(file: string): Promise<boolean> {
  const started = Date.now()
  while (Date.now() - started < 20_000) {
    if (existsSync(file)) return true
    await new Promise((resolve) => setTimeout(resolve, 3))
  }

  return false
}

/**
 * Sends `signal` after `delay` ms: counted from when the tool listens, or (fromSpawn) from the spawn. The returned
 * record says whether the signal went out before the tool listened.
 */
function signalLater(mark: string, kill: (signal: Signal) => void, signal: Signal, delay: number, fromSpawn: boolean): {early: boolean} {
  const record = {early: false}
  const wait = fromSpawn ? Promise.resolve(true) : whenListening(mark)
  void wait.then(() =>
    setTimeout(() => {
      record.early = !existsSync(mark)
      kill(signal)
    }, delay),
  )
  return record
}

/** One deploy, interrupted `delay` ms (random below maxDelay) after it listens (or after the spawn, every fifth). */
async function interruptDeploy(serverUrl: string, index: number, maxDelay: number): Promise<void> {
  const signal: Signal = index % 2 ? 'SIGINT' : 'SIGTERM'
  const prismaYml = `# deploy ${index}\nendpoint: ${serverUrl}/svc${index}/dev\ndatamodel: datamodel.prisma\n`
  const cwd = await writeTree({'datamodel.prisma': datamodel, 'prisma.yml': prismaYml})
  const config = await homeWithConfig({cloudSessionKey: 'a-session-key'})
  const delay = random(0, maxDelay)
  const mark = join(config.home, 'listening')
  let sent = {early: false}
  const result = await runTracked(['deploy'], {
    cwd,
    env: {HOME: config.home, ...marking(mark)},
    onSpawn: (child) => (sent = signalLater(mark, child.kill, signal, delay, index % 5 === 0)),
  })
  const text = context(result, signal, delay)
  assertInterrupted(signal, result, /Your Prisma endpoint is live/.test(result.stdout), text, sent.early)
  assert.equal(result.leftover, false, text)
  assert.equal(await readFile(join(cwd, 'prisma.yml'), 'utf8'), prismaYml, text)
  assert.deepEqual((await readdir(cwd)).sort(), ['datamodel.prisma', 'prisma.yml'], text)
  tally.filesChecked += 1
  await assertConfig(config.file, config.before, {cloudSessionKey: 'a-session-key'}, text)
  if (result.code === 130 || result.code === 143) assert.doesNotMatch(result.stderr, /Unexpected error|\n\s+at .+:\d+:\d+/, text)
}

function context(result: TrackedResult, signal: Signal, delay: number): string {
  return `${signal} after ${delay} ms: exit ${result.code} signal ${result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
}

describe('interruptions at random moments', {concurrency: 1}, () => {
  test('deploy: 50 signals; prisma.yml and config.yml untouched', async () => {
    const server = await startManagementServer({migrationStepMs: 40})
    try {
      await mapLimit(Array.from({length: 50}, (_, index) => index), 4, (index) => interruptDeploy(server.url, index, 700))
    } finally {
      await server.close()
    }
  })

  test('deploy interrupted while a post-deploy hook runs: 6 signals; the hook process ends with it', async () => {
    const server = await startManagementServer({migrationStepMs: 5})
    try {
      await mapLimit(Array.from({length: 6}, (_, index) => index), 3, async (index) => {
        const signal: Signal = index % 2 ? 'SIGINT' : 'SIGTERM'
        const prismaYml = `endpoint: ${server.url}/hook${index}/dev\ndatamodel: datamodel.prisma\nhooks:\n  post-deploy:\n    - sleep 60\n`
        const cwd = await writeTree({'datamodel.prisma': datamodel, 'prisma.yml': prismaYml})
        const result = await runTracked(['deploy'], {
          cwd,
          onSpawn: (child) => {
            const poll = setInterval(() => {
              if (!groupMembers(child.pid).some((member) => member.includes('(sleep)'))) return
              clearInterval(poll)
              child.kill(signal)
            }, 20)
          },
          timeoutMs: 50_000,
        })
        const text = context(result, signal, 0)
        assert.equal(result.code, codes[signal], text)
        assert.equal(result.leftover, false, `the hook was left running\n${text}`)
        assert.match(result.stderr, /Running sleep 60/, text)
        assert.equal(await readFile(join(cwd, 'prisma.yml'), 'utf8'), prismaYml, text)
        tally.byCode += 1
        tally.filesChecked += 1
      })
    } finally {
      await server.close()
    }
  })

  test('login in the browser: 30 signals while it waits, polls and stores the key', async () => {
    const sessionKey = 'approved-session-key-value'
    const cloud = await startCloudServer({approveAfterPolls: 2, approveWith: sessionKey, sessionKeys: {[sessionKey]: {email: 'ada@example.com'}}})
    try {
      await mapLimit(Array.from({length: 30}, (_, index) => index), 4, async (index) => {
        const signal: Signal = index % 2 ? 'SIGINT' : 'SIGTERM'
        const config = await homeWithConfig()
        const delay = random(0, 2200)
        const mark = join(config.home, 'listening')
        let sent = {early: false}
        const result = await runTracked(['login'], {
          env: {BROWSER: 'none', CLOUD_API_ENDPOINT: cloud.url, HOME: config.home, ...marking(mark)},
          onSpawn: (child) => (sent = signalLater(mark, child.kill, signal, delay, index % 5 === 0)),
        })
        const text = context(result, signal, delay)
        assertInterrupted(signal, result, /Successfully signed in/.test(result.stdout), text, sent.early)
        assert.equal(result.leftover, false, text)
        await assertConfig(config.file, config.before, {cloudSessionKey: sessionKey}, text)
      })
    } finally {
      await cloud.close()
    }
  })

  test('login --key and logout: 24 signals while they read and write config.yml', async () => {
    await mapLimit(Array.from({length: 24}, (_, index) => index), 4, async (index) => {
      const signal: Signal = index % 2 ? 'SIGINT' : 'SIGTERM'
      const logout = index % 3 === 0
      const config = await homeWithConfig({cloudSessionKey: 'old-session-key'})
      const delay = random(0, 400)
      const mark = join(config.home, 'listening')
      let sent = {early: false}
      const result = await runTracked(logout ? ['logout'] : ['login', '--key', `new-key-${index}`], {
        env: {CLOUD_API_ENDPOINT: 'http://127.0.0.1:9', HOME: config.home, ...marking(mark)},
        onSpawn: (child) => (sent = signalLater(mark, child.kill, signal, delay, index % 5 === 0)),
      })
      const text = context(result, signal, delay)
      // the command's last line on stdout: its work was done, and a signal then may meet Node tearing down
      const finished = /Session key stored|Successfully signed in|successfully logged out/.test(result.stdout)
      assertInterrupted(signal, result, result.code === 0 || finished, text, sent.early)
      await assertConfig(config.file, config.before, {cloudSessionKey: logout ? null : `new-key-${index}`}, text)
    })
  })

  test('the endpoint wizard on a terminal: 24 signals while it asks, writes prisma.yml and deploys', async () => {
    const server = await startManagementServer({migrationStepMs: 20})
    try {
      await mapLimit(Array.from({length: 24}, (_, index) => index), 3, async (index) => {
        const signal: Signal = index % 2 ? 'SIGINT' : 'SIGTERM'
        const root = await tempDir('interrupt-wizard-')
        const dir = join(root, `app${index}`)
        const original = `# wizard ${index}\ndatamodel: datamodel.prisma\n`
        await writeTree({'datamodel.prisma': datamodel, 'prisma.yml': original}, dir)
        const started = Date.now()
        const mark = join(root, 'listening')
        const session = await spawnPty(['deploy'], {cwd: dir, env: {PRISMA_LOCAL_SERVER_URL: server.url, ...marking(mark)}, timeoutMs: 60_000})
        const delay = random(0, 1500)
        let sent = false
        let early = false
        let timer: NodeJS.Timeout | undefined
        const send = () => {
          const pid = cliPid(dir)
          if (pid === undefined) return
          try {
            early = !existsSync(mark)
            process.kill(pid, signal)
            sent = true
          } catch {
            // already gone
          }
        }

        void (async () => {
          let pid: number | undefined
          while (pid === undefined && Date.now() - started < 15_000) {
            pid = cliPid(dir)
            if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 5))
          }

          if (pid !== undefined && index % 5 !== 0) await whenListening(mark)
          timer = setTimeout(send, delay)
        })()
        // answer like a user pressing Enter at each question, as fast as the questions come
        const answer = async () => {
          for (const question of ['Use other server', 'Choose a name for your service', 'Choose a name for your stage']) {
            await session.waitFor(question, 30_000)
            session.write(keys.enter)
          }
        }

        answer().catch(() => undefined)
        const exit = await session.exit
        clearTimeout(timer)
        const text = `${signal} after ${delay} ms (sent: ${sent}, ran ${Date.now() - started} ms): exit ${exit.code} signal ${exit.signal}\n${session.transcript()}`
        const finished = /Your Prisma endpoint is live/.test(session.transcript())
        if (sent) assertInterrupted(signal, exit, finished, text, early)
        else assert.equal(exit.code, 0, text)
        const written = await readFile(join(dir, 'prisma.yml'), 'utf8')
        tally.filesChecked += 1
        assert.ok(written === original || written === `${original}endpoint: ${server.url}/app${index}/dev\n`, `prisma.yml is partial:\n${written}\n${text}`)
        assert.deepEqual((await readdir(dir)).sort(), ['datamodel.prisma', 'prisma.yml'], `no temporary file\n${text}`)
      })
    } finally {
      await server.close()
    }
  })

  test('at least 100 runs were interrupted, every one with its files intact', async () => {
    // on a fast machine more runs finish before their signal; top up with deploys interrupted early in their run
    const server = await startManagementServer({migrationStepMs: 100})
    try {
      for (let round = 0; tally.byCode + tally.bySignal < 100 && round < 10; round++) {
        await mapLimit(Array.from({length: 8}, (_, index) => 1000 + round * 8 + index), 4, (index) => interruptDeploy(server.url, index, 250))
      }
    } finally {
      await server.close()
    }

    assert.ok(tally.byCode + tally.bySignal >= 100, JSON.stringify(tally))
  })
})

/** The CLI process running in `dir` (the pseudo-terminal helper does not expose its pid). */
function cliPid(dir: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) !== dir) continue
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (cmdline.includes(binPath) && !cmdline.includes('-c')) return Number(entry)
    } catch {
      // a process that ended meanwhile
    }
  }

  return undefined
}
