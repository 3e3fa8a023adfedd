import {Flags} from '@oclif/core'

import {reset, type ResetResult} from '../actions/reset.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import {formatReset} from '../output/data.js'

export type ResetDocument = ResetResult

export default class Reset extends BaseCommand {
  static override summary = 'Delete all data of the service stage'

  static override description = `Deletes every node, scalar list value and relation of the service stage (the datamodel stays). In a terminal it asks for confirmation first; elsewhere (CI, pipes, --json) it needs --force.`

  static override examples = ['<%= config.bin %> reset', '<%= config.bin %> reset --force']

  static override flags = {
    force: Flags.boolean({char: 'f', description: 'Do not ask for confirmation', default: false}),
    ...projectFlags,
  }

  async run(): Promise<ResetDocument> {
    const {flags} = await this.parse(Reset)
    const result = await reset({cwd: process.cwd(), env: process.env, flags, force: flags.force}, this.io())
    this.log(formatReset(result))
    return result
  }
}
