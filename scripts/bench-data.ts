// Data figures: `prisma export` and `prisma import` of 100,000 nodes with relations against the local stand-in (the
// round trip), and the import of large data: one 128 MB nodes file (1.2 million small nodes) and a folder of
// 1,000,000 nodes; for this tool and for the original prisma1@1.34.12 in the same run where the original completes:
// wall time, the CLI's own CPU time and its peak memory (RSS). Run alone:
// node --import tsx scripts/bench-data.ts [--json] [--nodes N] [--no-original] [--no-large] [--large-scale 0.1] (needs `npm run build` and, for the
// original's figures, .cache/prisma1). `benchData()` (the round trip) is what the main benchmark calls;
// `benchLargeImports()` the large imports.
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

export interface LargeImportFigures {
  /** What was imported. */
  label: string
  nodes: number
  dataMb: number
  ours: DataRun
  /** The original's run, or why there is none. */
  original?: DataRun
  originalNote?: string
}

/**
 * Imports large data with both CLIs into fresh stand-ins: one 128 MB nodes file of 1.2 million small nodes, and a
 * folder of 1,000,000 nodes in 10 files. The original gets `originalTimeoutMs` per import.
 */
export async function benchLargeImports(options: {log?: (line: string) => void; originalTimeoutMs?: number; scale?: number} = {}): Promise<LargeImportFigures[]> {
  const log = options.log ?? (() => {})
  const scale = options.scale ?? 1
  const work = await mkdtemp(join(tmpdir(), 'bench-large-'))
  const recorder = join(work, 'record-usage.mjs')
  await writeFile(recorder, usageRecorder)
  const env = {HOME: join(work, 'home'), NO_COLOR: '1', PATH: process.env.PATH ?? '', PRISMA_REQUEST_TIMEOUT: '30m', CI: '1'}
  const model = 'type Item {\n  id: ID! @id\n  name: String!\n  rank: Int\n}\n'
  const {createWriteStream} = await import('node:fs')
  const {stat} = await import('node:fs/promises')

  /** Writes `count` small nodes from `first` as one NDF file of 112 bytes a node. */
  const writeNodes = async (path: string, first: number, count: number) => {
    const out = createWriteStream(path)
    const put = (text: string) => (out.write(text) ? undefined : new Promise<void>((resolve) => out.once('drain', () => resolve())))
    await put('{"valueType":"nodes","values":[')
    let piece = ''
    for (let index = first; index < first + count; index++) {
      // about 112 bytes a node: 1.2 million make 128 MB
      piece += `${index === first ? '' : ','}{"_typeName":"Item","id":"item${String(index).padStart(9, '0')}","name":"${`Item number ${index} of the data set`.padEnd(47, '.')}","rank":${index % 1000}}\n`
      if (piece.length > 65_536) {
        await put(piece)
        piece = ''
      }
    }

    await put(`${piece}]}`)
    await new Promise<void>((resolve) => out.end(() => resolve()))
  }

  const runImport = async (bin: string, data: string, name: string, timeoutMs: number): Promise<{run?: DataRun; note?: string; nodes: number}> => {
    const server = await startManagementServer({migrationStepMs: 1, recordRequests: false})
    try {
      const dir = join(work, name)
      await mkdir(dir, {recursive: true})
      await writeFile(join(dir, 'prisma.yml'), `endpoint: ${server.url}/large/dev\ndatamodel: datamodel.prisma\n`)
      await writeFile(join(dir, 'datamodel.prisma'), model)
      const deploy = spawn(process.execPath, [ourBin, 'deploy', '--no-seed'], {cwd: dir, env, stdio: 'ignore'})
      if ((await new Promise<number | null>((resolve) => deploy.on('close', resolve))) !== 0) throw new Error('deploy failed')
      const usageFile = join(work, `usage-${name}.json`)
      const started = performance.now()
      const loopBefore = performance.eventLoopUtilization()
      const child = spawn(process.execPath, ['--import', recorder, bin, 'import', '--data', data], {cwd: dir, env: {...env, BENCH_USAGE_FILE: usageFile}, stdio: ['ignore', 'pipe', 'pipe']})
      let output = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-2000)))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-2000)))
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      clearTimeout(timer)
      const wallMs = performance.now() - started
      const serverMs = performance.eventLoopUtilization(loopBefore).active
      const nodes = server.data('large', 'dev').nodes.length
      if (code === null) return {nodes, note: `did not finish within ${Math.round(timeoutMs / 1000)} s`}
      if (code !== 0 || /Uncaught exception|Error/.test(output)) return {nodes, note: `failed (exit ${code}): ${output.trim().split('\n').slice(-2).join(' ').slice(0, 300)}`}
      const usage = JSON.parse(await readFile(usageFile, 'utf8')) as {cpuMs: number; maxRssKb: number}
      return {nodes, run: {cliCpuMs: Math.round(usage.cpuMs), peakRssMb: Math.round(usage.maxRssKb / 1024), serverMs: Math.round(serverMs), wallMs: Math.round(wallMs)}}
    } finally {
      await server.close()
    }
  }

  const withOriginal = existsSync(originalEntry)
  const figures: LargeImportFigures[] = []
  try {
    const single = join(work, 'single')
    const singleNodes = Math.round(1_200_000 * scale)
    // the original fails on a data folder without lists/ and relations/
    for (const kind of ['nodes', 'lists', 'relations']) await mkdir(join(single, kind), {recursive: true})
    await writeNodes(join(single, 'nodes', '000001.json'), 0, singleNodes)
    const folder = join(work, 'folder')
    const folderNodes = Math.round(1_000_000 * scale)
    for (const kind of ['nodes', 'lists', 'relations']) await mkdir(join(folder, kind), {recursive: true})
    for (let file = 0; file < 10; file++) await writeNodes(join(folder, 'nodes', `${String(file + 1).padStart(6, '0')}.json`), (file * folderNodes) / 10, folderNodes / 10)
    const sizeOf = async (path: string) => {
      const {readdir} = await import('node:fs/promises')
      let bytes = 0
      for (const name of await readdir(join(path, 'nodes'))) bytes += (await stat(join(path, 'nodes', name))).size
      return Math.round((bytes / 1024 / 1024) * 10) / 10
    }

    for (const [label, path, nodes] of [
      [`one nodes file of ${singleNodes.toLocaleString('en-US')} nodes`, single, singleNodes],
      [`a folder of ${folderNodes.toLocaleString('en-US')} nodes in 10 files`, folder, folderNodes],
    ] as const) {
      const ours = await runImport(ourBin, path, `ours-${figures.length}`, 30 * 60_000)
      if (!ours.run || ours.nodes !== nodes) throw new Error(`this tool's import of ${label} failed: ${ours.note ?? `${ours.nodes} nodes arrived`}`)
      const entry: LargeImportFigures = {dataMb: await sizeOf(path), label, nodes, ours: ours.run}
      log(`import of ${label} (this tool): ${JSON.stringify(ours.run)}`)
      if (withOriginal) {
        const theirs = await runImport(originalEntry, path, `original-${figures.length}`, options.originalTimeoutMs ?? 10 * 60_000)
        await originalBackgroundDone()
        if (theirs.run && theirs.nodes === nodes) entry.original = theirs.run
        else entry.originalNote = theirs.note ?? `only ${theirs.nodes} of ${nodes} nodes arrived`
        log(`import of ${label} (original): ${JSON.stringify(theirs.run ?? theirs.note)}`)
      } else entry.originalNote = `the original is not installed at ${originalEntry}`

      figures.push(entry)
    }

    return figures
  } finally {
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
  const scaleFlag = process.argv.indexOf('--large-scale')
  const large = process.argv.includes('--no-large')
    ? []
    : await benchLargeImports({log: json ? undefined : (line) => console.error(line), scale: scaleFlag === -1 ? 1 : Number(process.argv[scaleFlag + 1])})
  if (json) console.log(JSON.stringify({...figures, large}))
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
    for (const entry of large) {
      const line = (run: DataRun) => `${run.wallMs} ms wall (stand-in busy ${run.serverMs} ms), ${run.cliCpuMs} ms CPU, ${run.peakRssMb} MB peak`
      console.log(`Import of ${entry.label} (${entry.dataMb} MB)`)
      console.log(`  this tool: ${line(entry.ours)}`)
      console.log(`  original:  ${entry.original ? line(entry.original) : entry.originalNote}`)
    }
  }
}
