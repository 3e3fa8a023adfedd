/**
 * What an action gets from its command besides its options: where progress, notices and DEBUG lines go, and who
 * answers a question. Every action takes an Io and returns its result; it never writes to a stream of its own.
 */
import {NeedsTerminalError} from '../errors.js'
import {plainProgress, type Progress} from '../output/progress.js'
import {withInterruptSignal} from '../signals.js'
import type {Prompter} from '../wizard/prompter.js'

export interface Io {
  /** Task lines ("Resetting svc@dev... ✔"). */
  progress: Progress
  /** A line for the person at the terminal that is not the result: a notice, a warning. */
  notice(line: string): void
  /** Present only when a person can answer (a terminal, no --json). */
  prompter?: Prompter
  /** With DEBUG set: diagnostic lines (requests, which credential signed a token). */
  debug?: (line: string) => void
  /** What a program the tool runs (seed.run) prints, as it comes: its stdout to stdout (stderr under --json). */
  program(text: string, stream: 'stdout' | 'stderr'): void
}

export interface StreamIoOptions {
  /** The stream of task lines and notices (stderr; the original's transcript of `generate` keeps stdout). */
  human: NodeJS.WritableStream
  /** Notices and warnings (stderr). */
  notices: NodeJS.WritableStream
  /** Where the stdout of a program the tool runs goes (stdout; stderr under --json). */
  programOutput: NodeJS.WritableStream
  interactive: boolean
  /** Where questions are drawn. */
  promptOutput: NodeJS.WritableStream & {isTTY?: boolean}
  debug: boolean
  tick?: string
}

/** The Io of a command run: progress and notices on the streams given, inquirer loaded on the first question. */
export function streamIo(o: StreamIoOptions): Io {
  const notice = (line: string) => void o.notices.write(`${line}\n`)
  return {
    debug: o.debug ? notice : undefined,
    notice,
    program: (text, stream) => void (stream === 'stdout' ? o.programOutput : o.notices).write(text),
    progress: plainProgress((text) => void o.human.write(text), o.tick),
    prompter: o.interactive ? lazyPrompter(o.promptOutput) : undefined,
  }
}

function lazyPrompter(output: NodeJS.WritableStream): Prompter {
  let loaded: Promise<Prompter> | undefined
  const prompter = () => (loaded ??= import('../wizard/inquirer-prompter.js').then((m) => m.createInquirerPrompter({output: output as never})))
  return {
    input: async (question) => (await prompter()).input(question),
    password: async (question) => (await prompter()).password(question),
    select: async (question) => (await prompter()).select(question),
  }
}

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
