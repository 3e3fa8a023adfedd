/**
 * `prisma deploy` as one domain call: load prisma.yml, find the endpoint (the wizard when there is none), choose the
 * credential, run the deploy flow and return the deploy document. Progress and notices reach the caller through the
 * objects it passes in; nothing here writes to a stream of its own.
 */
import type {Writable} from 'node:stream'

import {resolveManagementAuth} from '../auth/management-token.js'
import {codedAs, isUserError} from '../errors.js'
import {userHome} from '../global-config/index.js'
import {requestTimeoutMs as requestTimeout} from '../http/graphql.js'
import {ManagementClient} from '../management-api/client.js'
import type {Colors} from '../output/colors.js'
import type {Progress} from '../output/progress.js'
import {loadProject, type Project} from '../project/index.js'
import {withInterruptSignal} from '../signals.js'
import {resolveDeployEndpoint} from '../wizard/deploy-endpoint.js'
import {runDeploy, type DeployOutcome} from './flow.js'
import {runHook} from './hooks.js'

type Env = Record<string, string | undefined>

export interface DeployProjectOptions {
  cwd: string
  /** The process environment. */
  env: Env
  project?: string
  envFile?: string
  /** The command's parsed flags, for ${opt:NAME} in prisma.yml. */
  options: Record<string, unknown>
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
  /** Whether the endpoint wizard may ask questions. */
  interactive: boolean
}

export interface DeployIo {
  progress: Progress
  colors: Colors
  /** Where the wizard asks and notes (the human stream). */
  output: Writable
  /** prisma.yml warnings (unresolved variables). */
  warn(line: string): void
  /** The output of seed.run's command, as it comes. */
  scriptOutput(text: string, stream: 'stdout' | 'stderr'): void
  debug?: (line: string) => void
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
  /** Why the deploy did not succeed (exit code 1). */
  message?: string
}

export interface DeployResult {
  document: DeployDocument
  /** 0, or 1 for a refused or failed deploy (the document says why). */
  exitCode: number
}


export async function deployProject(o: DeployProjectOptions, io: DeployIo): Promise<DeployResult> {
  let project: Project | undefined
  try {
    const outcome = await withInterruptSignal('Interrupted.', async (signal) => {
      project = await codedAs('PROJECT_INVALID', () =>
        loadProject({cwd: o.cwd, env: o.env, envFile: o.envFile, options: o.options, project: o.project, requireDatamodel: true}),
      )
      for (const warning of project.warnings) io.warn(warning)
      // settings of the requests come from the merged environment, .env included
      const requestTimeoutMs = Math.min(requestTimeout(project.env), o.timeoutMs)
      const home = userHome(o.env)
      const {endpoint, managementSecret} = await resolveDeployEndpoint({
        chooseNew: o.chooseNew,
        debug: io.debug,
        home,
        interactive: o.interactive,
        output: io.output,
        project,
      })
      // a management API secret typed into the endpoint wizard counts for this deploy only
      const authEnv = managementSecret === undefined ? project.env : {...project.env, PRISMA_MANAGEMENT_API_SECRET: managementSecret}

      const auth = await resolveManagementAuth({debug: io.debug, endpoint, env: authEnv, home})
      const client = new ManagementClient({
        credential: auth.description,
        debug: io.debug,
        env: authEnv,
        secretFromEnv: authEnv.PRISMA_MANAGEMENT_API_SECRET !== undefined,
        serverName: endpoint.clusterName,
        signal,
        timeoutMs: requestTimeoutMs,
        token: auth.token,
        url: endpoint.managementUrl,
      })
      const loaded = project
      const {dir, env: projectEnv} = project
      return runDeploy(
        {
          dryRun: o.dryRun,
          force: o.force,
          generate: project.generate,
          hooks: project.postDeployHooks,
          noGenerate: o.noGenerate,
          noMigrate: o.noMigrate,
          noSeed: o.noSeed,
          requestTimeoutMs,
          secrets: project.secrets.length > 0 ? project.secrets : null,
          seed: project.seed,
          signal,
          skipHooks: o.skipHooks,
          subscriptions: project.subscriptions,
          target: {
            httpUrl: endpoint.httpUrl,
            name: endpoint.managementName,
            serverName: endpoint.clusterName,
            service: endpoint.service,
            stage: endpoint.stage,
            wsUrl: endpoint.wsUrl,
          },
          timeoutMs: o.timeoutMs,
          types: project.datamodel.text,
        },
        {
          client,
          colors: io.colors,
          progress: io.progress,
          // the deploy's own prisma.yml (with its --project and --env-file), generated as `prisma generate` does
          generate: async () => (await import('../generate/index.js')).runGenerate({progress: io.progress, project: loaded, signal}),
          // hooks and seed.run run in the working directory, as the original ran them
          runHook: (command) => runHook(command, {cwd: o.cwd, env: projectEnv as NodeJS.ProcessEnv, signal}),
          seedStage: async (seed) =>
            (await import('../data/deploy-seed.js')).seedNewStage({
              colors: io.colors,
              cwd: o.cwd,
              datamodel: loaded.datamodel.text,
              debug: io.debug,
              file: loaded.file,
              progress: io.progress,
              projectDir: dir,
              runCommand: (command, onOutput) => runHook(command, {cwd: o.cwd, env: projectEnv as NodeJS.ProcessEnv, onOutput, signal}),
              scriptOutput: io.scriptOutput,
              secrets: loaded.secrets,
              seed,
              service: endpoint.service,
              signal,
              stage: endpoint.stage,
              timeoutMs: requestTimeoutMs,
              url: endpoint.httpUrl,
            }),
        },
      )
    })
    return {document: deployDocument(outcome), exitCode: outcome.exitCode}
  } catch (error) {
    io.progress.interrupt()
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
