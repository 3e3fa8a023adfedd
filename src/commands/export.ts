import {Flags} from '@oclif/core'

import {type ExportDocument, exportStage} from '../actions/export.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import {formatExport} from '../output/data.js'

export type {ExportDocument} from '../actions/export.js'

export default class Export extends BaseCommand {
  static override summary = 'Export the data of the service stage into a zip'

  static override description = `Downloads every node, scalar list value and relation of the service stage through its export API, page by page, into a zip in the import data format (nodes/, lists/, relations/ with 000001.json, ...). The zip is written under a temporary name and renamed when complete, so the path never holds a partial export.

Without --path the file is export-<date and time>.zip in the working directory. An existing file is replaced only with --force.`

  static override examples = [
    '<%= config.bin %> export',
    '<%= config.bin %> export --path backup.zip',
    '<%= config.bin %> export --path backup.zip --force --json',
  ]

  static override flags = {
    // as in the original, -p is --path here; --project has no short form
    path: Flags.string({char: 'p', description: 'The zip file to write (default: export-<date>.zip); .zip is added when missing', helpValue: 'FILE.zip'}),
    force: Flags.boolean({char: 'f', description: 'Replace the file at --path when it exists', default: false}),
    project: Flags.string({description: projectFlags.project.description, helpValue: 'PATH'}),
    'env-file': projectFlags['env-file'],
  }

  async run(): Promise<ExportDocument> {
    const {flags} = await this.parse(Export)
    const {document, shownPath} = await exportStage({cwd: process.cwd(), env: process.env, flags, force: flags.force, path: flags.path}, this.io())
    this.log(formatExport(document, shownPath))
    return document
  }
}
