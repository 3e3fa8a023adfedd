// `prisma generate` figures: wall time and peak memory of this tool and of the original `prisma1 generate`, in the
// same run, for the 200-type datamodel with the typescript-client generator. Both load prisma-client-lib 1.34 from
// the original's installation (.cache/prisma1), through a node_modules symlink beside the project. Target: at most
// half the original's wall time.
//
//   node --import tsx scripts/bench-generate.ts [--json] [--runs 3] [--only ours|original]      (needs `npm run build`)
// `benchGenerate()` is exported for the main benchmark.
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {largeDatamodel, projectsRoot, writeProject} from '../test/generate/datamodels.js'
import {originalBackgroundDone, originalEntry as original} from './original-cli.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const ours = join(root, 'bin', 'run.js')

const usageRecorder = `import {writeFileSync} from 'node:fs'
process.on('exit', () => {
  const usage = process.resourceUsage()
  writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({maxRssKb: usage.maxRSS, cpuUs: usage.userCPUTime + usage.systemCPUTime}))
})
`

export interface GenerateRun {
  wallMs: number
  /** User and system CPU time of the process (the machine's load moves the wall time much more). */
  cpuMs: number
  peakRssMb: number
}

export interface GenerateFigures {
  types: number
  generator: 'typescript-client'
  runs: number
  /** Medians (absent for the CLI left out with `only`). */
  ours?: GenerateRun
  original?: GenerateRun
  /** ours.wallMs / original.wallMs; the target is <= 0.5. */
  wallRatio?: number
}

async function once(entry: string, cwd: string, recorder: string): Promise<GenerateRun> {
  const usageFile = join(cwd, `usage-${Date.now()}.json`)
  const started = process.hrtime.bigint()
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', recorder, entry, 'generate'], {
      cwd,
      env: {...process.env, BENCH_USAGE_FILE: usageFile, CI: '1', HOME: cwd, NO_COLOR: '1'},
      stdio: 'ignore',
    })
    child.on('error', reject)
    child.on('close', resolve)
  })
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6
  if (code !== 0) throw new Error(`${entry} generate exited ${code}`)
  const usage = JSON.parse(await readFile(usageFile, 'utf8')) as {maxRssKb: number; cpuUs: number}
  await rm(usageFile)
  return {cpuMs: Math.round(usage.cpuUs / 1000), peakRssMb: Math.round(usage.maxRssKb / 1024), wallMs: Math.round(wallMs)}
}

function median(runs: GenerateRun[]): GenerateRun {
  const pick = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]
  return {cpuMs: pick(runs.map((run) => run.cpuMs)), peakRssMb: pick(runs.map((run) => run.peakRssMb)), wallMs: pick(runs.map((run) => run.wallMs))}
}

/** Runs both CLIs `runs` times each, alternating, on the same project. */
export async function benchGenerate(options: {runs?: number; types?: number; only?: 'ours' | 'original'} = {}): Promise<GenerateFigures> {
  const runs = options.runs ?? 3
  const types = options.types ?? 200
  const measure = {original: options.only !== 'ours', ours: options.only !== 'original'}
  if (measure.original && !existsSync(original)) throw new Error('the original CLI is not installed in .cache/prisma1 (npm run test:conformance installs it)')
  if (measure.ours && !existsSync(join(root, 'dist', 'commands', 'generate.js'))) throw new Error('run npm run build first')
  const projects = projectsRoot('prisma-bench-generate-')
  const scratch = await mkdtemp(join(tmpdir(), 'prisma-bench-usage-'))
  const recorder = join(scratch, 'usage.mjs')
  await writeFile(recorder, usageRecorder)
  try {
    const dir = writeProject(projects, 'large', {
      datamodel: largeDatamodel(types),
      endpoint: 'http://localhost:4466/bench/dev',
      generate: [{generator: 'typescript-client', output: './generated/prisma-client/'}],
    })
    const results = {original: [] as GenerateRun[], ours: [] as GenerateRun[]}
    for (let index = 0; index < runs; index++) {
      if (measure.ours) results.ours.push(await once(ours, dir, recorder))
      if (measure.original) {
        results.original.push(await once(original, dir, recorder))
        await originalBackgroundDone()
      }
    }
    const figures: GenerateFigures = {generator: 'typescript-client', runs, types}
    if (measure.ours) figures.ours = median(results.ours)
    if (measure.original) figures.original = median(results.original)
    if (figures.ours && figures.original) figures.wallRatio = Math.round((figures.ours.wallMs / figures.original.wallMs) * 100) / 100
    return figures
  } finally {
    await rm(projects, {force: true, recursive: true})
    await rm(scratch, {force: true, recursive: true})
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2)
  const runsIndex = args.indexOf('--runs')
  const onlyIndex = args.indexOf('--only')
  const only = onlyIndex === -1 ? undefined : args[onlyIndex + 1]
  if (only !== undefined && only !== 'ours' && only !== 'original') throw new Error('--only takes ours or original')
  const figures = await benchGenerate({only, runs: runsIndex === -1 ? 3 : Number(args[runsIndex + 1])})
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(figures)}\n`)
  } else {
    const row = (name: string, run: GenerateRun) =>
      `${name.padEnd(10)} ${String(run.wallMs).padStart(7)} ms  ${String(run.cpuMs).padStart(7)} ms  ${String(run.peakRssMb).padStart(5)} MB`
    process.stdout.write(
      [
        `prisma generate, ${figures.types} types, ${figures.generator} (median of ${figures.runs}):`,
        `${'CLI'.padEnd(10)} ${'wall'.padStart(10)}  ${'CPU'.padStart(10)}  ${'peak RSS'.padStart(8)}`,
        ...(figures.ours ? [row('this tool', figures.ours)] : []),
        ...(figures.original ? [row('original', figures.original)] : []),
        ...(figures.wallRatio === undefined ? [] : [`wall time ratio ${figures.wallRatio} (target <= 0.5): ${figures.wallRatio <= 0.5 ? 'met' : 'not met'}`]),
        ...(figures.ours && figures.original
          ? [`peak memory ${figures.ours.peakRssMb} MB against ${figures.original.peakRssMb} MB (target: at most the original's): ${figures.ours.peakRssMb <= figures.original.peakRssMb ? 'met' : 'not met'}`]
          : []),
        '',
      ].join('\n'),
    )
  }
}
