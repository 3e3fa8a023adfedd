/**
 * The browser login, as `prisma login` and the deploy wizard run it: ask the cloud API for a one-time secret, open
 * the console's login page with it, then wait until the user has logged in there. Nothing here prints; the caller
 * says what happens through the callbacks, and stores the session key it gets back.
 */
import {InContextError, UserError} from '../errors.js'
import {openBrowser} from './browser.js'
import {loginUrl, pollLoginToken, requestLoginSecret} from './index.js'

type Env = Record<string, string | undefined>

/** What to tell the user when `onBrowserMissing` is called. */
export const browserMissingNote = 'Could not open a browser here; open the URL above in a browser to log in.'

export interface BrowserLoginOptions {
  env: Env
  signal?: AbortSignal
  /** How long the whole login may take, the first request included (default 5 minutes). */
  timeoutMs?: number
  /** The login page is about to be opened in the browser. */
  onUrl(url: string): void
  /** No browser could be opened here; the user has to open the URL given to `onUrl` themselves. */
  onBrowserMissing(): void
  /** The wait for the login in the browser begins. */
  onWait?(): void
}

/** Runs the browser login and resolves with the new Prisma Cloud session key. */
export async function browserLogin(o: BrowserLoginOptions): Promise<string> {
  const timeoutMs = o.timeoutMs ?? 5 * 60_000
  let secret: string
  try {
    secret = await requestLoginSecret({env: o.env, signal: o.signal, timeoutMs: Math.min(timeoutMs, 15_000)})
  } catch (error) {
    if (o.signal?.aborted || !(error instanceof UserError)) throw error
    throw new InContextError(
      `Could not start the login with the Prisma Cloud API: ${error.message.trimEnd()} ` +
        'If you have a session key, store it with prisma login --key <key>; set CLOUD_API_ENDPOINT to use another cloud API.',
      error,
    )
  }

  const url = loginUrl(o.env, secret)
  o.onUrl(url)
  if (!(await openBrowser(url, {env: o.env}))) o.onBrowserMissing()
  o.onWait?.()
  return pollLoginToken({env: o.env, secret, signal: o.signal, timeoutMs})
}
