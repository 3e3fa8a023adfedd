/**
 * The Prisma Cloud session policy of `prisma login` and `prisma logout`: which key is checked, stored or kept, and
 * what is known about it afterwards. Nothing here prints: the progress of a browser login reaches the caller
 * through callbacks, and the outcome comes back as a typed result.
 */
import {AuthError, UsageError} from '../errors.js'
import {openGlobalConfig, userHome, type GlobalConfig} from '../global-config/index.js'
import {withInterruptSignal} from '../signals.js'
import {cloudApiUrl, fetchAccount, isRejectedKey, isUnreachable} from './index.js'

type Env = Record<string, string | undefined>

export const defaultLoginTimeoutMs = 5 * 60_000

/** What `prisma login` did. */
export interface LoginResult {
  loggedIn: true
  /** How: a key given with --key, a session that was already there, or the browser login. */
  method: 'key' | 'existing' | 'browser'
  /** The account's email, when the cloud API answered. */
  email?: string
  /** Whether the cloud API confirmed the key now. */
  verified: boolean
  /** Why the key is not verified (the first line of the failure), when it is not. */
  unverifiedReason?: string
  /** With `verified: false`: the cloud API could not be reached at all (rather than answering with something else). */
  unreachable?: boolean
  /** Where the session key is: PRISMA_CLOUD_SESSION_KEY or the path of config.yml. */
  sessionKeyFrom: string
  /** The cloud API asked. */
  cloudApi: string
}

export interface LoginEvents {
  /** The login page is about to be opened in the browser. */
  onUrl(url: string): void
  /** No browser could be opened; the user has to open the URL themselves. */
  onBrowserMissing(): void
  /** The wait for the login in the browser begins. */
  onWait(timeoutMs: number): void
  /** The session key in use is no longer accepted; a new login starts. */
  onStaleKey(where: string): void
}

export interface LoginOptions extends LoginEvents {
  /** The process environment (login reads no .env): HOME, the cloud addresses, PRISMA_CLOUD_SESSION_KEY. */
  env: Env
  /** `--key`. */
  key?: string
  /** The bound of the browser login. */
  timeoutMs?: number
}

function firstLine(error: unknown): string {
  return (error as Error).message.split('\n')[0]
}

/**
 * `--key`: checked with the cloud API, then stored; a rejected key is not stored, an unverifiable one is. Without a
 * key: an accepted session is kept; otherwise the browser login runs and its session key is stored.
 */
export async function logIn(o: LoginOptions): Promise<LoginResult> {
  const config = await openGlobalConfig({env: o.env, home: userHome(o.env)})
  const cloudApi = cloudApiUrl(o.env)
  if (o.key !== undefined) return logInWithKey(o.key.trim(), config, o.env)

  const fromEnv = o.env.PRISMA_CLOUD_SESSION_KEY?.trim()
  const existing = fromEnv || config.cloudSessionKey
  if (existing) {
    const where = fromEnv ? 'PRISMA_CLOUD_SESSION_KEY' : config.file
    const result: LoginResult = {cloudApi, loggedIn: true, method: 'existing', sessionKeyFrom: where, verified: false}
    try {
      return {...result, email: (await fetchAccount({env: o.env, sessionKey: existing})).email, verified: true}
    } catch (error) {
      if (!isRejectedKey(error)) return {...result, unverifiedReason: firstLine(error)}
      o.onStaleKey(where)
    }
  }

  const timeoutMs = o.timeoutMs ?? defaultLoginTimeoutMs
  return withInterruptSignal(`Login cancelled; ${config.file} was not changed.`, async (signal) => {
    const token = await browserLogInAndStore({...o, config, onWait: () => o.onWait(timeoutMs), signal, timeoutMs})
    const result: LoginResult = {cloudApi, loggedIn: true, method: 'browser', sessionKeyFrom: config.file, verified: false}
    try {
      return {...result, email: (await fetchAccount({env: o.env, sessionKey: token, signal})).email, verified: true}
    } catch (error) {
      if (signal.aborted) throw error
      return {...result, unverifiedReason: firstLine(error)}
    }
  })
}

/** The browser login (see login.ts), its session key stored in config.yml; resolves with the key. */
export async function browserLogInAndStore(
  o: Pick<LoginEvents, 'onBrowserMissing' | 'onUrl'> & {config: GlobalConfig; env: Env; onWait?(): void; signal: AbortSignal; timeoutMs?: number},
): Promise<string> {
  const {browserLogin} = await import('./login.js')
  const token = await browserLogin({
    env: o.env,
    onBrowserMissing: o.onBrowserMissing,
    onUrl: o.onUrl,
    onWait: o.onWait,
    signal: o.signal,
    timeoutMs: o.timeoutMs,
  })
  await o.config.setCloudSessionKey(token)
  return token
}

async function logInWithKey(key: string, config: GlobalConfig, env: Env): Promise<LoginResult> {
  if (key === '') {
    throw new UsageError('The key given with --key is empty. Pass your Prisma Cloud session key: prisma login --key <key>.')
  }

  const cloudApi = cloudApiUrl(env)
  const result: LoginResult = {cloudApi, loggedIn: true, method: 'key', sessionKeyFrom: config.file, verified: false}
  let email: string | undefined
  try {
    email = (await fetchAccount({env, sessionKey: key})).email
  } catch (error) {
    if (isRejectedKey(error)) {
      throw new AuthError(
        `The Prisma Cloud API at ${cloudApi} rejected the session key, so it was not stored. ` +
          'Check that you copied the whole key, or log in with the browser: prisma login.',
        {cause: error},
      )
    }

    await config.setCloudSessionKey(key)
    return {...result, unreachable: isUnreachable(error), unverifiedReason: firstLine(error)}
  }

  await config.setCloudSessionKey(key)
  return {...result, email, verified: true}
}

/** What `prisma logout` did. */
export interface LogoutResult {
  /** config.yml holds no session key any more. */
  loggedOut: boolean
  /** There was a stored session key, and it was removed. */
  removed: boolean
  /** PRISMA_CLOUD_SESSION_KEY is set, and keeps being used. */
  sessionKeyInEnvironment: boolean
}

/** Removes `cloudSessionKey` from config.yml and nothing else; no request is sent. */
export async function logOut(o: {env: Env}): Promise<LogoutResult> {
  const config = await openGlobalConfig({home: userHome(o.env)})
  const removed = await config.deleteCloudSessionKey()
  return {loggedOut: true, removed, sessionKeyInEnvironment: Boolean(o.env.PRISMA_CLOUD_SESSION_KEY?.trim())}
}
