// Loads the dotenv file (`.env` in the working directory, or --env-file) into a merged copy of the environment,
// reading it the way the original CLI did (its reader was dotenv 4), so a project's .env means what it meant there.
import {stat} from 'node:fs/promises'
import {resolve} from 'node:path'

import {ProjectError} from '../errors.js'
import {readTextFile} from './read-text.js'

export interface LoadEnvironmentOptions {
  cwd: string
  /** --env-file: a path relative to cwd (or absolute). Missing or not a file is an error. */
  envFile?: string
  env: NodeJS.ProcessEnv
}

/**
 * One `NAME=value` line as dotenv 4 matched it: optional leading whitespace, a name of word characters, dots and
 * dashes, `=` with optional whitespace around it, and the rest of the line. No `m` flag and `.` stops at a line
 * terminator, so a line holding a lone CR (or U+2028/U+2029) before more text does not match and is ignored.
 */
const ASSIGNMENT = /^\s*([\w.-]+)\s*=\s*(.*)?\s*$/

/**
 * Parses dotenv text with dotenv 4's rules: lines are split at LF only; a line that is not `NAME=value`
 * (a comment, a continuation of a quoted value) is ignored, except `export NAME=value`, read as `NAME=value`; a value is the rest of the line
 * (`#` is not a comment, backticks are kept); in a value that starts and ends with `"`, each `\n` becomes a line
 * break; then one leading and one trailing quote (either kind, matched or not) are removed and the value is trimmed.
 * A later line for the same name wins.
 */
export function parseDotenv(text: string): Map<string, string> {
  const variables = new Map<string, string>()
  for (const line of text.split('\n')) {
    // `export NAME=value` (shell syntax, which the original ignored) is read as `NAME=value`
    const match = ASSIGNMENT.exec(line) ?? ASSIGNMENT.exec(line.replace(/^\s*export\s+/, ''))
    if (!match) continue
    let value = match[2] ?? ''
    if (value.length > 0 && value.startsWith('"') && value.endsWith('"')) value = value.replaceAll('\\n', '\n')
    value = value.replace(/^['"]/, '').replace(/['"]$/, '').trim()
    variables.set(match[1], value)
  }
  return variables
}

/**
 * Returns `env` merged with the variables of the dotenv file. A variable set in `env` wins unless it is the empty
 * string, which the file's value replaces (the original's rule). Never touches process.env.
 */
export async function loadEnvironment(o: LoadEnvironmentOptions): Promise<Record<string, string | undefined>> {
  const merged: Record<string, string | undefined> = {...o.env}
  let file: string | undefined
  if (o.envFile !== undefined) {
    if (o.envFile.trim() === '') throw new ProjectError('--env-file was given an empty path. Pass the path of a .env file.')
    file = resolve(o.cwd, o.envFile)
    const stats = await stat(file).catch(() => undefined)
    if (!stats) throw new ProjectError(`--env-file path '${file}' does not exist. Pass the path of a .env file (relative to ${o.cwd}).`)
    if (stats.isDirectory()) throw new ProjectError(`--env-file path '${file}' is a directory. Pass the path of a .env file.`)
  } else {
    const candidate = resolve(o.cwd, '.env')
    const stats = await stat(candidate).catch(() => undefined)
    // The implicit .env is optional: a missing one, or a folder of that name, is simply not used.
    if (stats?.isFile()) file = candidate
  }
  if (file === undefined) return merged

  const text = await readTextFile(file, {what: o.envFile !== undefined ? '--env-file' : '.env file'})
  for (const [name, value] of parseDotenv(text)) {
    const current = Object.hasOwn(merged, name) ? merged[name] : undefined
    // defineProperty: a name like __proto__ must become a variable, not change the object's prototype
    if (current === undefined || current === '') Object.defineProperty(merged, name, {value, enumerable: true, writable: true, configurable: true})
  }
  return merged
}
