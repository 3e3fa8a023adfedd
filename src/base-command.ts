import {Command, Errors} from '@oclif/core'

import {type Io, streamIo} from './actions/io.js'
import {type ErrorCode, type ErrorDocument, ExitCode, InterruptedError, isUserError} from './errors.js'

/**
 * The thin base every command extends. It gives every command `--json` (run() returns the command's typed result,
 * which oclif prints as the one JSON document on stdout), turns every failure into one paragraph on stderr, an exit
 * code and, under --json, an error document on stdout, and answers "may we prompt?".
 *
 * The output policy (README, "Output"): what a script may capture (a listing, a table, a token, a summary) goes to
 * stdout through `this.log`, which --json silences; progress, notices, warnings and DEBUG lines go to stderr through
 * the Io of `this.io()`; under --json stdout carries only the JSON document.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true

  /** Prompts need a human at a terminal; CI, pipes and --json never get one. */
  protected get interactive(): boolean {
    return !this.jsonEnabled() && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY)
  }

  /** A rendered result: its lines on stdout (silent under --json, where the document says it), notices on stderr. */
  protected print(rendered: {stdout: string[]; stderr: string[]}, io: Io = this.io()): void {
    for (const line of rendered.stderr) io.notice(line)
    for (const line of rendered.stdout) this.log(line)
  }

  /**
   * What an action gets: progress, notices and DEBUG lines on stderr, and a prompter at a terminal only. `transcript`
   * keeps the progress lines on stdout outside --json, where the original's transcript is the output (generate).
   */
  protected io(o: {tick?: string; transcript?: boolean} = {}): Io {
    return streamIo({
      debug: Boolean(process.env.DEBUG),
      human: o.transcript && !this.jsonEnabled() ? process.stdout : process.stderr,
      interactive: this.interactive,
      notices: process.stderr,
      programOutput: this.jsonEnabled() ? process.stderr : process.stdout,
      promptOutput: process.stdout,
      tick: o.tick,
    })
  }

  /** `-j` is the original's short form of --json (deploy, info, list); oclif only looks for `--json`. */
  public override jsonEnabled(): boolean {
    if (super.jsonEnabled()) return true
    if ((this.ctor.flags as Record<string, {char?: string}> | undefined)?.json?.char !== 'j') return false
    const end = this.argv.indexOf('--')
    return (end === -1 ? this.argv : this.argv.slice(0, end)).includes('-j')
  }

  /** Plain JSON: scripts read it, and colouring would load modules no command needs. */
  protected override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  }

  protected override toErrorJson(error: unknown): ErrorDocument {
    return describeFailure(error).document
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    // this.exit(): the command has already said what it had to say
    if (error instanceof Errors.ExitError) throw error
    const json = this.jsonEnabled()
    // oclif's own usage errors (unknown flag, missing value) keep oclif's message and exit code 2
    if (!json && !isUserError(error) && error.oclif?.exit !== undefined) return super.catch(error)

    const failure = describeFailure(error)
    process.stderr.write(`\n${failure.document.message.trimEnd()}\n`)
    if (process.env.DEBUG && failure.stack) process.stderr.write(`${failure.stack}\n`)
    else if (failure.document.code === 'INTERNAL') process.stderr.write('Run again with DEBUG=* set to see where it happened.\n')
    if (json) this.logJson(failure.document)
    throw new Errors.ExitError(failure.document.exitCode)
  }
}

function describeFailure(error: unknown): {document: ErrorDocument; stack?: string} {
  if (isUserError(error)) {
    const cause = error.cause instanceof Error ? error.cause.stack : undefined
    return {
      document: {
        ...error.details,
        status: error instanceof InterruptedError ? 'interrupted' : 'error',
        code: error.code,
        message: error.text,
        exitCode: error.exitCode,
      },
      stack: cause ?? error.stack,
    }
  }

  const {message = String(error), oclif, stack} = (error ?? {}) as Error & {oclif?: {exit?: number}}
  const usage = oclif?.exit !== undefined
  const code: ErrorCode = usage ? 'USAGE' : 'INTERNAL'
  return {
    document: {
      status: 'error',
      code,
      message: usage ? message : `Unexpected error: ${message}`,
      exitCode: usage ? oclif.exit ?? ExitCode.usage : ExitCode.failure,
    },
    stack,
  }
}
