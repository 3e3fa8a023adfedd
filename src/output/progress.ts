/**
 * Progress lines for terminals and logs alike, in the original's non-TTY form: a task starts with `\n<text>...`,
 * a status change repeats the line with the new status, and stopping appends ` <status>`. No cursor tricks, so a
 * CI log reads the same as a terminal.
 */
export interface Progress {
  start(text: string, status?: string): void
  status(status: string): void
  stop(status?: string): void
  log(text: string): void
  /** Ends an open task line without a status (before an error is printed elsewhere). */
  interrupt(): void
}

export function plainProgress(write: (text: string) => void, tick = '✔'): Progress {
  let active: string | undefined
  let lastStatus: string | undefined
  return {
    interrupt() {
      if (active !== undefined) write('\n')
      active = undefined
    },
    log(text: string) {
      if (active !== undefined) {
        write('\n')
        active = undefined
      }

      write(`${text}\n`)
    },
    start(text: string, status?: string) {
      if (active !== undefined) write('\n')
      active = text
      lastStatus = status
      write(`\n${text}...${status ? ` ${status}` : ''}`)
    },
    status(status: string) {
      if (active === undefined || status === lastStatus) return
      lastStatus = status
      write(`\n${active}... ${status}`)
    },
    stop(status?: string) {
      if (active === undefined) return
      // after a status the line is repeated with the final status, as a log shows it
      write(lastStatus === undefined ? ` ${status ?? tick}\n` : `\n${active}... ${status ?? tick}\n`)
      active = undefined
      lastStatus = undefined
    },
  }
}

/**
 * Another program's output shown while a task line is open (a seed script): the task line is ended before the first
 * of it, and `resume()` starts the task line again, for its outcome, when some was shown.
 */
export function outputDuringTask(progress: Progress, write: (text: string, stream: 'stdout' | 'stderr') => void) {
  let shown = false
  return {
    write(text: string, stream: 'stdout' | 'stderr') {
      if (!shown) progress.interrupt()
      shown = true
      write(text, stream)
    },
    resume(taskLine: string) {
      if (shown) progress.start(taskLine)
    },
  }
}

