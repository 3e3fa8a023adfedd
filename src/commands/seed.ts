import {Flags} from '@oclif/core'

import {seed, type SeedDocument} from '../actions/seed.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import {formatSeed} from '../output/data.js'

export type {SeedDocument} from '../actions/seed.js'

export default class Seed extends BaseCommand {
  static override summary = "Seed the service stage with prisma.yml's seed"

  static override description = `Runs the seed of prisma.yml: \`seed: {import: FILE}\` sends each operation of a .graphql file to the service API in file order, or imports a .zip or folder in the import data format; \`seed: {run: COMMAND}\` runs the command (without a shell, as hooks run). With --reset all data of the stage is deleted first.`

  static override examples = ['<%= config.bin %> seed', '<%= config.bin %> seed --reset']

  static override flags = {
    reset: Flags.boolean({char: 'r', description: 'Delete all data of the stage before seeding', default: false}),
    ...projectFlags,
  }

  async run(): Promise<SeedDocument> {
    const {flags} = await this.parse(Seed)
    const result = await seed({cwd: process.cwd(), env: process.env, flags, reset: flags.reset}, this.io())
    this.log(formatSeed(result))
    return result
  }
}
