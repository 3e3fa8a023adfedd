import {Flags} from '@oclif/core'

import {type MigrationHistory, migrations} from '../actions/migrations.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import {colorsFor} from '../output/colors.js'
import {formatMigrations} from '../output/migrations.js'

export type MigrationsResult = MigrationHistory

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
    const history = await migrations({cwd: process.cwd(), env: process.env, flags, io: this.io(), limit: flags.limit})
    this.log(formatMigrations(history, colorsFor(process.stdout)))
    return history
  }
}
