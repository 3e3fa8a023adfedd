/**
 * `prisma deploy`: prisma.yml, the endpoint (the wizard when there is none, or with --new), the credential, then the
 * deploy flow (src/deploy/flow.ts) against a Management API client. Task lines go through the io; the result's parts
 * (problems, changes, endpoints) go to `report` as the flow emits them; the action returns the deploy document and its
 * exit code from the flow's status table.
 */
import {isUserError} from '../errors.js'
import {userHome} from '../global-config/index.js'
import {runDeploy, type DeployEvent, type DeployOutcome} from '../deploy/flow.js'
import {runHook} from '../deploy/hooks.js'
import type {Colors} from '../output/colors.js'
import type {Project} from '../project/index.js'
import {chooseDeployEndpoint} from './deploy-endpoint.js'
import type {Io} from './io.js'
import {interruptible} from './shared.js'
import {openStage, readProject, type StageOptions} from './stage.js'

export {deployStatuses} from '../deploy/flow.js'

export type DeployOptions = Omit<StageOptions, 'io' | 'signal' | 'choose' | 'requireDatamodel' | 'project'> & {
  force: boolean
  dryRun: boolean
  noMigrate: boolean
  noSeed: boolean
  noGenerate: boolean
  skipHooks: boolean
  /** `--new`. */
  chooseNew: boolean
  /** The bound of the migration wait. */
  timeoutMs: number
  /** For the task lines and the rendered events. */
  colors: Colors
  /** Receives the result's parts as they happen. */
  report: (event: DeployEvent) => void
}

/** `prisma deploy --json`: the one document, also for a refused or failed deploy. */
export interface DeployDocument {
  service: string
  stage: string
  status: DeployOutcome['status']
  created: boolean
  endpoints: {http: string; ws: string} | null
  revision: number | null
  migration: {status: string; applied: number; errors: string[]} | null
  steps: DeployOutcome['steps']
  warnings: DeployOutcome['warnings']
  errors: DeployOutcome['errors']
  hooks: DeployOutcome['hooks']
  /** The seeding of a stage this deploy created, or null. */
  seed: DeployOutcome['seed'] | null
  /** The files the client generation after the deploy wrote, by generator. */
  generated: NonNullable<DeployOutcome['generated']>
  /** The generate: entries that could not be generated after the deploy (the others were). */
  notGenerated?: DeployOutcome['notGenerated']
  /** Why the deploy did not succeed (exit code 1). */
  message?: string
}

export interface DeployRun {
  document: DeployDocument
  /** 0, or 1 for a refused or failed deploy (the document says why). */
  exitCode: number
}


export async function deploy(o: DeployOptions, io: Io): Promise<DeployRun> {
  let project: Project | undefined
  try {
    const outcome = await interruptible(io, 'Interrupted.', async (signal) => {
      const read = await readProject({...o, io, requireDatamodel: true})
      project = read
      const stage = await openStage({
        ...o,
        project: read,
        choose: (loaded) => chooseDeployEndpoint({chooseNew: o.chooseNew, home: userHome(o.env), project: loaded}, io),
        io,
        signal,
      })
      const {endpoint} = stage
      const requestTimeoutMs = Math.min(stage.requestTimeoutMs, o.timeoutMs)
      const client = await stage.managementClient({timeoutMs: requestTimeoutMs})
      const loaded = read
      const {dir, env: projectEnv} = read
      const run = (command: string, onOutput?: (text: string, stream: 'stdout' | 'stderr') => void) =>
        // hooks and seed.run run in the working directory, as the original ran them
        runHook(command, {cwd: o.cwd, env: projectEnv as NodeJS.ProcessEnv, onOutput, signal})
      return runDeploy(
        {
          dryRun: o.dryRun,
          force: o.force,
          generate: read.generate,
          hooks: read.postDeployHooks,
          noGenerate: o.noGenerate,
          noMigrate: o.noMigrate,
          noSeed: o.noSeed,
          requestTimeoutMs,
          secrets: read.secrets.length > 0 ? read.secrets : null,
          seed: read.seed,
          signal,
          skipHooks: o.skipHooks,
          subscriptions: read.subscriptions,
          target: {
            httpUrl: endpoint.httpUrl,
            name: endpoint.managementName,
            serverName: endpoint.clusterName,
            service: endpoint.service,
            stage: endpoint.stage,
            wsUrl: endpoint.wsUrl,
          },
          timeoutMs: o.timeoutMs,
          types: read.datamodel.text,
        },
        {
          client,
          colors: o.colors,
          progress: io.progress,
          report: o.report,
          // the deploy's own prisma.yml (with its --project and --env-file), generated as `prisma generate` does
          generate: async () => (await import('../generate/index.js')).runGenerate({progress: io.progress, project: loaded, signal}),
          runHook: (command) => run(command),
          seedStage: async (seed) =>
            (await import('../data/deploy-seed.js')).seedNewStage({
              client: await stage.serviceClient({timeoutMs: requestTimeoutMs}),
              colors: o.colors,
              cwd: o.cwd,
              datamodel: loaded.datamodel.text,
              file: loaded.file,
              progress: io.progress,
              projectDir: dir,
              runCommand: run,
              scriptOutput: io.program,
              seed,
              service: endpoint.service,
              signal,
              stage: endpoint.stage,
            }),
        },
      )
    })
    return {document: deployDocument(outcome), exitCode: outcome.exitCode}
  } catch (error) {
    // the error document of --json names the service and stage the deploy was for
    if (isUserError(error)) error.details = {...errorDetails(project), ...error.details}
    throw error
  }
}

function deployDocument(outcome: DeployOutcome): DeployDocument {
  return {
    service: outcome.service,
    stage: outcome.stage,
    status: outcome.status,
    created: outcome.created,
    endpoints: outcome.endpoints ?? null,
    revision: outcome.revision ?? null,
    migration: outcome.migration
      ? {status: outcome.migration.status, applied: outcome.migration.applied, errors: outcome.migration.errors}
      : null,
    steps: outcome.steps,
    warnings: outcome.warnings,
    errors: outcome.errors,
    hooks: outcome.hooks,
    seed: outcome.seed ?? null,
    generated: outcome.generated ?? [],
    ...(outcome.notGenerated ? {notGenerated: outcome.notGenerated} : {}),
    ...(outcome.message ? {message: outcome.message} : {}),
  }
}

function errorDetails(project: Project | undefined) {
  return {
    service: project?.endpoint?.service ?? null,
    stage: project?.endpoint?.stage ?? null,
    endpoints: null,
    revision: null,
    steps: [],
    warnings: [],
    errors: [],
  }
}
