/**
 * The command side of the server commands (info, list, delete, migrations, admin, playground): what their domain
 * functions get from the parsed flags and the process. Like base-command.ts, this is command code: it reads the
 * process and writes notices to stderr (stdout stays for the result).
 */
import {homedir} from 'node:os'

import type {ServiceContextOptions} from './management-api/session.js'

/** One line on stderr. */
export function noteLine(line: string): void {
  process.stderr.write(`${line}\n`)
}

export function serviceContextOptions(flags: {project?: string; 'env-file'?: string}): ServiceContextOptions & {home: string} {
  const env = {...process.env}
  return {
    cwd: process.cwd(),
    debug: env.DEBUG ? noteLine : undefined,
    env,
    envFile: flags['env-file'],
    home: env.HOME || homedir(),
    onWarning: noteLine,
    // ${opt:NAME} in prisma.yml reads the command's flags
    options: flags,
    project: flags.project,
  }
}
