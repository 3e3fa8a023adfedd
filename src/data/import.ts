/**
 * Import: reads a zip or a folder in the import data format (nodes/, lists/, relations/ with numbered NDF files) in two
 * streamed passes. The first checks every value against the datamodel and fingerprints the data; nothing is sent
 * before the whole of it passed. The second sends the values in the order the format requires (all nodes, then
 * lists, then relations, each folder by file number) in requests of at most about 1 MB of JSON, as the server pages
 * its own export. Memory holds one request's values, whatever the size of a file.
 *
 * With a state folder the import is resumable: the requests the server accepted are recorded (import-state.ts), a
 * run of the same command on the same data skips them, and the one request whose answer was lost is settled exactly
 * (see `settle`).
 */
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {readdir, stat} from 'node:fs/promises'
import {join, relative} from 'node:path'
import {StringDecoder} from 'node:string_decoder'

import {DataError, InContextError, InterruptedError, UserError} from '../errors.js'
import {type ImportState, ImportStateStore, type ListKey} from './import-state.js'
import {type DataModel, ndfFileNumber, ndfKinds, NdfScanner, NdfSyntaxError, ndfValueProblem} from './ndf.js'
import type {NdfKind, ServiceClient} from './service.js'
import {ZipFormatError, ZipReader} from './zip.js'

export interface ImportFile {
  kind: NdfKind
  /** As shown to the user: `<source>/nodes/000001.json` or `<zip>:nodes/000001.json`. */
  label: string
  number: number
  /** The file's bytes, chunk by chunk. */
  chunks(): AsyncIterable<Buffer>
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
  /** NDF files. */
  files: number
  /** Requests the values make (each at most `requestBytes`). */
  chunks: number
  /** SHA-256 of the files' names and bytes. */
  hash: string
}

export interface ImportResult {
  source: string
  nodes: number
  lists: number
  relations: number
  files: number
  /** Requests sent by this run. */
  chunksSent: number
  /** Requests an earlier run had sent and the server had accepted (skipped by this run). */
  chunksSkipped: number
}

/** A request holds values of about this many bytes of JSON at most, as the server's own export pages. */
export const defaultRequestBytes = 1_000_000

function formatError(path: string, problem: string): UserError {
  return new DataError(
    `${path} is not in the import data format: ${problem}. The format is a zip or folder with the folders nodes/, lists/ and relations/ ` +
      'holding numbered JSON files (000001.json, ...), as prisma export writes them.',
  )
}

function zipError(path: string, error: ZipFormatError): UserError {
  return new DataError(`${path} cannot be imported: ${error.message}. Nothing was sent to the server.`)
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
    if (error instanceof ZipFormatError) throw formatError(shown, error.message)
    if ((error as NodeJS.ErrnoException).code === 'EACCES') throw new DataError(`${shown} cannot be read (permission denied).`)
    throw error
  }

  try {
    const entries = zip.entries.filter((entry) => !entry.directory)
    // a zip of the export folder itself (export/nodes/...) is read as if the folder were the root
    const prefix = commonPrefix(entries.map((entry) => entry.name))
    const byName = new Map(entries.map((entry) => [entry.name, entry]))
    const files = orderFiles(
      shown,
      entries.filter((entry) => entry.name.startsWith(prefix)).map((entry) => entry.name.slice(prefix.length)),
      (name) => {
        const entry = byName.get(prefix + name)!
        // refused before anything is read or sent: an encrypted entry, a bomb's ratio
        const refused = zip.refusal(entry)
        if (refused) throw zipError(shown, new ZipFormatError(refused, entry.name))
        return {
          async *chunks() {
            try {
              yield* zip.stream(entry)
            } catch (error) {
              if (error instanceof ZipFormatError) throw zipError(shown, error)
              throw error
            }
          },
          label: `${shown}:${prefix}${name}`,
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
      if (error.code === 'ENOTDIR') throw formatError(shown, `${kind} is a file, not a folder`)
      if (error.code === 'EACCES') throw new DataError(`${join(shown, kind)} cannot be read (permission denied).`)
      throw error
    })
    for (const entry of entries) names.push(`${kind}/${entry.name}${entry.isDirectory() ? '/' : ''}`)
  }

  const files = orderFiles(shown, names, (name) => ({
    async *chunks() {
      const stream = createReadStream(join(path, name), {highWaterMark: 256 * 1024})
      try {
        for await (const chunk of stream) yield chunk as Buffer
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EACCES' || code === 'EISDIR' || code === 'ENOENT') {
          throw new DataError(`${join(shown, name)} cannot be read (${code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : 'it has gone'}).`)
        }

        throw error
      } finally {
        stream.destroy()
      }
    },
    label: join(shown, name),
  }))
  return {close: async () => {}, files, path: shown}
}

function orderFiles(shown: string, names: string[], file: (name: string) => Pick<ImportFile, 'chunks' | 'label'>): ImportFile[] {
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

/** The text of each element of the file's "values", as it comes; the document's shape is checked at its end. */
async function* elementsOf(source: ImportSource, file: ImportFile, onBytes?: (chunk: Buffer) => void): AsyncGenerator<string> {
  const scanner = new NdfScanner()
  const decoder = new StringDecoder('utf8')
  const syntax = (error: NdfSyntaxError) => formatError(source.path, `${file.label} is not an NDF document {"valueType": ..., "values": [...]}: ${error.message}`)
  try {
    for await (const chunk of file.chunks()) {
      onBytes?.(chunk)
      for (const element of scanner.push(decoder.write(chunk))) yield element
    }

    for (const element of scanner.push(decoder.end())) yield element
    scanner.end()
  } catch (error) {
    if (error instanceof NdfSyntaxError) throw syntax(error)
    throw error
  }

  const valueType = scanner.others.get('valueType')
  if (valueType !== file.kind) {
    throw formatError(source.path, `in ${file.label}, "valueType" is ${JSON.stringify(valueType) ?? 'missing'}, but files in ${file.kind}/ must have "valueType": "${file.kind}"`)
  }

  if (!scanner.sawValues) throw formatError(source.path, `${file.label} has no "values" list`)
}

/** Decides where requests of at most `limit` bytes begin; a value larger than the limit goes alone. */
class RequestCutter {
  private readonly frame: number
  private bytes: number
  private count = 0

  constructor(
    kind: NdfKind,
    private readonly limit: number,
  ) {
    this.frame = Buffer.byteLength(`{"valueType":"${kind}","values":[]}`)
    this.bytes = this.frame
  }

  /** Counts a value of `text`; true when it must begin a new request (the values before it make one). */
  add(text: string): boolean {
    const size = Buffer.byteLength(text) + 1
    const cut = this.count > 0 && this.bytes + size > this.limit
    if (cut) {
      this.bytes = this.frame
      this.count = 0
    }

    this.bytes += size
    this.count++
    return cut
  }

  /** A request is still open (values counted since the last cut). */
  get open(): boolean {
    return this.count > 0
  }
}

/** Groups the elements of one file into requests of at most `limit` bytes (a larger element goes alone). */
async function* batchesOf(elements: AsyncIterable<string>, kind: NdfKind, limit: number): AsyncGenerator<string[]> {
  const cutter = new RequestCutter(kind, limit)
  let batch: string[] = []
  for await (const element of elements) {
    if (cutter.add(element)) {
      yield batch
      batch = []
    }

    batch.push(element)
  }

  if (batch.length > 0) yield batch
}

function requestBody(kind: NdfKind, batch: string[]): string {
  return `{"valueType":"${kind}","values":[${batch.join(',')}]}`
}

function describe(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

/**
 * Reads and checks every file, streamed; returns the counts and the data's fingerprint. The first problem names its
 * file and value. Nothing is sent.
 */
export async function validateImport(source: ImportSource, model: DataModel, signal?: AbortSignal, requestBytes = defaultRequestBytes): Promise<ImportCounts> {
  const counts = {chunks: 0, files: 0, lists: 0, nodes: 0, relations: 0}
  const hash = createHash('sha256')
  for (const file of source.files) {
    if (signal?.aborted) throw signal.reason
    hash.update(`${file.kind}/${file.number}\n`)
    let index = 0
    // the requests are counted as the upload will cut them, without keeping their values
    const cutter = new RequestCutter(file.kind, requestBytes)
    for await (const text of elementsOf(source, file, (chunk) => hash.update(chunk))) {
      index++
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (error) {
        throw formatError(source.path, `in ${file.label}, value ${index} (${describe(text)}) is not valid JSON (${(error as Error).message})`)
      }

      const problem = ndfValueProblem(value, file.kind, model)
      if (problem) throw formatError(source.path, `in ${file.label}, value ${index} (${describe(text)}): ${problem}`)
      if (signal?.aborted) throw signal.reason
      if (cutter.add(text)) counts.chunks++
    }

    if (cutter.open) counts.chunks++
    counts[file.kind] += index
    counts.files++
  }

  return {...counts, hash: hash.digest('hex')}
}

export interface ResumeOptions {
  /** Where import states live (the user's state folder). */
  store: ImportStateStore
  /** Identifies the target: the service's endpoint, service and stage. */
  url: string
  service: string
  stage: string
  /** Start over, forgetting an earlier run's state. */
  fresh?: boolean
}

export interface UploadOptions {
  client: Pick<ServiceClient, 'importChunk'> & Partial<Pick<ServiceClient, 'operation'>>
  source: ImportSource
  counts: ImportCounts
  signal?: AbortSignal
  /** After each request the server accepted (and after each skipped one). */
  onChunk?: (event: {file: ImportFile; sent: number; total: number}) => void
  /** When an earlier run's accepted requests are skipped. */
  onResume?: (event: {skipped: number; total: number; values: number}) => void
  resume?: ResumeOptions
  requestBytes?: number
}

/**
 * Sends every value in order. Stops at the first request the server rejects rows of, naming the file. With `resume`,
 * what an earlier run had sent is skipped and the state is kept until the import is complete.
 */
export async function uploadImport(o: UploadOptions): Promise<ImportResult> {
  const limit = o.requestBytes ?? defaultRequestBytes
  const total = o.counts.chunks
  const store = o.resume?.store
  const key = o.resume ? ImportStateStore.key({hash: o.counts.hash, requestBytes: limit, service: o.resume.service, stage: o.resume.stage, url: o.resume.url}) : ''
  if (store && o.resume?.fresh) await store.remove(key)
  const earlier = store ? await store.load(key) : undefined
  const state: ImportState = earlier ?? {accepted: 0, data: o.source.path, sentValues: 0, version: 1}
  if (earlier) o.onResume?.({skipped: Math.min(earlier.accepted, total), total, values: earlier.sentValues})
  const probe = new ListProbe(o.client)
  let index = 0
  let sent = 0
  let values = state.sentValues
  const sentSoFar = () => `${state.accepted} of ${total} request${total === 1 ? '' : 's'} (${values} value${values === 1 ? '' : 's'})`
  try {
    for (const file of o.source.files) {
      for await (const batch of batchesOf(elementsOf(o.source, file), file.kind, limit)) {
        if (o.signal?.aborted) throw o.signal.reason
        const position = index++
        if (position < state.accepted) {
          o.onChunk?.({file, sent: position + 1, total})
          continue
        }

        let toSend = batch
        let inDoubt = false
        if (state.inFlight?.request === position) {
          // an earlier run sent this request and its answer never came
          inDoubt = true
          toSend = await settleLists(probe, file, batch, state.inFlight.lists)
        } else if (state.inFlight) {
          throw new DataError(`The saved state of this import does not match the data (request ${state.inFlight.request} in doubt). Run the import again with --no-resume.`)
        }

        if (store && !inDoubt) {
          state.inFlight = {lists: file.kind === 'lists' ? await probe.lengths(listKeys(batch)) : undefined, request: position}
          await store.save(key, state)
        }

        let rowErrors: string[] = []
        if (toSend.length > 0) {
          try {
            rowErrors = await o.client.importChunk(requestBody(file.kind, toSend))
          } catch (error) {
            if (error instanceof InterruptedError) throw error
            const message = error instanceof Error ? error.message : String(error)
            const text =
              `Importing ${file.label} (request ${position + 1} of ${total}) failed: ${message}\n${sentSoFar()} had been imported before it` +
              (store ? '; run the same command again to continue where it stopped (whether the server took this request is checked then).' : '.')
            const details = {chunksSent: state.accepted, file: file.label, valuesSent: values}
            // the failure keeps the kind of its cause (an unreachable server stays SERVER_UNREACHABLE)
            throw error instanceof UserError ? new InContextError(text, error, {details}) : new DataError(text, {cause: error, details})
          }

          if (inDoubt) rowErrors = rowErrors.filter((line) => !isEarlierCopy(line, file.kind))
        }

        sent++
        values += batch.length
        state.accepted = position + 1
        state.sentValues = values
        state.inFlight = undefined
        if (store) await store.save(key, state)
        if (rowErrors.length > 0) {
          const shown = rowErrors.slice(0, 20).map((line) => `  - ${line}`)
          if (rowErrors.length > 20) shown.push(`  (and ${rowErrors.length - 20} more)`)
          // a 1.34 server reads a node's id from `id`, then checks `id` as a field of the type (BulkImport.scala)
          const customId = rowErrors.some((line) => line.includes("has an unknown field 'id' in field list"))
            ? '\nA Prisma 1 server cannot import nodes of a type whose id field is not named `id`: its import reads the id from `id`, then refuses `id` as an unknown field of the type. Create such nodes through the service API instead (e.g. prisma seed).'
            : ''
          throw new DataError(
            `The server rejected ${rowErrors.length} row${rowErrors.length === 1 ? '' : 's'} of ${file.label} (request ${position + 1} of ${total}):\n${shown.join('\n')}\n` +
              `The other values of that request were imported, as were the ${position} request${position === 1 ? '' : 's'} before it, and nothing after it was sent.${customId}`,
            {details: {chunksSent: state.accepted, file: file.label, rowErrors}},
          )
        }

        o.onChunk?.({file, sent: position + 1, total})
      }
    }
  } catch (error) {
    // a signal may arrive in any await: sending, reading the data, recording the state
    if (error instanceof InterruptedError && !/^Import interrupted after/.test(error.message)) throw interrupted(error, sentSoFar(), Boolean(store))
    throw error
  }

  if (store) await store.remove(key)
  return {
    chunksSent: sent,
    chunksSkipped: earlier ? Math.min(earlier.accepted, total) : 0,
    files: o.counts.files,
    lists: o.counts.lists,
    nodes: o.counts.nodes,
    relations: o.counts.relations,
    source: o.source.path,
  }
}

/**
 * A row error that a request sent a second time meets because its first copy was stored: a node or a relation that
 * exists already. (Nodes and relations are never stored twice; lists are settled before sending, see settleLists.)
 */
function isEarlierCopy(line: string, kind: NdfKind): boolean {
  if (kind === 'nodes') return /^Failure inserting \S+ with Id: .*Cause: .*(duplicate key|Duplicate entry|already exists)/s.test(line)
  if (kind === 'relations') return /^Failure inserting into relationtable .*Cause: .*(duplicate key|Duplicate entry|unique)/is.test(line)
  return false
}

interface ListValue {
  _typeName: string
  id: string
  [field: string]: unknown
}

function listKeyOf(value: ListValue): {key: ListKey; count: number} {
  const field = Object.keys(value).find((name) => name !== '_typeName' && name !== 'id')!
  const entries = value[field]
  return {count: Array.isArray(entries) ? entries.length : 0, key: `${value._typeName}\u0000${field}\u0000${value.id}`}
}

function listKeys(batch: string[]): ListKey[] {
  return [...new Set(batch.map((text) => listKeyOf(JSON.parse(text) as ListValue).key))]
}

/**
 * The server appends list values to what a node has, so a lists request sent twice would store its values twice.
 * Before each lists request the lengths of the lists it extends are recorded; when its answer is lost, the lengths
 * now tell per list whether the server stored the values (length grew by the request's count) or not (unchanged),
 * and only the values not stored are sent again.
 */
async function settleLists(probe: ListProbe, file: ImportFile, batch: string[], before: Record<ListKey, number> | undefined): Promise<string[]> {
  if (file.kind !== 'lists') return batch
  if (!before) throw new DataError(`The saved state of this import has no list lengths for the request in doubt in ${file.label}. Run the import again with --no-resume after resetting the stage.`)
  const added = new Map<ListKey, number>()
  for (const text of batch) {
    const {key, count} = listKeyOf(JSON.parse(text) as ListValue)
    added.set(key, (added.get(key) ?? 0) + count)
  }

  const now = await probe.lengths([...added.keys()])
  const stored = new Set<ListKey>()
  for (const [key, count] of added) {
    const was = before[key] ?? 0
    if (now[key] === was + count && count > 0) stored.add(key)
    else if (now[key] !== was) {
      const [model, field, id] = key.split('\u0000')
      throw new DataError(
        `The list ${model}.${field} of ${id} changed while the import was stopped (${was} values before, ${now[key]} now), so what the lost request stored cannot be told. ` +
          'Reset the stage (prisma reset) and import again with --no-resume.',
        {},
      )
    }
  }

  return batch.filter((text) => !stored.has(listKeyOf(JSON.parse(text) as ListValue).key))
}

/** Reads the current length of scalar lists through the service's GraphQL API. */
class ListProbe {
  private queries?: Map<string, string>

  constructor(private readonly client: Partial<Pick<ServiceClient, 'operation'>>) {}

  async lengths(keys: ListKey[]): Promise<Record<ListKey, number>> {
    const operation = this.client.operation?.bind(this.client)
    if (!operation) throw new Error('a resumable import of lists needs the service API')
    const groups = new Map<string, {model: string; field: string; ids: string[]}>()
    for (const key of keys) {
      const [model, field, id] = key.split('\u0000')
      const group = groups.get(`${model}.${field}`) ?? {field, ids: [], model}
      group.ids.push(id)
      groups.set(`${model}.${field}`, group)
    }

    const lengths: Record<ListKey, number> = {}
    for (const {model, field, ids} of groups.values()) {
      const query = await this.queryName(model)
      const data = (await operation(`{ found: ${query}(where: {id_in: ${JSON.stringify(ids)}}) { id ${field} } }`, `read ${model}.${field}`)) as {found?: Array<Record<string, unknown>>}
      const byId = new Map((data?.found ?? []).map((node) => [String(node.id), node[field]]))
      for (const id of ids) {
        const list = byId.get(id)
        lengths[`${model}\u0000${field}\u0000${id}`] = Array.isArray(list) ? list.length : 0
      }
    }

    return lengths
  }

  /** The query field listing a model's nodes (`users` for User), from the service's own schema. */
  private async queryName(model: string): Promise<string> {
    if (!this.queries) {
      const typeRef = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }'
      const data = (await this.client.operation!(`{ __schema { queryType { fields { name type { ${typeRef} } } } } }`, 'introspection')) as {
        __schema?: {queryType?: {fields?: Array<{name: string; type: TypeRef}>}}
      }
      this.queries = new Map()
      for (const field of data?.__schema?.queryType?.fields ?? []) {
        let type: TypeRef | undefined = field.type
        let list = false
        while (type && !type.name) {
          if (type.kind === 'LIST') list = true
          type = type.ofType ?? undefined
        }

        if (list && type?.name) this.queries.set(type.name, field.name)
      }
    }

    const name = this.queries.get(model)
    if (!name) throw new DataError(`The service has no query that lists ${model} nodes, so the import of its lists cannot be resumed safely.`)
    return name
  }
}

interface TypeRef {
  kind: string
  name?: string | null
  ofType?: TypeRef | null
}

function interrupted(reason: unknown, sentSoFar: string, resumable: boolean): InterruptedError {
  const signal = reason instanceof InterruptedError && reason.exitCode === 143 ? 'SIGTERM' : 'SIGINT'
  return new InterruptedError(
    `Import interrupted after ${sentSoFar} had been imported. ` +
      (resumable ? 'Run the same command again to continue where it stopped (--no-resume starts over).' : 'Reset the service (prisma reset) before importing again.'),
    signal,
  )
}

/** A path as the user gave it, for messages. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel && !rel.startsWith('..') ? rel : path
}
