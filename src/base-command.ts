import {Command, Errors} from '@oclif/core'

import {ExitCode, isUserError} from './errors.js'

/**
 * The thin base every command extends: one place that turns errors into a paragraph on stderr and an exit code,
 * and one answer to "may we prompt?".
 */
export abstract class BaseCommand extends Command {
  /** Prompts need a human at a terminal; CI, pipes and --json never get one. */
  protected get interactive(): boolean {
    return Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY)
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    // oclif's own exits and usage errors (unknown flag, missing value) keep oclif's message and exit code 2
    if (error instanceof Errors.ExitError) throw error
    if (!isUserError(error) && error.oclif?.exit !== undefined) return super.catch(error)

    const debug = Boolean(process.env.DEBUG)
    if (isUserError(error)) {
      process.stderr.write(`\n${error.message.trimEnd()}\n`)
      if (debug && error.cause instanceof Error && error.cause.stack) process.stderr.write(`${error.cause.stack}\n`)
      throw new Errors.ExitError(error.exitCode)
    }

    process.stderr.write(
      `\nUnexpected error: ${error.message}\n` +
        (debug ? `${error.stack ?? ''}\n` : 'Run again with DEBUG=* set to see where it happened.\n'),
    )
    throw new Errors.ExitError(ExitCode.failure)
  }
}
