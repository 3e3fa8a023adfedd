/** Texts of `prisma deploy` for humans, with the original CLI's wording. Pure functions: they return strings. */
import type {SchemaProblem} from '../management-api/types.js'
import {boldQuoted, quoted, symbols, type Colors} from './colors.js'

export const forceFlagDocs = 'https://bit.ly/prisma-force-flag'

/** `Errors:`/`Warnings:` blocks: grouped by type in order of first appearance, one bullet per description. */
export function formatProblems(problems: SchemaProblem[], kind: 'errors' | 'warnings', c: Colors): string[] {
  const lines = [kind === 'errors' ? c.bold.red('\nErrors:') : c.bold.yellow('\nWarnings:')]
  const groups = new Map<string, SchemaProblem[]>()
  for (const problem of problems) {
    const group = groups.get(problem.type)
    if (group) group.push(problem)
    else groups.set(problem.type, [problem])
  }

  const bullet = kind === 'errors' ? c.red(symbols.cross) : c.yellow.bold('!')
  for (const [type, group] of groups) {
    lines.push(`\n  ${c.bold(type)}`)
    for (const problem of group) lines.push(`    ${bullet} ${boldQuoted(c, problem.description)}`)
  }

  return lines
}

export const errorsFooter = [
  'Deployment canceled. Please fix the above errors to continue deploying.',
  `Read more about deployment errors here: ${forceFlagDocs}`,
]

export function warningsFooter(c: Colors): string[] {
  return [
    `If you want to ignore the warnings, please deploy with the --force flag: ${c.cyan('$ prisma1 deploy --force')}`,
    `Read more about deployment warnings here: ${forceFlagDocs}`,
  ]
}

export const forcedWarningsLine = '\nIgnoring warnings because you provided --force.'

export function noChangesLine(dryRun: boolean): string {
  return dryRun ? 'There are no changes.' : 'Service is already up to date.'
}

export function changesHeader(dryRun: boolean, c: Colors): string {
  return '\n' + c.bold(dryRun ? 'Potential changes:' : 'Changes:')
}

/** Elapsed time after a step; the one rendering lives with the other durations. */
export {formatElapsed as prettyTime} from '../duration.js'

export function deployingText(options: {dryRun: boolean; service: string; stage: string; server: string}, c: Colors): string {
  const verb = options.dryRun ? 'Performing dry run for' : 'Deploying'
  return `${verb} service ${quoted(c, options.service)} to stage ${quoted(c, options.stage)} to server ${quoted(c, options.server)}`
}

export function creatingStageText(service: string, stage: string): string {
  return `Creating stage ${stage} for service ${service}`
}

export function progressText(applied: number, total: number, c: Colors): string {
  return c.blue(`(${applied}/${total})`)
}

/** Prisma Admin came with server 1.29. */
export function hasAdmin(version: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '')
  if (!match) return false
  const [major, minor] = [Number(match[1]), Number(match[2])]
  return major > 1 || (major === 1 && minor >= 29)
}

export function formatEndpoints(endpoints: {http: string; ws: string}, version: string | undefined): string {
  const admin = hasAdmin(version) ? `\n\nYou can view & edit your data here:\n\n  Prisma Admin: ${endpoints.http}/_admin` : ''
  return `\nYour Prisma endpoint is live:\n\n  HTTP:  ${endpoints.http}\n  WS:    ${endpoints.ws}${admin}\n`
}
