/**
 * The seed step of `prisma deploy`: a stage the deploy has just created is seeded from prisma.yml's `seed` (import of
 * a .graphql, .zip or folder, or run of a command), with the same code as `prisma seed`, never with a reset. The
 * outcome is returned for the deploy's result; a failure is returned, not thrown, so that the deploy can report it.
 */
import type {HookResult} from '../deploy/hooks.js'
import {InterruptedError, UserError} from '../errors.js'
import type {Colors} from '../output/colors.js'
import {commandTexts, deployTexts, prettyTime} from '../output/deploy.js'
import {outputDuringTask, type Progress} from '../output/progress.js'
import {runSeed, type SeedDefinition, type SeedOptions, type SeedResult} from './seed.js'

export type DeploySeedOutcome =
  | ({status: 'seeded'} & SeedResult)
  | {status: 'failed'; source: string; message: string}
  | {status: 'invalid'; message: string}

export interface DeploySeedOptions {
  seed: SeedDefinition
  file: string
  projectDir: string
  cwd: string
  datamodel: string
  /** The service API client of the new stage. */
  client: SeedOptions['client']
  service: string
  stage: string
  /** Runs seed.run's command line, passing its output on as it comes. */
  runCommand: (command: string, onOutput: (text: string, stream: 'stdout' | 'stderr') => void) => Promise<HookResult>
  /** Where the output of seed.run's command goes, as it comes. */
  scriptOutput: (text: string, stream: 'stdout' | 'stderr') => void
  progress: Progress
  colors: Colors
  signal?: AbortSignal
  now?: () => number
}

export async function seedNewStage(o: DeploySeedOptions): Promise<DeploySeedOutcome> {
  const {progress, colors: c} = o
  const now = o.now ?? Date.now
  if (!o.seed.import && !o.seed.run) {
    const message = deployTexts.invalidSeed
    progress.log(c.yellow(message))
    return {message, status: 'invalid'}
  }

  const source = o.seed.import ?? o.seed.run ?? ''
  const started = now()
  const seedLine = commandTexts.seed.start(source, c)
  progress.start(seedLine)
  // the command's output is shown as it comes (a long seed script shows its progress)
  const scriptOutput = outputDuringTask(progress, o.scriptOutput)
  const outcomeLine = (status: string) => {
    scriptOutput.resume(seedLine)
    progress.stop(status)
  }
  try {
    const result = await runSeed({
      client: o.client,
      cwd: o.cwd,
      datamodel: o.datamodel,
      file: o.file,
      projectDir: o.projectDir,
      runCommand: (command) => o.runCommand(command, scriptOutput.write),
      seed: o.seed,
      signal: o.signal,
    })
    outcomeLine(prettyTime(now() - started))
    return {status: 'seeded', ...result}
  } catch (error) {
    outcomeLine(c.red('!'))
    if (error instanceof InterruptedError || !(error instanceof UserError)) throw error
    return {message: `Seeding the new stage ${o.service}@${o.stage} failed: ${error.text}`, source, status: 'failed'}
  }
}
