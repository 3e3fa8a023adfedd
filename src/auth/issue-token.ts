/**
 * The token commands' one domain call each: `cluster-token` (a Management API token from the first credential that
 * applies) and `token` (a service token from prisma.yml's secret). Each returns the token document; the token
 * leaves the tool through the caller (stdout) or, with `copy`, through the clipboard, and is then not in the
 * document.
 */
import {CredentialError, FailedError, UsageError} from '../errors.js'
import {userHome} from '../global-config/index.js'
import {managementSecretAdvice} from '../messages.js'
import {missingEndpoint} from '../project/index.js'
import {checkGrantTarget, defaultServiceTokenSeconds, signServiceToken, type Grant} from '../tokens/index.js'
import {readClusterTokenContext, readServiceTokenContext, type ContextOptions} from './context.js'
import {isPrismaCloudHost, resolveManagementAuth} from './management-token.js'

type Env = Record<string, string | undefined>

/** How a token was delivered: in the document (`token`) or to the clipboard (`copied`). */
type Delivered = {token: string; copied?: never} | {copied: true; token?: never}

/** `prisma cluster-token --json`. */
export type ClusterTokenDocument = Delivered & {
  /** HS256 or RS256; null when Prisma Cloud's token does not say. */
  algorithm: string | null
  /** Which credential signed it, in words (never a value). */
  credential: string
  grants: Grant[] | null
  issuedAt: string | null
  expiresAt: string | null
  expiresInSeconds: number | null
  iat: number | null
  exp: number | null
}

/** `prisma token --json`. */
export type ServiceTokenDocument = Delivered & {
  algorithm: 'HS256'
  /** `<service>@<stage>` */
  service: string
  issuedAt: string
  expiresAt: string
  expiresInSeconds: number
}

export interface Issued<Document> {
  document: Document
  /** Things the user should know (stderr); never part of the document. */
  notices: string[]
}

interface DeliveryOptions {
  /** Copy the token to the clipboard instead of returning it. */
  copy?: boolean
}

export interface ClusterTokenOptions extends ContextOptions, DeliveryOptions {
  /** `--target` and `--action`. */
  target?: string
  action?: string
  expiresInMs?: number
}

export async function issueClusterToken(o: ClusterTokenOptions): Promise<Issued<ClusterTokenDocument>> {
  if (o.action !== undefined && o.action.trim() === '') throw new UsageError('--action must not be empty; use * for every action.')
  const grants = o.target === undefined ? undefined : [{action: o.action?.trim() || '*', target: checkGrantTarget(o.target.trim())}]
  const expiresInSeconds = o.expiresInMs === undefined ? undefined : Math.ceil(o.expiresInMs / 1000)
  const found = await readClusterTokenContext(o)
  const auth = await resolveManagementAuth({debug: o.debug, endpoint: found.endpoint, env: found.env, expiresInSeconds, grants, home: userHome(o.env)})
  if (!auth.token) {
    const cloud = found.endpoint && isPrismaCloudHost(found.endpoint.serverUrl)
    throw new CredentialError(
      `Cannot create a Management API token: ${auth.reason}. ${managementSecretAdvice}` +
        (cloud ? '; for a Prisma Cloud server, run prisma login first.' : '.'),
      {},
    )
  }

  const notices: string[] = []
  if (auth.source === 'cloud-session' && (grants || expiresInSeconds !== undefined)) {
    notices.push('Prisma Cloud decides the grants and lifetime of its cluster tokens; --target, --action and --expires-in were not applied.')
  }

  const {iat, exp} = auth.claims ?? {}
  const delivered = await deliver(auth.token, o, found.env, notices)
  return {
    document: {
      ...delivered,
      algorithm: auth.algorithm ?? null,
      credential: auth.description,
      grants: auth.claims?.grants ?? null,
      issuedAt: iat === undefined ? null : isoTime(iat),
      expiresAt: exp === undefined ? null : isoTime(exp),
      expiresInSeconds: exp !== undefined && iat !== undefined ? exp - iat : null,
      iat: iat ?? null,
      exp: exp ?? null,
    },
    notices,
  }
}

export interface ServiceTokenOptions extends ContextOptions, DeliveryOptions {
  expiresInMs?: number
}

export async function issueServiceToken(o: ServiceTokenOptions): Promise<Issued<ServiceTokenDocument>> {
  const found = await readServiceTokenContext(o)
  const secret = found.secrets.find((value) => value.length > 0)
  if (!secret) {
    throw new CredentialError(
      `There is no secret set in ${found.file}, so there is no service token to make: the service's API is open ` +
        'to everyone. To protect it, add a line `secret: <a long random value>` (or `secret: ${env:PRISMA_SECRET}`) ' +
        'to prisma.yml, run prisma deploy, and then prisma token.',
      {},
    )
  }

  if (!found.endpoint) {
    throw missingEndpoint(found.file)
  }

  const {service, stage} = found.endpoint
  const expiresInSeconds = o.expiresInMs === undefined ? defaultServiceTokenSeconds : Math.ceil(o.expiresInMs / 1000)
  const signed = signServiceToken({expiresInSeconds, secret, service, stage})
  const notices: string[] = []
  const delivered = await deliver(signed.token, o, found.env, notices)
  return {
    document: {
      ...delivered,
      algorithm: signed.algorithm,
      expiresAt: isoTime(signed.claims.exp),
      expiresInSeconds: signed.claims.exp - signed.claims.iat,
      issuedAt: isoTime(signed.claims.iat),
      service: signed.claims.data.service,
    },
    notices,
  }
}

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}

async function deliver(token: string, o: DeliveryOptions, env: Env, notices: string[]): Promise<Delivered> {
  if (o.copy) {
    const {copyToClipboard} = await import('../tokens/clipboard.js')
    await copyToClipboard(token, {env})
    notices.push('Token copied to clipboard')
    return {copied: true}
  }

  // the token is printed as exactly one line
  if (/[\r\n]/.test(token)) throw new FailedError('The token contains a line break; refusing to print it as one line.')
  return {token}
}
