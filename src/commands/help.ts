import {Args, Flags, loadHelpClass} from '@oclif/core'

import {BaseCommand} from '../base-command.js'

export default class HelpCommand extends BaseCommand {
  static override summary = 'Show help for prisma or for one of its commands'

  static override examples = ['<%= config.bin %> help deploy', '<%= config.bin %> help cluster-token']

  static override args = {
    command: Args.string({description: 'The command to show help for', required: false}),
  }

  static override flags = {
    'nested-commands': Flags.boolean({char: 'n', description: 'Include nested commands in the list'}),
  }

  // `prisma help cluster token` names a command by its words
  static override strict = false

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(HelpCommand)
    const Help = await loadHelpClass(this.config)
    const help = new Help(this.config, {...this.config.pjson.oclif.helpOptions, all: flags['nested-commands']})
    await help.showHelp(argv as string[])
  }
}
