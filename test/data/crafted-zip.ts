// Zip archives built byte by byte for the tests of hostile input: entries whose header says what the test needs
// (a size, a CRC, the encryption flag), and zip bombs made without compressing gigabytes.
import {writeFile} from 'node:fs/promises'
import {constants, crc32, deflateRawSync} from 'node:zlib'

export interface CraftedEntry {
  name: string
  /** The entry's data as stored (already deflated when method is 8). */
  data: Buffer
  method?: 0 | 8
  /** What the headers declare. */
  size: number
  crc: number
  encrypted?: boolean
}

/** Writes a zip of `entries` (no Zip64, no data descriptors) to `path`; `cut` bytes are left off its end. */
export async function writeCraftedZip(path: string, entries: CraftedEntry[], cut = 0): Promise<void> {
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name)
    const flags = (entry.encrypted ? 1 : 0) | 0x0800
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04_03_4b_50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(flags, 6)
    local.writeUInt16LE(entry.method ?? 8, 8)
    local.writeUInt32LE(entry.crc >>> 0, 14)
    local.writeUInt32LE(entry.data.length, 18)
    local.writeUInt32LE(entry.size, 22)
    local.writeUInt16LE(name.length, 26)
    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02_01_4b_50, 0)
    header.writeUInt16LE(0x03_14, 4)
    header.writeUInt16LE(20, 6)
    header.writeUInt16LE(flags, 8)
    header.writeUInt16LE(entry.method ?? 8, 10)
    header.writeUInt32LE(entry.crc >>> 0, 16)
    header.writeUInt32LE(entry.data.length, 20)
    header.writeUInt32LE(entry.size, 24)
    header.writeUInt16LE(name.length, 28)
    header.writeUInt32LE(offset, 42)
    parts.push(local, name, entry.data)
    central.push(header, name)
    offset += 30 + name.length + entry.data.length
  }

  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06_05_4b_50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  const whole = Buffer.concat([...parts, directory, end])
  await writeFile(path, whole.subarray(0, whole.length - cut))
}

/** A deflated entry of `content`, with its true size and CRC. */
export function deflatedEntry(name: string, content: string | Buffer): CraftedEntry {
  const bytes = Buffer.from(content)
  return {crc: crc32(bytes), data: deflateRawSync(bytes), name, size: bytes.length}
}

/**
 * An entry inflating to `megabytes` MB of spaces: one MB of spaces deflated with a full flush (which resets the
 * dictionary, so every copy of it inflates alike), repeated, then an empty final block. 2048 MB make about 2 MB.
 */
export function spacesBomb(name: string, megabytes: number, declaredSize = megabytes * 1024 * 1024): CraftedEntry {
  const block = Buffer.alloc(1024 * 1024, 0x20)
  const flushed = deflateRawSync(block, {finishFlush: constants.Z_FULL_FLUSH, level: 9})
  const data = Buffer.concat([...Array.from({length: megabytes}, () => flushed), Buffer.from([0x03, 0x00])])
  let crc = 0
  for (let index = 0; index < megabytes; index++) crc = crc32(block, crc)
  return {crc, data, name, size: Math.min(declaredSize, 0xff_ff_ff_ff)}
}
