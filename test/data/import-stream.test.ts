// Import of a large NDF file through the built CLI: read as a stream and sent in requests of at most about 1 MB of
// JSON (as the server pages its own export), in the format's order (nodes, lists, relations; files by number), with
// the CLI's memory bounded whatever the file's size. The figures for 128 MB and 1,000,000 nodes are in
// scripts/bench-data.ts; here a 20 MB file shows the bound.
import assert from 'node:assert/strict'
import {createWriteStream} from 'node:fs'
import {open} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {defaultRequestBytes} from '../../src/data/import.js'
import {ZipWriter} from '../../src/data/zip.js'
import {writeTree} from '../helpers/cli.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {runMeasured, startLossyProxy} from '../hardening/data-harness.js'
import {dataProject, deployed} from './fixtures.js'

const bigUsers = 160_000

/** nodes/000001.json of about 20 MB, written as a stream. */
async function writeBigNodes(path: string): Promise<void> {
  const out = createWriteStream(path)
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())))
  await write('{"valueType": "nodes",\n "values": [\n')
  for (let index = 0; index < bigUsers; index++) {
    await write(`${index === 0 ? '' : ',\n'}  {"_typeName": "User", "id": "u${index}", "email": "user${index}@example.com", "name": "User number ${index} of the big file", "age": ${index % 90}}`)
  }

  await write('\n]}\n')
  await new Promise<void>((resolve) => out.end(() => resolve()))
}

describe('import of a large file: streamed, bounded requests, bounded memory', {concurrency: 1}, () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 1, recordRequests: false})
  })
  after(() => server.close())

  for (const form of ['folder', 'zip'] as const) {
    test(`a 20 MB nodes file in a ${form}`, async () => {
      const sent: Array<{bytes: number; valueType: string; firstId: string}> = []
      const proxy = await startLossyProxy(server.url, ({path, body}) => {
        if (path.endsWith('/import')) {
          const head = /^\{"valueType":"(\w+)","values":\[\[?\{[^}]*?"id":\s*"([^"]+)"/.exec(body)
          sent.push({bytes: Buffer.byteLength(body), firstId: head?.[2] ?? '', valueType: head?.[1] ?? '?'})
        }

        return undefined
      })
      try {
        const small = (valueType: string, values: unknown[]) => JSON.stringify({valueType, values})
        const files = {
          'data/lists/000001.json': small('lists', [{_typeName: 'User', id: 'u1', tags: ['a', 'b']}]),
          'data/nodes/000002.json': small('nodes', [{_typeName: 'Post', id: 'p2', title: 'second file'}]),
          'data/nodes/000010.json': small('nodes', [{_typeName: 'Post', id: 'p10', title: 'tenth file'}]),
          'data/relations/000001.json': small('relations', [[{_typeName: 'Post', fieldName: 'author', id: 'p2'}, {_typeName: 'User', fieldName: 'posts', id: 'u1'}]]),
        }
        const dir = await deployed(await dataProject(`${proxy.url}/big${form}/dev`, '', form === 'folder' ? files : {}))
        if (form === 'folder') await writeBigNodes(join(dir, 'data', 'nodes', '000001.json'))
        else {
          const staging = await writeTree({})
          await writeBigNodes(join(staging, 'big.json'))
          const handle = await open(join(dir, 'data.zip'), 'w')
          const zip = new ZipWriter(handle)
          // the file numbers decide the order, not the order of the entries in the archive
          for (const [name, text] of Object.entries(files).reverse()) await zip.addFile(name.slice('data/'.length), Buffer.from(text))
          const big = await open(join(staging, 'big.json'))
          await zip.addFile('nodes/000001.json', await big.readFile())
          await big.close()
          await zip.finish()
          await handle.close()
        }

        const result = await runMeasured(['import', '--data', form === 'folder' ? 'data' : 'data.zip', '--json'], {cwd: dir, timeoutMs: 300_000})
        assert.equal(result.code, 0, result.stderr)
        const document = JSON.parse(result.stdout)
        assert.deepEqual([document.nodes, document.lists, document.relations], [bigUsers + 2, 1, 1])
        assert.equal(server.data(`big${form}`, 'dev').nodes.length, bigUsers + 2)
        assert.ok(sent.length >= 20, `a 20 MB file makes about 20 requests, not ${sent.length}`)
        for (const request of sent) assert.ok(request.bytes <= defaultRequestBytes, `a request of ${request.bytes} bytes`)
        assert.deepEqual(
          sent.map((request) => request.valueType).filter((type, index, all) => type !== all[index - 1]),
          ['nodes', 'lists', 'relations'],
          'nodes, then lists, then relations',
        )
        const nodeRequests = sent.filter((request) => request.valueType === 'nodes')
        assert.equal(nodeRequests[0].firstId, 'u0')
        assert.deepEqual(nodeRequests.slice(-2).map((request) => request.firstId), ['p2', 'p10'], 'files in numeric order')
        assert.ok(result.peakMb < 150, `peak memory ${result.peakMb} MB for a 20 MB file`)
      } finally {
        await proxy.close()
      }
    })
  }
})
