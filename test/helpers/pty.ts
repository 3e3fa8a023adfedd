// Drives the built CLI through a real pseudo-terminal, as a person at a terminal would: keystrokes in, screen out.
//
// The terminal comes from Python's standard `pty` module (a short script run with `python3 -c`): it needs no native
// Node addon, so there is no install script to approve and nothing to compile when CI runs `npm ci` on a fresh clone.
// The script forks the CLI on a new pseudo-terminal (as its controlling terminal, so raw mode, Ctrl-C and window size
// behave as they do for a user), relays bytes both ways and reports the exit status on stderr.
import {type ChildProcessWithoutNullStreams, spawn, spawnSync} from 'node:child_process'

import {binPath, cliEnvironment} from './cli.js'

const relay = String.raw`
import fcntl, json, os, pty, select, signal, struct, sys, termios
cols, rows = int(sys.argv[1]), int(sys.argv[2])
argv = sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    os.execvp(argv[0], argv)
signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGKILL))
inputs = [fd, 0]
while True:
    try:
        ready, _, _ = select.select(inputs, [], [])
    except InterruptedError:
        continue
    if 0 in ready:
        data = os.read(0, 4096)
        if data:
            os.write(fd, data)
        else:
            # the test that drives the terminal has gone: hang up, as a closed terminal window does
            inputs.remove(0)
            os.kill(pid, signal.SIGHUP)
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if not data:
            break
        os.write(1, data)
_, status = os.waitpid(pid, 0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
sys.stderr.write('\n' + json.dumps({'code': code, 'signal': sig}) + '\n')
`

export const keys = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  ctrlC: '\u0003',
  escape: '\u001B',
  backspace: '\u007F',
} as const

export interface PtyExit {
  code: number | null
  /** The signal number that ended the CLI, if any. */
  signal: number | null
}

export interface PtyOptions {
  cwd?: string
  /** Added to a clean environment (PATH, HOME, TERM, NO_COLOR); HOME defaults to a fresh temporary folder. */
  env?: Record<string, string | undefined>
  cols?: number
  rows?: number
  /** Kills the CLI after this long (default 60 s). */
  timeoutMs?: number
}

export interface PtySession {
  /** Sends keystrokes. */
  write(data: string): void
  /** Types a text and presses Enter. */
  type(text: string): void
  /** Resolves with the screen once `pattern` appears on it after the last `waitFor` match (or rejects on timeout). */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>
  /** The current screen, one string per line, trailing spaces removed. */
  screen(): string
  /** Everything the CLI printed, escape sequences removed, in the order it was printed. */
  transcript(): string
  exit: Promise<PtyExit>
  kill(): void
}

let pythonChecked = false

function requirePython(): void {
  if (pythonChecked) return
  const probe = spawnSync('python3', ['-c', 'import pty, termios'], {encoding: 'utf8'})
  if (probe.status !== 0) {
    throw new Error('The terminal tests need python3 with the pty module on PATH (it drives the pseudo-terminal).')
  }

  pythonChecked = true
}

/** Starts `node bin/run.js <args>` on a pseudo-terminal. */
export async function spawnPty(args: string[], options: PtyOptions = {}): Promise<PtySession> {
  requirePython()
  const {env, home} = await cliEnvironment(options.env, {alsoDrop: /^CI$/, fixed: {FORCE_COLOR: '0', TERM: 'xterm-256color'}})

  const cols = options.cols ?? 250
  const rows = options.rows ?? 40
  const child: ChildProcessWithoutNullStreams = spawn(
    'python3',
    ['-c', relay, String(cols), String(rows), process.execPath, binPath, ...args],
    {cwd: options.cwd ?? home, env},
  )
  const terminal = new Terminal(cols, rows)
  let raw = ''
  let stderr = ''
  let waitOffset = 0
  const listeners = new Set<() => void>()
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk
    terminal.feed(chunk)
    for (const listener of listeners) listener()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))

  const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 60_000)
  let closed = false
  const exit = new Promise<PtyExit>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', () => {
      closed = true
      clearTimeout(timer)
      for (const listener of listeners) listener()
      const last = stderr.trim().split('\n').at(-1) ?? ''
      try {
        resolve(JSON.parse(last) as PtyExit)
      } catch {
        reject(new Error(`the terminal relay ended without an exit status:\n${stderr}`))
      }
    })
  })
  // a test that fails before awaiting the exit must not leave an unhandled rejection behind
  exit.catch(() => undefined)

  const transcript = () => stripEscapes(raw)

  return {
    write(data) {
      child.stdin.write(data)
    },
    type(text) {
      child.stdin.write(text)
      child.stdin.write(keys.enter)
    },
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const text = transcript()
          const rest = text.slice(waitOffset)
          const index = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern)
          if (index !== -1) {
            const length = typeof pattern === 'string' ? pattern.length : (rest.slice(index).match(pattern)?.[0].length ?? 0)
            waitOffset += index + length
            done()
            resolve(terminal.text())
          } else if (closed) {
            done()
            reject(new Error(`the CLI ended before ${String(pattern)} appeared. Screen:\n${terminal.text()}\n${stderr}`))
          }
        }

        const timeout = setTimeout(() => {
          done()
          reject(new Error(`${String(pattern)} did not appear within ${timeoutMs} ms. Screen:\n${terminal.text()}`))
        }, timeoutMs)
        const done = () => {
          clearTimeout(timeout)
          listeners.delete(check)
        }

        listeners.add(check)
        check()
      })
    },
    screen: () => terminal.text(),
    transcript,
    exit,
    kill() {
      child.kill('SIGTERM')
    },
  }
}

// Control sequences: CSI (with private markers), OSC, and two-character escapes.
// eslint-disable-next-line no-control-regex -- matching terminal escapes is the point
const escapes = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[()][0-9A-Za-z]|\u001B[=>78DEHMc]/g

export function stripEscapes(text: string): string {
  return text.replaceAll(escapes, '').replaceAll('\r\n', '\n').replaceAll('\r', '')
}

/**
 * Just enough of a VT100 to show what a person would see: printable text, line breaks, cursor moves and erasing.
 * Colours and modes are ignored (the tests run with NO_COLOR anyway).
 */
class Terminal {
  private lines: string[][] = [[]]
  private row = 0
  private col = 0
  private pending = ''

  constructor(
    private readonly cols: number,
    private readonly rows: number,
  ) {}

  feed(chunk: string): void {
    const text = this.pending + chunk
    this.pending = ''
    let i = 0
    while (i < text.length) {
      const char = text[i]
      if (char === '\u001B') {
        const rest = text.slice(i)
        // eslint-disable-next-line no-control-regex -- terminal escapes
        const csi = /^\u001B\[([0-?]*)([ -/]*)([@-~])/.exec(rest)
        if (csi) {
          this.csi(csi[1], csi[3])
          i += csi[0].length
          continue
        }

        // eslint-disable-next-line no-control-regex -- terminal escapes
        const other = /^(?:\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[()][0-9A-Za-z]|\u001B[=>78DEHMc])/.exec(rest)
        if (other) {
          i += other[0].length
          continue
        }

        if (rest.length < 8) {
          // an escape sequence cut between two chunks
          this.pending = rest
          return
        }

        i += 1
        continue
      }

      if (char === '\r') this.col = 0
      else if (char === '\n') this.lineFeed()
      else if (char === '\b') this.col = Math.max(0, this.col - 1)
      else if (char >= ' ' || char === '\t') this.put(char === '\t' ? ' ' : char)
      i += 1
    }
  }

  text(): string {
    return this.lines.map((line) => line.join('').trimEnd()).join('\n').trimEnd()
  }

  private line(): string[] {
    while (this.lines.length <= this.row) this.lines.push([])
    return this.lines[this.row]
  }

  private put(char: string): void {
    if (this.col >= this.cols) {
      this.col = 0
      this.lineFeed()
    }

    const line = this.line()
    while (line.length < this.col) line.push(' ')
    line[this.col] = char
    this.col += 1
  }

  private lineFeed(): void {
    this.row += 1
    this.line()
    if (this.lines.length > this.rows * 50) {
      // keep memory bounded for long transcripts; the top scrolls away as on a real terminal
      this.lines.shift()
      this.row -= 1
    }
  }

  private csi(params: string, command: string): void {
    const numbers = params.replace(/^\?/, '').split(';').map((part) => Number.parseInt(part, 10))
    const n = Number.isNaN(numbers[0]) ? 1 : numbers[0]
    const line = this.line()
    switch (command) {
      case 'A': {
        this.row = Math.max(0, this.row - n)
        break
      }

      case 'B': {
        this.row += n
        this.line()
        break
      }

      case 'C': {
        this.col += n
        break
      }

      case 'D': {
        this.col = Math.max(0, this.col - n)
        break
      }

      case 'G': {
        this.col = Math.max(0, n - 1)
        break
      }

      case 'E': {
        this.row += n
        this.col = 0
        this.line()
        break
      }

      case 'F': {
        this.row = Math.max(0, this.row - n)
        this.col = 0
        break
      }

      case 'H':
      case 'f': {
        // absolute positions are relative to the visible window; treat the window as the last `rows` lines
        const top = Math.max(0, this.lines.length - this.rows)
        this.row = top + (Number.isNaN(numbers[0]) ? 0 : numbers[0] - 1)
        this.col = Number.isNaN(numbers[1]) ? 0 : numbers[1] - 1
        this.line()
        break
      }

      case 'K': {
        const mode = Number.isNaN(numbers[0]) ? 0 : numbers[0]
        if (mode === 0) line.length = Math.min(line.length, this.col)
        else if (mode === 1) for (let i = 0; i <= this.col && i < line.length; i += 1) line[i] = ' '
        else line.length = 0
        break
      }

      case 'J': {
        const mode = Number.isNaN(numbers[0]) ? 0 : numbers[0]
        if (mode === 0) {
          line.length = Math.min(line.length, this.col)
          this.lines.length = this.row + 1
        } else if (mode === 2 || mode === 3) {
          this.lines = [[]]
          this.row = 0
          this.col = 0
        }

        break
      }

      default: {
        // colours (m), modes (h/l) and the rest do not change the text
      }
    }
  }
}
