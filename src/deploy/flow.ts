/**
 * The deploy flow: probe the server, create the service stage when missing, deploy, wait for the migration, run
 * hooks and seed. The Management API client, the progress output and the hook runner are passed in. What a script may
 * capture (the server's errors and warnings, the change listing, the endpoints) is reported as events for the caller
 * to render; the flow neither prints to a stream nor exits, and its outcome's status decides the exit code through
 * one table (deployStatuses).
 */
import {describeDuration} from '../duration.js'
import {DataError, DeployError, ExitCode, GenerateError, InterruptedError, ServerAnswerError, TimeoutError, type UserError} from '../errors.js'
import {ServerError} from '../http/graphql.js'
import type {ManagementClient} from '../management-api/client.js'
import {describeDeploymentInProgress, isDeploymentInProgress} from '../management-api/errors.js'
import type {ServerFeatures} from '../management-api/features.js'
import type {FunctionInput, MigrationStatus, MigrationStep, SchemaProblem} from '../management-api/types.js'
import {symbols, type Colors} from '../output/colors.js'
import {commandTexts, creatingStageText, deployingText, deployTexts, hookFailure, prettyTime, progressText} from '../output/deploy.js'
import type {Progress} from '../output/progress.js'
import {generateAfterDeploy} from '../generate/after-deploy.js'
import type {GeneratedOutput, GenerateResult, NotGenerated} from '../generate/index.js'
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
  /** Task lines (creating the stage, deploying, applying, hooks). */
  progress: Progress
  colors: Colors
  /** What happened that belongs to the result (rendered by output/deploy.ts renderDeployEvent). */
  report: (event: DeployEvent) => void
  runHook: (command: string) => Promise<HookResult>
  /** Seeds a stage this deploy created (src/data/deploy-seed.ts). */
  seedStage?: (seed: {run?: string; import?: string}) => Promise<SeedOutcome>
  generate?: () => Promise<GenerateResult>
  now?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** What seeding the new stage gave; the flow only needs to know whether it failed, the result document shows it all. */
export interface SeedOutcome {
  status: 'seeded' | 'failed' | 'invalid'
  message?: string
}

/** The result's parts, in the original's order: the server's problems, the changes, and at the end the endpoints. */
export type DeployEvent =
  | {type: 'dry-run-of-new-stage'; target: DeployTarget}
  | {type: 'problems'; kind: 'errors' | 'warnings'; problems: SchemaProblem[]; forced: boolean}
  | {type: 'changes'; steps: MigrationStep[]; dryRun: boolean}
  | {type: 'endpoints'; endpoints: {http: string; ws: string}; version?: string}

/** Every way a deploy ends, with its exit code and, for a deploy that did not succeed, the error code. */
export const deployStatuses = {
  deployed: {exitCode: 0},
  'up-to-date': {exitCode: 0},
  'dry-run': {exitCode: 0},
  errors: {exitCode: 1, error: DeployError},
  warnings: {exitCode: 1, error: DeployError},
  'migration-failed': {exitCode: 1, error: DeployError},
  timeout: {exitCode: 1, error: TimeoutError},
  'seed-failed': {exitCode: 1, error: DataError},
  'generate-failed': {exitCode: 1, error: GenerateError},
} as const satisfies Record<string, {exitCode: number; error?: new (message: string) => UserError}>

export type DeployStatus = keyof typeof deployStatuses

export interface DeployOutcome {
  status: DeployStatus
  /** deployStatuses[status].exitCode */
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
  seed?: SeedOutcome
  /** The files written by the client generation after the deploy. */
  generated?: GeneratedOutput[]
  /** The generate: entries that could not be generated after the deploy (the others were). */
  notGenerated?: NotGenerated[]
}

export {migrationFailedIntro} from '../output/deploy.js'

export async function runDeploy(request: DeployRequest, deps: DeployDeps): Promise<DeployOutcome> {
  const outcome = await deploySteps(request, deps)
  return {...outcome, exitCode: deployStatuses[outcome.status].exitCode}
}

async function deploySteps(request: DeployRequest, deps: DeployDeps): Promise<DeployOutcome> {
  const {client, report} = deps
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
    throw new DeployError(deployTexts.noMigrateUnsupported)
  }

  if (!probe.exists) {
    if (request.dryRun) {
      report({target, type: 'dry-run-of-new-stage'})
      outcome.status = 'dry-run'
      return outcome
    }

    outcome.created = await createStage(request, deps)
  }

  const payload = await sendDeploy(request, deps, probe.features)
  outcome.errors = payload.errors
  outcome.warnings = payload.warnings ?? []
  outcome.steps = payload.steps ?? payload.migration?.steps ?? []

  // -- result, in the original's order: errors, warnings, changes
  if (payload.errors.length > 0) {
    report({forced: false, kind: 'errors', problems: payload.errors, type: 'problems'})
    outcome.status = 'errors'
    outcome.message = deployTexts.refusedForErrors(payload.errors.length)
    return outcome
  }

  if (outcome.warnings.length > 0) {
    report({forced: Boolean(request.force), kind: 'warnings', problems: outcome.warnings, type: 'problems'})
    if (!request.force) {
      outcome.status = 'warnings'
      outcome.message = deployTexts.refusedForWarnings(outcome.warnings.length)
      return outcome
    }
  }

  report({dryRun: Boolean(request.dryRun), steps: outcome.steps, type: 'changes'})

  if (request.dryRun) {
    outcome.status = 'dry-run'
    return outcome
  }

  const migration = payload.migration
  if (!migration) outcome.status = 'up-to-date'
  if (migration && migration.revision > 0) {
    outcome.revision = migration.revision
    const applied = await applyMigration(request, deps, {revision: migration.revision, total: migration.steps.length})
    outcome.migration = applied.migration
    if (applied.failure) return {...outcome, ...applied.failure}
  }

  await afterMigration(request, deps, outcome, {applied: Boolean(migration && migration.revision > 0), migrated: Boolean(migration)})
  if (outcome.status === 'seed-failed') return outcome
  if (migration) {
    outcome.endpoints = {http: target.httpUrl, ws: target.wsUrl}
    report({endpoints: outcome.endpoints, type: 'endpoints', version: probe.version})
  }

  return outcome
}

/** After the migration: the post-deploy hooks, the clients of prisma.yml (as `prisma generate`), seeding a new stage. */
async function afterMigration(
  request: DeployRequest,
  deps: DeployDeps,
  outcome: DeployOutcome,
  {applied, migrated}: {applied: boolean; migrated: boolean},
): Promise<void> {
  const {progress, colors: c} = deps
  if (!request.skipHooks && request.hooks.length > 0) {
    progress.log(commandTexts.hook.header(c))
    for (const hook of request.hooks) outcome.hooks.push(await runShown(hook, request, deps))
  }

  const generation = await generateAfterDeploy({
    applied,
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
  if (generation.notGenerated) outcome.notGenerated = generation.notGenerated
  if (generation.failure) {
    outcome.status = 'generate-failed'
    outcome.message = generation.failure.text
  }

  if (migrated && outcome.created && request.seed && !request.noSeed && deps.seedStage) {
    if (!request.skipHooks) progress.log(commandTexts.seed.header(c))
    outcome.seed = await deps.seedStage(request.seed)
    if (outcome.seed.status === 'failed') {
      outcome.status = 'seed-failed'
      outcome.message = `${outcome.seed.message}
The deploy itself succeeded (the migration is applied); seed again with prisma seed.`
    }
  }
}

/** Adds the service stage; true when this deploy created it (false when another deploy did since the probe). */
async function createStage(request: DeployRequest, deps: DeployDeps): Promise<boolean> {
  const {client, progress, colors: c} = deps
  const {target} = request
  progress.start(creatingStageText(target.service, target.stage))
  try {
    await client.addProject(target.name, target.stage, request.secrets)
    progress.stop()
    return true
  } catch (error) {
    // another deploy created the stage since the probe (4005): deploy to it all the same
    if (!(error instanceof ServerError && error.serverCode === 4005)) {
      progress.stop(c.red('!'))
      throw error
    }

    progress.stop(deployTexts.stageAlreadyThere)
    return false
  }
}

/** Sends the datamodel, secrets and subscriptions; the server's answer says what it would change or refuses. */
async function sendDeploy(request: DeployRequest, deps: DeployDeps, features: ServerFeatures) {
  const {client, progress, colors: c} = deps
  const now = deps.now ?? Date.now
  const {target} = request
  const before = now()
  progress.start(deployingText({dryRun: Boolean(request.dryRun), server: target.serverName, service: target.service, stage: target.stage}, c))
  try {
    const payload = await client.deploy(
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
      features,
    )
    progress.stop(prettyTime(now() - before))
    return payload
  } catch (error) {
    progress.stop(c.red('!'))
    if (error instanceof InterruptedError) {
      throw new InterruptedError(deployTexts.interruptedWhileSending(target.serverName), signalOf(error))
    }

    if (isDeploymentInProgress(error)) {
      throw new ServerAnswerError(describeDeploymentInProgress(target.service, target.stage, target.serverName), {cause: error})
    }

    throw error
  }
}

/** Waits until the server has applied the migration; a timeout or a failed migration is the deploy's failure. */
async function applyMigration(
  request: DeployRequest,
  deps: DeployDeps,
  migration: {revision: number; total: number},
): Promise<{migration?: MigrationStatus; failure?: Pick<DeployOutcome, 'status' | 'message'>}> {
  const {client, progress, colors: c} = deps
  const now = deps.now ?? Date.now
  const {target} = request
  const {revision, total} = migration
  const started = now()
  progress.start(deployTexts.applyingChanges, progressText(0, total, c))
  let result
  try {
    result = await waitForMigration(client, {
      name: target.name,
      now,
      onProgress: (status) => progress.status(progressText(status.applied, total, c)),
      requestTimeoutMs: request.requestTimeoutMs,
      revision,
      signal: request.signal,
      sleep: deps.sleep,
      stage: target.stage,
      timeoutMs: request.timeoutMs,
      totalSteps: total,
    })
  } catch (error) {
    progress.interrupt()
    if (error instanceof InterruptedError) {
      throw new InterruptedError(deployTexts.interruptedWhileWaiting(revision, target.serverName), signalOf(error))
    }

    throw error
  }

  if (result.kind === 'timeout') {
    progress.stop(c.red('!'))
    const state = result.migration && {applied: result.migration.applied, status: result.migration.status, total}
    const message = deployTexts.migrationTimeout({revision, serverName: target.serverName, state, timeout: describeDuration(request.timeoutMs)})
    return {failure: {message, status: 'timeout'}, migration: result.migration}
  }

  if (result.kind === 'failed') {
    progress.stop(c.red(symbols.cross))
    const {errors, status} = result.migration
    const message = deployTexts.migrationFailed({errors, revision, service: target.service, stage: target.stage, status})
    return {failure: {message, status: 'migration-failed'}, migration: result.migration}
  }

  progress.stop(prettyTime(now() - started))
  return {migration: result.migration}
}

function signalOf(error: InterruptedError): 'SIGINT' | 'SIGTERM' {
  return error.exitCode === ExitCode.terminated ? 'SIGTERM' : 'SIGINT'
}

/**
 * Runs a post-deploy hook and shows it: the command line with its outcome, then what it printed. A failure is shown,
 * never thrown: the deploy itself has succeeded.
 */
async function runShown(
  command: string,
  request: Pick<DeployRequest, 'signal'>,
  deps: Pick<DeployDeps, 'colors' | 'progress' | 'runHook'>,
): Promise<{command: string; ok: boolean}> {
  const {colors: c, progress} = deps
  const texts = commandTexts.hook
  progress.start(texts.start(command, c))
  const result = await deps.runHook(command)
  if (request.signal?.aborted) {
    progress.stop(c.red('!'))
    throw request.signal.reason
  }

  const ok = hookSucceeded(result)
  progress.stop(ok ? undefined : c.red(symbols.cross))
  if (result.stdout.length > 0) progress.log(result.stdout.replace(/\n$/, ''))
  if (result.stderr.length > 0) progress.log(c.red(result.stderr.replace(/\n$/, '')))
  if (!ok) progress.log(c.red(texts.failed(command, hookFailure(result))))
  return {command, ok}
}
