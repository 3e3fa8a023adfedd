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

async function writeZip(path: string, files: Record<string, string | Buffer>, dirs: string[] = []): Promise<void> {
  const handle = await open(path, 'w')
  const zip = new ZipWriter(handle)
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
})
