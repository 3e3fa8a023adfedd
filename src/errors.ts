/**
 * Errors the user can act on. Domain modules throw these; the base command is the one place that turns them into
 * a paragraph on stderr, an exit code and, under --json, an error document. Anything else reaching the base command
 * is a bug in the tool.
 */

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  interrupted: 130,
  terminated: 143,
} as const

/**
 * The stable `code` of an error document (`--json`), one per kind of failure, so scripts can branch on it without
 * reading the message. New kinds are added here, never renamed.
 */
export type ErrorCode =
  /** A flag or argument the command does not take, or a flag value it cannot read (exit 2). */
  | 'USAGE'
  /** prisma.yml, a file it names, .env or --env-file cannot be read or is invalid. */
  | 'PROJECT_INVALID'
  /** ~/.prisma/config.yml cannot be read or written. */
  | 'CONFIG_INVALID'
  /** No credential to sign a token with, or a credential that is unusable (an empty secret, a bad key). */
  | 'NO_CREDENTIAL'
  /** The server (or the cloud API) refused the credential. */
  | 'AUTH_FAILED'
  /** The server or the cloud API could not be reached, timed out or answered with something that is not its API. */
  | 'SERVER_UNREACHABLE'
  /** The server answered with an error of its own. */
  | 'SERVER_ERROR'
  /** The command needs an answer only a person at a terminal can give (a prompt); a flag says it instead. */
  | 'NEEDS_TERMINAL'
  /** The service or stage does not exist on the server. */
  | 'NOT_FOUND'
  /** Deploy refused the datamodel (errors, or warnings without --force), or the migration failed. */
  | 'DEPLOY_FAILED'
  /** Client generation failed. */
  | 'GENERATE_FAILED'
  /** Seeding, export or import failed. */
  | 'DATA_FAILED'
  /** Waiting (for a migration, a login) took longer than allowed. */
  | 'TIMEOUT'
  /** Ctrl-C or SIGTERM. */
  | 'INTERRUPTED'
  /** Any other failure the user can act on. */
  | 'FAILED'
  /** A bug in the tool (never thrown on purpose). */
  | 'INTERNAL'

export interface UserErrorOptions {
  cause?: unknown
  code?: ErrorCode
  exitCode?: number
  /** Extra fields for the --json error document (never a secret). */
  details?: Record<string, unknown>
}

export class UserError extends Error {
  readonly exitCode: number
  readonly code: ErrorCode
  /** Extra fields for the --json error document; a command may add its context before the error leaves it. */
  details: Record<string, unknown> | undefined
  /** The message as written; oclif prefixes `message` of errors thrown while it parses a flag value. */
  readonly text: string

  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.text = message
    this.name = 'UserError'
    this.exitCode = options.exitCode ?? ExitCode.failure
    this.code = options.code ?? (this.exitCode === ExitCode.usage ? 'USAGE' : 'FAILED')
    this.details = options.details
  }
}

/** The user pressed Ctrl-C (or the process got SIGTERM) while the tool waited on them or on the server. */
export class InterruptedError extends UserError {
  constructor(message = 'Interrupted.', signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') {
    super(message, {code: 'INTERRUPTED', exitCode: signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted})
    this.name = 'InterruptedError'
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError
}

/** The document every command prints on stdout under --json when it fails. */
export interface ErrorDocument {
  status: 'error' | 'interrupted'
  code: ErrorCode
  message: string
  exitCode: number
  [detail: string]: unknown
}
