import {Flags} from '@oclif/core'
import {resolve} from 'node:path'

import {BaseCommand} from '../base-command.js'
import {openServiceContext} from '../data/context.js'
import {type ExportResult, exportData, defaultExportName} from '../data/export.js'
import {shownPath} from '../data/import.js'
import {projectFlags} from '../flags.js'
import * as output from '../output/data.js'
import {plainProgress} from '../output/progress.js'
import {withInterruptSignal} from '../signals.js'

export type ExportDocument = ExportResult & {service: string; stage: string}

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
    const cwd = process.cwd()
    const progress = plainProgress((text) => process.stderr.write(text))
    const debug = process.env.DEBUG ? (line: string) => process.stderr.write(`${line}\n`) : undefined
    let given = flags.path ?? defaultExportName(new Date())
    if (!given.toLowerCase().endsWith('.zip')) given += '.zip'
    const path = resolve(cwd, given)
    try {
      return await withInterruptSignal('Export interrupted.', async (signal) => {
        const {client, endpoint} = await openServiceContext({command: 'export', cwd, debug, env: process.env, flags, relationalOnly: true, signal})
        let lastUpdate = 0
        const result = await exportData({
          client,
          force: flags.force,
          onKind(kind) {
            progress.stop()
            progress.start(`Downloading ${kind}`)
            lastUpdate = Date.now()
          },
          onPage({values}) {
            // long exports show how far they are, at most once a second
            if (Date.now() - lastUpdate < 1000) return
            progress.status(`${values.toLocaleString('en-US')} so far`)
            lastUpdate = Date.now()
          },
          path,
          shown: given,
          signal,
        })
        progress.stop()
        const document = {...result, service: endpoint.service, stage: endpoint.stage}
        this.log(output.formatExport(document, shownPath(path, cwd)))
        return document
      })
    } catch (error) {
      progress.interrupt()
      throw error
    }
  }
}
