/**
 * The seed step of `prisma deploy`: a stage the deploy has just created is seeded from prisma.yml's `seed` (import of
 * a .graphql, .zip or folder, or run of a command), with the same code as `prisma seed`, never with a reset. The
 * outcome is returned for the deploy's result; a failure is returned, not thrown, so that the deploy can report it.
 */
import type {HookResult} from '../deploy/hooks.js'
import {InterruptedError, UserError} from '../errors.js'
import type {Colors} from '../output/colors.js'
import {commandTexts, deployTexts, prettyTime} from '../output/deploy.js'
import type {Progress} from '../output/progress.js'
import {signServiceToken} from '../tokens/index.js'
import {runSeed, type SeedDefinition, type SeedResult} from './seed.js'
import {ServiceClient} from './service.js'

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
  secrets: string[]
  service: string
  stage: string
  /** The service's data endpoint. */
  url: string
  timeoutMs: number
  runCommand: (command: string) => Promise<HookResult>
  progress: Progress
  colors: Colors
  signal?: AbortSignal
  debug?: (line: string) => void
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

  const secret = o.secrets.find((value) => value.length > 0)
  const token = secret
    ? signServiceToken({expiresInSeconds: 60 * 60, now: Math.floor(now() / 1000), secret, service: o.service, stage: o.stage}).token
    : undefined
  const client = new ServiceClient({debug: o.debug, file: o.file, service: o.service, signal: o.signal, stage: o.stage, timeoutMs: o.timeoutMs, token, url: o.url})
  const source = o.seed.import ?? o.seed.run ?? ''
  const started = now()
  progress.start(commandTexts.seed.start(source, c))
  try {
    const result = await runSeed({
      client,
      cwd: o.cwd,
      datamodel: o.datamodel,
      file: o.file,
      projectDir: o.projectDir,
      runCommand: o.runCommand,
      seed: o.seed,
      signal: o.signal,
    })
    progress.stop(prettyTime(now() - started))
    if (result.output?.stdout) progress.log(result.output.stdout.replace(/\n$/, ''))
    if (result.output?.stderr) progress.log(c.red(result.output.stderr.replace(/\n$/, '')))
    return {status: 'seeded', ...result}
  } catch (error) {
    progress.stop(c.red('!'))
    if (error instanceof InterruptedError || !(error instanceof UserError)) throw error
    const output = (error.details as {output?: {stdout: string; stderr: string}} | undefined)?.output
    if (output?.stdout) progress.log(output.stdout.replace(/\n$/, ''))
    if (output?.stderr) progress.log(c.red(output.stderr.replace(/\n$/, '')))
    return {message: `Seeding the new stage ${o.service}@${o.stage} failed: ${error.text}`, source, status: 'failed'}
  }
}
