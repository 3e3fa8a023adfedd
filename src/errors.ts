/**
 * Errors the user can act on. Domain modules throw these; the base command is the one place that turns them into
 * a paragraph on stderr and an exit code. Anything else reaching the base command is a bug in the tool.
 */

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  interrupted: 130,
  terminated: 143,
} as const

export class UserError extends Error {
  readonly exitCode: number

  constructor(message: string, options: {cause?: unknown; exitCode?: number} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'UserError'
    this.exitCode = options.exitCode ?? ExitCode.failure
  }
}

/** The user pressed Ctrl-C (or the process got SIGTERM) while the tool waited on them or on the server. */
export class InterruptedError extends UserError {
  constructor(message = 'Interrupted.', signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') {
    super(message, {exitCode: signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted})
    this.name = 'InterruptedError'
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError
}
