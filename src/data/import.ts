/**
 * Import: reads a zip or a folder in the import data format (nodes/, lists/, relations/ with numbered NDF files),
 * checks every file against the datamodel first, then uploads the files one per request in the order the format
 * requires (all nodes, then lists, then relations, each folder by file number). Memory holds one file at a time.
 */
import {readdir, readFile, stat} from 'node:fs/promises'
import {join, relative} from 'node:path'

import {DataError, FailedError, InContextError, InterruptedError, UserError} from '../errors.js'
import {type DataModel, ndfFileNumber, ndfKinds, ndfProblem} from './ndf.js'
import type {NdfKind, ServiceClient} from './service.js'
import {ZipFormatError, ZipReader} from './zip.js'

export interface ImportFile {
  kind: NdfKind
  /** As shown to the user: `<source>/nodes/000001.json` or `<zip>:nodes/000001.json`. */
  label: string
  number: number
  read(): Promise<string>
}

export interface ImportSource {
  /** The path given. */
  path: string
  /** In upload order. */
  files: ImportFile[]
  close(): Promise<void>
}

export interface ImportCounts {
  nodes: number
  lists: number
  relations: number
  /** NDF files (one request each). */
  files: number
}

export interface ImportResult extends ImportCounts {
  source: string
  /** Files uploaded (requests sent). */
  chunksSent: number
}

function formatError(path: string, problem: string): UserError {
  return new DataError(
    `${path} is not in the import data format: ${problem}. The format is a zip or folder with the folders nodes/, lists/ and relations/ ` +
      'holding numbered JSON files (000001.json, ...), as prisma export writes them.',
  )
}

/** Opens `path` (absolute): a `.zip` archive or a folder. `shown` is how messages name it. */
export async function openImportSource(path: string, shown = path): Promise<ImportSource> {
  const info = await stat(path).catch(() => undefined)
  if (!info) throw new DataError(`${shown} does not exist. Give the zip or folder to import with --data PATH.`)
  if (info.isDirectory()) return openFolder(path, shown)
  if (!path.toLowerCase().endsWith('.zip')) {
    throw new DataError(`${shown} is neither a folder nor a .zip file. Give the zip or folder to import (as written by prisma export) with --data.`)
  }

  let zip: ZipReader
  try {
    zip = await ZipReader.open(path)
  } catch (error) {
    if (error instanceof ZipFormatError) throw formatError(shown, error.message.replace(/\.$/, '').replace(/^It /, 'it '))
    throw error
  }

  try {
    const names = zip.entries.filter((entry) => !entry.directory).map((entry) => entry.name)
    // a zip of the export folder itself (export/nodes/...) is read as if the folder were the root
    const prefix = commonPrefix(names)
    const byName = new Map(zip.entries.map((entry) => [entry.name, entry]))
    const files = orderFiles(
      shown,
      names.filter((name) => name.startsWith(prefix)).map((name) => name.slice(prefix.length)),
      (name) => {
        const entry = byName.get(prefix + name)!
        return {
          label: `${shown}:${prefix}${name}`,
          async read() {
            try {
              return (await zip.read(entry)).toString('utf8')
            } catch (error) {
              if (error instanceof ZipFormatError) throw formatError(shown, error.message.replace(/\.$/, ''))
              throw error
            }
          },
        }
      },
    )
    return {close: () => zip.close(), files, path: shown}
  } catch (error) {
    await zip.close()
    throw error
  }
}

function commonPrefix(names: string[]): string {
  if (names.some((name) => ndfKinds.some((kind) => name.startsWith(`${kind}/`)))) return ''
  const tops = new Set(names.map((name) => name.split('/')[0]))
  const [top] = tops
  return tops.size === 1 && names.every((name) => name.includes('/')) ? `${top}/` : ''
}

async function openFolder(path: string, shown: string): Promise<ImportSource> {
  const names: string[] = []
  for (const kind of ndfKinds) {
    const entries = await readdir(join(path, kind), {withFileTypes: true}).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return []
      throw error
    })
    for (const entry of entries) names.push(`${kind}/${entry.name}${entry.isDirectory() ? '/' : ''}`)
  }

  const files = orderFiles(shown, names, (name) => ({
    label: join(shown, name),
    read: () => readFile(join(path, name), 'utf8'),
  }))
  return {close: async () => {}, files, path: shown}
}

function orderFiles(shown: string, names: string[], file: (name: string) => Omit<ImportFile, 'kind' | 'number'>): ImportFile[] {
  const files: ImportFile[] = []
  let folders = 0
  for (const kind of ndfKinds) {
    const inKind = names.filter((name) => name.startsWith(`${kind}/`))
    if (inKind.length > 0) folders++
    const numbers = new Map<number, string>()
    for (const name of inKind) {
      const rest = name.slice(kind.length + 1)
      // Only the folder's own *.json files are data, as the original listed them: hidden files (.DS_Store, the ._*
      // files macOS writes beside each file on some drives), other files and subfolders are passed over.
      if (rest === '' || rest.includes('/') || rest.startsWith('.') || !rest.endsWith('.json')) continue
      const number = ndfFileNumber(rest)
      // the original never imported such a file (it took its number as 0, "already imported")
      if (number === undefined) throw formatError(shown, `${name} is not a numbered JSON file (like ${kind}/000001.json)`)
      const twin = numbers.get(number)
      if (twin !== undefined) throw formatError(shown, `${twin} and ${name} have the same number, so their order is unknown`)
      numbers.set(number, name)
    }

    for (const [number, name] of [...numbers].sort((a, b) => a[0] - b[0])) files.push({...file(name), kind, number})
  }

  if (folders === 0 && !names.some((name) => ndfKinds.some((kind) => name === `${kind}/`))) {
    throw formatError(shown, 'it holds none of the folders nodes/, lists/ and relations/')
  }

  return files
}

/** Reads and checks every file; returns the counts. The first problem names its file and value. */
export async function validateImport(source: ImportSource, model: DataModel, signal?: AbortSignal): Promise<ImportCounts> {
  const counts: ImportCounts = {files: 0, lists: 0, nodes: 0, relations: 0}
  for (const file of source.files) {
    if (signal?.aborted) throw signal.reason
    const text = await file.read()
    let document: unknown
    try {
      document = JSON.parse(text)
    } catch (error) {
      throw formatError(source.path, `${file.label} is not valid JSON (${(error as Error).message})`)
    }

    const problem = ndfProblem(document, file.kind, model)
    if (problem) throw formatError(source.path, `in ${file.label}, ${problem}`)
    counts[file.kind] += (document as {values: unknown[]}).values.length
    counts.files++
  }

  return counts
}

export interface UploadOptions {
  client: Pick<ServiceClient, 'importChunk'>
  source: ImportSource
  counts: ImportCounts
  signal?: AbortSignal
  onChunk?: (event: {file: ImportFile; sent: number; total: number}) => void
  /** How files are named in messages (relative to the working directory). */
  cwd?: string
}

/** Uploads every file in order. Stops at the first file the server rejects rows of, naming it. */
export async function uploadImport(o: UploadOptions): Promise<ImportResult> {
  const total = o.source.files.length
  let sent = 0
  const before = () => (sent === 0 ? 'No chunk had been imported before it.' : `The ${sent} chunk${sent === 1 ? '' : 's'} before it ${sent === 1 ? 'was' : 'were'} imported and stay${sent === 1 ? 's' : ''} in the service.`)
  for (const file of o.source.files) {
    if (o.signal?.aborted) throw interrupted(o.signal.reason, sent, total)
    let rowErrors: string[]
    try {
      rowErrors = await o.client.importChunk(await file.read())
    } catch (error) {
      if (error instanceof InterruptedError) throw interrupted(error, sent, total)
      const message = `Importing ${file.label} (chunk ${sent + 1} of ${total}) failed: ${error instanceof Error ? error.message : String(error)}\n${before()}`
      const details = {chunksSent: sent, file: file.label}
      // the server's failure keeps its kind (unreachable, refused token); anything else is a failed import
      throw error instanceof UserError && !(error instanceof FailedError)
        ? new InContextError(message, error, {details})
        : new DataError(message, {cause: error, details})
    }

    sent++
    if (rowErrors.length > 0) {
      const shown = rowErrors.slice(0, 20).map((line) => `  - ${line}`)
      if (rowErrors.length > 20) shown.push(`  (and ${rowErrors.length - 20} more)`)
      // a 1.34 server reads a node's id from `id`, then checks `id` as a field of the type (BulkImport.scala)
      const customId = rowErrors.some((line) => line.includes("has an unknown field 'id' in field list"))
        ? '\nA Prisma 1 server cannot import nodes of a type whose id field is not named `id`: its import reads the id from `id`, then refuses `id` as an unknown field of the type. Create such nodes through the service API instead (e.g. prisma seed).'
        : ''
      throw new DataError(
        `The server rejected ${rowErrors.length} row${rowErrors.length === 1 ? '' : 's'} of ${file.label} (chunk ${sent} of ${total}):\n${shown.join('\n')}\n` +
          `Rows of that file not listed here were imported, ${sent - 1 === 0 ? 'it was the first chunk' : `as were the ${sent - 1} chunk${sent - 1 === 1 ? '' : 's'} before it`}, and nothing after it was sent.${customId}`,
        {details: {chunksSent: sent, file: file.label, rowErrors}},
      )
    }

    o.onChunk?.({file, sent, total})
  }

  return {...o.counts, chunksSent: sent, source: o.source.path}
}

function interrupted(reason: unknown, sent: number, total: number): InterruptedError {
  const signal = reason instanceof InterruptedError && reason.exitCode === 143 ? 'SIGTERM' : 'SIGINT'
  return new InterruptedError(
    `Import interrupted after ${sent} of ${total} chunk${total === 1 ? '' : 's'} had been sent; ` +
      `the data of those ${sent} stays in the service. Reset the service (prisma reset) before importing again, or import the remaining files.`,
    signal,
  )
}

/** A path as the user gave it, for messages. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel && !rel.startsWith('..') ? rel : path
}
