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
  /** prisma.yml, a file it names, .env or --env-file cannot be read or is invalid (or prisma.yml cannot be written). */
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
  /** Extra fields for the --json error document (never a secret). */
  details?: Record<string, unknown>
}

/**
 * The base of every error kind below. Its constructor is protected: an error is thrown as its kind (ProjectError,
 * CredentialError, …), which fixes `code` and `exitCode` where the failure arises; neither can be changed later.
 */
export abstract class UserError extends Error {
  declare readonly code: ErrorCode
  declare readonly exitCode: number
  /** Extra fields for the --json error document; a command may add its context before the error leaves it. */
  details: Record<string, unknown> | undefined
  /** The message as written; oclif prefixes `message` of errors thrown while it parses a flag value. */
  readonly text: string

  protected constructor(message: string, options: UserErrorOptions & {code: ErrorCode; exitCode?: number}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.text = message
    this.name = new.target.name
    Object.defineProperties(this, {
      code: {enumerable: true, value: options.code},
      exitCode: {enumerable: true, value: options.exitCode ?? ExitCode.failure},
    })
    this.details = options.details
  }
}

/** A flag or argument the command cannot use (exit 2). */
export class UsageError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'USAGE', exitCode: ExitCode.usage})
  }
}

/**
 * prisma.yml, a file it names (datamodel, subscription query), .env or --env-file, or a setting they or the
 * environment give (the endpoint, PRISMA_REQUEST_TIMEOUT); also prisma.yml that cannot be written.
 */
export class ProjectError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'PROJECT_INVALID'})
  }
}

/** ~/.prisma/config.yml cannot be read or written. */
export class ConfigError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'CONFIG_INVALID'})
  }
}

/** No credential to sign a token with, or one that cannot be used (an empty secret, a bad key). */
export class CredentialError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'NO_CREDENTIAL'})
  }
}

/** The server or the cloud API refused the credential. */
export class AuthError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'AUTH_FAILED'})
  }
}

/** A database the tool reads itself (prisma upgrade --database-url) could not be reached or read. */
export class ServerUnreachableError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'SERVER_UNREACHABLE'})
  }
}

/**
 * The server or the cloud API answered, with an error of its own or without what it should have sent. (A request
 * that fails is a ServerError of src/http/graphql.ts, whose kind fixes SERVER_UNREACHABLE or SERVER_ERROR.)
 */
export class ServerAnswerError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'SERVER_ERROR'})
  }
}

/** Only a person at a terminal can answer (a prompt); the message names the flag that says it instead. */
export class NeedsTerminalError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'NEEDS_TERMINAL'})
  }
}

/** The service or stage does not exist on the server. */
export class NotFoundError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'NOT_FOUND'})
  }
}

/** The server refused the deploy (errors, warnings without --force), or its migration failed. */
export class DeployError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'DEPLOY_FAILED'})
  }
}

/** A generator could not write its client. */
export class GenerateError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'GENERATE_FAILED'})
  }
}

/** Seeding, export or import failed: the seed, the data or the file to write. */
export class DataError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'DATA_FAILED'})
  }
}

/** Waiting (for a migration, a login) took longer than allowed. */
export class TimeoutError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'TIMEOUT'})
  }
}

/** A failure with no kind of its own above: a feature the server lacks, a clipboard that is not there. */
export class FailedError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, {...options, code: 'FAILED'})
  }
}

/** The user pressed Ctrl-C (or the process got SIGTERM) while the tool waited on them or on the server. */
export class InterruptedError extends UserError {
  constructor(message = 'Interrupted.', signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') {
    super(message, {code: 'INTERRUPTED', exitCode: signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted})
  }
}

/**
 * A failure told in the words of the step it broke ("Sending operation 3 of 7 failed: …"): it keeps the kind and the
 * exit code of its cause, so the same cause has the same code whatever step it interrupted.
 */
export class InContextError extends UserError {
  constructor(message: string, cause: UserError, options: Pick<UserErrorOptions, 'details'> = {}) {
    super(message, {...options, cause, code: cause.code, exitCode: cause.exitCode})
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
