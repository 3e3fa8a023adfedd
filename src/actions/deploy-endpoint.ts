/**
 * Where `prisma deploy` deploys to: prisma.yml's endpoint (or PRISMA_MANAGEMENT_API_ENDPOINT), or, with `--new` or
 * without an endpoint, the endpoint wizard: this action finds out what it can offer (a local server, the Prisma
 * Cloud account), lets the wizard ask through the injected prompter, writes the chosen endpoint into prisma.yml
 * (unless prisma.yml takes it from a variable) and returns it. Without a terminal it never asks: the error names what
 * to add instead.
 */
import {basename} from 'node:path'

import {NeedsTerminalError, ProjectError} from '../errors.js'
import {openGlobalConfig} from '../global-config/index.js'
import {endpointAdvice} from '../messages.js'
import {missingEndpoint, type Project} from '../project/index.js'
import type {CloudState} from '../wizard/endpoint-wizard.js'
import type {Prompter} from '../wizard/prompter.js'
import type {Io} from './io.js'
import type {ChosenEndpoint} from './stage.js'

export interface DeployEndpointOptions {
  project: Pick<Project, 'dir' | 'endpoint' | 'endpointVariable' | 'env' | 'file'>
  /** `--new`: choose even when prisma.yml has an endpoint. */
  chooseNew: boolean
  /** The user's home folder, for ~/.prisma/config.yml. */
  home: string
}

/** The endpoint the wizard chose, or undefined to deploy to prisma.yml's own. */
export async function chooseDeployEndpoint(o: DeployEndpointOptions, io: Io): Promise<ChosenEndpoint | undefined> {
  const {endpoint, file} = o.project
  if (endpoint && endpoint.service && endpoint.stage && !o.chooseNew) return undefined
  if (io.prompter) return chooseEndpoint(o, io, io.prompter)
  const instead = 'or run `prisma deploy --new` in a terminal'
  const how = `${endpointAdvice(file)} (${instead}).`
  if (o.chooseNew) {
    throw new NeedsTerminalError(`Choosing a server interactively (--new) needs a terminal. ${how}`)
  }

  if (endpoint) {
    throw new ProjectError(
      `The endpoint ${endpoint.url} in ${file} names no ${endpoint.service ? 'stage' : 'service'} ` +
        `(a trailing slash after the stage reads as an empty stage). ${how}`,
      {},
    )
  }

  throw missingEndpoint(file)
}

async function chooseEndpoint(o: DeployEndpointOptions, io: Io, prompter: Prompter): Promise<ChosenEndpoint> {
  const {env} = o.project
  const note = io.notice
  const [wizard, probe, cloudApi, {parseEndpoint}, {withInterruptSignal}] = await Promise.all([
    import('../wizard/index.js'),
    import('../management-api/probe.js'),
    import('../cloud-api/index.js'),
    import('../project/index.js'),
    import('../signals.js'),
  ])
  const probeServer = (base: string) => probe.probeServer(base, {debug: io.debug, env})
  const config = await openGlobalConfig({env, home: o.home})
  const readAccount = async (sessionKey: string | undefined, timeoutMs = 6000): Promise<CloudState> => {
    if (!sessionKey) return {loggedIn: false, workspaces: []}
    try {
      return {loggedIn: true, workspaces: (await cloudApi.fetchAccount({env, sessionKey, timeoutMs})).workspaces}
    } catch (error) {
      io.debug?.(`Prisma Cloud account not available: ${(error as Error).message}`)
      return {loggedIn: false, workspaces: []}
    }
  }

  const fileName = basename(o.project.file)
  const login = async () =>
    // no question is on screen while the browser login runs, so Ctrl-C arrives as a signal
    withInterruptSignal(`Login cancelled. ${fileName} was not changed.`, async (signal) => {
      const [{browserMissingNote}, {browserLogInAndStore}] = await Promise.all([import('../cloud-api/login.js'), import('../cloud-api/session.js')])
      const token = await browserLogInAndStore({
        config,
        env,
        onBrowserMissing: () => note(browserMissingNote),
        onUrl: (url) => note(`Opening ${url} in the browser`),
        signal,
      })
      return readAccount(token)
    })

  const localUrl = wizard.localServerUrl(env)
  // the first question waits for these three together: the cloud's two at most cloudProbeTimeoutMs (1 s)
  const cloudUrl = cloudApi.cloudApiUrl(env)
  const [local, cloud, cloudAnswer] = await Promise.all([
    probeServer(localUrl),
    readAccount(env.PRISMA_CLOUD_SESSION_KEY?.trim() || config.cloudSessionKey, probe.cloudProbeTimeoutMs),
    probe.probeCloudApi(cloudUrl, {debug: io.debug, env}),
  ])
  const answer = await wizard.runEndpointWizard({
    cloud,
    cloudApi: {answered: cloudAnswer.answered, url: cloudUrl},
    env,
    fileName,
    localServer: {available: local.reachable, needsAuth: local.needsAuth, url: localUrl},
    login,
    print: note,
    probeServer,
    projectDir: o.project.dir,
    prompter,
    ...(o.project.endpointVariable === undefined ? {} : {endpointVariable: o.project.endpointVariable}),
  })
  if (answer.write) {
    const {writeEndpoint} = await import('../project/endpoint-rewrite.js')
    const written = await writeEndpoint(o.project.file, answer.endpoint)
    note(`\n${wizard.formatEndpointWritten(answer.endpoint, written.previous, fileName)}`)
  } else {
    note(`\n${wizard.formatEndpointVariableHint(o.project.endpointVariable ?? '', answer.endpoint, fileName)}`)
  }

  return {
    endpoint: parseEndpoint(answer.endpoint, o.project.file),
    ...(answer.managementSecret === undefined ? {} : {managementSecret: answer.managementSecret}),
  }
}
