/**
 * Runs prisma.yml hook command lines (post-deploy, seed.run) without a shell: the line is split into words here
 * (quotes group words, a backslash escapes the next character outside single quotes), the program is looked up on
 * PATH (with the project's node_modules/.bin in front, as npm scripts have it), and on Windows a `.cmd`/`.bat` shim
 * is started through cmd.exe with its arguments escaped, the way cross-spawn does it.
 */
import {spawn} from 'node:child_process'
import {delimiter, extname, join} from 'node:path'

import {findProgram} from '../find-program.js'

export {findProgram} from '../find-program.js'

export interface HookResult {
  command: string
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Set when the program could not be started (not found, not executable). */
  error?: string
}

export function splitCommandLine(line: string): string[] {
  const words: string[] = []
  let current = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (let index = 0; index < line.length; index++) {
    const char = line[index]
    if (quote) {
      if (char === quote) quote = undefined
      else if (char === '\\' && quote === '"' && (line[index + 1] === '"' || line[index + 1] === '\\')) current += line[++index]
      else current += char
    } else if (char === '"' || char === "'") {
      quote = char
      inWord = true
    } else if (char === '\\' && index + 1 < line.length && process.platform !== 'win32') {
      current += line[++index]
      inWord = true
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current)
      current = ''
      inWord = false
    } else {
      current += char
      inWord = true
    }
  }

  if (quote) throw new Error(`unbalanced ${quote} quote`)
  if (inWord) words.push(current)
  return words
}

const cmdMeta = /([()\][%!^"`<>&|;, *?])/g

/** Escapes an argument for cmd.exe running a batch file (quote, double the backslashes before quotes, caret meta). */
export function escapeForCmd(argument: string, doubleEscape: boolean): string {
  let escaped = argument.replaceAll(/(\\*)"/g, '$1$1\\"').replace(/(\\*)$/, '$1$1')
  escaped = `"${escaped}"`.replaceAll(cmdMeta, '^$1')
  if (doubleEscape) escaped = escaped.replaceAll(cmdMeta, '^$1')
  return escaped
}

export interface RunHookOptions {
  cwd: string
  env?: NodeJS.ProcessEnv
  signal?: AbortSignal
  platform?: NodeJS.Platform
  /** Receives the program's output as it comes (it is collected for the result as well). */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void
}

export async function runHook(command: string, options: RunHookOptions): Promise<HookResult> {
  const platform = options.platform ?? process.platform
  const baseEnv = options.env ?? process.env
  const pathKey = platform === 'win32' ? (Object.keys(baseEnv).find((key) => key.toUpperCase() === 'PATH') ?? 'Path') : 'PATH'
  const env = {...baseEnv, [pathKey]: [join(options.cwd, 'node_modules', '.bin'), baseEnv[pathKey] ?? ''].join(platform === 'win32' ? ';' : delimiter)}
  const failed = (error: string): HookResult => ({code: null, command, error, signal: null, stderr: '', stdout: ''})

  let words: string[]
  try {
    words = splitCommandLine(command)
  } catch (error) {
    return failed(`Could not read the command line: ${(error as Error).message}.`)
  }

  if (words.length === 0) return failed('The hook is empty.')
  const [program, ...args] = words
  const found = findProgram(program, env, options.cwd, platform)
  if (!found) return failed(`Command not found: ${program}`)

  let file = found
  let argv = args
  let verbatim = false
  if (platform === 'win32' && /\.(cmd|bat)$/i.test(extname(found))) {
    const doubleEscape = /node_modules[\\/]\.bin[\\/][^\\/]+\.cmd$/i.test(found)
    const line = [found, ...args].map((arg) => escapeForCmd(arg, doubleEscape)).join(' ')
    file = env.comspec ?? env.ComSpec ?? 'cmd.exe'
    argv = ['/d', '/s', '/c', `"${line}"`]
    verbatim = true
  }

  return new Promise<HookResult>((resolvePromise) => {
    let stdout = ''
    let stderr = ''
    let child
    try {
      child = spawn(file, argv, {cwd: options.cwd, env, signal: options.signal, windowsVerbatimArguments: verbatim})
    } catch (error) {
      resolvePromise(failed((error as Error).message))
      return
    }

    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      options.onOutput?.(chunk, 'stdout')
    })
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      options.onOutput?.(chunk, 'stderr')
    })
    child.stdin?.end()
    let settled = false
    child.on('error', (error) => {
      if (settled) return
      settled = true
      resolvePromise({code: null, command, error: error.message, signal: null, stderr, stdout})
    })
    child.on('close', (code, signal) => {
      if (settled) return
      settled = true
      resolvePromise({code, command, signal, stderr, stdout})
    })
  })
}

export function hookSucceeded(result: HookResult): boolean {
  return !result.error && result.code === 0
}

