/**
 * Ctrl-C (SIGINT) and SIGTERM end the tool with exit code 130 / 143 (bin/run.js installs the listeners before
 * anything else loads), but never in the middle of replacing a file: a file replacement runs inside `whileWriting`,
 * and a signal arriving meanwhile ends the process right after it, so the file is either the old one or the complete
 * new one and no temporary file is left behind. The state is shared with bin/run.js through a global symbol, so that
 * start-up loads no module of the project. `withInterruptSignal` gives a command the signals for its own clean-up.
 */
import {InterruptedError} from './errors.js'

interface SignalState {
  /** File replacements in progress. */
  writing: number
  /** The exit code of a signal that arrived while writing. */
  pending?: number
}

const key = Symbol.for('prisma1-cli.signals')

function state(): SignalState {
  const global = globalThis as typeof globalThis & {[key]?: SignalState}
  global[key] ??= {writing: 0}
  return global[key]
}

/** Runs `write` (a file replacement) so that a signal arriving meanwhile ends the process only once it is done. */
export async function whileWriting<T>(write: () => Promise<T>): Promise<T> {
  const signals = state()
  signals.writing += 1
  try {
    return await write()
  } finally {
    signals.writing -= 1
    if (signals.writing === 0 && signals.pending !== undefined) process.exit(signals.pending)
  }
}

type InterruptSignal = 'SIGINT' | 'SIGTERM'

/**
 * Runs `run` with an AbortSignal that Ctrl-C (SIGINT) or SIGTERM aborts with an InterruptedError carrying `message`
 * (exit code 130 / 143). The listeners stay until `run` has settled (not `once`): a module that re-sends the signal
 * to the process after its own clean-up must find them still there, so that the exit code and message are ours.
 */
export async function withInterruptSignal<T>(
  message: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController()
  const signals: InterruptSignal[] = ['SIGINT', 'SIGTERM']
  const ours = new Map(signals.map((name) => [name, () => controller.abort(new InterruptedError(message, name))]))
  for (const [name, listener] of ours) process.on(name, listener)
  try {
    return await run(controller.signal)
  } finally {
    for (const [name, listener] of ours) process.removeListener(name, listener)
  }
}
