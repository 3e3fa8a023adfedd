/** What several actions do alike: the confirmation rule, the interrupt scope, a throttled progress status. */
import {NeedsTerminalError} from '../errors.js'
import {withInterruptSignal} from '../signals.js'
import type {Io} from './io.js'

export interface Confirmation {
  /** `--force` (or the flag that answers yes). */
  force: boolean
  /** The command, as in `prisma <command>`. */
  command: string
  /** What it destroys, for the refusal: "deletes all data of svc@dev". */
  destroys: string
  /** What --force does, for the refusal: "reset without being asked". */
  forceDoes: string
}

/**
 * The one rule of the commands that destroy data (delete, reset): --force answers yes; otherwise a person at a
 * terminal is asked; without one (--json, CI, a pipe) the command refuses before any request, naming --force.
 * Returns the question to ask later, or undefined when --force answered it.
 */
export function confirmation(io: Io, o: Confirmation): ((question: string) => Promise<boolean>) | undefined {
  if (o.force) return undefined
  const {prompter} = io
  if (!prompter) {
    throw new NeedsTerminalError(
      `prisma ${o.command} ${o.destroys} and asks for confirmation first, which needs a terminal. ` +
        `Pass --force to ${o.forceDoes}.`,
      {},
    )
  }

  return async (question) => confirms(await prompter.input({default: 'n', message: question}))
}

/** A progress status at most once a second (long transfers would otherwise print a line per page). */
export function throttled(update: (status: string) => void, intervalMs = 1000, now: () => number = Date.now) {
  let last = -Infinity
  return {
    /** Starts the interval again (a new task line was started). */
    restart() {
      last = now()
    },
    update(status: string | (() => string)) {
      if (now() - last < intervalMs) return
      last = now()
      update(typeof status === 'string' ? status : status())
    },
  }
}

/** The original's answer rule inverted for safety: only an answer starting with y goes ahead. */
export function confirms(answer: string): boolean {
  return answer.trim().toLowerCase().startsWith('y')
}

/**
 * Runs an action's work with an AbortSignal that Ctrl-C or SIGTERM aborts (exit 130 / 143 with `message`), and ends
 * an open task line before the error is shown.
 */
export async function interruptible<T>(io: Io, message: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  try {
    return await withInterruptSignal(message, run)
  } catch (error) {
    io.progress.interrupt()
    throw error
  }
}
