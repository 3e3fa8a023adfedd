/**
 * `prisma import`: checks every file of a zip or folder in the import data format against the datamodel, then
 * uploads nodes, then lists, then relations.
 */
import {resolve} from 'node:path'

import {ImportStateStore, importStateFolder} from '../data/import-state.js'
import * as imports from '../data/import.js'
import {readDataModel} from '../data/ndf.js'
import {ProjectError} from '../errors.js'
import type {Project} from '../project/index.js'
import type {Io} from './io.js'
import {interruptible} from './shared.js'
import {openStage, projectOf, requireRelational, type StageOptions} from './stage.js'

export type ImportDocument = imports.ImportResult & {service: string; stage: string}

export type ImportOptions = Omit<StageOptions, 'io' | 'signal'> & {
  /** --data: the zip file or folder. */
  data: string
  /** Continue an import of the same data that stopped (--no-resume: false, start over). */
  resume: boolean
}

export async function importData(o: ImportOptions, io: Io): Promise<ImportDocument> {
  return interruptible(io, 'Import interrupted.', async (signal) => {
    const stage = await openStage({...o, io, signal})
    const project = projectOf(stage)
    requireRelational(project, 'import')
    const model = await dataModelOf(project)
    const client = await stage.serviceClient()
    const source = await imports.openImportSource(resolve(o.cwd, o.data), o.data)
    try {
      io.progress.start('Validating data')
      const counts = await imports.validateImport(source, model, signal)
      io.progress.stop()
      let lastKind = ''
      const result = await imports.uploadImport({
        client,
        counts,
        onChunk({file, sent, total}) {
          if (file.kind !== lastKind) {
            io.progress.stop()
            io.progress.start(`Uploading ${file.kind}`)
            lastKind = file.kind
          }

          if (total > 20 && sent % 10 === 0) io.progress.status(`${sent}/${total} chunks`)
        },
        onResume({skipped, total, values}) {
          io.progress.stop()
          io.notice(`Resuming the import of ${o.data}: the server accepted ${skipped} of ${total} requests (${values} values) before; they are skipped.`)
        },
        resume: {
          fresh: !o.resume,
          service: stage.endpoint.service,
          stage: stage.endpoint.stage,
          store: new ImportStateStore(importStateFolder(o.env)),
          url: stage.endpoint.httpUrl,
        },
        signal,
        source,
      })
      io.progress.stop()
      return {...result, service: stage.endpoint.service, stage: stage.endpoint.stage}
    } finally {
      await source.close()
    }
  })
}

/** The datamodel the rows are checked against: an import without one could not be checked. */
async function dataModelOf(project: Project) {
  if (project.datamodel.files.length === 0) {
    throw new ProjectError(`${project.file} has no datamodel, so the data cannot be checked before the import. Add \`datamodel: datamodel.prisma\` to it.`)
  }

  try {
    return await readDataModel(project.datamodel.text)
  } catch (error) {
    throw new ProjectError(`The datamodel of ${project.file} cannot be read: ${(error as Error).message}`, {cause: error})
  }
}
