// The zip writer and reader: archives other tools read, archives other tools write, damage named.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import {open, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'
import fc from 'fast-check'

import {crc32, tableCrc32, ZipFormatError, ZipReader, ZipWriter} from '../../src/data/zip.js'
import {tempDir} from '../helpers/cli.js'
import {deflatedEntry, spacesBomb, writeCraftedZip} from './crafted-zip.js'

async function writeZip(path: string, files: Record<string, string | Buffer>, dirs: string[] = [], forceZip64 = false): Promise<void> {
  const handle = await open(path, 'w')
  const zip = new ZipWriter(handle, {forceZip64})
  for (const dir of dirs) await zip.addDirectory(dir)
  for (const [name, content] of Object.entries(files)) await zip.addFile(name, Buffer.from(content))
  await zip.finish()
  await handle.close()
}

async function readZip(path: string): Promise<Record<string, string>> {
  const zip = await ZipReader.open(path)
  const out: Record<string, string> = {}
  for (const entry of zip.entries) if (!entry.directory) out[entry.name] = (await zip.read(entry)).toString('utf8')
  await zip.close()
  return out
}

describe('zip', () => {
  test('crc32 of known inputs, native and table-driven alike', () => {
    for (const compute of [crc32, tableCrc32]) {
      assert.equal(compute(Buffer.from('')), 0)
      assert.equal(compute(Buffer.from('123456789')), 0xcb_f4_39_26)
    }

    const random = Buffer.from(Array.from({length: 5000}, (_, index) => (index * 7919) % 251))
    assert.equal(crc32(random), tableCrc32(random))
  })

  test('unzip (Info-ZIP) tests and lists an archive we write', async () => {
    const dir = await tempDir()
    const path = join(dir, 'a.zip')
    await writeZip(path, {'nodes/000001.json': '{"valueType":"nodes","values":[]}', 'lists/000001.json': 'x'.repeat(100_000)}, ['nodes', 'lists', 'relations'])
    const tested = execFileSync('unzip', ['-t', path], {encoding: 'utf8'})
    assert.match(tested, /No errors detected/)
    const listed = execFileSync('unzip', ['-Z1', path], {encoding: 'utf8'}).trim().split('\n')
    assert.deepEqual(listed, ['nodes/', 'lists/', 'relations/', 'nodes/000001.json', 'lists/000001.json'])
  })

  test('an archive made by zip (Info-ZIP), with stored and deflated entries, reads back', async () => {
    const dir = await tempDir()
    mkdirSync(join(dir, 'src', 'nodes'), {recursive: true})
    writeFileSync(join(dir, 'src', 'nodes', '000001.json'), '{"valueType":"nodes","values":[1]}')
    writeFileSync(join(dir, 'src', 'nodes', '000002.json'), 'a'.repeat(5000))
    execFileSync('zip', ['-qr', join(dir, 'deflated.zip'), '.'], {cwd: join(dir, 'src')})
    execFileSync('zip', ['-qr0', join(dir, 'stored.zip'), '.'], {cwd: join(dir, 'src')})
    for (const name of ['deflated.zip', 'stored.zip']) {
      assert.deepEqual(await readZip(join(dir, name)), {'nodes/000001.json': '{"valueType":"nodes","values":[1]}', 'nodes/000002.json': 'a'.repeat(5000)})
    }
  })

  test('any set of entries round-trips', async () => {
    const dir = await tempDir()
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.stringMatching(/^[a-z0-9_](?:[a-z0-9_]{1,4}\/?){0,5}[a-z0-9]$/), fc.string({maxLength: 3000}), {maxKeys: 8}), async (files) => {
        const path = join(dir, `p${run++}.zip`)
        await writeZip(path, files)
        assert.deepEqual(await readZip(path), {...files})
      }),
      {numRuns: 60},
    )
  })

  test('damage is named: not a zip, truncated, corrupted entry', async () => {
    const dir = await tempDir()
    const notZip = join(dir, 'not.zip')
    await writeFile(notZip, 'hello, this is text')
    await assert.rejects(ZipReader.open(notZip), (error: Error) => error instanceof ZipFormatError && /not a zip archive/.test(error.message))

    const good = join(dir, 'good.zip')
    await writeZip(good, {'nodes/000001.json': 'y'.repeat(20_000)})
    const bytes = await readFile(good)
    const cut = join(dir, 'cut.zip')
    await writeFile(cut, bytes.subarray(0, bytes.length - 30))
    await assert.rejects(ZipReader.open(cut), ZipFormatError)

    const flipped = Buffer.from(bytes)
    flipped[60] ^= 0xff
    const bad = join(dir, 'bad.zip')
    await writeFile(bad, flipped)
    const zip = await ZipReader.open(bad)
    await assert.rejects(zip.read(zip.entries[0]), (error: Error) => error instanceof ZipFormatError && /nodes\/000001\.json/.test(error.message))
    await zip.close()
  })

  test('Zip64: an archive forced into Zip64 is read back, and Info-ZIP agrees', async () => {
    const dir = await tempDir()
    const path = join(dir, 'z64.zip')
    await writeZip(path, {'nodes/000001.json': '{"valueType":"nodes","values":[]}', 'relations/000001.json': 'r'.repeat(70_000)}, ['nodes'], true)
    assert.match(execFileSync('zipinfo', ['-v', path], {encoding: 'utf8'}), /Zip64|64-bit/i)
    assert.match(execFileSync('unzip', ['-t', path], {encoding: 'utf8'}), /No errors detected/)
    assert.deepEqual(await readZip(path), {'nodes/000001.json': '{"valueType":"nodes","values":[]}', 'relations/000001.json': 'r'.repeat(70_000)})
  })

  test('Zip64: an archive of more than 65,535 entries (written by Python\'s zipfile, which then uses Zip64) lists them all', async (t) => {
    // yazl switches to Zip64 by itself past 65,535 entries or 4 GB; writing that many entries with it takes minutes
    // on a busy machine, so the count case is read from an archive Python writes in a second
    const dir = await tempDir()
    const path = join(dir, 'many.zip')
    const count = 65_600
    const script = `import zipfile\nwith zipfile.ZipFile(${JSON.stringify(path)}, 'w') as z:\n  for i in range(1, ${count + 1}):\n    z.writestr('nodes/%06d.json' % i, str(i))\n`
    try {
      execFileSync('python3', ['-c', script])
    } catch {
      t.skip('python3 is not installed')
      return
    }

    const reader = await ZipReader.open(path)
    assert.equal(reader.entries.length, count)
    assert.equal((await reader.read(reader.entries[count - 1])).toString(), String(count))
    await reader.close()
  })

  test('a bomb is refused from its header, before a byte is inflated; an entry inflating past its declared size is stopped there', async () => {
    const dir = await tempDir()
    const bomb = join(dir, 'bomb.zip')
    await writeCraftedZip(bomb, [spacesBomb('nodes/000001.json', 256)])
    const reader = await ZipReader.open(bomb)
    assert.match(reader.refusal(reader.entries[0]) ?? '', /nodes\/000001\.json would inflate from \d+ to 268435456 bytes .* zip bomb/)
    await assert.rejects(reader.read(reader.entries[0]), /zip bomb/)
    await reader.close()

    const liar = join(dir, 'liar.zip')
    await writeCraftedZip(liar, [spacesBomb('nodes/000001.json', 64, 5000)])
    const lying = await ZipReader.open(liar)
    let inflated = 0
    await assert.rejects(
      (async () => {
        for await (const chunk of lying.stream(lying.entries[0])) inflated += chunk.length
      })(),
      (error: Error) => error instanceof ZipFormatError && error.entry === 'nodes/000001.json' && /past its declared size/.test(error.message),
    )
    assert.ok(inflated <= 5000, `stopped at the declared size, not after ${inflated} bytes`)
    await lying.close()
  })

  test('limits per entry and in total', async () => {
    const dir = await tempDir()
    const path = join(dir, 'two.zip')
    await writeCraftedZip(path, [deflatedEntry('nodes/000001.json', 'a'.repeat(3000)), deflatedEntry('nodes/000002.json', 'b'.repeat(3000))])
    const perEntry = await ZipReader.open(path, {entryBytes: 2000})
    assert.match(perEntry.refusal(perEntry.entries[0]) ?? '', /more than the limit of 2000/)
    await perEntry.close()
    const total = await ZipReader.open(path, {ratio: 10_000, totalBytes: 5000})
    await total.read(total.entries[0])
    await assert.rejects(total.read(total.entries[1]), /past the limit of 5000 bytes in total/)
    await total.close()
  })

  test('encrypted entries, wrong CRCs and truncated data are named', async () => {
    const dir = await tempDir()
    const content = '{"valueType":"nodes","values":[]}'
    const encrypted = join(dir, 'enc.zip')
    await writeCraftedZip(encrypted, [{...deflatedEntry('nodes/000001.json', content), encrypted: true}])
    const locked = await ZipReader.open(encrypted)
    await assert.rejects(locked.read(locked.entries[0]), /nodes\/000001\.json is encrypted/)
    await locked.close()
    const crc = join(dir, 'crc.zip')
    await writeCraftedZip(crc, [{...deflatedEntry('nodes/000001.json', content), crc: 1}])
    const wrong = await ZipReader.open(crc)
    await assert.rejects(wrong.read(wrong.entries[0]), /nodes\/000001\.json is damaged \(its CRC-32 does not match\)/)
    await wrong.close()
  })
})
