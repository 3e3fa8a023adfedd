/**
 * Which credential signs the Management API token, in one documented order:
 *
 * 1. PRISMA_MANAGEMENT_API_SECRET (environment or env file), used exactly as given (not trimmed): HS256. It always
 *    wins. Set but empty (or only whitespace) is an error rather than a silent "no token".
 * 2. The legacy private key (`clusterSecret`) of the cluster in ~/.prisma/config.yml whose `host` is the
 *    endpoint's server: RS256.
 * 3. Prisma Cloud servers only (host `prisma.sh` or under it): the cloud session key (PRISMA_CLOUD_SESSION_KEY, else
 *    the stored `cloudSessionKey`) asks the cloud API for a cluster token. A self-hosted server is never sent there.
 * 4. Otherwise no token: servers started without a secret need none.
 *
 * The caller's `debug` callback (DEBUG set) learns which credential and algorithm were used, never a value.
 */
import {existsSync} from 'node:fs'

import {isPrismaCloudHost} from '../cloud-api/hosts.js'
import {CredentialError, InContextError, UserError} from '../errors.js'
import {globalConfigPath, openGlobalConfig, type GlobalConfig} from '../global-config/index.js'
import {managementSecretAdvice, managementSecretVariable as secretVariable, secretInstead} from '../messages.js'
import {decodeJwtUnverified, signManagementToken, UnusableKeyError, type Grant, type ManagementClaims} from '../tokens/index.js'

export {isPrismaCloudHost} from '../cloud-api/hosts.js'

type Env = Record<string, string | undefined>

/** The parts of a parsed endpoint (src/project's ParsedEndpoint) that choosing a credential needs. */
export interface EndpointForAuth {
  serverUrl: string
  service: string
  stage: string
  workspace?: string | null
  clusterName?: string
}

export type ManagementCredentialSource = 'env-secret' | 'legacy-cluster-key' | 'cloud-session' | 'none'

export interface ManagementAuth {
  /** The bearer token, or undefined when no credential applies. */
  token?: string
  /** What was used, e.g. `HS256 with PRISMA_MANAGEMENT_API_SECRET`; never a secret's value. */
  description: string
  /** Without a credential: why none applies, e.g. `PRISMA_MANAGEMENT_API_SECRET is not set and no endpoint is known`. */
  reason?: string
  source: ManagementCredentialSource
  algorithm?: 'HS256' | 'RS256'
  /** What the token grants and when it ends: as signed here, or as read from a cloud token. */
  claims?: Partial<ManagementClaims>
  /** Name of the legacy cluster whose key signed the token. */
  cluster?: string
}

/** The explicit secret, or undefined when the variable is unset; an empty value is a UserError. */
export function explicitSecret(env: Env): string | undefined {
  const value = env[secretVariable]
  if (value === undefined) return undefined
  if (value.trim() === '') {
    throw new CredentialError(`${secretVariable} is set but empty. ${managementSecretAdvice}, or unset it for a server without a secret.`)
  }

  // A secret may hold spaces (a YAML value in the server's PRISMA_CONFIG can), but not a line break or a space at
  // either end, which a plain YAML value cannot have: those come from a copied file or a quoted shell variable.
  if (/[\r\n]/.test(value) || /^\s|\s$/.test(value)) {
    const what = /[\r\n]/.test(value) ? 'a line break' : 'a space or tab at its start or end'
    throw new CredentialError(
      `${secretVariable} contains ${what}, which the managementApiSecret in a Prisma server's configuration cannot ` +
        `have. Set it to the secret exactly as your server has it (e.g. export ${secretVariable}="$(tr -d '\\r\\n' < secret.txt)").`,
    )
  }

  return value
}

/** PRISMA_CLOUD_SESSION_KEY (trimmed), or undefined when unset or blank; whitespace inside is a UserError. */
export function sessionKeyFromEnv(env: Env): string | undefined {
  const value = env.PRISMA_CLOUD_SESSION_KEY?.trim()
  if (!value) return undefined
  if (/\s/.test(value)) {
    throw new CredentialError(
      'PRISMA_CLOUD_SESSION_KEY contains a line break or space inside; a Prisma Cloud session key has none. Set it to the key as one line.',
    )
  }

  return value
}

function sameServer(host: string, serverUrl: string): boolean {
  const normalise = (value: string): string | undefined => {
    try {
      const url = new URL(value.trim())
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase()
    } catch {
      return undefined
    }
  }

  const a = normalise(host)
  return a !== undefined && a === normalise(serverUrl)
}

export interface ManagementAuthOptions {
  /** The merged environment (process environment, .env or --env-file). */
  env: Env
  endpoint?: EndpointForAuth
  /** The user's home folder, for ~/.prisma/config.yml. */
  home: string
  grants?: Grant[]
  expiresInSeconds?: number
  now?: number
  /** Learns which credential was chosen (for DEBUG); never a value. */
  debug?: (line: string) => void
}

export async function resolveManagementAuth(o: ManagementAuthOptions): Promise<ManagementAuth> {
  const auth = await choose(o)
  o.debug?.(`management token: ${auth.description}`)
  return auth
}

function none(reason: string): ManagementAuth {
  return {description: `no credential (${reason})`, reason, source: 'none'}
}

async function choose(o: ManagementAuthOptions): Promise<ManagementAuth> {
  const signOptions = {expiresInSeconds: o.expiresInSeconds, grants: o.grants, now: o.now}
  const secret = explicitSecret(o.env)
  if (secret !== undefined) {
    const signed = signManagementToken({algorithm: 'HS256', secret}, signOptions)
    return {...signed, description: `HS256 with ${secretVariable}`, source: 'env-secret'}
  }

  if (!o.endpoint) return none(`${secretVariable} is not set and no endpoint is known`)

  // Without a config.yml there is neither a legacy key nor a stored session; conf is not even loaded then.
  const file = globalConfigPath(o.home)
  const config: Pick<GlobalConfig, 'cloudSessionKey' | 'clusters' | 'file'> = existsSync(file)
    ? await openGlobalConfig({env: o.env, home: o.home})
    : {clusters: {}, file}
  // A key that cannot sign is passed over, not an error: Prisma 1.34 no longer read `clusters:` at all, and a server
  // that needs no credential must stay reachable with an old config.yml. Why it was passed over goes into the
  // reason, which an authentication failure then names.
  let unusableKey: string | undefined
  for (const [name, cluster] of Object.entries(config.clusters)) {
    if (!cluster.clusterSecret || !cluster.host || !sameServer(cluster.host, o.endpoint.serverUrl)) continue
    try {
      const signed = signManagementToken({algorithm: 'RS256', cluster: name, privateKey: cluster.clusterSecret}, signOptions)
      return {
        ...signed,
        cluster: name,
        description: `RS256 with the clusterSecret of cluster "${name}" in ${config.file}`,
        source: 'legacy-cluster-key',
      }
    } catch (error) {
      if (!(error instanceof UnusableKeyError)) throw error
      unusableKey = error.problem
      o.debug?.(`management token: ${unusableKey}; passed over`)
    }
  }

  if (!isPrismaCloudHost(o.endpoint.serverUrl)) {
    return none(`${secretVariable} is not set and ${unusableKey ?? `no legacy key matches ${o.endpoint.serverUrl}`}`)
  }

  const fromEnv = sessionKeyFromEnv(o.env)
  const sessionKey = fromEnv || config.cloudSessionKey
  if (!sessionKey) return none('Prisma Cloud server, but not logged in')
  const {generateClusterToken} = await import('../cloud-api/index.js')
  const clusterName = o.endpoint.clusterName ?? new URL(o.endpoint.serverUrl).hostname.split('.')[0]
  let token: string
  try {
    token = await generateClusterToken({
      clusterName,
      env: o.env,
      serviceName: o.endpoint.service,
      sessionKey,
      stageName: o.endpoint.stage,
      workspaceSlug: o.endpoint.workspace ?? null,
    })
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    throw new InContextError(
      `Could not get a cluster token for ${o.endpoint.serverUrl} from Prisma Cloud: ${error.message.trimEnd()} ` +
        `If the server has a management secret, ${secretInstead}; it is used before the cloud session.`,
      error,
    )
  }

  // Prisma Cloud signed this one: what it grants can only be read from the token itself
  const decoded = decodeJwtUnverified(token)
  const alg = decoded?.header.alg
  const {grants, iat, exp} = decoded?.payload ?? {}
  return {
    algorithm: alg === 'HS256' || alg === 'RS256' ? alg : undefined,
    claims: {
      ...(Array.isArray(grants) ? {grants: grants as Grant[]} : {}),
      ...(typeof iat === 'number' ? {iat} : {}),
      ...(typeof exp === 'number' ? {exp} : {}),
    },
    description: `a Prisma Cloud cluster token (session key from ${fromEnv ? 'PRISMA_CLOUD_SESSION_KEY' : config.file})`,
    source: 'cloud-session',
    token,
  }
}
