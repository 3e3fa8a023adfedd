import {Flags} from '@oclif/core'

import {type DeleteOutcome, deleteStage} from '../actions/delete.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import {colorsFor} from '../output/colors.js'
import {deleteCancelledLine} from '../output/services.js'

export type DeleteResult = DeleteOutcome

export default class Delete extends BaseCommand {
  static override summary = 'Delete the service stage of prisma.yml from its server, with all its data'

  static override description = `Deletes the service stage of prisma.yml's endpoint on its server (Management API deleteProject): its datamodel, migrations and data.

In a terminal it asks first; without a terminal (CI, pipes, --json) it deletes only with --force. A stage that does not exist is an error (exit 1), with or without --force.`

  static override examples = ['<%= config.bin %> delete', '<%= config.bin %> delete --force --json']

  static override flags = {
    force: Flags.boolean({char: 'f', description: 'Delete without asking for confirmation', default: false}),
    ...projectFlags,
  }

  async run(): Promise<DeleteResult> {
    const {flags} = await this.parse(Delete)
    // the original's deleting line is delete's output: stdout (stderr under --json)
    const io = this.io({transcript: true})
    const outcome = await deleteStage({colors: colorsFor(this.jsonEnabled() ? process.stderr : process.stdout), cwd: process.cwd(), env: process.env, flags, force: flags.force}, io)
    if (outcome.status === 'cancelled') io.notice(deleteCancelledLine)
    return outcome
  }
}
