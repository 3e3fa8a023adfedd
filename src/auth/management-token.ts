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
 * With DEBUG set, one line on stderr says which credential and algorithm were used, never a value.
 */
import {existsSync} from 'node:fs'

import {UserError} from '../errors.js'
import {globalConfigPath, openGlobalConfig, type GlobalConfig} from '../global-config/index.js'
import {signManagementToken, type Grant} from '../tokens/index.js'

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
  source: ManagementCredentialSource
  algorithm?: 'HS256' | 'RS256'
  /** For a locally signed token: its grants and lifetime. */
  grants?: Grant[]
  expiresInSeconds?: number
  issuedAt?: number
  /** Name of the legacy cluster whose key signed the token. */
  cluster?: string
}

export const secretVariable = 'PRISMA_MANAGEMENT_API_SECRET'

/** The explicit secret, or undefined when the variable is unset; an empty value is a UserError. */
export function explicitSecret(env: Env): string | undefined {
  const value = env[secretVariable]
  if (value === undefined) return undefined
  if (value.trim() === '') {
    throw new UserError(
      `${secretVariable} is set but empty. Set it to the managementApiSecret of your Prisma server ` +
        `(export ${secretVariable}=… or a line in .env), or unset it for a server without a secret.`,
    )
  }

  if (/\s/.test(value)) {
    const what = /[\r\n]/.test(value) ? 'a line break' : /^\s|\s$/.test(value) ? 'a leading or trailing space' : 'a space or tab'
    throw new UserError(
      `${secretVariable} contains ${what}, which no Prisma server secret has. Set it to the managementApiSecret ` +
        'exactly as your server has it, without line breaks or spaces (e.g. export PRISMA_MANAGEMENT_API_SECRET=$(tr -d "[:space:]" < secret.txt)).',
    )
  }

  return value
}

/** PRISMA_CLOUD_SESSION_KEY (trimmed), or undefined when unset or blank; whitespace inside is a UserError. */
export function sessionKeyFromEnv(env: Env): string | undefined {
  const value = env.PRISMA_CLOUD_SESSION_KEY?.trim()
  if (!value) return undefined
  if (/\s/.test(value)) {
    throw new UserError(
      'PRISMA_CLOUD_SESSION_KEY contains a line break or space inside; a Prisma Cloud session key has none. Set it to the key as one line.',
    )
  }

  return value
}

/** `prisma.sh` and its sub-domains: the only hosts the cloud session is ever used for. */
export function isPrismaCloudHost(serverUrl: string): boolean {
  try {
    const host = new URL(serverUrl).hostname.toLowerCase().replace(/\.$/, '')
    return host === 'prisma.sh' || host.endsWith('.prisma.sh')
  } catch {
    return false
  }
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

export async function resolveManagementAuth(o: {
  env: Env
  endpoint?: EndpointForAuth
  home: string
  grants?: Grant[]
  expiresInSeconds?: number
  now?: number
  fetch?: typeof fetch
  /** Where the DEBUG line goes; default stderr when env.DEBUG is set. */
  debug?: (line: string) => void
}): Promise<ManagementAuth> {
  const auth = await choose(o)
  const debug = o.debug ?? (o.env.DEBUG ? (line: string) => process.stderr.write(`${line}\n`) : undefined)
  debug?.(`management token: ${auth.description}`)
  return auth
}

async function choose(o: Parameters<typeof resolveManagementAuth>[0]): Promise<ManagementAuth> {
  const issuedAt = o.now ?? Math.floor(Date.now() / 1000)
  const secret = explicitSecret(o.env)
  if (secret !== undefined) {
    const token = signManagementToken({algorithm: 'HS256', secret}, {expiresInSeconds: o.expiresInSeconds, grants: o.grants, now: issuedAt})
    return {
      algorithm: 'HS256',
      description: `HS256 with ${secretVariable}`,
      expiresInSeconds: o.expiresInSeconds,
      grants: o.grants,
      issuedAt,
      source: 'env-secret',
      token,
    }
  }

  if (!o.endpoint) return {description: `no credential (${secretVariable} is not set and no endpoint is known)`, source: 'none'}

  // Without a config.yml there is neither a legacy key nor a stored session; conf is not even loaded then.
  const file = globalConfigPath(o.home)
  const config: Pick<GlobalConfig, 'cloudSessionKey' | 'clusters' | 'file'> = existsSync(file)
    ? await openGlobalConfig({env: o.env, home: o.home})
    : {clusters: {}, file}
  for (const [name, cluster] of Object.entries(config.clusters)) {
    if (!cluster.clusterSecret || !cluster.host || !sameServer(cluster.host, o.endpoint.serverUrl)) continue
    const token = signManagementToken(
      {algorithm: 'RS256', cluster: name, privateKey: cluster.clusterSecret},
      {expiresInSeconds: o.expiresInSeconds, grants: o.grants, now: issuedAt},
    )
    return {
      algorithm: 'RS256',
      cluster: name,
      description: `RS256 with the clusterSecret of cluster "${name}" in ${config.file}`,
      expiresInSeconds: o.expiresInSeconds,
      grants: o.grants,
      issuedAt,
      source: 'legacy-cluster-key',
      token,
    }
  }

  if (isPrismaCloudHost(o.endpoint.serverUrl)) {
    const fromEnv = sessionKeyFromEnv(o.env)
    const sessionKey = fromEnv || config.cloudSessionKey
    if (sessionKey) {
      const {generateClusterToken} = await import('../cloud-api/index.js')
      const clusterName = o.endpoint.clusterName ?? new URL(o.endpoint.serverUrl).hostname.split('.')[0]
      let token: string
      try {
        token = await generateClusterToken({
          clusterName,
          env: o.env,
          fetch: o.fetch,
          serviceName: o.endpoint.service,
          sessionKey,
          stageName: o.endpoint.stage,
          workspaceSlug: o.endpoint.workspace ?? null,
        })
      } catch (error) {
        if (!(error instanceof UserError)) throw error
        throw new UserError(
          `Could not get a cluster token for ${o.endpoint.serverUrl} from Prisma Cloud: ${error.message.trimEnd()} ` +
            `If the server has a management secret, set ${secretVariable} instead; it is used before the cloud session.`,
          {cause: error},
        )
      }

      return {
        description: `a Prisma Cloud cluster token (session key from ${fromEnv ? 'PRISMA_CLOUD_SESSION_KEY' : config.file})`,
        source: 'cloud-session',
        token,
      }
    }

    return {description: 'no credential (Prisma Cloud server, but not logged in)', source: 'none'}
  }

  return {description: `no credential (${secretVariable} is not set and no legacy key matches ${o.endpoint.serverUrl})`, source: 'none'}
}
