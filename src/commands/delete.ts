import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {noteLine, serviceContextOptions} from '../command-context.js'
import {NeedsTerminalError} from '../errors.js'
import {projectFlags} from '../flags.js'
import {colorsFor} from '../output/colors.js'
import {prettyTime} from '../output/deploy.js'
import {plainProgress} from '../output/progress.js'
import * as output from '../output/services.js'
import {type DeleteOutcome, deleteServiceStage} from '../services/delete.js'

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
    const context = serviceContextOptions(flags)
    // --json: stdout carries the result document only
    const human = this.jsonEnabled() ? process.stderr : process.stdout
    const colors = colorsFor(human, context.env)
    const progress = plainProgress((text) => human.write(text))
    const confirm = async (endpoint: string) => {
      const {createInquirerPrompter} = await import('../wizard/inquirer-prompter.js')
      const answer = await createInquirerPrompter({output: process.stdout}).input({default: 'n', message: output.deleteQuestion(endpoint, colors)})
      return output.confirmsDeletion(answer)
    }

    let outcome: DeleteOutcome
    try {
      outcome = await deleteServiceStage({
        ...context,
        confirm: flags.force ? undefined : confirm,
        // said once prisma.yml is read, so a problem of prisma.yml is said first, as by every command
        cannotConfirm:
          flags.force || this.interactive
            ? undefined
            : new NeedsTerminalError('prisma delete asks for confirmation, which needs a terminal. To delete the service stage without being asked, pass --force.'),
        onDeleting: (endpoint, server) => progress.start(output.deletingText(endpoint, server, colors)),
      })
    } catch (error) {
      progress.interrupt()
      throw error
    }

    progress.stop(prettyTime(outcome.durationMs))
    if (outcome.status === 'cancelled') noteLine(output.deleteCancelledLine)
    return outcome
  }
}
