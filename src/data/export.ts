/**
 * Export: walks the service's export API (`/export`) for nodes, then lists, then relations, each page with the cursor
 * the previous page returned until the server says it is done, and streams the pages into a zip in the original's
 * layout (nodes/, lists/, relations/ with 000001.json, ...). The zip is written to a temporary file beside the target
 * and renamed at the end, so the target is either absent or complete: never half written, whatever stops the export.
 */
import {open, rename, stat, unlink} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {DataError, InterruptedError} from '../errors.js'
import {whileWriting} from '../signals.js'
import {ndfFileName, ndfKinds} from './ndf.js'
import {cursorDone, type NdfKind, type ServiceClient, startCursor} from './service.js'
import {ZipWriter} from './zip.js'

export interface ExportOptions {
  client: Pick<ServiceClient, 'exportPage'>
  /** Absolute path of the zip to write. */
  path: string
  /** How messages name the path (as the user gave it); `path` when absent. */
  shown?: string
  /** Write Zip64 records even when the archive does not need them. */
  forceZip64?: boolean
  /** Replace an existing file at `path`. */
  force?: boolean
  signal?: AbortSignal
  /** Before the walk of each kind. */
  onKind?: (kind: NdfKind) => void
  /** After each page: the kind, the pages and the values of that kind so far. */
  onPage?: (event: {kind: NdfKind; pages: number; values: number}) => void
}

export interface ExportResult {
  path: string
  bytes: number
  nodes: number
  lists: number
  relations: number
  /** NDF files in the zip. */
  files: number
}

/** Reasons a write fails for lack of room. */
const noSpaceCodes = new Set(['ENOSPC', 'EDQUOT', 'EFBIG'])

/** A page that moves the cursor nowhere and brings nothing would make the walk endless. */
const maxPagesPerKind = 10_000_000

/** Why a file cannot be created at `shown`, in words that name the path the user gave (never the temporary file). */
function placeProblem(error: NodeJS.ErrnoException, shown: string): string {
  const folder = dirname(shown)
  switch (error.code) {
    case 'ENOENT': {
      return `the folder ${folder} does not exist`
    }

    case 'ENOTDIR': {
      return `${folder} is not a folder`
    }

    case 'EACCES':
    case 'EPERM': {
      return `there is no permission to write in ${folder}`
    }

    case 'EROFS': {
      return `${folder} is on a read-only file system`
    }

    default: {
      return `${error.code ?? 'the file cannot be created'}`
    }
  }
}

export async function exportData(o: ExportOptions): Promise<ExportResult> {
  const shown = o.shown ?? o.path
  const existing = await stat(o.path).catch(() => undefined)
  if (existing?.isDirectory()) throw new DataError(`The export path ${shown} is a folder. Give the zip file to write with --path, e.g. --path backup.zip.`)
  if (existing && !o.force) {
    throw new DataError(`${shown} already exists. Pass --force to replace it, or choose another file with --path.`)
  }

  const temporary = join(dirname(o.path), `.${basename(o.path)}.${process.pid}.partial`)
  let file
  try {
    file = await open(temporary, 'wx', 0o644)
  } catch (error) {
    throw new DataError(`Cannot write the export to ${shown}: ${placeProblem(error as NodeJS.ErrnoException, shown)}. Choose another place with --path.`, {
      cause: error,
    })
  }

  const result: ExportResult = {bytes: 0, files: 0, lists: 0, nodes: 0, path: o.path, relations: 0}
  let done = false
  try {
    const zip = new ZipWriter(file, {forceZip64: o.forceZip64})
    for (const kind of ndfKinds) await zip.addDirectory(kind)
    for (const kind of ndfKinds) {
      o.onKind?.(kind)
      let cursor = startCursor
      let pages = 0
      let values = 0
      do {
        if (o.signal?.aborted) throw o.signal.reason
        // each page needs the cursor of the one before
        const page = await o.client.exportPage(kind, cursor)
        pages++
        values += page.count
        result.files++
        await zip.addFile(`${kind}/${ndfFileName(pages)}`, Buffer.from(`{"valueType":"${kind}","values":${page.valuesJson}}`))
        // the cursor only moves forward: one that stays or goes back would walk the same rows again, endlessly
        const next = page.cursor
        const forward = next.table > cursor.table || (next.table === cursor.table && next.row > cursor.row)
        if ((!cursorDone(next) && !forward) || pages >= maxPagesPerKind) {
          throw new DataError(
            `The server's export of ${kind} did not advance (cursor ${JSON.stringify(cursor)}, then ${JSON.stringify(next)}); the export was stopped and nothing was written to ${shown}.`,
            {},
          )
        }

        cursor = page.cursor
        o.onPage?.({kind, pages, values})
      } while (!cursorDone(cursor))
      result[kind] = values
    }

    await zip.finish()
    await file.sync()
    await file.close()
    file = undefined
    result.bytes = zip.size
    await whileWriting(() => rename(temporary, o.path))
    done = true
    return result
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code && noSpaceCodes.has(code)) {
      throw new DataError(
        `There is no room left on the disk for the export (${code}). Nothing was written to ${shown}; the partial file was removed. ` +
          'Free some space, or write the export elsewhere with --path.',
        {cause: error},
      )
    }

    if (error instanceof InterruptedError) {
      throw new InterruptedError(`Export interrupted; nothing was written to ${shown}.`, error.exitCode === 143 ? 'SIGTERM' : 'SIGINT')
    }

    throw error
  } finally {
    if (!done) {
      await file?.close().catch(() => {})
      await unlink(temporary).catch(() => {})
    }
  }
}

/** The original's default file name: `export-<ISO time>.zip` in the working directory. */
export function defaultExportName(now: Date): string {
  return `export-${now.toISOString()}.zip`
}
