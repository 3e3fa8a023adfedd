/**
 * `prisma account`: the Prisma Cloud account of the session key (PRISMA_CLOUD_SESSION_KEY, else the one
 * `prisma login` stored). Not logged in, or a key the cloud API no longer accepts, is a UserError saying how to log in.
 */
import {sessionKeyFromEnv} from '../auth/management-token.js'
import {AuthError, CredentialError} from '../errors.js'
import {openGlobalConfig, userHome} from '../global-config/index.js'
import {type CloudAccount, cloudApiUrl, fetchAccount, isRejectedKey} from '../cloud-api/index.js'

type Env = Record<string, string | undefined>

export interface AccountReport extends CloudAccount {
  /** Where the session key came from: `PRISMA_CLOUD_SESSION_KEY` or the config file's path (never the key). */
  sessionKeyFrom: string
}

const loginAdvice = 'Run prisma login to log in (or prisma login --key <key>, or set PRISMA_CLOUD_SESSION_KEY).'

/** `prisma account --json`. */
export interface AccountResult {
  email: string | null
  name: string | null
  id: string | null
  /** Slugs of the account's workspaces. */
  workspaces: string[]
  /** PRISMA_CLOUD_SESSION_KEY or the config file the session key came from (never the key). */
  sessionKeyFrom: string
}

export async function account(o: {env: Env}): Promise<AccountResult> {
  const found = await readCloudAccount({...o, home: userHome(o.env)})
  return {
    email: found.email ?? null,
    id: found.id ?? null,
    name: found.name ?? null,
    sessionKeyFrom: found.sessionKeyFrom,
    workspaces: found.workspaces.map((workspace) => workspace.slug),
  }
}

async function readCloudAccount(o: {env: Env; home: string}): Promise<AccountReport> {
  const fromEnv = sessionKeyFromEnv(o.env)
  const config = fromEnv === undefined ? await openGlobalConfig({env: o.env, home: o.home}) : undefined
  const sessionKey = fromEnv ?? config?.cloudSessionKey
  const sessionKeyFrom = fromEnv === undefined ? (config?.file ?? '') : 'PRISMA_CLOUD_SESSION_KEY'
  if (!sessionKey) throw new CredentialError(`Currently not logged in. ${loginAdvice}`)
  try {
    return {...(await fetchAccount({env: o.env, sessionKey})), sessionKeyFrom}
  } catch (error) {
    if (!isRejectedKey(error)) throw error
    throw new AuthError(
      `Currently not logged in: the Prisma Cloud API at ${cloudApiUrl(o.env)} no longer accepts the session key from ${sessionKeyFrom}. ${loginAdvice}`,
      {cause: error},
    )
  }
}
