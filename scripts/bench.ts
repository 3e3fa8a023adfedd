// Benchmark: wall time of the built CLI's commands (start-up, and deploys against the local stand-in) as a ratio to
// the bare `node -e 0` floor measured in the same run, beside the original CLI's (when installed in .cache/prisma1),
// the footprint of a production install of the packed package, and the deploy figures of scripts/bench-deploy.ts.
// It measures and reports; it never fails because something is slow (exit 1 only when it cannot run at all).
//
//   npm run bench                     (builds first)
//   npm run bench -- --json           machine-readable output
//   npm run bench -- --runs 30        runs per start-up case (default 20, at least 15)
//   npm run bench -- --skip footprint,deploy,generate,data,original   (original: the original CLI's column)
//   npm run bench -- --node /path/to/node   start-up measured with another Node binary (e.g. 22 against 20)
import {spawn} from 'node:child_process'
import {existsSync, lstatSync, readdirSync, readFileSync} from 'node:fs'
import {cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import os from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {benchData, type DataFigures} from './bench-data.js'
import {benchGenerate, type GenerateFigures} from './bench-generate.js'
import type {LockEntry} from './lockfile.js'
import {originalBackgroundDone, originalEntry} from './original-cli.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const json = args.includes('--json')
const runs = Math.max(15, Number(valueOf('--runs') ?? 20))
const skip = new Set((valueOf('--skip') ?? '').split(',').filter(Boolean))
const nodeBin = valueOf('--node') ?? process.execPath
const log = (line: string) => process.stderr.write(`${line}\n`)

function valueOf(flag: string): string | undefined {
  const index = args.indexOf(flag)
  return index === -1 ? undefined : args[index + 1]
}

// ---------------------------------------------------------------------------------------------------------- utils

interface Run {
  code: number | null
  ms: number
  stdout: string
  stderr: string
}

function run(command: string, argv: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(command, argv, {cwd: options.cwd ?? root, env: options.env ?? process.env})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, ms: Number(process.hrtime.bigint() - started) / 1e6, stdout, stderr}))
    child.stdin.end()
  })
}

function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q
  const low = Math.floor(position)
  const high = Math.ceil(position)
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low)
}

function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b)
  const round = (n: number) => Math.round(n * 10) / 10
  return {
    runs: sorted.length,
    medianMs: round(quantile(sorted, 0.5)),
    p10Ms: round(quantile(sorted, 0.1)),
    p90Ms: round(quantile(sorted, 0.9)),
    minMs: round(sorted[0]),
    maxMs: round(sorted.at(-1)!),
  }
}

function sizeOf(dir: string): {files: number; bytes: number; diskBytes: number} {
  let files = 0
  let bytes = 0
  let diskBytes = 0
  const walk = (path: string) => {
    const stat = lstatSync(path)
    diskBytes += stat.blocks * 512
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry))
    } else {
      files++
      bytes += stat.size
    }
  }
  walk(dir)
  return {files, bytes, diskBytes}
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10

// -------------------------------------------------------------------------------------------------------- machine

function machine() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    npm: '',
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
    date: new Date().toISOString(),
  }
}

// -------------------------------------------------------------------------------------------------------- start-up

/** The original CLI (prisma1 1.34.12), when installed (see test/conformance/original-cli.ts). */

interface Command {
  argv: string[]
  cwd?: string
  /** Environment of run number `run` (-1 for the warm-up run). */
  env?: (run: number) => Record<string, string>
}

interface Case extends Command {
  name: string
  /** Target as a multiple of the floor's median. */
  target?: number
  /** Target in milliseconds of wall time. */
  targetMs?: number
  /** The case is only measured when the command exists. */
  command?: string
  /** The same thing done by the original CLI. */
  original?: Command
}

interface Figures {
  medianMs: number
  p10Ms: number
  p90Ms: number
  minMs: number
  maxMs: number
  runs: number
  ratio: number
  cpuMedianMs: number
  cpuRatio: number
  /** How long the stand-in (this process) was busy during a run (median): the server's own time. */
  serverBusyMedianMs: number
}

interface CaseResult extends Partial<Figures> {
  name: string
  available: boolean
  note?: string
  exitCode?: number | null
  target?: number
  targetMs?: number
  withinTarget?: boolean
  original?: Partial<Figures> & {available: boolean; note?: string}
}

function commandExists(packageDir: string, id: string): boolean {
  const manifestPath = join(packageDir, 'oclif.manifest.json')
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {commands?: Record<string, unknown>}
    if (manifest.commands?.[id]) return true
  }
  return existsSync(join(packageDir, 'dist', 'commands', `${id.replaceAll(':', '/')}.js`))
}

/** Steps of the migration that deploying `datamodel` to a new service creates on the stand-in. */
async function stepsOfNewService(bin: string, dir: string, env: Record<string, string>): Promise<number> {
  const {startManagementServer} = await import('../test/stand-in/management-server.js')
  const server = await startManagementServer({migrationStepMs: 1})
  try {
    const result = await run(nodeBin, [bin, 'deploy', '--json'], {cwd: dir, env: {...env, BENCH_ENDPOINT: `${server.url}/steps/dev`}})
    const document = JSON.parse(result.stdout) as {steps?: unknown[]}
    if (!Array.isArray(document.steps)) throw new Error(`deploy --json gave no steps: ${result.stderr.trim()}`)
    return document.steps.length
  } finally {
    await server.close()
  }
}

async function startup(): Promise<CaseResult[]> {
  const {startManagementServer} = await import('../test/stand-in/management-server.js')
  const tmp = await mkdtemp(join(os.tmpdir(), 'prisma-bench-'))
  const servers: {close(): Promise<void>}[] = []
  try {
    // A snapshot of the built package (node_modules linked), so that a rebuild in the working tree during the
    // measurement cannot break or change it.
    const snapshot = join(tmp, 'package')
    for (const entry of ['package.json', 'oclif.manifest.json', 'bin', 'dist']) {
      if (existsSync(join(root, entry))) await cp(join(root, entry), join(snapshot, entry), {recursive: true})
    }
    await symlink(join(root, 'node_modules'), join(snapshot, 'node_modules'), 'dir')
    const bin = join(snapshot, 'bin', 'run.js')
    const withOriginal = !skip.has('original') && existsSync(originalEntry)
    const home = join(tmp, 'home')
    const originalHome = join(tmp, 'original-home')
    const userModel = 'type User {\n  id: ID! @id\n  name: String!\n  email: String @unique\n}\n\ntype Post {\n  id: ID! @id\n  title: String!\n  author: User!\n}\n'
    const dirs = {
      empty: join(tmp, 'empty'),
      // the original makes a token only for an endpoint on a known cluster (localhost); no server is asked
      token: join(tmp, 'token'),
      unchanged: join(tmp, 'unchanged'),
      originalUnchanged: join(tmp, 'original-unchanged'),
      fresh: join(tmp, 'fresh'),
    }
    const baseEnv: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !/^(PRISMA_|DEBUG$|NODE_OPTIONS$|HTTPS?_PROXY|https?_proxy|NO_PROXY|no_proxy|CLOUD_API_ENDPOINT)/.test(key)) baseEnv[key] = value
    }
    Object.assign(baseEnv, {HOME: home, NO_COLOR: '1'})
    // the original as test/conformance/original-cli.ts runs it: its own HOME, CI set (no prompts), no colours
    const originalEnv = {...baseEnv, CI: '1', FORCE_COLOR: '0', HOME: originalHome, USERPROFILE: originalHome}

    // unchanged deploys: a stand-in with quick migrations; a new service: one whose migration of that datamodel
    // takes 300 ms (one tick to start, one per step)
    const quick = await startManagementServer({migrationStepMs: 5})
    servers.push(quick)
    await writeTreeFlat({
      [join(home, '.keep')]: '',
      [join(originalHome, '.keep')]: '',
      [join(dirs.empty, '.keep')]: '',
      [join(dirs.token, 'prisma.yml')]: 'endpoint: http://localhost:4466/bench/dev\ndatamodel: datamodel.prisma\n',
      [join(dirs.token, 'datamodel.prisma')]: userModel,
      [join(dirs.unchanged, 'prisma.yml')]: `endpoint: ${quick.url}/unchanged/dev\ndatamodel: datamodel.prisma\n`,
      [join(dirs.unchanged, 'datamodel.prisma')]: userModel,
      [join(dirs.originalUnchanged, 'prisma.yml')]: `endpoint: ${quick.url}/original-unchanged/dev\ndatamodel: datamodel.prisma\n`,
      [join(dirs.originalUnchanged, 'datamodel.prisma')]: userModel,
      [join(dirs.fresh, 'prisma.yml')]: 'endpoint: ${env:BENCH_ENDPOINT}\ndatamodel: datamodel.prisma\n',
      [join(dirs.fresh, 'datamodel.prisma')]: userModel,
    })
    const migrationMs = 300
    const steps = commandExists(snapshot, 'deploy') ? await stepsOfNewService(bin, dirs.fresh, baseEnv) : 1
    const timed = await startManagementServer({migrationStepMs: migrationMs / (steps + 1)})
    servers.push(timed)
    const secret = () => ({PRISMA_MANAGEMENT_API_SECRET: 'bench-management-secret'})
    const freshService = (who: string) => (index: number) => ({BENCH_ENDPOINT: `${timed.url}/${who}-${index + 1}/dev`})

    const cases: Case[] = [
      {name: 'node -e 0 (floor)', argv: ['-e', '0']},
      {name: 'prisma --version', argv: [bin, '--version'], target: 1.5, original: {argv: [originalEntry, '--version']}},
      {name: 'prisma --help', argv: [bin, '--help'], original: {argv: [originalEntry, '--help']}},
      {name: 'prisma deploy --help', argv: [bin, 'deploy', '--help'], target: 2.5, command: 'deploy', original: {argv: [originalEntry, 'deploy', '--help']}},
      {
        name: 'prisma cluster-token (secret set)',
        argv: [bin, 'cluster-token'],
        cwd: dirs.token,
        env: secret,
        target: 2,
        command: 'cluster-token',
        original: {argv: [originalEntry, 'cluster-token'], cwd: dirs.token, env: secret},
      },
      {name: 'prisma cluster-token (secret set, no prisma.yml)', argv: [bin, 'cluster-token'], cwd: dirs.empty, env: secret, target: 2, command: 'cluster-token'},
      {
        name: 'prisma deploy, datamodel unchanged, local server',
        argv: [bin, 'deploy'],
        cwd: dirs.unchanged,
        target: 2.5,
        command: 'deploy',
        original: {argv: [originalEntry, 'deploy'], cwd: dirs.originalUnchanged},
      },
      {
        name: `prisma deploy, new service, ${migrationMs} ms migration on the server`,
        argv: [bin, 'deploy'],
        cwd: dirs.fresh,
        env: freshService('new'),
        targetMs: migrationMs + 200,
        command: 'deploy',
        original: {argv: [originalEntry, 'deploy'], cwd: dirs.fresh, env: freshService('original-new')},
      },
    ]

    // CPU time (user + system) of each measured process, written at exit by a preloaded one-line module: far
    // steadier than wall time when other processes compete for the cores. Every case, the floor included, gets it.
    const cpuPreload = join(tmp, 'cpu-usage.mjs')
    const cpuLog = join(tmp, 'cpu-usage.txt')
    await writeFile(
      cpuPreload,
      "import {writeFileSync} from 'node:fs'\n" +
        "process.once('exit', () => { const u = process.cpuUsage(); writeFileSync(process.env.BENCH_CPU_LOG, String((u.user + u.system) / 1000)) })\n",
    )
    const measure = async (command: Command, env: Record<string, string>, index: number) => {
      await rm(cpuLog, {force: true})
      const loop = performance.eventLoopUtilization()
      const result = await run(nodeBin, ['--import', pathToFileURL(cpuPreload).href, ...command.argv], {
        cwd: command.cwd ?? home,
        env: {...env, ...command.env?.(index), BENCH_CPU_LOG: cpuLog},
      })
      const cpuMs = Number(await readFile(cpuLog, 'utf8').catch(() => 'NaN'))
      const serverBusyMs = performance.eventLoopUtilization(loop).active
      if (command.argv[0] === originalEntry) await originalBackgroundDone()
      return {...result, cpuMs, serverBusyMs}
    }

    interface Series {
      command: Command
      env: Record<string, string>
      samples: number[]
      cpu: number[]
      serverBusy: number[]
      store: (figures: Figures) => void
    }
    const active: Series[] = []
    const results: CaseResult[] = []
    const firstLine = (result: Run) => (result.stderr || result.stdout).trim().split('\n')[0]?.slice(0, 100)
    for (const spec of cases) {
      const result: CaseResult = {name: spec.name, available: true, target: spec.target, targetMs: spec.targetMs}
      results.push(result)
      if (spec.command && !commandExists(snapshot, spec.command)) {
        result.available = false
        result.note = `command ${spec.command} does not exist yet`
        continue
      }
      // Warm-up run: checks the case works, warms the file system cache, and creates the unchanged services.
      const env = {...baseEnv}
      const first = await measure(spec, env, -1)
      result.exitCode = first.code
      if (first.code !== 0) result.note = `exit ${first.code}: ${firstLine(first)}`
      active.push({command: spec, cpu: [], env, samples: [], serverBusy: [], store: (figures) => Object.assign(result, figures)})
      if (!spec.original) continue
      result.original = {available: withOriginal}
      if (!withOriginal) {
        result.original.note = skip.has('original') ? 'skipped' : 'not installed (.cache/prisma1)'
        continue
      }
      const original = result.original
      const warm = await measure(spec.original, originalEnv, -1)
      if (warm.code !== 0) original.note = `exit ${warm.code}: ${firstLine(warm)}`
      active.push({command: spec.original, cpu: [], env: originalEnv, samples: [], serverBusy: [], store: (figures) => Object.assign(original, figures)})
    }

    // Round-robin over the cases so that load from other processes spreads evenly over all of them.
    for (let i = 0; i < runs; i++) {
      for (const series of active) {
        const measured = await measure(series.command, series.env, i)
        series.samples.push(measured.ms)
        series.cpu.push(measured.cpuMs)
        series.serverBusy.push(measured.serverBusyMs)
      }
      if (!json) process.stderr.write(`\rstart-up: round ${i + 1}/${runs}`)
    }
    if (!json) process.stderr.write('\n')

    const floor = summarize(active[0].samples).medianMs
    const cpuFloor = summarize(active[0].cpu).medianMs
    for (const series of active) {
      const wall = summarize(series.samples)
      const cpuMedianMs = summarize(series.cpu).medianMs
      series.store({
        ...wall,
        cpuMedianMs,
        cpuRatio: Math.round((cpuMedianMs / cpuFloor) * 100) / 100,
        serverBusyMedianMs: summarize(series.serverBusy).medianMs,
        ratio: Math.round((wall.medianMs / floor) * 100) / 100,
      })
    }
    for (const result of results) {
      if (result.medianMs === undefined) continue
      if (result.target !== undefined) result.withinTarget = result.ratio! <= result.target
      if (result.targetMs !== undefined) result.withinTarget = result.medianMs <= result.targetMs
    }
    return results
  } finally {
    for (const server of servers) await server.close()
    await rm(tmp, {force: true, recursive: true})
  }
}

async function writeTreeFlat(files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(path), {recursive: true})
    await writeFile(path, content)
  }
}

// ------------------------------------------------------------------------------------------------------- footprint

interface InstallResult {
  cache: 'warm' | 'empty'
  ok: boolean
  note?: string
  wallMs?: number
  packages?: number
  files?: number
  sizeMb?: number
  diskMb?: number
}

interface Footprint {
  tarball?: {name: string; packedKb: number; unpackedKb: number; files: number}
  installs: InstallResult[]
  targets: {packages: number; diskMb: number}
  /** What the bundle in dist/ holds, per library. */
  bundle?: BundlePart[]
}

interface BundlePart {
  /** An npm package, or "this tool (src/)". */
  name: string
  kb: number
}

/** How much of dist/ (the published bundle) each library takes, from the build's record (dist/bundle-meta.json). */
function bundleWeights(): BundlePart[] {
  const meta = JSON.parse(readFileSync(join(root, 'dist', 'bundle-meta.json'), 'utf8')) as {
    outputs: Record<string, {inputs: Record<string, {bytesInOutput: number}>}>
  }
  const bytes = new Map<string, number>()
  for (const {inputs} of Object.values(meta.outputs)) {
    for (const [input, {bytesInOutput}] of Object.entries(inputs)) {
      const name = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1] ?? 'this tool (src/)'
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput)
    }
  }
  return [...bytes].map(([name, size]) => ({name, kb: Math.round(size / 1024)})).sort((a, b) => b.kb - a.kb)
}

async function footprint(): Promise<Footprint> {
  const result: Footprint = {installs: [], targets: {packages: 80, diskMb: 20}, bundle: bundleWeights()}
  const tmp = await mkdtemp(join(os.tmpdir(), 'prisma-bench-pack-'))
  try {
    // The package was just built; skip prepack so that packing does not rewrite files of the working tree.
    const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], {cwd: root})
    if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr.trim()}`)
    const info = (JSON.parse(packed.stdout) as {filename: string; size: number; unpackedSize: number; entryCount: number}[])[0]
    result.tarball = {
      name: info.filename,
      packedKb: Math.round(info.size / 1024),
      unpackedKb: Math.round(info.unpackedSize / 1024),
      files: info.entryCount,
    }
    const tarball = join(tmp, info.filename)

    for (const cache of ['warm', 'empty'] as const) {
      const dir = join(tmp, `install-${cache}`)
      await writeTreeFlat({[join(dir, 'package.json')]: JSON.stringify({name: 'bench-install', private: true}) + '\n'})
      const npmArgs = ['install', tarball, '--omit=dev', '--no-audit', '--no-fund', '--no-update-notifier']
      if (cache === 'empty') npmArgs.push('--cache', join(tmp, 'npm-cache'), '--prefer-online')
      const installed = await run('npm', npmArgs, {cwd: dir})
      if (installed.code !== 0) {
        result.installs.push({cache, ok: false, note: installed.stderr.trim().split('\n').slice(-3).join(' ')})
        continue
      }
      const lock = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8')) as {
        packages: Record<string, LockEntry>
      }
      const size = sizeOf(join(dir, 'node_modules'))
      result.installs.push({
        cache,
        ok: true,
        wallMs: Math.round(installed.ms),
        packages: Object.keys(lock.packages).filter((key) => key.startsWith('node_modules/')).length,
        files: size.files,
        sizeMb: mb(size.bytes),
        diskMb: mb(size.diskBytes),
      })
    }
    return result
  } finally {
    await rm(tmp, {force: true, recursive: true})
  }
}

// ---------------------------------------------------------------------------------------------------------- deploy

interface DeployFigures {
  available: boolean
  note?: string
  figures?: Record<string, unknown>
}

async function deployFigures(): Promise<DeployFigures> {
  const script = join(root, 'scripts', 'bench-deploy.ts')
  if (!existsSync(script)) return {available: false, note: 'scripts/bench-deploy.ts does not exist yet'}
  const result = await run(process.execPath, ['--import', 'tsx', script, '--json'], {cwd: root})
  if (result.code !== 0) {
    return {available: false, note: `bench-deploy exited ${result.code}: ${result.stderr.trim().split('\n').at(-1)}`}
  }
  // The figures are the last JSON object printed.
  const text = result.stdout.trim()
  const start = text.lastIndexOf('\n{')
  try {
    return {available: true, figures: JSON.parse(start === -1 ? text : text.slice(start + 1)) as Record<string, unknown>}
  } catch {
    return {available: false, note: 'bench-deploy did not print JSON'}
  }
}

// ---------------------------------------------------------------------------------------------------------- output

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)))
  return rows
    .map((row, index) => {
      const line = row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      return index === 0 ? `${line.join('  ')}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line.join('  ')
    })
    .join('\n')
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? '' : ok ? 'ok' : 'OVER'
}

function printReport(report: Report) {
  const m = report.machine
  const out: string[] = []
  out.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}; Node ${m.node}, npm ${m.npm}`)
  out.push(`Load average at start: ${m.loadAverage.join(' ')}; ${m.date}`, '')

  if (report.startup) {
    out.push(
      `Start-up (${runs} runs each, interleaved): wall time of the whole process (median and spread), and its CPU time`,
      '(user + system, median). Targets apply to the wall-time ratio.',
      '',
    )
    const rows = [['case', 'median ms', 'p10', 'p90', 'x floor', 'cpu x floor', 'target', '', 'original ms', 'original x floor']]
    const targetOf = (r: CaseResult) => (r.target ? `<= ${r.target}x` : r.targetMs ? `<= ${r.targetMs} ms` : '')
    for (const r of report.startup) {
      const original = r.original?.medianMs === undefined ? ['-', '-'] : [r.original.medianMs.toFixed(0), `${r.original.ratio!.toFixed(2)}x`]
      if (!r.available || r.medianMs === undefined) {
        rows.push([r.name, '-', '', '', '', '', targetOf(r), r.note ?? '', ...original])
        continue
      }
      rows.push([
        r.name,
        r.medianMs.toFixed(1),
        r.p10Ms!.toFixed(1),
        r.p90Ms!.toFixed(1),
        `${r.ratio!.toFixed(2)}x`,
        `${r.cpuRatio!.toFixed(2)}x`,
        targetOf(r),
        [verdict(r.withinTarget), r.note].filter(Boolean).join(' '),
        ...original,
      ])
    }
    const notes = report.startup.filter((r) => r.original?.note).map((r) => `original, ${r.name}: ${r.original!.note}`)
    // The deploy rows include the stand-in's own work, in this process and on the same cores. This process is busy
    // for a few ms with any run (spawning it, reading its output): the floor's run gives that share.
    const base = report.startup[0]?.serverBusyMedianMs ?? 0
    const serverMs = (busy?: number) => Math.max(0, (busy ?? 0) - base)
    const busy = report.startup
      .filter((r) => serverMs(r.serverBusyMedianMs) >= 2)
      .map((r) => `  ${r.name}: ${serverMs(r.serverBusyMedianMs).toFixed(1)} ms${r.original?.serverBusyMedianMs === undefined ? '' : ` (the original: ${serverMs(r.original.serverBusyMedianMs).toFixed(1)} ms)`}`)
    if (busy.length > 0) busy.unshift('The stand-in was busy serving requests during a run for (median, beyond what any run costs this process):')
    out.push(table(rows), ...notes, ...(busy.length > 0 ? ['', ...busy] : []), '')
  }

  if (report.footprint) {
    const f = report.footprint
    out.push('Production install of the packed package (npm install <tarball> --omit=dev into an empty folder)', '')
    if (f.tarball) out.push(`Tarball ${f.tarball.name}: ${f.tarball.packedKb} kB packed, ${f.tarball.unpackedKb} kB unpacked, ${f.tarball.files} files`, '')
    const rows = [['npm cache', 'packages', 'files', 'size MB', 'on disk MB', 'install s', 'target', '']]
    for (const i of f.installs) {
      if (!i.ok) {
        rows.push([i.cache, '-', '-', '-', '-', '-', '', i.note ?? 'failed'])
        continue
      }
      rows.push([
        i.cache,
        String(i.packages),
        String(i.files),
        i.sizeMb!.toFixed(1),
        i.diskMb!.toFixed(1),
        (i.wallMs! / 1000).toFixed(1),
        `<= ${f.targets.packages} pkgs, <= ${f.targets.diskMb} MB`,
        verdict(i.packages! <= f.targets.packages && i.diskMb! <= f.targets.diskMb),
      ])
    }
    out.push(table(rows), '')
    if (f.bundle) {
      out.push('What the bundle (dist/) holds: the libraries it runs on, minified, in kB; the ten largest', '')
      const parts = [['library', 'kB']]
      for (const part of f.bundle.slice(0, 10)) parts.push([part.name, String(part.kb)])
      const rest = f.bundle.slice(10)
      parts.push([`${rest.length} more`, String(rest.reduce((sum, part) => sum + part.kb, 0))])
      out.push(table(parts), '')
    }
  }

  if (report.deploy) {
    out.push('Deploy (scripts/bench-deploy.ts)', '')
    if (!report.deploy.available) out.push(`  not measured: ${report.deploy.note}`)
    else {
      const figures = Object.entries(report.deploy.figures ?? {}).filter(([, value]) => value && typeof value === 'object') as [
        string,
        Record<string, unknown>,
      ][]
      const preferred = ['requests', 'wallMs', 'cliCpuMs', 'peakRssMb', 'types', 'datamodelMb', 'outputMb']
      const keys = [...new Set([...preferred, ...figures.flatMap(([, value]) => Object.keys(value))])].filter((key) =>
        figures.some(([, value]) => key in value),
      )
      const rows = [['case', ...keys]]
      for (const [name, value] of figures) {
        rows.push([name, ...keys.map((key) => (typeof value[key] === 'number' ? String(Math.round((value[key] as number) * 10) / 10) : value[key] === undefined ? '' : JSON.stringify(value[key])))])
      }
      out.push(table(rows))
    }
    out.push('')
  }

  if (report.generate) {
    out.push('Generate (scripts/bench-generate.ts)', '')
    const figures = report.generate
    if ('note' in figures) out.push(`  not measured: ${figures.note}`)
    else if (figures.ours && figures.original) {
      out.push(`  ${figures.types} types, ${figures.generator}: this tool ${figures.ours.wallMs} ms / ${figures.ours.peakRssMb} MB, ` +
        `the original ${figures.original.wallMs} ms / ${figures.original.peakRssMb} MB, ratio ${figures.wallRatio} (target <= 0.5)`)
    }
    out.push('')
  }

  if (report.data) {
    out.push('Export and import (scripts/bench-data.ts)', '')
    const figures = report.data
    if ('note' in figures && !('export' in figures)) out.push(`  not measured: ${figures.note}`)
    else {
      const data = figures as DataFigures
      for (const kind of ['export', 'import'] as const) {
        const {ours, original} = data[kind]
        const ratio = original ? ` ratio ${(ours.wallMs / original.wallMs).toFixed(2)} (target <= 0.5)` : ''
        out.push(
          `  ${kind} of ${data.nodes} nodes: this tool ${ours.wallMs} ms wall, ${ours.cliCpuMs} ms CPU, ${ours.peakRssMb} MB peak (target <= 150 MB)` +
            (original ? `; the original ${original.wallMs} ms, ${original.cliCpuMs} ms CPU, ${original.peakRssMb} MB;${ratio}` : ''),
        )
      }
      if (data.note) out.push(`  ${data.note}`)
    }
    out.push('')
  }
  process.stdout.write(out.join('\n') + '\n')
}

// ------------------------------------------------------------------------------------------------------------ main

interface Report {
  machine: ReturnType<typeof machine>
  startup?: CaseResult[]
  footprint?: Footprint
  deploy?: DeployFigures
  generate?: GenerateFigures | {note: string}
  data?: DataFigures | {note: string}
}

async function main() {
  if (!existsSync(join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)')
  const report: Report = {machine: machine()}
  report.machine.npm = (await run('npm', ['--version'])).stdout.trim()
  report.machine.node = (await run(nodeBin, ['--version'])).stdout.trim()
  if (!skip.has('startup')) {
    if (!json) log('Measuring start-up ...')
    report.startup = await startup()
  }
  if (!skip.has('footprint')) {
    if (!json) log('Packing and installing ...')
    try {
      report.footprint = await footprint()
    } catch (error) {
      report.footprint = {installs: [{cache: 'warm', ok: false, note: String((error as Error).message)}], targets: {packages: 80, diskMb: 20}}
    }
  }
  if (!skip.has('deploy')) {
    if (!json) log('Deploy figures ...')
    report.deploy = await deployFigures()
  }
  if (!skip.has('generate')) {
    if (!json) log('Generate figures (the original CLI too; minutes) ...')
    report.generate = await benchGenerate().catch((error: unknown) => ({note: String((error as Error).message)}))
  }
  if (!skip.has('data')) {
    if (!json) log('Export and import figures (100,000 nodes, the original CLI too) ...')
    report.data = await benchData().catch((error: unknown) => ({note: String((error as Error).message)}))
  }
  if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')
  else printReport(report)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
