import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import type {MigrationHistory} from '../services/migrations.js'

export type MigrationsResult = Omit<MigrationHistory, 'warnings'>

export default class Migrations extends BaseCommand {
  static override summary = 'List the migrations of the service stage, newest first, and what the server is working on'

  static override description = `Asks the server of prisma.yml's endpoint for the migrations of the service stage (Management API listMigrations): revision, status, applied and total steps, errors, start and finish times, newest first.

The server applies one migration at a time; the one it is working on is marked with *. Until it has finished, deploys to the stage are refused as "deployment in progress" (code 4008).`

  static override examples = ['<%= config.bin %> migrations', '<%= config.bin %> migrations --limit 5 --json']

  static override flags = {
    limit: Flags.integer({description: 'Show only the newest N migrations', helpValue: 'N', min: 1}),
    ...projectFlags,
  }

  async run(): Promise<MigrationsResult> {
    const {flags} = await this.parse(Migrations)
    const [{readMigrationHistory}, {formatMigrations}, {colorsFor}, {homedir}] = await Promise.all([
      import('../services/migrations.js'),
      import('../output/migrations.js'),
      import('../output/colors.js'),
      import('node:os'),
    ])
    const env = {...process.env}
    const history = await readMigrationHistory({
      cwd: process.cwd(),
      debug: env.DEBUG ? (line) => process.stderr.write(`${line}\n`) : undefined,
      env,
      envFile: flags['env-file'],
      home: env.HOME || homedir(),
      limit: flags.limit,
      options: flags,
      project: flags.project,
    })
    for (const warning of history.warnings) process.stderr.write(`${warning}\n`)
    this.log(formatMigrations(history, colorsFor(process.stdout, env)))
    const {warnings: _warnings, ...result} = history
    return result
  }
}
