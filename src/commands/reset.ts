import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {openServiceContext} from '../data/context.js'
import {NeedsTerminalError} from '../errors.js'
import {projectFlags} from '../flags.js'
import * as output from '../output/data.js'
import {plainProgress} from '../output/progress.js'
import {withInterruptSignal} from '../signals.js'

export interface ResetDocument {
  service: string
  stage: string
  /** false when the question was answered no. */
  reset: boolean
}

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
    const progress = plainProgress((text) => process.stderr.write(text))
    const debug = process.env.DEBUG ? (line: string) => process.stderr.write(`${line}\n`) : undefined
    try {
      return await withInterruptSignal('Reset interrupted; the server may have deleted the data already.', async (signal) => {
        const {client, endpoint} = await openServiceContext({command: 'reset', cwd: process.cwd(), debug, env: process.env, flags, signal})
        const {service, stage} = endpoint
        if (!flags.force) {
          if (!this.interactive) {
            throw new NeedsTerminalError(
              `prisma reset deletes all data of ${service}@${stage}, and there is no terminal to confirm it. Pass --force to reset without a question.`,
            )
          }

          const {createInquirerPrompter} = await import('../wizard/inquirer-prompter.js')
          const answer = await createInquirerPrompter({output: process.stdout}).input({default: 'n', message: output.resetQuestion(service, stage)})
          if (!/^y/i.test(answer.trim())) {
            const document = {reset: false, service, stage}
            this.log(output.formatReset(document))
            return document
          }
        }

        progress.start(`Resetting ${service}@${stage}`)
        await client.resetData()
        progress.stop()
        const document = {reset: true, service, stage}
        this.log(output.formatReset(document))
        return document
      })
    } catch (error) {
      progress.interrupt()
      throw error
    }
  }
}
