// Data figures: `prisma export` and `prisma import` of 100,000 nodes with relations against the local stand-in, for
// this tool and for the original prisma1@1.34.12 in the same run: wall time, the CLI's own CPU time and its peak
// memory (RSS). Run alone: node --import tsx scripts/bench-data.ts [--json] [--nodes N] [--no-original] (needs `npm run build` and,
// for the original's figures, .cache/prisma1). `benchData()` is what the main benchmark calls.
//
// Each CLI runs as a child process with a preloaded module that records the process's own resource usage on exit,
// so the stand-in's work (in this process) is not counted in CPU or memory (it is in the wall time, for both alike).
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {startManagementServer} from '../test/stand-in/management-server.js'
import {originalBackgroundDone, originalEntry} from './original-cli.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const ourBin = join(root, 'bin', 'run.js')

export interface DataRun {
  wallMs: number
  /** Of the wall time, how long the stand-in (this process) was busy serving the CLI. */
  serverMs: number
  cliCpuMs: number
  peakRssMb: number
}

export interface DataFigures {
  nodes: number
  relations: number
  zipMb: number
  export: {ours: DataRun; original?: DataRun}
  import: {ours: DataRun; original?: DataRun}
  /** Why the original's figures are missing, when they are. */
  note?: string
}

const usageRecorder = `import {writeFileSync} from 'node:fs'
process.on('exit', () => {
  const usage = process.resourceUsage()
  writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS}))
})
`

const datamodel = `type User {
  id: ID! @id
  email: String! @unique
  name: String
  age: Int
  posts: [Post!]! @relation(name: "UserPosts")
}

type Post {
  id: ID! @id
  title: String!
  published: Boolean
  author: User! @relation(name: "UserPosts")
}
`

/** Exports and imports `nodes` nodes (half users, half posts, each post related to a user) with both CLIs. */
export async function benchData(options: {nodes?: number; log?: (line: string) => void; original?: boolean} = {}): Promise<DataFigures> {
  const total = options.nodes ?? 100_000
  const log = options.log ?? (() => {})
  const work = await mkdtemp(join(tmpdir(), 'bench-data-'))
  const recorder = join(work, 'record-usage.mjs')
  await writeFile(recorder, usageRecorder)
  const server = await startManagementServer({migrationStepMs: 1})
  const env = {HOME: join(work, 'home'), NO_COLOR: '1', PATH: process.env.PATH ?? '', PRISMA_REQUEST_TIMEOUT: '10m', CI: '1'}

  const runCli = async (bin: string, args: string[], cwd: string): Promise<DataRun> => {
    const usageFile = join(work, `usage-${Date.now()}-${Math.random()}.json`)
    const started = performance.now()
    const loopBefore = performance.eventLoopUtilization()
    const child = spawn(process.execPath, ['--import', recorder, bin, ...args], {cwd, env: {...env, BENCH_USAGE_FILE: usageFile}, stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    const wallMs = performance.now() - started
    const serverMs = performance.eventLoopUtilization(loopBefore).active
    if (code !== 0 || /Uncaught exception/.test(output)) throw new Error(`${bin} ${args.join(' ')} failed (${code}): ${output.trim().slice(-500)}`)
    const usage = JSON.parse(await readFile(usageFile, 'utf8')) as {cpuMs: number; maxRssKb: number}
    return {cliCpuMs: Math.round(usage.cpuMs), peakRssMb: Math.round(usage.maxRssKb / 1024), serverMs: Math.round(serverMs), wallMs: Math.round(wallMs)}
  }

  const stage = async (stageName: string): Promise<string> => {
    const dir = join(work, stageName)
    await mkdir(dir, {recursive: true})
    await writeFile(join(dir, 'prisma.yml'), `endpoint: ${server.url}/bench/${stageName}\ndatamodel: datamodel.prisma\nsecret: bench-secret\n`)
    await writeFile(join(dir, 'datamodel.prisma'), datamodel)
    await runCli(ourBin, ['deploy', '--no-seed'], dir)
    return dir
  }

  try {
    const source = await stage('source')
    const users = Math.floor(total / 2)
    const batch = 5000
    for (let start = 0; start < users; start += batch) {
      const nodes: unknown[] = []
      const relations: unknown[] = []
      for (let index = start; index < Math.min(users, start + batch); index++) {
        nodes.push({_typeName: 'User', age: index % 90, email: `user${index}@example.com`, id: `u${index}`, name: `User number ${index}`})
        nodes.push({_typeName: 'Post', id: `p${index}`, published: index % 2 === 0, title: `Post ${index} about something`})
        relations.push([{_typeName: 'Post', fieldName: 'author', id: `p${index}`}, {_typeName: 'User', fieldName: 'posts', id: `u${index}`}])
      }

      const errors = [...server.importData('bench', 'source', {valueType: 'nodes', values: nodes}), ...server.importData('bench', 'source', {valueType: 'relations', values: relations})]
      if (errors.length > 0) throw new Error(`filling the stand-in failed: ${errors[0]}`)
    }

    log(`stand-in filled with ${users * 2} nodes and ${users} relations`)
    const withOriginal = options.original !== false && existsSync(originalEntry)
    const figures: DataFigures = {
      export: {ours: await runCli(ourBin, ['export', '--path', 'ours.zip'], source)},
      import: {ours: {cliCpuMs: 0, peakRssMb: 0, serverMs: 0, wallMs: 0}},
      nodes: users * 2,
      relations: users,
      zipMb: 0,
    }
    log(`export (this tool): ${JSON.stringify(figures.export.ours)}`)
    const {stat} = await import('node:fs/promises')
    figures.zipMb = Math.round(((await stat(join(source, 'ours.zip'))).size / 1024 / 1024) * 10) / 10
    if (withOriginal) {
      figures.export.original = await runCli(originalEntry, ['export', '-p', 'original.zip'], source)
      await originalBackgroundDone()
      log(`export (original):  ${JSON.stringify(figures.export.original)}`)
    } else figures.note = options.original === false ? 'the original was not run (--no-original)' : `the original is not installed at ${originalEntry}`

    const ours = await stage('ours')
    figures.import.ours = await runCli(ourBin, ['import', '--data', join(source, 'ours.zip')], ours)
    log(`import (this tool): ${JSON.stringify(figures.import.ours)}`)
    if (server.data('bench', 'ours').nodes.length !== figures.nodes) throw new Error('the import by this tool did not bring every node')
    if (withOriginal) {
      const theirs = await stage('original')
      figures.import.original = await runCli(originalEntry, ['import', '--data', join(source, 'ours.zip')], theirs)
      await originalBackgroundDone()
      log(`import (original):  ${JSON.stringify(figures.import.original)}`)
      if (server.data('bench', 'original').nodes.length !== figures.nodes) throw new Error('the import by the original did not bring every node')
    }

    return figures
  } finally {
    await server.close()
    await rm(work, {force: true, recursive: true})
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const json = process.argv.includes('--json')
  const nodesFlag = process.argv.indexOf('--nodes')
  const figures = await benchData({
    log: json ? undefined : (line) => console.error(line),
    nodes: nodesFlag === -1 ? undefined : Number(process.argv[nodesFlag + 1]),
    original: !process.argv.includes('--no-original'),
  })
  if (json) console.log(JSON.stringify(figures))
  else {
    const ratio = (ours: DataRun, original?: DataRun) => (original ? ` (${Math.round((ours.wallMs / original.wallMs) * 100)}% of the original's wall time)` : '')
    console.log(`Data: ${figures.nodes.toLocaleString('en-US')} nodes, ${figures.relations.toLocaleString('en-US')} relations, zip ${figures.zipMb} MB`)
    for (const kind of ['export', 'import'] as const) {
      const {ours, original} = figures[kind]
      const line = (run: DataRun) => `${run.wallMs} ms wall (stand-in busy ${run.serverMs} ms), ${run.cliCpuMs} ms CPU, ${run.peakRssMb} MB peak`
      console.log(`  ${kind}  this tool: ${line(ours)}${ratio(ours, original)}`)
      if (original) console.log(`  ${kind}  original:  ${line(original)}`)
    }

    if (figures.note) console.log(`  (${figures.note})`)
  }
}
