// Parses a Prisma 1 service endpoint (`http://host:port/[workspace/]service/stage`) the way the original CLI did,
// and derives the URLs the tool talks to. Pure: no file system, no network.
import {demoServer, demoServers, isPrismaCloudHost} from '../cloud-api/hosts.js'
import {ProjectError} from '../errors.js'

export interface ParsedEndpoint {
  /** The endpoint as given (trimmed). */
  url: string
  /** URL origin (scheme, lower-cased host, non-default port); the original's `clusterBaseUrl`. */
  serverUrl: string
  /** 'default' when absent. */
  service: string
  /** 'default' when absent. */
  stage: string
  workspace: string | null
  local: boolean
  shared: boolean
  private: boolean
  clusterName: string
  /** Name sent to the Management API: `${workspace}~${service}` on the shared demo servers, else the service. */
  managementName: string
  /** `${serverUrl}/management` */
  managementUrl: string
  /** The service's data endpoint (the original's `Cluster.getApiEndpoint`). */
  httpUrl: string
  /** Same as httpUrl with ws:// or wss://. */
  wsUrl: string
}

/** Hosts of the (long gone) Prisma Cloud demo servers; endpoints there carry a workspace segment. */
export const SHARED_HOSTS: readonly string[] = Object.keys(demoServers)
const LOCAL_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', 'prisma']
const MAX_ENDPOINT_LENGTH = 2048

/**
 * Parses `endpoint`. `source` names where it came from (the prisma.yml path, or PRISMA_MANAGEMENT_API_ENDPOINT) and
 * appears in every error message.
 */
export function parseEndpoint(endpoint: string, source?: string): ParsedEndpoint {
  const where = source ? ` (from ${source})` : ''
  const example = 'e.g. http://localhost:4466/my-service/dev'
  if (typeof endpoint !== 'string') {
    throw new ProjectError(`The endpoint${where} must be a text URL, ${example}.`)
  }
  const url = endpoint.trim()
  const short = url.length > 200 ? `${url.slice(0, 200)}…` : url
  // Shown as typed when it is plain printable ASCII, quoted otherwise so odd characters stay visible.
  const shown = /^[\x21-\x7e]*$/.test(url) ? short : JSON.stringify(short)
  if (url === '') {
    throw new ProjectError(`The endpoint${where} is empty. Set it to the URL of your Prisma service, ${example}.`)
  }
  if (url.length > MAX_ENDPOINT_LENGTH) {
    throw new ProjectError(`The endpoint${where} is longer than ${MAX_ENDPOINT_LENGTH} characters; set it to the URL of your Prisma service, ${example}.`)
  }
  if (!/^https?:\/\//i.test(url)) {
    throw new ProjectError(`${shown} is not a valid endpoint. It must start with http:// or https://${where}, ${example}.`)
  }
  if (/\s/.test(url)) {
    throw new ProjectError(`The endpoint ${shown}${where} contains whitespace. Remove it, ${example}.`)
  }
  if (/[^\x21-\x7e]/.test(url)) {
    const authority = url.replace(/^https?:\/\//i, '').split(/[/?#]/)[0]
    const inHost = /[^\x21-\x7e]/.test(authority)
    throw new ProjectError(
      inHost
        ? `The endpoint ${shown}${where} has a host name with non-ASCII characters. Write the host in its ASCII (punycode, xn--…) form.`
        : `The endpoint ${shown}${where} contains non-ASCII characters. Service and stage names may only use letters, digits, '-' and '_'.`,
    )
  }

  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ProjectError(`The endpoint ${shown}${where} is not a valid URL. Check the host name and port, ${example}.`)
  }
  if (parsed.hostname === '') {
    throw new ProjectError(`The endpoint ${shown}${where} has no host name, ${example}.`)
  }

  const origin = parsed.origin
  const parts = parsed.pathname.split('/')
  const withWorkspace = parts.length > 3
  const service = withWorkspace ? parts[2] : parts[1] || 'default'
  const stage = withWorkspace ? parts[3] : parts[2] || 'default'
  let workspace: string | null = withWorkspace ? parts[1] : null

  const shared = SHARED_HOSTS.includes(parsed.host)
  const isPrivate = !shared && !LOCAL_HOSTNAMES.includes(parsed.hostname)
  const local = !shared && !isPrivate && !workspace
  if (isPrivate && !workspace) workspace = workspaceFromPrivateOrigin(origin)

  if (shared && !workspace) {
    throw new ProjectError(
      `The provided endpoint ${shown}${where} points to a demo cluster, but is missing the workspace slug. ` +
        'A valid demo endpoint looks like this: https://eu1.prisma.sh/myworkspace/service-name/stage-name',
    )
  }

  const httpUrl = apiEndpoint({serverUrl: origin, service, stage, workspace, shared, local, isPrivate})
  return {
    url,
    serverUrl: origin,
    service,
    stage,
    workspace,
    local,
    shared,
    private: isPrivate,
    clusterName: clusterName(origin),
    managementName: shared && workspace ? `${workspace}~${service}` : service,
    managementUrl: `${origin}/management`,
    httpUrl,
    wsUrl: httpUrl.replace(/^http/, 'ws'),
  }
}

function workspaceFromPrivateOrigin(origin: string): string | null {
  const split = origin.split('_')
  return split.length > 1 ? split[1].split('.')[0] : null
}

function clusterName(origin: string): string {
  // the original knew the demo servers by their https origin only
  const known = demoServer({url: origin})
  if (known?.origin === origin) return known.cluster
  if (isPrismaCloudHost(origin)) return origin.split('_')[0].replace(/^https?:\/\//, '')
  if (origin.includes('localhost') || origin.includes('127.0.0.1')) return 'local'
  return 'default'
}

/** The data endpoint of a service, with the original's rules for leaving out `default` segments. */
export function apiEndpoint(o: {
  serverUrl: string
  service: string
  stage: string
  workspace: string | null
  shared: boolean
  local: boolean
  isPrivate: boolean
}): string {
  const base = o.serverUrl.replace(/\/$/, '')
  if (!o.shared && o.service === 'default' && o.stage === 'default') return base
  if (!o.shared && o.stage === 'default') return `${base}/${o.service}`
  if (o.isPrivate || o.local) return `${base}/${o.service}/${o.stage}`
  const workspace = o.workspace ? `${o.workspace}/` : ''
  return `${base}/${workspace}${o.service}/${o.stage}`
}
