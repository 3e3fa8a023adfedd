// The exporter over a scripted export API: pages in order with the returned cursor, the zip layout, and no file at
// the path unless the export completed.
import assert from 'node:assert/strict'
import {readdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {exportData} from '../../src/data/export.js'
import {locateArray, ServiceClient, startCursor} from '../../src/data/service.js'
import {InterruptedError} from '../../src/errors.js'
import {ZipReader} from '../../src/data/zip.js'
import {tempDir} from '../helpers/cli.js'
import {json, startServer} from '../http/servers.js'

type Cursor = {table: number; row: number; field: number; array: number}
const done: Cursor = {table: -1, row: -1, field: -1, array: -1}

function scripted(pages: Record<string, Array<{elements: unknown[]; cursor: Cursor}>>) {
  const calls: Array<{kind: string; cursor: Cursor}> = []
  return {
    calls,
    async exportPage(kind: 'nodes' | 'lists' | 'relations', cursor: Cursor) {
      calls.push({cursor, kind})
      const page = pages[kind].shift()!
      return {count: page.elements.length, cursor: page.cursor, valuesJson: JSON.stringify(page.elements)}
    },
  }
}

describe('exportData', () => {
  test('walks each kind with the cursor the server returns and writes the original layout', async () => {
    const client = scripted({
      lists: [{cursor: done, elements: []}],
      nodes: [
        {cursor: {array: 0, field: 0, row: 1, table: 0}, elements: [{_typeName: 'A', id: 'a1'}]},
        {cursor: done, elements: [{_typeName: 'A', id: 'a2'}, {_typeName: 'B', id: 'b1'}]},
      ],
      relations: [{cursor: done, elements: [[{_typeName: 'A', id: 'a1', fieldName: 'b'}, {_typeName: 'B', id: 'b1'}]]}],
    })
    const path = join(await tempDir(), 'out.zip')
    const result = await exportData({client, path})
    assert.deepEqual({...result, bytes: result.bytes > 0}, {bytes: true, files: 4, lists: 0, nodes: 3, path, relations: 1})
    assert.deepEqual(client.calls[1], {cursor: {array: 0, field: 0, row: 1, table: 0}, kind: 'nodes'})
    assert.deepEqual(client.calls.map((call) => call.kind), ['nodes', 'nodes', 'lists', 'relations'])
    const zip = await ZipReader.open(path)
    assert.deepEqual(zip.entries.map((entry) => entry.name), ['nodes/', 'lists/', 'relations/', 'nodes/000001.json', 'nodes/000002.json', 'lists/000001.json', 'relations/000001.json'])
    assert.equal((await zip.read(zip.entries[4])).toString(), '{"valueType":"nodes","values":[{"_typeName":"A","id":"a2"},{"_typeName":"B","id":"b1"}]}')
    await zip.close()
  })

  test('an existing file is kept unless force; a folder is refused', async () => {
    const dir = await tempDir()
    const path = join(dir, 'there.zip')
    await writeFile(path, 'keep me')
    await assert.rejects(exportData({client: scripted({}), path}), /there\.zip already exists\. Pass --force/)
    await assert.rejects(exportData({client: scripted({}), force: true, path: dir}), /is a folder/)
    const client = scripted({lists: [{cursor: done, elements: []}], nodes: [{cursor: done, elements: []}], relations: [{cursor: done, elements: []}]})
    await exportData({client, force: true, path})
    assert.equal((await ZipReader.open(path)).entries.length, 6)
  })

  test('interrupted or failing midway: nothing at the path, no temporary file left', async () => {
    const dir = await tempDir()
    const path = join(dir, 'x.zip')
    const controller = new AbortController()
    let count = 0
    const client = {
      async exportPage() {
        if (++count === 3) controller.abort(new InterruptedError('Interrupted.'))
        if (controller.signal.aborted) throw controller.signal.reason
        return {count: 1, cursor: {array: 0, field: 0, row: count, table: 0}, valuesJson: `[{"_typeName":"A","id":"a${count}"}]`}
      },
    }
    await assert.rejects(exportData({client, path, signal: controller.signal}), (error: Error) => error instanceof InterruptedError && /nothing was written to/.test(error.message))
    assert.deepEqual(await readdir(dir), [])
    const failing = {
      async exportPage(): Promise<never> {
        throw new Error('server gone')
      },
    }
    await assert.rejects(exportData({client: failing, path}), /server gone/)
    assert.deepEqual(await readdir(dir), [])
  })

  test('a server whose cursor does not move is stopped', async () => {
    const stuck = {table: 0, row: 5, field: 0, array: 0}
    const client = {exportPage: async () => ({count: 0, cursor: stuck, valuesJson: '[]'})}
    const dir = await tempDir()
    await assert.rejects(exportData({client, path: join(dir, 's.zip')}), /did not advance/)
    assert.deepEqual(await readdir(dir), [])
  })
})

describe('locateArray', () => {
  test('finds the array and counts its values without parsing them', () => {
    const values = [{a: 'x, y ] } [ {', b: [1, 2, {c: '\\"'}]}, 'plain', 3, null, [], {}]
    const text = JSON.stringify({out: {jsonElements: values, size: 10}, cursor: {table: 1}, isFull: true})
    const found = locateArray(text, '"jsonElements"')!
    assert.deepEqual(JSON.parse(text.slice(found.start, found.end)), values)
    assert.equal(found.count, 6)
    assert.equal(locateArray('{"out":{"jsonElements": [ ] }}', '"jsonElements"')!.count, 0)
    assert.equal(locateArray('{"errors":[]}', '"jsonElements"'), undefined)
    assert.equal(locateArray('{"out":{"jsonElements":[1,2', '"jsonElements"'), undefined)
  })
})

describe('ServiceClient.exportPage', () => {
  test('a page the server throttles (1004) is asked for again; an error answer is the server\'s message', async (t) => {
    const answers = [
      {errors: [{code: 1004, message: 'There are too many concurrent queries for this service.'}]},
      {cursor: {array: -1, field: -1, row: -1, table: -1}, isFull: false, out: {jsonElements: [{_typeName: 'A', id: 'a'}], size: 26}},
      {errors: [{code: 3016, message: "Project not found: 's$d'"}]},
    ]
    const server = await startServer((_request, response) => json(response, answers.shift()))
    t.after(() => server.close())

    const client = new ServiceClient({env: {}, service: 's', stage: 'd', url: `${server.url}/s/d`})
    const page = await client.exportPage('nodes', startCursor)
    assert.equal(server.received.length, 2)
    assert.equal(server.received[1].url, '/s/d/export')
    assert.equal(server.received[1].body, '{"cursor":{"array":0,"field":0,"row":0,"table":0},"fileType":"nodes"}')
    assert.deepEqual(page, {count: 1, cursor: {array: -1, field: -1, row: -1, table: -1}, valuesJson: '[{"_typeName":"A","id":"a"}]'})
    await assert.rejects(client.exportPage('lists', startCursor), /The service s has no stage d on the server http:\/\/127\.0\.0\.1:\d+ \(code 3016\)/)
  })
})
