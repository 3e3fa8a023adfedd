import {Flags} from '@oclif/core'

import {type ImportDocument, importData} from '../actions/import.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import {formatImport} from '../output/data.js'

export type {ImportDocument} from '../actions/import.js'

export default class Import extends BaseCommand {
  static override summary = 'Import data into the service stage from a zip or folder'

  static override description = `Reads a zip or folder in the import data format (nodes/, lists/, relations/ with numbered JSON files, as prisma export writes them), checks every file against the datamodel, then uploads the files in the order the format requires: nodes, then lists, then relations.

When the server rejects rows of a file, the rows and the file are named and the command exits 1; the files before it stay imported.

An import that stops (Ctrl-C, a dropped connection, a server error) continues where it stopped when the same command is run again: the requests the server accepted are skipped. The state lives in $XDG_STATE_HOME/prisma1-cli/imports (by default ~/.local/state/...) and is removed when the import completes.`

  static override examples = ['<%= config.bin %> import --data export.zip', '<%= config.bin %> import --data ./data-folder --json']

  static override flags = {
    data: Flags.string({char: 'd', description: 'The zip file or folder to import', helpValue: 'PATH', required: true}),
    resume: Flags.boolean({allowNo: true, default: true, description: 'Continue an import of the same data that stopped, skipping what the server accepted (--no-resume starts over)'}),
    ...projectFlags,
  }

  async run(): Promise<ImportDocument> {
    const {flags} = await this.parse(Import)
    const result = await importData({cwd: process.cwd(), data: flags.data, env: process.env, flags, resume: flags.resume}, this.io())
    this.log(formatImport(result))
    return result
  }
}
