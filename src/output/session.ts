/** Texts of `prisma login` and `prisma logout` for humans. Pure functions: they return lines. */
import type {LoginResult, LogoutResult} from '../cloud-api/session.js'
import {describeDuration} from '../duration.js'

export interface Rendered {
  /** The result, for stdout. */
  stdout: string[]
  /** Notices, for stderr. */
  stderr: string[]
}

export function renderLogin(result: LoginResult): Rendered {
  const stdout: string[] = []
  const stderr: string[] = []
  if (result.email) stdout.push(`Authenticated with ${result.email}`)
  if (result.method === 'existing') {
    stdout.push(
      result.verified
        ? `Already signed in (session key from ${result.sessionKeyFrom}). Run prisma logout first to log in as someone else.`
        : `Already signed in (session key from ${result.sessionKeyFrom}); it could not be verified now: ${result.unverifiedReason}`,
    )
  } else if (result.method === 'key' && !result.verified) {
    stderr.push(
      `The Prisma Cloud API at ${result.cloudApi} ${result.unreachable ? 'could not be reached' : 'gave no usable answer'}, ` +
        `so the session key was stored without being verified (${result.unverifiedReason}).`,
    )
    stdout.push(`Session key stored in ${result.sessionKeyFrom}`)
  } else {
    if (!result.verified) stderr.push(`Logged in, but the account could not be read: ${result.unverifiedReason}`)
    stdout.push('Successfully signed in')
  }

  return {stderr, stdout}
}

export const loginProgress = {
  staleKey: (where: string) => `The session key from ${where} is no longer accepted; starting a new login.`,
  url: (url: string) => `Opening ${url} in the browser`,
  wait: (timeoutMs: number) => `Waiting for the login to complete (at most ${describeDuration(timeoutMs)}; Ctrl-C to cancel)…`,
}

export function renderLogout(result: LogoutResult): Rendered {
  return {
    stderr: result.sessionKeyInEnvironment
      ? ['PRISMA_CLOUD_SESSION_KEY is still set in the environment and keeps being used until you unset it.']
      : [],
    stdout: ['You have been successfully logged out.'],
  }
}
