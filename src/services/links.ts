/**
 * `prisma admin` and `prisma playground`: the addresses of the service's Prisma Admin (servers 1.29 and later) and
 * GraphQL Playground, both served by the Prisma server itself. Prisma Admin takes a service token in its address when
 * the service has a secret; that address is only for the browser and never shown.
 */
import {FailedError} from '../errors.js'
import {supportsPrismaAdmin} from '../management-api/features.js'
import {loadServiceContext, openPublicClient, type ServiceContextOptions} from './session.js'
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

export async function serviceLink(o: ServiceContextOptions & {page: ServicePage; now?: number}): Promise<ServiceLink> {
  const context = await loadServiceContext(o)
  const {endpoint} = context
  const secret = context.project?.secrets[0]
  const base = {secured: secret !== undefined, service: endpoint.service, stage: endpoint.stage}
  if (o.page === 'playground') return {...base, browserUrl: endpoint.httpUrl, url: endpoint.httpUrl}

  const version = await openPublicClient(context).serverVersion()
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
