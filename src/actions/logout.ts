/** `prisma logout`: the Prisma Cloud session key removed from ~/.prisma/config.yml; no request is sent. */
import {type LogoutResult, logOut} from '../cloud-api/session.js'

export type {LogoutResult} from '../cloud-api/session.js'

export async function logout(o: {env: Record<string, string | undefined>}): Promise<LogoutResult> {
  return logOut(o)
}
