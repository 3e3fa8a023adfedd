/**
 * The questions `prisma deploy` asks when prisma.yml has no endpoint (or with --new): which server, then service and
 * stage. It returns the answers; it never talks to a server itself. The caller passes what it found out beforehand
 * (is a local server running, the Prisma Cloud account) and callbacks for what can only be known after an answer
 * (probing an entered server, logging in).
 */
import {demoServer, demoServers} from '../cloud-api/hosts.js'
import type {CloudCluster, CloudWorkspace} from '../cloud-api/index.js'
import {FailedError, InterruptedError} from '../errors.js'
import {apiEndpoint} from '../project/endpoint.js'
import {defaultServiceName, validateName} from './names.js'
import type {Prompter, SelectChoice, SelectSeparator} from './prompter.js'

export const defaultLocalServerUrl = 'http://localhost:4466'

/** The local server's address: PRISMA_LOCAL_SERVER_URL when set (tests point it at a stand-in), else port 4466. */
export function localServerUrl(env: Record<string, string | undefined>): string {
  const fromEnv = env.PRISMA_LOCAL_SERVER_URL?.trim()
  return fromEnv ? fromEnv.replace(/\/+$/, '') : defaultLocalServerUrl
}

/** Whether the user is logged in to Prisma Cloud, and the workspaces (with their servers) the account sees. */
export interface CloudState {
  loggedIn: boolean
  workspaces: CloudWorkspace[]
}

export interface ServerProbe {
  /** The server answered `serverInfo`. */
  reachable: boolean
  /** The server refuses unauthenticated management requests. */
  needsAuth: boolean
  /** Why it could not be reached, for the user. */
  error?: string
}

export interface EndpointWizardOptions {
  prompter: Prompter
  /** The folder of prisma.yml; the default service name comes from it. */
  projectDir: string
  /** The file name shown in messages. */
  fileName?: string
  /**
   * Whether a server answered at the local address (probed by the caller), that address, and whether it refuses
   * unauthenticated management requests.
   */
  localServer: {available: boolean; url?: string; needsAuth?: boolean}
  /** Probes an entered server (base URL, no path). Must not throw. */
  probeServer(url: string): Promise<ServerProbe>
  cloud: CloudState
  /**
   * Whether the Prisma Cloud API answered its probe (probed by the caller, at `url`): only then are the demo
   * servers and the workspaces' servers offered.
   */
  cloudApi: {answered: boolean; url: string}
  /** Runs the Prisma Cloud login and returns the account afterwards. */
  login(): Promise<CloudState>
  env: Record<string, string | undefined>
  /** The raw text of prisma.yml's endpoint when it is a variable such as `${env:PRISMA_ENDPOINT}`. */
  endpointVariable?: string
  /** Writes a line for the user (stderr or stdout, the caller decides). */
  print?(message: string): void
}

export type ServerKind = 'cloud' | 'demo' | 'local' | 'other'

export interface EndpointWizardResult {
  endpoint: string
  /** Entered by the user for this deploy only; never written anywhere. */
  managementSecret?: string
  /** False when prisma.yml takes its endpoint from a variable and must not be overwritten with a literal. */
  write: boolean
  kind: ServerKind
  service: string
  stage: string
  workspace?: string
  /** The account after a login the wizard started, so the caller can use the new session. */
  cloud: CloudState
}

function isDemoCluster(cluster: CloudCluster): boolean {
  return demoServer({name: cluster.name, url: cluster.endpoint}) !== undefined
}

function originOf(endpoint: string): string | undefined {
  try {
    const url = new URL(endpoint)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined
  } catch {
    return undefined
  }
}

/**
 * The service's address on a server (the original's `getApiEndpoint`): demo servers always carry the workspace;
 * elsewhere `default` service and stage segments are left out as the server fills them in.
 */
export function serviceEndpoint(base: string, service: string, stage: string, workspace?: string): string {
  const shared = workspace !== undefined
  return apiEndpoint({isPrivate: false, local: !shared, serverUrl: base, service, shared, stage, workspace: workspace ?? null})
}

/** Lines of a list in the original's style: the names padded to one column, then a description. */
function padded<T>(rows: Array<{value: T; name: string; description: string}>): Array<SelectChoice<T>> {
  const width = Math.max(...rows.map((row) => row.name.length)) + 3
  return rows.map((row) => ({value: row.value, name: row.name.padEnd(width) + row.description, short: row.name}))
}

type Target =
  | {kind: 'cloud'; base: string; workspace: string; cluster: string}
  | {kind: 'demo'}
  | {kind: 'local'; base: string}
  | {kind: 'other'}

const otherServerMessage = 'Enter the endpoint of your Prisma server'

/**
 * Checks an entered server address: http(s), no credentials, query or fragment, and no service/stage path (those are
 * asked next). Returns the base URL or the reason.
 */
export function parseServerAddress(value: string): {base: string} | {error: string} {
  const trimmed = value.trim()
  if (trimmed === '') return {error: 'Enter the address of a running Prisma server, e.g. http://localhost:4466'}
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    return {error: `\`${trimmed}\` is not a URL. Enter the server's address, e.g. http://localhost:4466`}
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {error: `The address must start with http:// or https:// (got \`${url.protocol}\`).`}
  }

  if (url.username || url.password) return {error: 'Leave user name and password out of the address.'}
  if (url.search || url.hash) return {error: 'Leave query and fragment out of the address.'}
  const path = url.pathname.replace(/\/+$/, '')
  if (path !== '' && path !== '/management') {
    return {
      error:
        `Enter only the server's address, without service and stage (e.g. ${url.origin}); ` +
        'the service and stage names are asked next.',
    }
  }

  return {base: url.origin}
}

export async function runEndpointWizard(options: EndpointWizardOptions): Promise<EndpointWizardResult> {
  const fileName = options.fileName ?? 'prisma.yml'
  try {
    return await ask(options)
  } catch (error) {
    if (error instanceof InterruptedError) {
      throw new InterruptedError(`Cancelled. ${fileName} was not changed.`)
    }

    throw error
  }
}

async function ask(options: EndpointWizardOptions): Promise<EndpointWizardResult> {
  const {prompter} = options
  let cloud = options.cloud
  const localUrl = options.localServer.url ?? localServerUrl(options.env)

  // a server that answered first, then one to enter; Prisma Cloud's only when its API answered (its demo servers and
  // Prisma 1 hosting are shut down, and a login to a dead service would only wait)
  const rows: Array<{value: Target; name: string; description: string}> = []
  if (options.localServer.available) {
    rows.push({value: {kind: 'local', base: localUrl}, name: 'Local Prisma server', description: `Running at ${localUrl}`})
  }

  rows.push({value: {kind: 'other'}, name: 'Use other server', description: 'Manually provide endpoint of a running Prisma server'})
  const preselected = rows[0].value

  if (options.cloudApi.answered) {
    if (cloud.loggedIn) {
      for (const workspace of cloud.workspaces) {
        for (const cluster of workspace.clusters) {
          const base = originOf(cluster.endpoint)
          if (isDemoCluster(cluster) || !base) continue
          rows.push({
            value: {kind: 'cloud', base, workspace: workspace.slug, cluster: cluster.name},
            name: `${workspace.slug}/${cluster.name}`,
            description: 'Production Prisma cluster',
          })
        }
      }
    }

    rows.push({
      value: {kind: 'demo'},
      name: 'Demo server + MySQL database',
      description: `Free development environment hosted in Prisma Cloud${cloud.loggedIn ? '' : ' (requires login)'}`,
    })
  }

  const choices: Array<SelectChoice<Target> | SelectSeparator> = [
    {separator: ' '},
    {separator: 'Deploy to an existing Prisma server:'},
    ...padded(rows),
  ]
  if (!options.cloudApi.answered) {
    choices.push({
      value: {kind: 'demo'},
      name: 'Prisma Cloud',
      short: 'Prisma Cloud',
      disabled: `(its API at ${options.cloudApi.url} does not answer: no demo servers or workspaces)`,
    })
  }

  const target = await prompter.select<Target>({
    message: 'Set up a new Prisma server or deploy to an existing server?',
    choices,
    default: preselected,
  })

  let base: string
  let workspace: string | undefined
  let managementSecret: string | undefined
  const askSecret = async () =>
    prompter.password({
      message: 'Enter the management API secret',
      validate: (value) => (value === '' ? 'The server needs its management API secret to accept a deploy.' : true),
    })
  const secretSet = options.env.PRISMA_MANAGEMENT_API_SECRET !== undefined

  switch (target.kind) {
    case 'local': {
      base = target.base
      if (options.localServer.needsAuth && !secretSet) managementSecret = await askSecret()
      break
    }

    case 'cloud': {
      base = target.base
      break
    }

    case 'other': {
      let probe: ServerProbe | undefined
      const entered = await prompter.input({
        message: otherServerMessage,
        async validate(value) {
          const parsed = parseServerAddress(value)
          if ('error' in parsed) return parsed.error
          probe = await options.probeServer(parsed.base)
          if (!probe.reachable) {
            return `No Prisma server answers at ${parsed.base}${probe.error ? ` (${probe.error})` : ''}. Enter another endpoint.`
          }

          return true
        },
      })
      const parsed = parseServerAddress(entered)
      if ('error' in parsed) throw new Error(`an endpoint passed validation but does not parse: ${parsed.error}`)
      base = parsed.base
      probe ??= await options.probeServer(base)
      if (probe.needsAuth && !secretSet) managementSecret = await askSecret()

      break
    }

    case 'demo': {
      if (!cloud.loggedIn) {
        options.print?.('The demo servers need a Prisma Cloud account; logging in.')
        cloud = await options.login()
      }

      const demo = await chooseDemoServer(prompter, cloud)
      base = demo.base
      workspace = demo.workspace
      break
    }
  }

  const fallback = defaultServiceName(options.projectDir)
  const service = await prompter.input({
    message: 'Choose a name for your service',
    ...(fallback ? {default: fallback} : {}),
    validate: (value) => validateName('service', value),
  })
  const stage = await prompter.input({
    message: 'Choose a name for your stage',
    default: 'dev',
    validate: (value) => validateName('stage', value),
  })

  return {
    endpoint: serviceEndpoint(base, service, stage, workspace),
    ...(managementSecret === undefined ? {} : {managementSecret}),
    write: options.endpointVariable === undefined,
    kind: target.kind,
    service,
    stage,
    ...(workspace === undefined ? {} : {workspace}),
    cloud,
  }
}

async function chooseDemoServer(prompter: Prompter, cloud: CloudState): Promise<{base: string; workspace: string}> {
  if (cloud.workspaces.length === 0) {
    throw new FailedError(
      'Your Prisma Cloud account has no workspace, and the demo servers need one. ' +
        'Create a workspace at https://app.prisma.io, or choose another server.',
    )
  }

  const rows: Array<{value: {base: string; workspace: string}; name: string; description: string}> = []
  for (const workspace of cloud.workspaces) {
    const listed = workspace.clusters.filter((cluster) => isDemoCluster(cluster))
    // accounts that do not list the demo clusters can still use them in their workspace
    const clusters = listed.length > 0 ? listed : Object.values(demoServers).map((demo) => ({endpoint: demo.origin, name: demo.cluster}))
    for (const cluster of clusters) {
      const known = demoServer({name: cluster.name, url: cluster.endpoint})
      const base = originOf(cluster.endpoint) ?? known?.origin
      if (!base) continue
      const region = known?.region ?? new URL(base).host
      rows.push({
        value: {base, workspace: workspace.slug},
        name: `${workspace.slug}/${known?.display ?? cluster.name}`,
        description: `Hosted on AWS in ${region} using MySQL`,
      })
    }
  }

  return prompter.select({message: 'Choose the region of your demo server', choices: padded(rows)})
}
