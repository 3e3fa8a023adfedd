// Deploy figures for `npm run bench`: requests sent, wall time and the CLI's own CPU time for a new-service deploy,
// a changed deploy and an unchanged deploy against the local stand-in, plus CPU time and peak memory of the CLI for
// a 10,000-type (~3 MB) datamodel. Run: node --import tsx scripts/bench-deploy.ts [--json] (needs `npm run build`).
//
// The CLI runs as a child process (node bin/run.js deploy) with a preloaded module that records the process's own
// resource usage on exit, so the stand-in's work (in this process) is not counted. The large case is a --dry-run
// against an existing, empty service: the server answers with every step (tens of thousands), the CLI parses and
// lists them all, and no migration has to be applied by the stand-in.
import {spawn} from 'node:child_process'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {startManagementServer} from '../test/stand-in/management-server.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = join(root, 'bin', 'run.js')

interface Run {
  code: number | null
  requests: number
  wallMs: number
  cliCpuMs: number
  peakRssMb: number
  stdoutBytes: number
}

const usageRecorder = `import {writeFileSync} from 'node:fs'
process.on('exit', () => {
  const usage = process.resourceUsage()
  writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS}))
})
`

function userModel(extraField = ''): string {
  return `type User {\n  id: ID! @id\n  name: String!\n  email: String @unique\n${extraField}}\n\ntype Post {\n  id: ID! @id\n  title: String!\n  author: User!\n}\n`
}

/** About 3 MB: 10,000 types of ~300 bytes each. */
function largeModel(types: number): string {
  const parts: string[] = []
  for (let index = 0; index < types; index++) {
    parts.push(
      `type Model${index} {\n  id: ID! @id\n  title${index}: String!\n  description: String\n  amount: Int\n  ratio: Float\n` +
        `  published: Boolean! @default(value: false)\n  createdAt: DateTime! @createdAt\n  updatedAt: DateTime! @updatedAt\n  payload: Json\n` +
        `  summaryText${index}: String\n  externalReference: String @unique\n}\n`,
    )
  }

  return parts.join('\n')
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json')
  const work = await mkdtemp(join(tmpdir(), 'bench-deploy-'))
  const recorder = join(work, 'record-usage.mjs')
  await writeFile(recorder, usageRecorder)
  const server = await startManagementServer({migrationStepMs: 1})
  const home = join(work, 'home')

  const deploy = async (dir: string, args: string[] = []): Promise<Run> => {
    const usageFile = join(work, `usage-${Date.now()}-${Math.random()}.json`)
    const before = server.requests.length
    const started = performance.now()
    const child = spawn(process.execPath, ['--import', recorder, bin, 'deploy', ...args], {
      cwd: dir,
      // the stand-in (in this process) needs far longer than a real server for the large datamodel
      env: {BENCH_USAGE_FILE: usageFile, HOME: home, NO_COLOR: '1', PATH: process.env.PATH ?? '', PRISMA_REQUEST_TIMEOUT: '10m'},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdoutBytes = 0
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdoutBytes += chunk.length))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    const wallMs = performance.now() - started
    if (code !== 0) throw new Error(`deploy ${args.join(' ')} in ${dir} exited ${code}: ${stderr.trim()}`)
    const usage = JSON.parse(await readFile(usageFile, 'utf8')) as {cpuMs: number; maxRssKb: number}
    const requests = server.requests.slice(before).filter((request) => request.path === '/management').length
    return {cliCpuMs: usage.cpuMs, code, peakRssMb: usage.maxRssKb / 1024, requests, stdoutBytes, wallMs}
  }

  const projectDir = async (name: string, service: string, datamodel: string): Promise<string> => {
    const dir = join(work, name)
    await rm(dir, {force: true, recursive: true})
    const {mkdir} = await import('node:fs/promises')
    await mkdir(dir, {recursive: true})
    await writeFile(join(dir, 'prisma.yml'), `endpoint: ${server.url}/${service}/dev\ndatamodel: datamodel.prisma\n`)
    await writeFile(join(dir, 'datamodel.prisma'), datamodel)
    return dir
  }

  try {
    const dir = await projectDir('service', 'bench', userModel())
    const newService = await deploy(dir)
    await writeFile(join(dir, 'datamodel.prisma'), userModel('  age: Int\n'))
    const changed = await deploy(dir)
    const unchanged = await deploy(dir)

    const types = 10_000
    const text = largeModel(types)
    const large = await projectDir('large', 'large', text)
    await writeFile(join(large, 'datamodel.prisma'), userModel())
    await deploy(large)
    await writeFile(join(large, 'datamodel.prisma'), text)
    const largeRun = await deploy(large, ['--dry-run'])

    const pick = (run: Run) => ({cliCpuMs: run.cliCpuMs, peakRssMb: run.peakRssMb, requests: run.requests, wallMs: run.wallMs})
    const figures = {
      newService: pick(newService),
      changed: pick(changed),
      unchanged: pick(unchanged),
      large: {
        types,
        datamodelMb: Buffer.byteLength(text) / 1024 / 1024,
        cliCpuMs: largeRun.cliCpuMs,
        peakRssMb: largeRun.peakRssMb,
        wallMs: largeRun.wallMs,
        outputMb: largeRun.stdoutBytes / 1024 / 1024,
      },
    }
    if (!json) {
      console.error('Deploy figures (CLI child process only; the stand-in runs in this process):')
      for (const [name, value] of Object.entries(figures)) console.error(`  ${name}: ${JSON.stringify(value)}`)
    }

    console.log(JSON.stringify(figures))
  } finally {
    await server.close()
    await rm(work, {force: true, recursive: true})
  }
}

await main()
