/**
 * What an action gets from its command besides its options: where progress, notices and DEBUG lines go, and who
 * answers a question. Every action takes an Io and returns its result; it never writes to a stream of its own. The
 * base command builds it for every command, so this module stays small (the rules actions share are in shared.ts).
 */
import {plainProgress, type Progress} from '../output/progress.js'
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
  /** The stream of task lines (stderr; the original's transcript of `generate` and `delete` keeps stdout). */
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
