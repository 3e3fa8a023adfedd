/**
 * Zip archives as the export format needs them, over node:zlib: a writer that appends entries to an open file one at
 * a time (each entry is deflated alone, so memory holds one entry, never the archive) and a reader that lists the
 * central directory and inflates one entry at a time. No ZIP64: an export is far below 4 GB per entry and 65,535
 * entries (each entry holds at most about 1 MB of data).
 */
import {type FileHandle, open} from 'node:fs/promises'
import zlib, {deflateRawSync, inflateRawSync} from 'node:zlib'

const crcTable = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xed_b8_83_20 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }

  return table
})()

/** CRC-32 of `data`: node:zlib's native one where Node has it (20.15 and later), else a table-driven one. */
export function crc32(data: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(data) : tableCrc32(data)
}

const nativeCrc32 = (zlib as {crc32?: (data: Uint8Array) => number}).crc32

export function tableCrc32(data: Uint8Array): number {
  let crc = 0xff_ff_ff_ff
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xff_ff_ff_ff) >>> 0
}

/** A malformed archive; `entry` names the part that is wrong when there is one. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ZipFormatError'
  }
}

interface CentralRecord {
  name: Buffer
  crc: number
  compressedSize: number
  size: number
  method: number
  offset: number
  directory: boolean
}

const maxUint32 = 0xff_ff_ff_ff

function dosTime(date: Date): {time: number; day: number} {
  return {
    day: ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
  }
}

/** Writes a zip archive into an open file, entry after entry; `finish()` writes the central directory. */
export class ZipWriter {
  private position = 0
  private readonly records: CentralRecord[] = []
  private readonly stamp = dosTime(new Date())

  constructor(private readonly file: FileHandle) {}

  /** Bytes written so far. */
  get size(): number {
    return this.position
  }

  async addDirectory(name: string): Promise<void> {
    await this.addEntry(name.endsWith('/') ? name : `${name}/`, Buffer.alloc(0), true)
  }

  async addFile(name: string, content: Uint8Array): Promise<void> {
    await this.addEntry(name, content, false)
  }

  async finish(): Promise<void> {
    if (this.records.length > 0xff_ff) throw new ZipFormatError('Too many entries for a zip archive without ZIP64.')
    const start = this.position
    const headers = this.records.map((record) => this.centralHeader(record))
    const directory = Buffer.concat(headers)
    const end = Buffer.alloc(22)
    end.writeUInt32LE(0x06_05_4b_50, 0)
    end.writeUInt16LE(this.records.length, 8)
    end.writeUInt16LE(this.records.length, 10)
    end.writeUInt32LE(directory.length, 12)
    end.writeUInt32LE(start, 16)
    await this.write(Buffer.concat([directory, end]))
  }

  private async addEntry(name: string, content: Uint8Array, directory: boolean): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8')
    const data = directory ? Buffer.alloc(0) : deflateRawSync(content)
    const record: CentralRecord = {
      compressedSize: data.length,
      crc: directory ? 0 : crc32(content),
      directory,
      method: directory ? 0 : 8,
      name: nameBytes,
      offset: this.position,
      size: content.length,
    }
    if (record.offset + 30 + nameBytes.length + data.length > maxUint32 || record.size > maxUint32) {
      throw new ZipFormatError('The archive would exceed 4 GB, which a zip archive without ZIP64 cannot hold.')
    }

    const header = Buffer.alloc(30)
    header.writeUInt32LE(0x04_03_4b_50, 0)
    header.writeUInt16LE(20, 4)
    header.writeUInt16LE(0x08_00, 6) // names are UTF-8
    header.writeUInt16LE(record.method, 8)
    header.writeUInt16LE(this.stamp.time, 10)
    header.writeUInt16LE(this.stamp.day, 12)
    header.writeUInt32LE(record.crc, 14)
    header.writeUInt32LE(record.compressedSize, 18)
    header.writeUInt32LE(record.size, 22)
    header.writeUInt16LE(nameBytes.length, 26)
    await this.write(Buffer.concat([header, nameBytes, data]))
    this.records.push(record)
  }

  private centralHeader(record: CentralRecord): Buffer {
    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02_01_4b_50, 0)
    header.writeUInt16LE(0x03_14, 4) // made by: Unix, spec 2.0
    header.writeUInt16LE(20, 6)
    header.writeUInt16LE(0x08_00, 8)
    header.writeUInt16LE(record.method, 10)
    header.writeUInt16LE(this.stamp.time, 12)
    header.writeUInt16LE(this.stamp.day, 14)
    header.writeUInt32LE(record.crc, 16)
    header.writeUInt32LE(record.compressedSize, 20)
    header.writeUInt32LE(record.size, 24)
    header.writeUInt16LE(record.name.length, 28)
    // external attributes: Unix mode (drwxr-xr-x or -rw-r--r--) in the high half, MS-DOS directory bit
    header.writeUInt32LE((((record.directory ? 0o40_755 : 0o100_644) << 16) | (record.directory ? 0x10 : 0)) >>> 0, 38)
    header.writeUInt32LE(record.offset, 42)
    return Buffer.concat([header, record.name])
  }

  private async write(buffer: Buffer): Promise<void> {
    let written = 0
    while (written < buffer.length) {
      // a short write continues where it stopped
      const {bytesWritten} = await this.file.write(buffer, written, buffer.length - written, this.position + written)
      written += bytesWritten
    }

    this.position += buffer.length
  }
}

export interface ZipEntry {
  name: string
  directory: boolean
  size: number
  compressedSize: number
  method: number
  crc: number
  offset: number
}

/** Reads the entries of a zip archive from its central directory; `read` inflates one entry. */
export class ZipReader {
  private constructor(
    private readonly file: FileHandle,
    readonly entries: ZipEntry[],
  ) {}

  static async open(path: string): Promise<ZipReader> {
    const file = await open(path, 'r')
    try {
      return new ZipReader(file, await readCentralDirectory(file))
    } catch (error) {
      await file.close()
      throw error
    }
  }

  async read(entry: ZipEntry): Promise<Buffer> {
    const header = Buffer.alloc(30)
    await this.file.read(header, 0, 30, entry.offset)
    if (header.readUInt32LE(0) !== 0x04_03_4b_50) throw new ZipFormatError(`The entry ${entry.name} has no local header where the directory says.`)
    const dataStart = entry.offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
    const data = Buffer.alloc(entry.compressedSize)
    const {bytesRead} = await this.file.read(data, 0, entry.compressedSize, dataStart)
    if (bytesRead < entry.compressedSize) throw new ZipFormatError(`The entry ${entry.name} is cut short (the archive is truncated).`)
    let content: Buffer
    if (entry.method === 0) content = data
    else if (entry.method === 8) {
      try {
        content = inflateRawSync(data)
      } catch (error) {
        throw new ZipFormatError(`The entry ${entry.name} cannot be decompressed: ${(error as Error).message}.`)
      }
    } else throw new ZipFormatError(`The entry ${entry.name} uses compression method ${entry.method}; only stored and deflated entries are read.`)
    if (content.length !== entry.size || crc32(content) !== entry.crc) throw new ZipFormatError(`The entry ${entry.name} is damaged (its checksum does not match).`)
    return content
  }

  async close(): Promise<void> {
    await this.file.close()
  }
}

async function readCentralDirectory(file: FileHandle): Promise<ZipEntry[]> {
  const {size} = await file.stat()
  // the end record is 22 bytes plus a comment of up to 65,535 bytes
  const tailLength = Math.min(size, 22 + 0xff_ff)
  const tail = Buffer.alloc(tailLength)
  await file.read(tail, 0, tailLength, size - tailLength)
  let end = -1
  for (let index = tailLength - 22; index >= 0; index--) {
    if (tail.readUInt32LE(index) === 0x06_05_4b_50) {
      end = index
      break
    }
  }

  if (end === -1) throw new ZipFormatError('It is not a zip archive (no end of central directory record).')
  const count = tail.readUInt16LE(end + 10)
  const directorySize = tail.readUInt32LE(end + 12)
  const directoryOffset = tail.readUInt32LE(end + 16)
  if (count === 0xff_ff || directoryOffset === maxUint32) throw new ZipFormatError('It is a ZIP64 archive, which is not supported.')
  if (directoryOffset + directorySize > size) throw new ZipFormatError('Its central directory lies outside the file (the archive is truncated).')
  const directory = Buffer.alloc(directorySize)
  await file.read(directory, 0, directorySize, directoryOffset)
  const entries: ZipEntry[] = []
  let at = 0
  for (let index = 0; index < count; index++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02_01_4b_50) throw new ZipFormatError('Its central directory is damaged.')
    const nameLength = directory.readUInt16LE(at + 28)
    const extraLength = directory.readUInt16LE(at + 30)
    const commentLength = directory.readUInt16LE(at + 32)
    const name = directory.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    entries.push({
      compressedSize: directory.readUInt32LE(at + 20),
      crc: directory.readUInt32LE(at + 16),
      directory: name.endsWith('/'),
      method: directory.readUInt16LE(at + 10),
      name,
      offset: directory.readUInt32LE(at + 42),
      size: directory.readUInt32LE(at + 24),
    })
    at += 46 + nameLength + extraLength + commentLength
  }

  return entries
}
