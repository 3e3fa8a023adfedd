/** `prisma login`: a Prisma Cloud session key stored in ~/.prisma/config.yml, from --key or the browser login. */
import {browserMissingNote} from '../cloud-api/login.js'
import {type LoginResult, logIn} from '../cloud-api/session.js'
import {loginProgress} from '../output/session.js'
import type {Io} from './io.js'

export type {LoginResult} from '../cloud-api/session.js'

export interface LoginOptions {
  env: Record<string, string | undefined>
  /** --key */
  key?: string
  /** How long to wait for the browser login. */
  timeoutMs?: number
}

export async function login(o: LoginOptions, io: Io): Promise<LoginResult> {
  return logIn({
    env: o.env,
    key: o.key,
    onBrowserMissing: () => io.notice(browserMissingNote),
    onStaleKey: (where) => io.notice(loginProgress.staleKey(where)),
    onUrl: (url) => io.notice(`${loginProgress.url(url)}\n`),
    onWait: (timeoutMs) => io.notice(loginProgress.wait(timeoutMs)),
    timeoutMs: o.timeoutMs,
  })
}
