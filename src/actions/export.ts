/** `prisma export`: the data of the service stage into a zip in the import data format. */
import {resolve} from 'node:path'

import {defaultExportName, exportData, type ExportResult} from '../data/export.js'
import {shownPath} from '../data/import.js'
import type {Io} from './io.js'
import {interruptible, throttled} from './shared.js'
import {openStage, projectOf, requireRelational, type StageOptions} from './stage.js'

export type ExportDocument = ExportResult & {service: string; stage: string}

export type ExportOptions = Omit<StageOptions, 'io' | 'signal'> & {
  /** --path (.zip is added when missing); default export-<date and time>.zip. */
  path?: string
  force: boolean
}

export async function exportStage(o: ExportOptions, io: Io): Promise<{document: ExportDocument; shownPath: string}> {
  let given = o.path ?? defaultExportName(new Date())
  if (!given.toLowerCase().endsWith('.zip')) given += '.zip'
  const path = resolve(o.cwd, given)
  return interruptible(io, 'Export interrupted.', async (signal) => {
    const stage = await openStage({...o, io, signal})
    requireRelational(projectOf(stage), 'export')
    const client = await stage.serviceClient()
    // long exports show how far they are, at most once a second
    const status = throttled((text) => io.progress.status(text))
    const result = await exportData({
      client,
      force: o.force,
      onKind(kind) {
        io.progress.stop()
        io.progress.start(`Downloading ${kind}`)
        status.restart()
      },
      onPage: ({values}) => status.update(() => `${values.toLocaleString('en-US')} so far`),
      path,
      shown: given,
      signal,
    })
    io.progress.stop()
    return {document: {...result, service: stage.endpoint.service, stage: stage.endpoint.stage}, shownPath: shownPath(path, o.cwd)}
  })
}
