/**
 * Turns what a Management API server answers into messages a user can act on (spec cli-behaviour §3.4, extended):
 * authentication failures name PRISMA_MANAGEMENT_API_SECRET, an earlier pending deployment is explained, and no
 * message ever repeats the token.
 */
import {managementSecretAdvice, managementSecretSetting} from '../messages.js'
import {redactToken, ServerError} from '../http/graphql.js'

export const authDocs = 'Learn more: https://bit.ly/authentication-and-security-docs'

export interface AuthContext {
  /** Whether a token was sent at all. */
  tokenSent: boolean
  /** Whether PRISMA_MANAGEMENT_API_SECRET was set (environment or env file). */
  secretFromEnv: boolean
  /** Which credential produced the token, in words ("PRISMA_MANAGEMENT_API_SECRET (HS256)"); never the value. */
  credential?: string
  /** Cluster or server name for messages. */
  serverName: string
  token?: string
}

export function isAuthError(error: ServerError): boolean {
  return error.errors.some(
    (entry) =>
      entry.code === 3015 || (entry.code === 3016 && /Authentication token is expired/i.test(entry.message)),
  )
}

function serverReason(error: ServerError, token?: string): string {
  const entry = error.errors.find((item) => item.code === 3015 || item.code === 3016) ?? error.errors[0]
  return redactToken(entry?.message ?? error.message, token)
}

/** The message for a rejected or missing management token. */
export function describeAuthError(error: ServerError, context: AuthContext): string {
  const reason = serverReason(error, context.token)
  const server = context.serverName
  if (!context.tokenSent) {
    return (
      `Server at ${server} requires the Management API secret. Please set the ${managementSecretSetting}.\n` +
      `The server said: ${reason}\n${authDocs}`
    )
  }

  if (/expired/i.test(reason)) {
    return (
      `The Management API token for ${server} has expired (${reason}). ` +
      (context.secretFromEnv
        ? 'Check the system clock, then try again: the tool signs a fresh token from PRISMA_MANAGEMENT_API_SECRET on every run.'
        : `It came from ${context.credential ?? 'the stored credentials'}; log in again (prisma login) or set PRISMA_MANAGEMENT_API_SECRET.`) +
      `\n${authDocs}`
    )
  }

  if (context.secretFromEnv) {
    return (
      `Can not authenticate against Prisma server ${server}. It seems that your PRISMA_MANAGEMENT_API_SECRET ` +
      `environment variable is set incorrectly. Please make sure that it matches the value that was used when the ` +
      `Prisma server was deployed (managementApiSecret).\nThe server said: ${reason}\n${authDocs}`
    )
  }

  return (
    `Can not authenticate against Prisma server ${server} with ${context.credential ?? 'the stored credentials'}. ` +
    `${managementSecretAdvice}, and try again.\n` +
    `The server said: ${reason}\n${authDocs}`
  )
}

export function isDeploymentInProgress(error: unknown): boolean {
  return error instanceof ServerError && error.errors.some((entry) => entry.code === 4008)
}

export function describeDeploymentInProgress(service: string, stage: string, server: string): string {
  return (
    `An earlier deployment of service ${service} to stage ${stage} is still pending or running on server ${server}, ` +
    `so the server refused this one (code 4008). Wait until it has finished (its migration is applied in the ` +
    `background) and deploy again; prisma migrations shows what the server is working on.`
  )
}

/** True when the server does not serve /management and the client should try the old /cluster path. */
export function wantsClusterPath(error: unknown, url: string): boolean {
  if (!(error instanceof ServerError) || !/\/management\/?$/.test(url)) return false
  if (error.kind === 'http' && /HTTP method not allowed/i.test(error.message)) return true
  if (error.kind === 'http' && error.status === 405) return true
  return error.errors.some((entry) => entry.code === 3016 && /management[$@_]default/.test(entry.message))
}

/**
 * After the switch to /cluster: the server answered that path too as a service path (3016 "Project not found:
 * 'cluster$default'"), which is what a server whose Management API is switched off does for both paths. The error
 * is then said in those words, with what turns the API on.
 */
export function managementApiOff(error: unknown, url: string): ServerError | undefined {
  if (!(error instanceof ServerError) || !/\/cluster\/?$/.test(url)) return undefined
  if (!error.errors.some((entry) => entry.code === 3016 && /cluster[$@_]default/.test(entry.message))) return undefined
  const base = url.replace(/\/cluster\/?$/, '')
  return new ServerError(
    `The server at ${base} does not serve its Management API: /management and /cluster both answer as service paths ` +
      `(code 3016, "${error.errors[0]?.message ?? ''}"). A Prisma server started from the prismagraphql/prisma-prod image ` +
      'serves it only with `enableManagementApi: true` in its PRISMA_CONFIG (the prismagraphql/prisma image always ' +
      "does). Turn it on, or check that prisma.yml's endpoint names the right server.",
    {errors: error.errors, kind: error.kind, status: error.status, url},
  )
}

/** A GraphQL validation error (unknown field or argument), which servers send without a code. */
export function isValidationError(error: unknown): boolean {
  return (
    error instanceof ServerError &&
    error.kind === 'graphql' &&
    error.errors.length > 0 &&
    error.errors.every((entry) => entry.code === undefined)
  )
}
