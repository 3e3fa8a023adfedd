/** Text of `prisma migrations`: a table of the stage's migrations, newest first, and what the server is working on. */
import type {MigrationHistory} from '../actions/migrations.js'
import type {Colors} from './colors.js'
import {formatTable} from './table.js'

export function formatMigrations(history: MigrationHistory, c: Colors): string {
  const header = `Migrations of service \`${c.bold(history.service)}\`, stage \`${c.bold(history.stage)}\` on server \`${c.bold(history.server)}\`, newest first:`
  const table = formatTable(
    ['Revision', 'Status', 'Steps', 'Started', 'Finished'],
    history.migrations.map((migration) => [
      `${migration.revision}${migration.current ? ' *' : ''}`,
      migration.status,
      `${migration.applied}/${migration.steps}`,
      migration.startedAt ?? '-',
      migration.finishedAt ?? '-',
    ]),
  )
  const lines = [header, '', table]
  const current = history.migrations.find((migration) => migration.current)
  if (current) {
    lines.push(
      '',
      `* The server is working on revision ${current.revision} (${current.status}, ${current.applied} of ${current.steps} steps applied). ` +
        'Until it has finished, deploys to this stage are refused as "deployment in progress" (code 4008).',
    )
  } else if (history.current !== null) {
    lines.push('', `The server is working on revision ${history.current}, which is not among those shown.`)
  }

  for (const migration of history.migrations.filter((entry) => entry.errors.length > 0)) {
    lines.push('', c.red(`Errors of revision ${migration.revision} (${migration.status}):`))
    // each error is a whole stack trace; its first line says what failed (--json has them all)
    for (const error of migration.errors) lines.push(`  ${error.split('\n')[0].trim()}`)
  }

  if (history.migrations.length < history.total) {
    lines.push('', `${history.migrations.length} of ${history.total} migrations shown (--limit).`)
  }

  return lines.join('\n')
}
