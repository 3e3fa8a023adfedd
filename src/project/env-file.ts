// Loads the dotenv file (`.env` in the working directory, or --env-file) into a merged copy of the environment.
import {stat} from 'node:fs/promises'
import {resolve} from 'node:path'
import {parseEnv} from 'node:util'

import {UserError} from '../errors.js'
import {readTextFile} from './read-text.js'

export interface LoadEnvironmentOptions {
  cwd: string
  /** --env-file: a path relative to cwd (or absolute). Missing or not a file is an error. */
  envFile?: string
  env: NodeJS.ProcessEnv
}

/**
 * Returns `env` merged with the variables of the dotenv file; variables already set in `env` win.
 * Never touches process.env.
 */
export async function loadEnvironment(o: LoadEnvironmentOptions): Promise<Record<string, string | undefined>> {
  const merged: Record<string, string | undefined> = {...o.env}
  let file: string | undefined
  if (o.envFile !== undefined) {
    if (o.envFile.trim() === '') throw new UserError('--env-file was given an empty path. Pass the path of a .env file.')
    file = resolve(o.cwd, o.envFile)
    const stats = await stat(file).catch(() => undefined)
    if (!stats) throw new UserError(`--env-file path '${file}' does not exist. Pass the path of a .env file (relative to ${o.cwd}).`)
    if (stats.isDirectory()) throw new UserError(`--env-file path '${file}' is a directory. Pass the path of a .env file.`)
  } else {
    const candidate = resolve(o.cwd, '.env')
    const stats = await stat(candidate).catch(() => undefined)
    // The implicit .env is optional: a missing one, or a folder of that name, is simply not used.
    if (stats?.isFile()) file = candidate
  }
  if (file === undefined) return merged

  const text = await readTextFile(file, {what: o.envFile !== undefined ? '--env-file' : '.env file'})
  let parsed: Record<string, string>
  try {
    parsed = parseEnv(text) as Record<string, string>
  } catch (error) {
    throw new UserError(`The env file ${file} cannot be parsed: ${(error as Error).message}. Use lines like NAME=value.`)
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (merged[key] === undefined) merged[key] = value
  }
  return merged
}
