/**
 * The deploy flow: probe the server, create the service stage when missing, deploy, print the result, wait for the
 * migration, run hooks and seed, print the endpoints. The Management API client, the progress output and the hook
 * runner are passed in; the flow neither prints to a stream nor exits, it returns what happened.
 */
import {describeDuration} from '../duration.js'
import {ExitCode, InterruptedError, UserError} from '../errors.js'
import {ServerError} from '../http/graphql.js'
import type {ManagementClient} from '../management-api/client.js'
import {describeDeploymentInProgress, isDeploymentInProgress} from '../management-api/errors.js'
import type {ServerFeatures} from '../management-api/features.js'
import type {FunctionInput, MigrationStatus, MigrationStep, SchemaProblem} from '../management-api/types.js'
import {symbols, type Colors} from '../output/colors.js'
import {
  changesHeader,
  creatingStageText,
  deployingText,
  errorsFooter,
  forcedWarningsLine,
  formatEndpoints,
  formatProblems,
  noChangesLine,
  prettyTime,
  progressText,
  warningsFooter,
} from '../output/deploy.js'
import type {Progress} from '../output/progress.js'
import {stepLines} from '../output/steps.js'
import {generateAfterDeploy} from '../generate/after-deploy.js'
import type {GeneratedOutput, GenerateResult} from '../generate/index.js'
import {hookSucceeded, type HookResult} from './hooks.js'
import {waitForMigration} from './wait.js'

export interface DeployTarget {
  /** Name sent to the Management API (workspace~service on shared servers). */
  name: string
  service: string
  stage: string
  /** Server (cluster) name for messages, e.g. `local`. */
  serverName: string
  httpUrl: string
  wsUrl: string
}

export interface DeployRequest {
  target: DeployTarget
  types: string
  secrets: string[] | null
  subscriptions: FunctionInput[]
  force?: boolean
  dryRun?: boolean
  noMigrate?: boolean
  /** Overall bound of the migration wait. */
  timeoutMs: number
  /** Bound of each request. */
  requestTimeoutMs: number
  hooks: string[]
  skipHooks?: boolean
  seed?: {run?: string; import?: string}
  noSeed?: boolean
  /** prisma.yml `generate` entries, generated through `DeployDeps.generate` after a deploy that applied a migration. */
  generate?: Array<{generator: string; output: string}>
  noGenerate?: boolean
  signal?: AbortSignal
}

export interface DeployDeps {
  client: Pick<ManagementClient, 'probe' | 'addProject' | 'deploy' | 'migrationStatus' | 'listMigrations'>
  progress: Progress
  colors: Colors
  runHook: (command: string) => Promise<HookResult>
  generate?: () => Promise<GenerateResult>
  now?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

export type DeployStatus =
  | 'deployed'
  | 'up-to-date'
  | 'dry-run'
  | 'errors'
  | 'warnings'
  | 'migration-failed'
  | 'timeout'
  | 'generate-failed'

export interface DeployOutcome {
  status: DeployStatus
  /** 0 or 1. */
  exitCode: number
  /** For non-zero outcomes: the paragraph to show on stderr. */
  message?: string
  service: string
  stage: string
  created: boolean
  version?: string
  features?: ServerFeatures
  revision?: number
  steps: MigrationStep[]
  warnings: SchemaProblem[]
  errors: SchemaProblem[]
  migration?: MigrationStatus
  endpoints?: {http: string; ws: string}
  hooks: Array<{command: string; ok: boolean}>
  /** The files written by the client generation after the deploy. */
  generated?: GeneratedOutput[]
}

export const migrationFailedIntro =
  'The Migration failed and has not been performed. This is very likely not a transient issue.'

export async function runDeploy(request: DeployRequest, deps: DeployDeps): Promise<DeployOutcome> {
  const {client, progress, colors: c} = deps
  const now = deps.now ?? Date.now
  const {target} = request
  const outcome: DeployOutcome = {
    created: false,
    errors: [],
    exitCode: 0,
    hooks: [],
    service: target.service,
    stage: target.stage,
    status: 'deployed',
    steps: [],
    warnings: [],
  }

  const probe = await client.probe(target.name, target.stage)
  outcome.version = probe.version
  outcome.features = probe.features
  if (request.noMigrate && !probe.features.noMigration) {
    throw new UserError(
      "You provided the --no-migrate option, but the Prisma server doesn't support it yet. It's supported in Prisma 1.26 and above.",
    )
  }

  if (!probe.exists) {
    if (request.dryRun) {
      progress.log(
        `\nService ${target.service} has no stage ${target.stage} on server ${target.serverName} yet. ` +
          'A deploy would create it and then create every type of the datamodel; a dry run changes nothing, ' +
          'so there is nothing to compare with.',
      )
      outcome.status = 'dry-run'
      return outcome
    }

    progress.start(creatingStageText(target.service, target.stage))
    try {
      await client.addProject(target.name, target.stage, request.secrets)
      progress.stop()
      outcome.created = true
    } catch (error) {
      // another deploy created the stage since the probe (4005): deploy to it all the same
      if (!(error instanceof ServerError && error.serverCode === 4005)) {
        progress.stop(c.red('!'))
        throw error
      }

      progress.stop('already there')
    }
  }

  const before = now()
  progress.start(deployingText({dryRun: Boolean(request.dryRun), server: target.serverName, service: target.service, stage: target.stage}, c))
  let payload
  try {
    payload = await client.deploy(
      {
        dryRun: request.dryRun,
        force: request.force,
        name: target.name,
        noMigration: request.noMigrate,
        secrets: request.secrets,
        stage: target.stage,
        subscriptions: request.subscriptions,
        types: request.types,
      },
      probe.features,
    )
  } catch (error) {
    progress.stop(c.red('!'))
    if (error instanceof InterruptedError) {
      throw new InterruptedError(
        `Interrupted while the deploy was being sent to the server ${target.serverName}; it may have arrived there. ` +
          'Run the deploy again to see where the service stands.',
        error.exitCode === ExitCode.terminated ? 'SIGTERM' : 'SIGINT',
      )
    }

    if (isDeploymentInProgress(error)) {
      throw new UserError(describeDeploymentInProgress(target.service, target.stage, target.serverName), {cause: error})
    }

    throw error
  }

  progress.stop(prettyTime(now() - before))
  outcome.errors = payload.errors
  outcome.warnings = payload.warnings ?? []
  outcome.steps = payload.steps ?? payload.migration?.steps ?? []

  // -- result, in the original's order: errors, warnings, changes
  if (payload.errors.length > 0) {
    progress.log([...formatProblems(payload.errors, 'errors', c), '', ...errorsFooter].join('\n'))
    outcome.status = 'errors'
    outcome.exitCode = 1
    const count = payload.errors.length
    outcome.message = `Deploy refused: the server found ${count} error${count === 1 ? '' : 's'} (listed above); nothing was changed.`
    return outcome
  }

  if (outcome.warnings.length > 0) {
    if (request.force) {
      progress.log([...formatProblems(outcome.warnings, 'warnings', c), forcedWarningsLine].join('\n'))
    } else {
      progress.log([...formatProblems(outcome.warnings, 'warnings', c), '', ...warningsFooter(c)].join('\n'))
      outcome.status = 'warnings'
      outcome.exitCode = 1
      const count = outcome.warnings.length
      outcome.message =
        `Deploy refused: ${count === 1 ? '1 warning (listed above) needs' : `${count} warnings (listed above) need`} your consent; nothing was changed. ` +
        'Deploy with --force to accept them.'
      return outcome
    }
  }

  if (outcome.steps.length === 0) {
    progress.log(noChangesLine(Boolean(request.dryRun)))
  } else {
    // large datamodels have tens of thousands of steps: written in batches, never held whole as text
    let batch = [changesHeader(Boolean(request.dryRun), c)]
    for (const line of stepLines(outcome.steps, c)) {
      batch.push(line)
      if (batch.length >= 2000) {
        progress.log(batch.join('\n'))
        batch = []
      }
    }

    batch.push('')
    progress.log(batch.join('\n'))
  }

  if (request.dryRun) {
    outcome.status = 'dry-run'
    return outcome
  }

  const migration = payload.migration
  if (!migration) outcome.status = 'up-to-date'
  if (migration && migration.revision > 0) {
    outcome.revision = migration.revision
    const total = migration.steps.length
    const started = now()
    progress.start('Applying changes', progressText(0, total, c))
    let result
    try {
      result = await waitForMigration(client, {
        name: target.name,
        now,
        onProgress: (status) => progress.status(progressText(status.applied, total, c)),
        requestTimeoutMs: request.requestTimeoutMs,
        revision: migration.revision,
        signal: request.signal,
        sleep: deps.sleep,
        stage: target.stage,
        timeoutMs: request.timeoutMs,
      })
    } catch (error) {
      progress.interrupt()
      if (error instanceof InterruptedError) {
        throw new InterruptedError(
          `Interrupted while waiting for the migration (revision ${migration.revision}). The migration goes on on ` +
            `the server ${target.serverName}; deploy again later to see its result.`,
          error.exitCode === ExitCode.terminated ? 'SIGTERM' : 'SIGINT',
        )
      }

      throw error
    }

    outcome.migration = result.migration
    if (result.kind === 'timeout') {
      progress.stop(c.red('!'))
      outcome.status = 'timeout'
      outcome.exitCode = 1
      const state = result.migration ? ` (status ${result.migration.status}, ${result.migration.applied}/${total} steps applied)` : ''
      outcome.message =
        `The migration of revision ${migration.revision} did not finish within ${describeDuration(request.timeoutMs)}${state}. ` +
        `It continues on the server ${target.serverName}; deploy again later to see whether it is done, or raise --timeout.`
      return outcome
    }

    if (result.kind === 'failed') {
      progress.stop(c.red(symbols.cross))
      outcome.status = 'migration-failed'
      outcome.exitCode = 1
      const errors = result.migration.errors
      outcome.message =
        `${migrationFailedIntro}\n` +
        `Revision ${migration.revision} of service ${target.service} stage ${target.stage} ended with status ${result.migration.status}` +
        (errors.length > 0 ? `:\n${errors.join('\n')}` : '; the server recorded no error details.')
      return outcome
    }

    progress.stop(prettyTime(now() - started))
  }

  // -- hooks, seed, notices
  if (!request.skipHooks && request.hooks.length > 0) {
    progress.log(`\n${c.bold('post-deploy')}:`)
    for (const hook of request.hooks) {
      progress.start(`Running ${c.cyan(hook)}`)
      const result = await deps.runHook(hook)
      if (request.signal?.aborted) {
        progress.stop(c.red('!'))
        throw request.signal.reason
      }

      const ok = hookSucceeded(result)
      progress.stop(ok ? undefined : c.red(symbols.cross))
      if (result.stdout.length > 0) progress.log(result.stdout.replace(/\n$/, ''))
      if (result.stderr.length > 0) progress.log(c.red(result.stderr.replace(/\n$/, '')))
      if (!ok) {
        const why = result.error ?? (result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`)
        progress.log(c.red(`Hook \`${hook}\` failed (${why}); the deploy itself succeeded.`))
      }

      outcome.hooks.push({command: hook, ok})
    }
  }

  const generation = await generateAfterDeploy({
    applied: Boolean(migration && migration.revision > 0),
    colors: c,
    entries: request.generate ?? [],
    generate: deps.generate,
    hooks: request.hooks,
    noGenerate: request.noGenerate,
    progress,
    revision: outcome.revision,
    skipHooks: request.skipHooks,
  })
  outcome.generated = generation.generated
  if (generation.failure) {
    outcome.status = 'generate-failed'
    outcome.exitCode = 1
    outcome.message = generation.failure.text
  }
  if (migration && outcome.created && request.seed && !request.noSeed) {
    if (request.seed.run) {
      if (!request.skipHooks) progress.log(c.bold('\nHooks:'))
      const seedStarted = now()
      progress.start(`Seeding based on ${c.bold(request.seed.run)}`)
      const result = await deps.runHook(request.seed.run)
      const ok = hookSucceeded(result)
      progress.stop(ok ? prettyTime(now() - seedStarted) : c.red(symbols.cross))
      if (result.stdout.length > 0) progress.log(result.stdout.replace(/\n$/, ''))
      if (result.stderr.length > 0) progress.log(c.red(result.stderr.replace(/\n$/, '')))
      if (!ok) {
        const why = result.error ?? (result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`)
        progress.log(c.red(`Seeding with \`${request.seed.run}\` failed (${why}).`))
      }

      outcome.hooks.push({command: request.seed.run, ok})
    } else if (request.seed.import) {
      progress.log(
        c.yellow(
          `\nNot seeding from ${request.seed.import}: seed.import needs \`prisma1 import\`, which this tool does not include. Run it with the original CLI, or use seed.run.`,
        ),
      )
    } else {
      progress.log(
        c.yellow(
          'Invalid seed property in `prisma.yml`. Please use `import` or `run` under the `seed` property. Follow the docs for more info: http://bit.ly/prisma-seed-optional',
        ),
      )
    }
  }

  if (migration) {
    outcome.endpoints = {http: target.httpUrl, ws: target.wsUrl}
    progress.log(formatEndpoints(outcome.endpoints, probe.version))
  }

  return outcome
}
