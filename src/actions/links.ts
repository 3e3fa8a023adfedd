/**
 * `prisma admin` and `prisma playground`: the addresses of the service's Prisma Admin (servers 1.29 and later) and
 * GraphQL Playground, both served by the Prisma server itself. Prisma Admin takes a service token in its address when
 * the service has a secret; that address is only for the browser and never shown.
 */
import {FailedError} from '../errors.js'
import {supportsPrismaAdmin} from '../management-api/features.js'
import {openStage, type StageOptions} from './stage.js'
import {signServiceToken} from '../tokens/index.js'

/** Lifetime of the service token in a Prisma Admin address: it may end up in the browser's history. */
export const adminTokenSeconds = 24 * 60 * 60

export type ServicePage = 'admin' | 'playground'

export interface ServiceLink {
  service: string
  stage: string
  /** The address to show (no token in it). */
  url: string
  /** The address to open: for Prisma Admin of a service with a secret, with `?token=<service token>`. */
  browserUrl: string
  /** Whether the service has a secret (Prisma Admin then gets a token; the Playground needs an Authorization header). */
  secured: boolean
  /** The server's version (asked for Prisma Admin only). */
  version?: string
}

export interface LinkResult {
  page: ServicePage
  service: string
  stage: string
  /** The address (for Prisma Admin without the token the browser gets). */
  url: string
  /** Whether a browser was started. */
  opened: boolean
  /** Whether the service has a secret (Prisma Admin then got a service token in its address). */
  secured: boolean
  /** The server's version (Prisma Admin only). */
  version?: string
}

export type LinkOptions = StageOptions & {
  page: ServicePage
  /** Whether a browser may be started (a terminal only). */
  openBrowser: boolean
  now?: number
}

/** `prisma admin` and `prisma playground`: the page's address and, when allowed, a browser showing it. */
export async function openServicePage(o: LinkOptions): Promise<LinkResult> {
  const link = await serviceLink(o)
  const {openBrowser} = await import('../cloud-api/browser.js')
  const opened = o.openBrowser && (await openBrowser(link.browserUrl, {env: o.env}))
  return {
    opened,
    page: o.page,
    secured: link.secured,
    service: link.service,
    stage: link.stage,
    url: link.url,
    ...(link.version === undefined ? {} : {version: link.version}),
  }
}

export async function serviceLink(o: StageOptions & {page: ServicePage; now?: number}): Promise<ServiceLink> {
  const stage = await openStage(o)
  const {endpoint} = stage
  const secret = stage.project?.secrets[0]
  const base = {secured: secret !== undefined, service: endpoint.service, stage: endpoint.stage}
  if (o.page === 'playground') return {...base, browserUrl: endpoint.httpUrl, url: endpoint.httpUrl}

  const version = await stage.publicClient().serverVersion()
  if (!supportsPrismaAdmin(version)) {
    throw new FailedError(
      `Your Prisma server at ${endpoint.url} doesn't support Prisma Admin yet. Prisma Admin is supported from Prisma 1.29 ` +
        `and higher. Your Prisma server currently uses Prisma ${version ?? '(unknown version)'}.\n\n\nPlease upgrade your Prisma server to use Prisma Admin.`,
    )
  }

  const url = `${endpoint.httpUrl}/_admin`
  const token =
    secret === undefined
      ? undefined
      : signServiceToken({expiresInSeconds: adminTokenSeconds, now: o.now, secret, service: endpoint.service, stage: endpoint.stage}).token
  return {...base, browserUrl: token === undefined ? url : `${url}?token=${token}`, url, version}
}
