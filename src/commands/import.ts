import {Flags} from '@oclif/core'
import {resolve} from 'node:path'

import {BaseCommand} from '../base-command.js'
import {openServiceContext} from '../data/context.js'
import * as imports from '../data/import.js'
import {ImportStateStore, importStateFolder} from '../data/import-state.js'
import type {ImportResult} from '../data/import.js'
import {readDataModel} from '../data/ndf.js'
import {UserError} from '../errors.js'
import {projectFlags} from '../flags.js'
import * as output from '../output/data.js'
import {plainProgress} from '../output/progress.js'
import {withInterruptSignal} from '../signals.js'

export type ImportDocument = ImportResult & {service: string; stage: string}

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
    const cwd = process.cwd()
    const progress = plainProgress((text) => process.stderr.write(text))
    const debug = process.env.DEBUG ? (line: string) => process.stderr.write(`${line}\n`) : undefined
    try {
      return await withInterruptSignal('Import interrupted.', async (signal) => {
        const {client, endpoint, project} = await openServiceContext({command: 'import', cwd, debug, env: process.env, flags, relationalOnly: true, signal})
        if (project.datamodel.files.length === 0) {
          throw new UserError(`${project.file} has no datamodel, so the data cannot be checked before the import. Add \`datamodel: datamodel.prisma\` to it.`, {code: 'PROJECT_INVALID'})
        }

        let model
        try {
          model = await readDataModel(project.datamodel.text)
        } catch (error) {
          throw new UserError(`The datamodel of ${project.file} cannot be read: ${(error as Error).message}`, {cause: error, code: 'PROJECT_INVALID'})
        }

        const source = await imports.openImportSource(resolve(cwd, flags.data), flags.data)
        try {
          progress.start('Validating data')
          const counts = await imports.validateImport(source, model, signal)
          progress.stop()
          let lastKind = ''
          const result = await imports.uploadImport({
            client,
            counts,
            onResume({skipped, total, values}) {
              progress.stop()
              process.stderr.write(`Resuming the import of ${flags.data}: the server accepted ${skipped} of ${total} requests (${values} values) before; they are skipped.\n`)
            },
            resume: {fresh: !flags.resume, service: endpoint.service, stage: endpoint.stage, store: new ImportStateStore(importStateFolder(process.env)), url: endpoint.httpUrl},
            onChunk({file, sent, total}) {
              if (file.kind !== lastKind) {
                progress.stop()
                progress.start(`Uploading ${file.kind}`)
                lastKind = file.kind
              }

              if (total > 20 && sent % 10 === 0) progress.status(`${sent}/${total} chunks`)
            },
            signal,
            source,
          })
          progress.stop()
          const document = {...result, service: endpoint.service, stage: endpoint.stage}
          this.log(output.formatImport(document))
          return document
        } finally {
          await source.close()
        }
      })
    } catch (error) {
      progress.interrupt()
      throw error
    }
  }
}
