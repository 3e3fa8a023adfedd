// The bad-input corpus (fixtures/bad/<case>/) run through the built CLI. Each case folder holds the input files and
// a case.json:
//   {description, args: [...], env?: {NAME: value}, cwd?: "sub/folder", exit: 1 | 2, stderrIncludes: [...],
//    mustNotShow?: [secret values in the input files], files?: {path: text},
//    setup?: {huge?: {path, bytes}, directory?: [path], unreadable?: [path], fifo?: [path]}}
// The folder is copied to a temporary root; `home/` inside it is the HOME of the run, the root (or `cwd`) its working
// directory. "<root>" in args and env values stands for that root. `files` are written at test time, `setup` makes
// what cannot be committed (a 50 MB file, folders in place of files, unreadable files, named pipes).
// Every case must: exit with its code, name what stderrIncludes lists, print no stack trace, and leave every input
// file byte-for-byte as it was, with no new file anywhere under the root.
import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmodSync, cpSync, createReadStream, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {open} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {after, describe, test} from 'node:test'

import {binPath, repoRoot, runCli, tempDir} from '../helpers/cli.js'
import {assertCleanFailure} from './checks.js'
import {runTracked} from './harness.js'

interface BadCase {
  description: string
  args: string[]
  env?: Record<string, string>
  cwd?: string
  exit: 1 | 2
  stderrIncludes: string[]
  mustNotShow?: string[]
  files?: Record<string, string>
  setup?: {
    huge?: {path: string; bytes: number}
    directory?: string[]
    unreadable?: string[]
    fifo?: string[]
  }
}

const corpusDir = join(repoRoot, 'fixtures', 'bad')
const names = readdirSync(corpusDir).filter((name) => lstatSync(join(corpusDir, name)).isDirectory()).sort()
const runningAsRoot = process.getuid?.() === 0
// As root, permissions do not stop reads; the unreadable-file cases then run the CLI as the unprivileged user 65534
// (nobody), when that user can run it at all (the checkout must be readable by others).
const nobody = 65_534
const nobodyCanRun =
  runningAsRoot && spawnSync(process.execPath, [binPath, '--version'], {encoding: 'utf8', gid: nobody, uid: nobody}).status === 0

/** Path → "file <sha256> <mode>" | "dir" | "fifo" | "link <target>" for everything under root. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const result = new Map<string, string>()
  const walk = async (dir: string): Promise<void> => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      const key = path.slice(root.length + 1)
      const stats = lstatSync(path)
      if (stats.isDirectory()) {
        result.set(key, 'dir')
        // a folder the tool may create on start (~/.prisma) is not an input file; everything inside is checked
        await walk(path)
      } else if (stats.isFile()) {
        result.set(key, `file ${await hashFile(path)} ${(stats.mode & 0o777).toString(8)}`)
      } else {
        result.set(key, stats.isFIFO() ? 'fifo' : 'special')
      }
    }
  }

  await walk(root)
  return result
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  } catch (error) {
    // an unreadable input file: its metadata stands in for its content
    const stats = lstatSync(path)
    return `unreadable(${(error as NodeJS.ErrnoException).code}) size=${stats.size} mtime=${stats.mtimeMs}`
  }

  return hash.digest('hex')
}

async function writeHuge(path: string, bytes: number): Promise<void> {
  // A valid-looking start, then a long comment: a parser that tried would have 50 MB of work.
  const handle = await open(path, 'w')
  try {
    await handle.write('endpoint: http://localhost:1/svc/dev\ndatamodel: datamodel.prisma\n')
    const line = Buffer.from(`# ${'x'.repeat(1021)}\n`)
    const block = Buffer.concat(Array.from({length: 1024}, () => line))
    let written = 0
    while (written < bytes) {
      await handle.write(block)
      written += block.length
    }
  } finally {
    await handle.close()
  }
}

/** Lets user 65534 into every folder under root (files keep their modes; the unreadable ones stay unreadable). */
function openUp(dir: string): void {
  chmodSync(dir, 0o755)
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (entry.isDirectory()) openUp(join(dir, entry.name))
  }
}

function fill(text: string, root: string): string {
  return text.split('<root>').join(root)
}

// BAD_CASES=name,name narrows a run while working on a few cases
const only = process.env.BAD_CASES?.split(',').filter(Boolean)
const cases = names
  .filter((name) => !only || only.some((part) => name.includes(part)))
  .map((name) => ({name, spec: JSON.parse(readFileSync(join(corpusDir, name, 'case.json'), 'utf8')) as BadCase}))

const tally = {passed: 0, skipped: 0}
after(() => process.stdout.write(`# bad input: ${cases.length} cases tried, ${tally.passed} passed, ${tally.skipped} skipped${runningAsRoot ? ` (running as root; unreadable files ${nobodyCanRun ? 'tried as user 65534' : 'skipped'})` : ''}\n`))

describe('bad-input corpus through the built CLI', {concurrency: 4}, () => {
  test('the corpus has at least 60 cases, each with a description, a command and an exit code of 1 or 2', () => {
    if (!only) assert.ok(cases.length >= 60, `${cases.length} cases`)
    for (const {name, spec} of cases) {
      assert.ok(spec.description && Array.isArray(spec.args) && spec.args.length > 0, name)
      assert.ok(spec.exit === 1 || spec.exit === 2, name)
      assert.ok(spec.stderrIncludes.length > 0, `${name} names what stderr must say`)
    }
  })

  for (const {name, spec} of cases) {
    test(`${name}: ${spec.description}`, async (t) => {
      const asNobody = Boolean(spec.setup?.unreadable) && runningAsRoot
      if (asNobody && !nobodyCanRun) {
        t.skip('running as root, and user 65534 cannot run the CLI here: an unreadable file cannot be made for root')
        tally.skipped += 1
        return
      }

      const root = await tempDir(`bad-${name}-`)
      cpSync(join(corpusDir, name), root, {filter: (source) => !source.endsWith('case.json'), recursive: true})
      mkdirSync(join(root, 'home'), {recursive: true})
      for (const [path, content] of Object.entries(spec.files ?? {})) {
        mkdirSync(dirname(join(root, path)), {recursive: true})
        writeFileSync(join(root, path), content)
      }

      if (spec.setup?.huge) await writeHuge(join(root, spec.setup.huge.path), spec.setup.huge.bytes)
      for (const path of spec.setup?.directory ?? []) mkdirSync(join(root, path), {recursive: true})
      for (const path of spec.setup?.fifo ?? []) execFileSync('mkfifo', [join(root, path)])
      for (const path of spec.setup?.unreadable ?? []) chmodSync(join(root, path), 0o000)
      if (asNobody) openUp(root)

      const before = await snapshot(root)
      const options = {
        cwd: join(root, spec.cwd ?? ''),
        env: {HOME: join(root, 'home'), ...Object.fromEntries(Object.entries(spec.env ?? {}).map(([k, v]) => [k, fill(v, root)]))},
        timeoutMs: 30_000,
      }
      const args = spec.args.map((arg) => fill(arg, root))
      const result = asNobody ? await runTracked(args, {...options, gid: nobody, uid: nobody}) : await runCli(args, options)
      const after = await snapshot(root)
      for (const path of spec.setup?.unreadable ?? []) chmodSync(join(root, path), 0o600)
      if (spec.setup?.huge) rmSync(join(root, spec.setup.huge.path), {force: true})

      const context = `${name}\nexit ${result.code} signal ${result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
      assert.equal(result.signal, null, context)
      assert.equal(result.code, spec.exit, context)
      assertCleanFailure(result, {usage: spec.exit === 2, context})
      // a failure never shows a secret it was given, nor any token
      for (const [name, value] of Object.entries(spec.env ?? {})) {
        if (/SECRET|KEY/.test(name) && value.trim().length >= 6) {
          for (const piece of value.split(/\s+/).filter((part) => part.length >= 6)) {
            assert.ok(!result.stdout.includes(piece) && !result.stderr.includes(piece), `${name} shown in the output\n${context}`)
          }
        }
      }

      for (const value of spec.mustNotShow ?? []) {
        assert.ok(!result.stdout.includes(value) && !result.stderr.includes(value), `${value} shown in the output\n${context}`)
      }

      assert.doesNotMatch(result.stdout + result.stderr, /eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]{6,}/, `a token in the output\n${context}`)
      for (const part of spec.stderrIncludes) {
        assert.ok(result.stderr.toLowerCase().includes(fill(part, root).toLowerCase()), `stderr should mention ${JSON.stringify(part)}\n${context}`)
      }

      // every input byte-for-byte unchanged, nothing added (a folder the tool creates on start, like ~/.prisma, aside)
      for (const [path, state] of before) assert.equal(after.get(path), state, `${path} changed\n${context}`)
      for (const [path, state] of after) {
        if (!before.has(path)) assert.equal(state, 'dir', `${path} was created\n${context}`)
      }

      tally.passed += 1
    })
  }
})
