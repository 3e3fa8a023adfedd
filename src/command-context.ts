/**
 * The command side of the server commands (info, list, delete, migrations, admin, playground): what their domain
 * functions get from the parsed flags and the process, and the run of admin and playground, which differ only in the
 * page they open. Like base-command.ts, this is command code: it reads the process and writes notices to stderr
 * (stdout stays for the result).
 */
import {homedir} from 'node:os'

import type {ServicePage} from './services/links.js'
import type {ServiceContextOptions} from './services/session.js'

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

export interface LinkResult {
  page: ServicePage
  service: string
  stage: string
  /** The address (for Prisma Admin without the token the browser gets). */
  url: string
  /** Whether a browser was started. */
  opened: boolean
  /** Whether the service has a secret (Prisma Admin then got a service token in its address). */
  secured: boolean
  /** The server's version (Prisma Admin only). */
  version?: string
}

/**
 * `prisma admin` and `prisma playground`: prints the page's address (through `log`, which --json silences) and, at a
 * terminal only, opens it in a browser.
 */
export async function openServicePage(
  page: ServicePage,
  flags: {project?: string; 'env-file'?: string},
  o: {interactive: boolean; log: (text: string) => void},
): Promise<LinkResult> {
  const [{serviceLink}, output, {openBrowser}] = await Promise.all([
    import('./services/links.js'),
    import('./output/services.js'),
    import('./cloud-api/browser.js'),
  ])
  const context = serviceContextOptions(flags)
  const link = await serviceLink({...context, page})
  o.log(output.formatLink(link, page))
  const opened = o.interactive && (await openBrowser(link.browserUrl, {env: context.env}))
  for (const note of output.linkNotes(link, page, opened)) noteLine(note)
  return {
    opened,
    page,
    secured: link.secured,
    service: link.service,
    stage: link.stage,
    url: link.url,
    ...(link.version === undefined ? {} : {version: link.version}),
  }
}
