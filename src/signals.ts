/**
 * Ctrl-C (SIGINT) and SIGTERM end the tool with exit code 130 / 143 (bin/run.js installs the listeners before
 * anything else loads), but never in the middle of replacing a file: a file replacement runs inside `whileWriting`,
 * and a signal arriving meanwhile ends the process right after it, so the file is either the old one or the complete
 * new one and no temporary file is left behind. The state is shared with bin/run.js through a global symbol, so that
 * start-up loads no module of the project.
 */

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
