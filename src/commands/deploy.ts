import {Flags} from '@oclif/core'
import {homedir} from 'node:os'
import {basename} from 'node:path'

import {BaseCommand} from '../base-command.js'
import {ExitCode, isUserError, UserError} from '../errors.js'
import {projectFlags} from '../flags.js'
import type {DeployOutcome} from '../deploy/flow.js'
import type {ParsedEndpoint, Project} from '../project/index.js'

export interface DeployFlags {
  force: boolean
  new: boolean
  'dry-run': boolean
  'no-seed': boolean
  json: boolean
  'no-migrate': boolean
  'no-generate': boolean
  'skip-hooks': boolean
  timeout: string
  project?: string
  'env-file'?: string
}

const defaultRequestTimeoutMs = 30_000

export default class Deploy extends BaseCommand {
  static override summary = 'Deploy service changes (or a new service) to a Prisma server'
  static override description = `Creates the service stage when it does not exist, deploys the datamodel, secrets and subscriptions of prisma.yml, waits until the server has applied the migration and prints the service's endpoints.

Exit codes: 0 deployed or nothing to do; 1 refused (errors, warnings without --force) or failed (failed migration, server fault, timeout); 2 usage; 130 interrupted. --dry-run exits 1 when the real deploy would be refused.`

  static override examples = [
    {command: '<%= config.bin %> deploy', description: 'Deploy the service of ./prisma.yml'},
    {command: '<%= config.bin %> deploy --force', description: 'Deploy, accepting data loss caused by schema changes'},
    {command: '<%= config.bin %> deploy --dry-run', description: 'Show the potential changes without deploying'},
    {command: '<%= config.bin %> deploy --json > result.json', description: 'One JSON document on stdout (for scripts)'},
  ]

  static override flags = {
    force: Flags.boolean({char: 'f', description: 'Accept data loss caused by schema changes', default: false}),
    new: Flags.boolean({char: 'n', description: 'Choose the server and service interactively (writes the endpoint into prisma.yml)', default: false}),
    'dry-run': Flags.boolean({char: 'd', description: 'Show the potential changes; change nothing on the server', default: false}),
    'no-seed': Flags.boolean({description: 'Do not seed a newly created service stage', default: false}),
    json: Flags.boolean({char: 'j', description: 'Print one JSON document with the result on stdout (progress goes to stderr)', default: false}),
    'no-migrate': Flags.boolean({description: 'Deploy the datamodel without migrating the database (Prisma servers 1.26 and above)', default: false}),
    'no-generate': Flags.boolean({description: 'Do not generate the clients of prisma.yml (generate:) after the deploy', default: false}),
    'skip-hooks': Flags.boolean({description: 'Do not run the post-deploy hooks', default: false}),
    timeout: Flags.string({
      description: 'How long to wait for the server to apply the migration (e.g. 90s, 10m)',
      default: '10m',
      helpValue: 'DURATION',
    }),
    ...projectFlags,
  }

  async run(): Promise<DeployDocument> {
    const {flags} = await this.parse(Deploy)
    const {parseDuration} = await import('../duration.js')
    const timeoutMs = parseDuration(flags.timeout, '--timeout')
    const env = process.env
    const requestTimeoutMs = Math.min(
      env.PRISMA_REQUEST_TIMEOUT ? parseDuration(env.PRISMA_REQUEST_TIMEOUT, 'PRISMA_REQUEST_TIMEOUT', 'env') : defaultRequestTimeoutMs,
      timeoutMs,
    )

    // --json: stdout carries the result document only; all human output goes to stderr
    const human = flags.json ? process.stderr : process.stdout
    const [{colorsFor, symbols}, {plainProgress}] = await Promise.all([import('../output/colors.js'), import('../output/progress.js')])
    const colors = colorsFor(human, env)
    const progress = plainProgress((text) => human.write(text), symbols.tick)

    const {withInterruptSignal} = await import('../signals.js')
    let project: Project | undefined
    let outcome: DeployOutcome
    try {
      outcome = await withInterruptSignal('Interrupted.', async (signal, {keepSignalsToOurselves}) => {
        const {loadProject} = await import('../project/index.js')
        project = await loadProject({
          cwd: process.cwd(),
          env,
          envFile: flags['env-file'],
          // ${opt:NAME} in prisma.yml reads this command's flags
          options: flags,
          project: flags.project,
          requireDatamodel: true,
        })
        for (const warning of project.warnings) process.stderr.write(`${colors.yellow(warning)}\n`)
        const endpoint = await this.resolveEndpoint(project, flags)
        // a management API secret typed into the endpoint wizard counts for this deploy only
        const authEnv = this.wizardSecret === undefined ? project.env : {...project.env, PRISMA_MANAGEMENT_API_SECRET: this.wizardSecret}

        const [{resolveManagementAuth}, {ManagementClient}, {runDeploy}, {runHook}] = await Promise.all([
          import('../auth/management-token.js'),
          import('../management-api/client.js'),
          import('../deploy/flow.js'),
          import('../deploy/hooks.js'),
        ])
        const debug = env.DEBUG ? (line: string) => process.stderr.write(`${line}\n`) : undefined
        const auth = await resolveManagementAuth({endpoint, env: authEnv, home: env.HOME || homedir(), debug})
        const client = new ManagementClient({
          credential: auth.description,
          debug,
          secretFromEnv: authEnv.PRISMA_MANAGEMENT_API_SECRET !== undefined,
          serverName: endpoint.clusterName,
          signal,
          timeoutMs: requestTimeoutMs,
          token: auth.token,
          url: endpoint.managementUrl,
        })
        // Modules loaded on the way (the global config's atomic writer) may hook SIGINT/SIGTERM to kill the process
        // at once; while the deploy runs, Ctrl-C is ours: it stops the wait and explains that the server goes on.
        keepSignalsToOurselves()
        const dir = project.dir
        const projectEnv = project.env
        return runDeploy(
          {
            dryRun: flags['dry-run'],
            force: flags.force,
            generate: project.generate,
            hooks: project.postDeployHooks,
            noGenerate: flags['no-generate'],
            noMigrate: flags['no-migrate'],
            noSeed: flags['no-seed'],
            requestTimeoutMs,
            secrets: project.secrets.length > 0 ? project.secrets : null,
            seed: project.seed,
            signal,
            skipHooks: flags['skip-hooks'],
            subscriptions: project.subscriptions,
            target: {
              httpUrl: endpoint.httpUrl,
              name: endpoint.managementName,
              serverName: endpoint.clusterName,
              service: endpoint.service,
              stage: endpoint.stage,
              wsUrl: endpoint.wsUrl,
            },
            timeoutMs,
            types: project.datamodel.text,
          },
          {
            client,
            colors,
            // the deploy's own prisma.yml (with its --project and --env-file), generated as `prisma generate` does
            generate: async () => (await import('../generate/index.js')).runGenerate({project: project as Project, progress, signal}),
            progress,
            runHook: (command) => runHook(command, {cwd: dir, env: projectEnv as NodeJS.ProcessEnv, signal}),
          },
        )
      })
    } catch (error) {
      progress.interrupt()
      // the error document of --json names the service and stage the deploy was for
      if (isUserError(error)) error.details = {...errorDetails(project), ...error.details}
      throw error
    }

    const document = outcomeDocument(outcome)
    if (outcome.exitCode !== ExitCode.ok) {
      const message = outcome.message ?? 'The deploy did not succeed.'
      const code = outcome.status === 'generate-failed' ? 'GENERATE_FAILED' : 'DEPLOY_FAILED'
      if (!this.jsonEnabled()) throw new UserError(message, {code, exitCode: outcome.exitCode})
      process.stderr.write(`\n${message}\n`)
      process.exitCode = outcome.exitCode
    }

    return document
  }

  /**
   * Where to deploy: the endpoint of prisma.yml (or PRISMA_MANAGEMENT_API_ENDPOINT). `--new`, or no endpoint at all,
   * is the endpoint wizard's job.
   */
  protected async resolveEndpoint(project: Project, flags: DeployFlags): Promise<ParsedEndpoint> {
    const endpoint = project.endpoint
    if (endpoint && endpoint.service && endpoint.stage && !flags.new) return endpoint
    if (this.interactive) return this.chooseEndpoint(project, flags)
    const how =
      'Add `endpoint: http://localhost:4466/<service>/<stage>` to ' +
      `${project.file}, or set PRISMA_MANAGEMENT_API_ENDPOINT` +
      (this.interactive ? ', or run `prisma deploy --new` in a terminal to choose a server.' : ' (or run `prisma deploy --new` in a terminal).')
    if (flags.new) {
      throw new UserError(`Choosing a server interactively (--new) needs a terminal. ${how}`)
    }

    if (endpoint) {
      throw new UserError(
        `The endpoint ${endpoint.url} in ${project.file} names no ${endpoint.service ? 'stage' : 'service'} ` +
          `(a trailing slash after the stage reads as an empty stage). ${how}`,
      )
    }

    throw new UserError(`No endpoint to deploy to: ${project.file} has no \`endpoint\` property. ${how}`)
  }

  /** Set when the user typed a management API secret into the endpoint wizard; never stored. */
  private wizardSecret?: string

  /**
   * The endpoint wizard: finds out what it can offer (a local server, the Prisma Cloud account), asks, then writes
   * the endpoint into prisma.yml (unless prisma.yml takes it from a variable) and deploys there.
   */
  private async chooseEndpoint(project: Project, flags: DeployFlags): Promise<ParsedEndpoint> {
    const env = project.env
    const human = flags.json ? process.stderr : process.stdout
    const note = (line: string) => human.write(`${line}\n`)
    const [wizard, {createInquirerPrompter}, probe, cloudApi, {openGlobalConfig}, {parseEndpoint}, {withInterruptSignal}] = await Promise.all([
      import('../wizard/index.js'),
      import('../wizard/inquirer-prompter.js'),
      import('../management-api/probe.js'),
      import('../cloud-api/index.js'),
      import('../global-config/index.js'),
      import('../project/index.js'),
      import('../signals.js'),
    ])
    const debug = env.DEBUG ? (line: string) => process.stderr.write(`${line}\n`) : undefined
    const probeServer = (base: string) => probe.probeServer(base, {debug})

    const home = env.HOME || homedir()
    const config = await openGlobalConfig({env, home})
    const readAccount = async (sessionKey: string | undefined) => {
      if (!sessionKey) return {loggedIn: false, workspaces: []}
      try {
        return {loggedIn: true, workspaces: (await cloudApi.fetchAccount({env, sessionKey, timeoutMs: 6000})).workspaces}
      } catch (error) {
        debug?.(`Prisma Cloud account not available: ${(error as Error).message}`)
        return {loggedIn: false, workspaces: []}
      }
    }

    const fileName = basename(project.file)
    const login = async () =>
      // no question is on screen while the browser login runs, so Ctrl-C arrives as a signal
      withInterruptSignal(`Login cancelled. ${fileName} was not changed.`, async (signal) => {
        const {browserLogin, browserMissingNote} = await import('../cloud-api/login.js')
        const token = await browserLogin({
          env,
          onBrowserMissing: () => note(browserMissingNote),
          onUrl: (url) => note(`Opening ${url} in the browser`),
          signal,
        })
        await config.setCloudSessionKey(token)
        return readAccount(token)
      })

    const localUrl = wizard.localServerUrl(env)
    const [local, cloud] = await Promise.all([probeServer(localUrl), readAccount(env.PRISMA_CLOUD_SESSION_KEY?.trim() || config.cloudSessionKey)])
    const answer = await wizard.runEndpointWizard({
      cloud,
      env,
      fileName,
      localServer: {available: local.reachable, needsAuth: local.needsAuth, url: localUrl},
      login,
      print: note,
      probeServer,
      projectDir: project.dir,
      prompter: createInquirerPrompter({output: human}),
      ...(project.endpointVariable === undefined ? {} : {endpointVariable: project.endpointVariable}),
    })
    this.wizardSecret = answer.managementSecret
    if (answer.write) {
      const {writeEndpoint} = await import('../project/endpoint-rewrite.js')
      const written = await writeEndpoint(project.file, answer.endpoint)
      note(`\n${wizard.formatEndpointWritten(answer.endpoint, written.previous, fileName)}`)
    } else {
      note(`\n${wizard.formatEndpointVariableHint(project.endpointVariable ?? '', answer.endpoint, fileName)}`)
    }

    return parseEndpoint(answer.endpoint, project.file)
  }

}

export type DeployDocument = ReturnType<typeof outcomeDocument>

function outcomeDocument(outcome: DeployOutcome) {
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
