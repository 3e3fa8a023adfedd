/** Texts of `prisma deploy` for humans, with the original CLI's wording. Pure functions: they return strings. */
import type {SchemaProblem} from '../management-api/types.js'
import type {DeployEvent} from '../deploy/flow.js'
import {boldQuoted, quoted, symbols, type Colors} from './colors.js'
import {stepLines} from './steps.js'

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

/** The deploy flow's sentences: progress lines, notices and the messages of a deploy that did not succeed. */
export const deployTexts = {
  noMigrateUnsupported:
    "You provided the --no-migrate option, but the Prisma server doesn't support it yet. It's supported in Prisma 1.26 and above.",
  dryRunOfNewStage: (t: {service: string; stage: string; serverName: string}) =>
    `\nService ${t.service} has no stage ${t.stage} on server ${t.serverName} yet. ` +
    'A deploy would create it and then create every type of the datamodel; a dry run changes nothing, ' +
    'so there is nothing to compare with.',
  stageAlreadyThere: 'already there',
  interruptedWhileSending: (serverName: string) =>
    `Interrupted while the deploy was being sent to the server ${serverName}; it may have arrived there. ` +
    'Run the deploy again to see where the service stands.',
  interruptedWhileWaiting: (revision: number, serverName: string) =>
    `Interrupted while waiting for the migration (revision ${revision}). The migration goes on on ` +
    `the server ${serverName}; deploy again later to see its result.`,
  refusedForErrors: (count: number) =>
    `Deploy refused: the server found ${count} error${count === 1 ? '' : 's'} (listed above); nothing was changed.`,
  refusedForWarnings: (count: number) =>
    `Deploy refused: ${count === 1 ? '1 warning (listed above) needs' : `${count} warnings (listed above) need`} your consent; nothing was changed. ` +
    'Deploy with --force to accept them.',
  applyingChanges: 'Applying changes',
  migrationTimeout: (o: {revision: number; timeout: string; state?: {status: string; applied: number; total: number}; serverName: string}) =>
    `The migration of revision ${o.revision} did not finish within ${o.timeout}` +
    (o.state ? ` (status ${o.state.status}, ${o.state.applied}/${o.state.total} steps applied)` : '') +
    `. It continues on the server ${o.serverName}; deploy again later to see whether it is done, or raise --timeout.`,
  migrationFailed: (o: {revision: number; service: string; stage: string; status: string; errors: string[]}) =>
    `${migrationFailedIntro}\n` +
    `Revision ${o.revision} of service ${o.service} stage ${o.stage} ` +
    (o.status === 'ROLLING_BACK' ? 'failed and was still rolling back when the wait ended (status ROLLING_BACK)' : `ended with status ${o.status}`) +
    (o.errors.length > 0 ? `:\n${o.errors.join('\n')}` : '; the server recorded no error details.'),
  invalidSeed:
    'Invalid seed property in `prisma.yml`. Please use `import` or `run` under the `seed` property. Follow the docs for more info: http://bit.ly/prisma-seed-optional',
}

export const migrationFailedIntro =
  'The Migration failed and has not been performed. This is very likely not a transient issue.'

/** A post-deploy hook and the seed script are run and shown the same way; only their words differ. */
export const commandTexts = {
  hook: {
    header: (c: Colors) => `\n${c.bold('post-deploy')}:`,
    start: (command: string, c: Colors) => `Running ${c.cyan(command)}`,
    failed: (command: string, why: string) => `Hook \`${command}\` failed (${why}); the deploy itself succeeded.`,
  },
  seed: {
    header: (c: Colors) => c.bold('\nHooks:'),
    start: (source: string, c: Colors) => `Seeding based on ${c.bold(source)}`,
  },
}

/** Why a hook did not succeed, in a few words. */
export function hookFailure(result: {error?: string; signal: string | null; code: number | null}): string {
  return result.error ?? (result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`)
}

/**
 * Writes one event of the deploy's result as the original printed it. Large datamodels have tens of thousands of
 * steps: the listing is written in batches, never held whole as text.
 */
export function renderDeployEvent(event: DeployEvent, c: Colors, write: (text: string) => void): void {
  switch (event.type) {
    case 'dry-run-of-new-stage': {
      write(`${deployTexts.dryRunOfNewStage(event.target)}\n`)
      break
    }

    case 'problems': {
      const footer = event.kind === 'errors' ? ['', ...errorsFooter] : event.forced ? [forcedWarningsLine] : ['', ...warningsFooter(c)]
      write(`${[...formatProblems(event.problems, event.kind, c), ...footer].join('\n')}\n`)
      break
    }

    case 'changes': {
      if (event.steps.length === 0) {
        write(`${noChangesLine(event.dryRun)}\n`)
        break
      }

      let batch = [changesHeader(event.dryRun, c)]
      for (const line of stepLines(event.steps, c)) {
        batch.push(line)
        if (batch.length >= 2000) {
          write(`${batch.join('\n')}\n`)
          batch = []
        }
      }

      batch.push('')
      write(`${batch.join('\n')}\n`)
      break
    }

    case 'endpoints': {
      write(`${formatEndpoints(event.endpoints, event.version)}\n`)
      break
    }
  }
}
