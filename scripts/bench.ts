// Benchmark: start-up time of the built CLI against the bare `node -e 0` floor, the footprint of a production
// install of the packed package, and (when scripts/bench-deploy.ts exists) the deploy figures.
// It measures and reports; it never fails because something is slow (exit 1 only when it cannot run at all).
//
//   npm run bench                     (builds first)
//   npm run bench -- --json           machine-readable output
//   npm run bench -- --runs 30        runs per start-up case (default 20, at least 15)
//   npm run bench -- --skip footprint,deploy,generate
//   npm run bench -- --node /path/to/node   start-up measured with another Node binary (e.g. 22 against 20)
import {spawn} from 'node:child_process'
import {existsSync, lstatSync, readdirSync, readFileSync} from 'node:fs'
import {cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import os from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {benchGenerate, type GenerateFigures} from './bench-generate.js'
import {type LockEntry, productionClosure, resolveLockKey} from './lockfile.js'

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

/** A management API that answers like a Prisma 1 server with a management secret: the auth probe is refused. */
async function startManagementServer(): Promise<{server: Server; port: number}> {
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      response.writeHead(200, {'content-type': 'application/json'})
      response.end(JSON.stringify({data: null, errors: [{message: "'Authorization' header not provided", code: 3015}]}))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {server, port: typeof address === 'object' && address ? address.port : 0}
}

interface Case {
  name: string
  argv: string[]
  cwd?: string
  env?: Record<string, string>
  /** Target as a multiple of the floor's median. */
  target?: number
  /** The case is only measured when the command exists. */
  command?: string
}

interface CaseResult {
  name: string
  available: boolean
  note?: string
  exitCode?: number | null
  medianMs?: number
  p10Ms?: number
  p90Ms?: number
  minMs?: number
  maxMs?: number
  runs?: number
  ratio?: number
  cpuMedianMs?: number
  cpuRatio?: number
  target?: number
  withinTarget?: boolean
}

function commandExists(packageDir: string, id: string): boolean {
  const manifestPath = join(packageDir, 'oclif.manifest.json')
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {commands?: Record<string, unknown>}
    if (manifest.commands?.[id]) return true
  }
  return existsSync(join(packageDir, 'dist', 'commands', `${id.replaceAll(':', '/')}.js`))
}

async function startup(): Promise<CaseResult[]> {
  const {server, port} = await startManagementServer()
  const tmp = await mkdtemp(join(os.tmpdir(), 'prisma-bench-'))
  try {
    // A snapshot of the built package (node_modules linked), so that a rebuild in the working tree during the
    // measurement cannot break or change it.
    const snapshot = join(tmp, 'package')
    for (const entry of ['package.json', 'oclif.manifest.json', 'bin', 'dist']) {
      if (existsSync(join(root, entry))) await cp(join(root, entry), join(snapshot, entry), {recursive: true})
    }
    await symlink(join(root, 'node_modules'), join(snapshot, 'node_modules'), 'dir')
    const bin = join(snapshot, 'bin', 'run.js')
    const home = join(tmp, 'home')
    const project = join(tmp, 'project')
    const empty = join(tmp, 'empty')
    await writeTreeFlat({
      [join(home, '.keep')]: '',
      [join(empty, '.keep')]: '',
      [join(project, 'prisma.yml')]: `endpoint: http://localhost:${port}/bench/dev\ndatamodel: datamodel.prisma\n`,
      [join(project, 'datamodel.prisma')]: 'type User {\n  id: ID! @id\n  name: String!\n}\n',
    })
    const baseEnv: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !/^(PRISMA_|DEBUG$|NODE_OPTIONS$|HTTPS?_PROXY|https?_proxy)/.test(key)) baseEnv[key] = value
    }
    Object.assign(baseEnv, {HOME: home, NO_COLOR: '1'})
    const secret = {PRISMA_MANAGEMENT_API_SECRET: 'bench-management-secret'}

    const cases: Case[] = [
      {name: 'node -e 0 (floor)', argv: ['-e', '0']},
      {name: 'prisma --version', argv: [bin, '--version'], target: 2.5},
      {name: 'prisma --help', argv: [bin, '--help']},
      {name: 'prisma cluster-token', argv: [bin, 'cluster-token'], cwd: empty, env: secret, target: 3, command: 'cluster-token'},
      {
        name: 'prisma cluster-token (prisma.yml)',
        argv: [bin, 'cluster-token'],
        cwd: project,
        env: secret,
        target: 3,
        command: 'cluster-token',
      },
      {name: 'prisma deploy --help', argv: [bin, 'deploy', '--help'], target: 3, command: 'deploy'},
    ]

    const results: CaseResult[] = []
    // CPU time (user + system) of each measured process, written at exit by a preloaded one-line module: far
    // steadier than wall time when other processes compete for the cores. Every case, the floor included, gets it.
    const cpuPreload = join(tmp, 'cpu-usage.mjs')
    const cpuLog = join(tmp, 'cpu-usage.txt')
    await writeFile(
      cpuPreload,
      "import {writeFileSync} from 'node:fs'\n" +
        "process.once('exit', () => { const u = process.cpuUsage(); writeFileSync(process.env.BENCH_CPU_LOG, String((u.user + u.system) / 1000)) })\n",
    )
    const measure = async (spec: Case, env: NodeJS.ProcessEnv) => {
      await rm(cpuLog, {force: true})
      const result = await run(nodeBin, ['--import', pathToFileURL(cpuPreload).href, ...spec.argv], {
        cwd: spec.cwd ?? home,
        env: {...env, BENCH_CPU_LOG: cpuLog},
      })
      const cpuMs = Number(await readFile(cpuLog, 'utf8').catch(() => 'NaN'))
      return {...result, cpuMs}
    }

    const active: {spec: Case; result: CaseResult; samples: number[]; cpu: number[]; env: NodeJS.ProcessEnv}[] = []
    for (const spec of cases) {
      const result: CaseResult = {name: spec.name, available: true, target: spec.target}
      results.push(result)
      if (spec.command && !commandExists(snapshot, spec.command)) {
        result.available = false
        result.note = `command ${spec.command} does not exist yet`
        continue
      }
      const env = {...baseEnv, ...spec.env}
      // Warm-up run: checks the case works and warms the file system cache.
      const first = await measure(spec, env)
      result.exitCode = first.code
      if (first.code !== 0) {
        result.note = `exit ${first.code}: ${(first.stderr || first.stdout).trim().split('\n')[0]?.slice(0, 100)}`
      }
      active.push({spec, result, samples: [], cpu: [], env})
    }

    // Round-robin over the cases so that load from other processes spreads evenly over all of them.
    for (let i = 0; i < runs; i++) {
      for (const entry of active) {
        const measured = await measure(entry.spec, entry.env)
        entry.samples.push(measured.ms)
        entry.cpu.push(measured.cpuMs)
      }
      if (!json) process.stderr.write(`\rstart-up: round ${i + 1}/${runs}`)
    }
    if (!json) process.stderr.write('\n')

    const floor = summarize(active[0].samples).medianMs
    const cpuFloor = summarize(active[0].cpu).medianMs
    for (const entry of active) {
      Object.assign(entry.result, summarize(entry.samples))
      entry.result.ratio = Math.round((entry.result.medianMs! / floor) * 100) / 100
      entry.result.cpuMedianMs = summarize(entry.cpu).medianMs
      entry.result.cpuRatio = Math.round((entry.result.cpuMedianMs / cpuFloor) * 100) / 100
      if (entry.spec.target !== undefined) entry.result.withinTarget = entry.result.ratio <= entry.spec.target
    }
    return results
  } finally {
    server.close()
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
  /** Per direct production dependency: the packages it brings (alone or shared with others) and their size. */
  dependencies?: DependencyWeight[]
}

interface DependencyWeight {
  name: string
  packages: number
  onlyThis: number
  onlyThisDiskMb: number
  diskMb: number
}

/** Which packages of an installed tree each direct dependency of `top` pulls in, and their size on disk. */
function dependencyWeights(installDir: string, packages: Record<string, LockEntry>, top: string): DependencyWeight[] {
  const resolve = (from: string, name: string) => resolveLockKey(packages, from, name)
  const closure = (start: string) => productionClosure(packages, start)
  const ownDisk = (key: string) => {
    // the package folder without the packages nested in its own node_modules
    let disk = 0
    const walk = (path: string, depth: number) => {
      const stat = lstatSync(path)
      disk += stat.blocks * 512
      if (stat.isDirectory()) {
        for (const entry of readdirSync(path)) if (!(depth === 0 && entry === 'node_modules')) walk(join(path, entry), depth + 1)
      }
    }
    walk(join(installDir, key), 0)
    return disk
  }
  const topKey = `node_modules/${top}`
  const direct = Object.keys(packages[topKey]?.dependencies ?? {})
  const closures = new Map(direct.map((name) => [name, closure(resolve(topKey, name)!)]))
  const disk = new Map<string, number>()
  for (const set of closures.values()) for (const key of set) if (!disk.has(key)) disk.set(key, ownDisk(key))
  return direct
    .map((name) => {
      const set = closures.get(name)!
      const only = [...set].filter((key) => [...closures].every(([other, otherSet]) => other === name || !otherSet.has(key)))
      return {
        name,
        packages: set.size,
        onlyThis: only.length,
        onlyThisDiskMb: mb(only.reduce((sum, key) => sum + disk.get(key)!, 0)),
        diskMb: mb([...set].reduce((sum, key) => sum + disk.get(key)!, 0)),
      }
    })
    .sort((a, b) => b.diskMb - a.diskMb)
}

async function footprint(): Promise<Footprint> {
  const result: Footprint = {installs: [], targets: {packages: 80, diskMb: 20}}
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
      if (cache === 'warm') {
        const name = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {name: string}).name
        result.dependencies = dependencyWeights(dir, lock.packages, name)
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
    const rows = [['case', 'median ms', 'p10', 'p90', 'min', 'max', 'x floor', 'cpu ms', 'cpu x floor', 'target', '']]
    for (const r of report.startup) {
      if (!r.available || r.medianMs === undefined) {
        rows.push([r.name, '-', '', '', '', '', '', '', '', r.target ? `<= ${r.target}x` : '', r.note ?? ''])
        continue
      }
      rows.push([
        r.name,
        r.medianMs.toFixed(1),
        r.p10Ms!.toFixed(1),
        r.p90Ms!.toFixed(1),
        r.minMs!.toFixed(1),
        r.maxMs!.toFixed(1),
        `${r.ratio!.toFixed(2)}x`,
        r.cpuMedianMs!.toFixed(1),
        `${r.cpuRatio!.toFixed(2)}x`,
        r.target ? `<= ${r.target}x` : '',
        [verdict(r.withinTarget), r.note].filter(Boolean).join(' '),
      ])
    }
    out.push(table(rows), '')
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
    if (f.dependencies) {
      out.push('What each production dependency brings (packages in its tree; only-this = not shared with another)', '')
      const deps = [['dependency', 'packages', 'on disk MB', 'only-this packages', 'only-this MB']]
      for (const d of f.dependencies) {
        deps.push([d.name, String(d.packages), d.diskMb.toFixed(1), String(d.onlyThis), d.onlyThisDiskMb.toFixed(1)])
      }
      out.push(table(deps), '')
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
    else {
      out.push(`  ${figures.types} types, ${figures.generator}: this tool ${figures.ours.wallMs} ms / ${figures.ours.peakRssMb} MB, ` +
        `the original ${figures.original.wallMs} ms / ${figures.original.peakRssMb} MB, ratio ${figures.wallRatio} (target <= 0.5)`)
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
  if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')
  else printReport(report)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
