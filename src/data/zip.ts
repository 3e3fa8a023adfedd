/**
 * Zip archives as the export format needs them, over yazl (writing) and yauzl (reading), both loaded when first
 * needed. The writer appends entries to an open file one at a time and waits while the file lags behind, so memory
 * holds about one entry; it switches to Zip64 by itself past 4 GB or 65,535 entries. The reader lists the central
 * directory (Zip64 included) and inflates one entry at a time as a stream, bounded per entry and in total, refusing
 * encrypted entries, ratios only a zip bomb has, entries that inflate past their declared size and CRC mismatches.
 */
import type {FileHandle} from 'node:fs/promises'
import type {Readable, Writable} from 'node:stream'
import zlib from 'node:zlib'

import type {Entry as YauzlEntry, ZipFile as YauzlFile} from 'yauzl'
import type {ZipFile as YazlFile} from 'yazl'

const crcTable = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xed_b8_83_20 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }

  return table
})()

const nativeCrc32 = (zlib as {crc32?: (data: Uint8Array, value?: number) => number}).crc32

/** CRC-32 of `data`, continuing from `previous`: node:zlib's native one where Node has it (20.15 and later). */
export function crc32(data: Uint8Array, previous = 0): number {
  return nativeCrc32 ? nativeCrc32(data, previous) : tableCrc32(data, previous)
}

export function tableCrc32(data: Uint8Array, previous = 0): number {
  let crc = (previous ^ 0xff_ff_ff_ff) >>> 0
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xff_ff_ff_ff) >>> 0
}

/** A malformed or refused archive; `entry` names the entry when the problem is in one. */
export class ZipFormatError extends Error {
  constructor(
    message: string,
    readonly entry?: string,
  ) {
    super(message)
    this.name = 'ZipFormatError'
  }
}

export interface ZipWriterOptions {
  /** Write Zip64 records even when the archive does not need them (for tests of Zip64 readers). */
  forceZip64?: boolean
}

/** Output waiting for the file beyond this is waited for before the next entry is added. */
const maxPendingBytes = 4 * 1024 * 1024

/** Writes a zip archive into an open file, entry after entry; `finish()` writes the central directory. */
export class ZipWriter {
  private zip?: YazlFile
  private written = 0
  private failure?: Error
  private finished?: Promise<void>
  private sink?: Writable
  private readonly modified = new Date()

  constructor(
    private readonly file: FileHandle,
    private readonly options: ZipWriterOptions = {},
  ) {}

  /** Bytes written (once finished). */
  get size(): number {
    return this.written
  }

  async addDirectory(name: string): Promise<void> {
    const zip = await this.open()
    zip.addEmptyDirectory(name.endsWith('/') ? name : `${name}/`, {forceDosTimestamp: true, mtime: this.modified})
    await this.settle()
  }

  async addFile(name: string, content: Uint8Array): Promise<void> {
    const zip = await this.open()
    zip.addBuffer(Buffer.from(content.buffer, content.byteOffset, content.byteLength), name, {
      forceDosTimestamp: true,
      forceZip64Format: this.options.forceZip64 ?? false,
      mode: 0o100_644,
      mtime: this.modified,
    })
    await this.settle()
  }

  async finish(): Promise<void> {
    const zip = await this.open()
    zip.end({comment: '', forceZip64Format: this.options.forceZip64 ?? false})
    await this.finished
    if (this.failure) throw this.failure
  }

  private async open(): Promise<YazlFile> {
    if (this.failure) throw this.failure
    if (this.zip) return this.zip
    const {ZipFile} = await import('./zip-libraries.js')
    const {pipeline} = await import('node:stream/promises')
    const zip = new ZipFile()
    const {Writable} = await import('node:stream')
    const file = this.file
    // while one write is under way the pieces that come meanwhile (yazl writes headers and descriptors as many small
    // buffers) are gathered and written together
    const write = async (buffer: Buffer) => {
      let at = 0
      while (at < buffer.length) {
        // a short write continues where it stopped
        const {bytesWritten} = await file.write(buffer, at, buffer.length - at, this.written + at)
        at += bytesWritten
      }

      this.written += buffer.length
    }

    const sink = new Writable({
      highWaterMark: 1024 * 1024,
      writev(chunks, callback) {
        write(Buffer.concat(chunks.map(({chunk}) => chunk as Buffer))).then(() => callback(), callback)
      },
    })
    this.zip = zip
    this.sink = sink
    this.finished = pipeline(zip.outputStream as Readable, sink).then(
      () => {},
      (error: Error) => {
        this.failure = error
      },
    )
    return zip
  }

  /** Waits while the file lags behind the archive, so memory holds about one entry whatever the archive's size. */
  private async settle(): Promise<void> {
    const output = this.zip!.outputStream as Readable
    while (!this.failure && output.readableLength + (this.sink?.writableLength ?? 0) > maxPendingBytes) await new Promise((resolve) => setTimeout(resolve, 5))
    if (this.failure) throw this.failure
  }
}

export interface ZipEntry {
  name: string
  directory: boolean
  size: number
  compressedSize: number
  method: number
  crc: number
  encrypted: boolean
}

export interface ZipLimits {
  /** Most bytes one entry may inflate to. */
  entryBytes: number
  /** Most bytes all entries together may inflate to (counted over every read). */
  totalBytes: number
  /** Largest inflated / compressed ratio of an entry larger than `ratioFloorBytes`. */
  ratio: number
  ratioFloorBytes: number
}

/**
 * Deflate cannot do better than about 1:1032. Real NDF files compress 5 to 30 times; a file of repeated values
 * perhaps 100 times. An entry of a few MB that claims to grow past 200 times its size is a bomb.
 */
export const defaultZipLimits: ZipLimits = {
  entryBytes: 16 * 1024 * 1024 * 1024,
  ratio: 200,
  ratioFloorBytes: 1024 * 1024,
  totalBytes: 256 * 1024 * 1024 * 1024,
}

/** Reads the entries of a zip archive from its central directory; `stream` inflates one entry. */
export class ZipReader {
  private inflated = 0

  private constructor(
    private readonly zip: YauzlFile,
    private readonly raw: Map<string, YauzlEntry>,
    readonly entries: ZipEntry[],
    private readonly limits: ZipLimits,
  ) {}

  static async open(path: string, limits: Partial<ZipLimits> = {}): Promise<ZipReader> {
    const {openPromise} = await import('./zip-libraries.js')
    let zip: YauzlFile
    try {
      zip = await openPromise(path, {autoClose: false, decodeStrings: true, lazyEntries: true, strictFileNames: false, validateEntrySizes: true})
    } catch (error) {
      throw archiveError(error)
    }

    const raw = new Map<string, YauzlEntry>()
    const entries: ZipEntry[] = []
    try {
      for await (const entry of zip.eachEntry()) {
        raw.set(entry.fileName, entry)
        entries.push({
          compressedSize: entry.compressedSize,
          crc: entry.crc32,
          directory: entry.fileName.endsWith('/'),
          encrypted: entry.isEncrypted(),
          method: entry.compressionMethod,
          name: entry.fileName,
          size: entry.uncompressedSize,
        })
      }
    } catch (error) {
      zip.close()
      throw archiveError(error)
    }

    return new ZipReader(zip, raw, entries, {...defaultZipLimits, ...limits})
  }

  /** The reason `entry` is refused before a byte of it is inflated, or undefined. */
  refusal(entry: ZipEntry): string | undefined {
    if (entry.encrypted) return `the entry ${entry.name} is encrypted; export or zip the data again without a password`
    if (entry.method !== 0 && entry.method !== 8) return `the entry ${entry.name} uses compression method ${entry.method}; only stored and deflated entries are read`
    if (entry.size > this.limits.entryBytes) return `the entry ${entry.name} would inflate to ${entry.size} bytes, more than the limit of ${this.limits.entryBytes}`
    if (entry.size > this.limits.ratioFloorBytes && entry.size > entry.compressedSize * this.limits.ratio) {
      return (
        `the entry ${entry.name} would inflate from ${entry.compressedSize} to ${entry.size} bytes (${Math.round(entry.size / Math.max(1, entry.compressedSize))} times), ` +
        `a ratio only a zip bomb has (the limit is ${this.limits.ratio})`
      )
    }

    return undefined
  }

  /** The inflated bytes of `entry`, chunk by chunk; checked against its declared size and CRC as they come. */
  async *stream(entry: ZipEntry): AsyncGenerator<Buffer> {
    const refused = this.refusal(entry)
    if (refused) throw new ZipFormatError(refused, entry.name)
    const raw = this.raw.get(entry.name)
    if (!raw) throw new ZipFormatError(`the archive has no entry ${entry.name}`, entry.name)
    let stream: Readable
    try {
      stream = await this.zip.openReadStreamPromise(raw)
    } catch (error) {
      throw entryError(entry.name, error)
    }

    let size = 0
    let crc = 0
    try {
      for await (const chunk of stream) {
        const buffer = chunk as Buffer
        size += buffer.length
        this.inflated += buffer.length
        if (size > entry.size) throw new ZipFormatError(`the entry ${entry.name} inflates past its declared size of ${entry.size} bytes`, entry.name)
        if (this.inflated > this.limits.totalBytes) throw new ZipFormatError(`the archive inflates past the limit of ${this.limits.totalBytes} bytes in total`, entry.name)
        crc = crc32(buffer, crc)
        yield buffer
      }
    } catch (error) {
      throw entryError(entry.name, error)
    } finally {
      stream.destroy()
    }

    if (size !== entry.size) throw new ZipFormatError(`the entry ${entry.name} is cut short (${size} of ${entry.size} bytes; the archive is truncated)`, entry.name)
    if (crc !== entry.crc) throw new ZipFormatError(`the entry ${entry.name} is damaged (its CRC-32 does not match)`, entry.name)
  }

  /** The whole inflated entry (for small entries). */
  async read(entry: ZipEntry): Promise<Buffer> {
    const chunks: Buffer[] = []
    for await (const chunk of this.stream(entry)) chunks.push(chunk)
    return Buffer.concat(chunks)
  }

  async close(): Promise<void> {
    this.zip.close()
  }
}

function archiveError(error: unknown): Error {
  if (!(error instanceof Error) || error instanceof ZipFormatError) return error as Error
  if ('code' in error && typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code)) return error
  const message = error.message
  if (/end of central directory record signature not found/i.test(message)) return new ZipFormatError('it is not a zip archive (no end of central directory record)')
  return new ZipFormatError(`it is damaged or truncated (${message.replace(/\.$/, '')})`)
}

function entryError(name: string, error: unknown): Error {
  if (error instanceof ZipFormatError) return error
  if (!(error instanceof Error)) return new ZipFormatError(`the entry ${name} cannot be read`, name)
  if ('code' in error && typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code) && !/^Z_/.test(error.code)) return error
  const message = error.message.replace(/\.$/, '')
  if (/too many bytes in the stream/i.test(message)) return new ZipFormatError(`the entry ${name} inflates past its declared size`, name)
  if (/too few bytes|unexpected end|truncated|file data overflows|beyond/i.test(message)) return new ZipFormatError(`the entry ${name} is cut short (the archive is truncated)`, name)
  return new ZipFormatError(`the entry ${name} cannot be inflated (${message})`, name)
}
