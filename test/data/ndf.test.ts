// NDF documents checked against a datamodel, and import sources (zip or folder) read in the format's order.
import assert from 'node:assert/strict'
import {open} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {openImportSource, validateImport} from '../../src/data/import.js'
import {ndfFileName, ndfFileNumber, ndfProblem, readDataModel} from '../../src/data/ndf.js'
import {ZipWriter} from '../../src/data/zip.js'
import {tempDir, writeTree} from '../helpers/cli.js'

const datamodel = `
enum Role { ADMIN USER }
type User {
  id: ID! @id
  email: String! @unique
  age: Int
  score: Float
  active: Boolean @default(value: true)
  role: Role
  born: DateTime
  meta: Json
  tags: [String] @scalarList(strategy: RELATION)
  posts: [Post!]! @relation(name: "UserPosts")
  createdAt: DateTime! @createdAt
}
type Post {
  id: ID! @id
  title: String!
  author: User @relation(name: "UserPosts")
}
`

describe('NDF', () => {
  test('file names and numbers', () => {
    assert.equal(ndfFileName(1), '000001.json')
    assert.equal(ndfFileNumber('000012.json'), 12)
    assert.equal(ndfFileNumber('12.json'), 12)
    assert.equal(ndfFileNumber('abc.json'), undefined)
  })

  test('valid documents of every kind pass', async () => {
    const model = await readDataModel(datamodel)
    const nodes = {
      valueType: 'nodes',
      values: [
        {_typeName: 'User', id: 'u1', email: 'a@b.c', age: 3, score: 1.5, active: false, role: 'ADMIN', born: '2020-01-02T03:04:05.000Z', meta: {a: [1]}, createdAt: '2020-01-01T00:00:00.000Z'},
        {_typeName: 'Post', id: 'p1', title: 'T'},
      ],
    }
    assert.equal(ndfProblem(nodes, 'nodes', model), undefined)
    assert.equal(ndfProblem({valueType: 'lists', values: [{_typeName: 'User', id: 'u1', tags: ['a', 'b']}]}, 'lists', model), undefined)
    const relation = [{_typeName: 'Post', id: 'p1', fieldName: 'author'}, {_typeName: 'User', id: 'u1', fieldName: 'posts'}]
    assert.equal(ndfProblem({valueType: 'relations', values: [relation]}, 'relations', model), undefined)
  })

  test('each kind of problem is named with the value', async () => {
    const model = await readDataModel(datamodel)
    const node = (value: object) => ndfProblem({valueType: 'nodes', values: [value]}, 'nodes', model)
    assert.match(ndfProblem([], 'nodes', model)!, /not a JSON object/)
    assert.match(ndfProblem({valueType: 'lists', values: []}, 'nodes', model)!, /"valueType" is "lists", but files in nodes\/ must have "valueType": "nodes"/)
    assert.match(ndfProblem({valueType: 'nodes'}, 'nodes', model)!, /no "values" list/)
    assert.match(node({id: 'x'})!, /value 1 .*no "_typeName"/)
    assert.match(node({_typeName: 'Nope', id: 'x'})!, /no type Nope/)
    assert.match(node({_typeName: 'Post', title: 'x'})!, /no "id"/)
    assert.match(node({_typeName: 'Post', id: 'p'})!, /required field title is missing/)
    assert.match(node({_typeName: 'Post', id: 7, title: 'x'})!, /its "id" is 7, not a string \(the server imports only string ids\)/)
    assert.match(node({_typeName: 'Post', id: 'p', title: 'x', extra: 1})!, /no field extra/)
    assert.match(node({_typeName: 'Post', id: 'p', title: 'x', author: 'u'})!, /author is a relation/)
    assert.match(node({_typeName: 'User', id: 'u', email: 'e', tags: []})!, /tags is a scalar list/)
    assert.match(node({_typeName: 'User', id: 'u', email: 'e', age: 1.5})!, /value 1.5 of field age is not a valid Int/)
    assert.match(node({_typeName: 'User', id: 'u', email: 'e', role: 'KING'})!, /"KING" of field role is not a valid Role/)
    assert.match(node({_typeName: 'User', id: 'u', email: 'e', born: 'yesterday'})!, /not a valid DateTime/)
    assert.match(node({_typeName: 'User', id: 'u', email: null})!, /required field email is null/)
    const list = (value: object) => ndfProblem({valueType: 'lists', values: [value]}, 'lists', model)
    assert.match(list({_typeName: 'User', id: 'u', age: [1]})!, /age is not a scalar list field/)
    assert.match(list({_typeName: 'User', id: 'u', tags: 'a'})!, /not a list/)
    const relation = (value: unknown) => ndfProblem({valueType: 'relations', values: [value]}, 'relations', model)
    assert.match(relation([{_typeName: 'Post', id: 'p'}])!, /exactly two nodes/)
    assert.match(relation([{_typeName: 'Post', id: 'p'}, {_typeName: 'User', id: 'u'}])!, /neither side names/)
    assert.match(relation([{_typeName: 'Post', id: 'p', fieldName: 'title'}, {_typeName: 'User', id: 'u'}])!, /no relation field "title"/)
  })

  test('a folder is read nodes, lists, relations, each by number; missing folders are empty', async () => {
    const dir = await writeTree({
      'nodes/000010.json': '{"valueType":"nodes","values":[{"_typeName":"Post","id":"p2","title":"b"}]}',
      'nodes/2.json': '{"valueType":"nodes","values":[{"_typeName":"Post","id":"p1","title":"a"}]}',
      'relations/000001.json': '{"valueType":"relations","values":[]}',
    })
    const source = await openImportSource(dir, 'data')
    assert.deepEqual(source.files.map((file) => file.label), [join('data', 'nodes/2.json'), join('data', 'nodes/000010.json'), join('data', 'relations/000001.json')])
    const counts = await validateImport(source, await readDataModel(datamodel))
    assert.deepEqual({...counts, hash: undefined}, {chunks: 2, files: 3, hash: undefined, lists: 0, nodes: 2, relations: 0})
    assert.match(counts.hash, /^[0-9a-f]{64}$/)
  })

  test('sources not in the format are refused, naming the file and what is wrong', async () => {
    const model = await readDataModel(datamodel)
    await assert.rejects(openImportSource(join(await tempDir(), 'none.zip'), 'none.zip'), /none\.zip does not exist/)
    await assert.rejects(openImportSource(await writeTree({'a.txt': 'x'}), 'empty'), /empty is not in the import data format: it holds none of the folders/)
    await assert.rejects(openImportSource(await writeTree({'nodes/notes.json': '{}'}), 'd'), /nodes\/notes\.json is not a numbered JSON file/)
    await assert.rejects(openImportSource(await writeTree({'nodes/1.json': '{}', 'nodes/001.json': '{}'}), 'd'), /have the same number/)
    const notJson = await openImportSource(await writeTree({'nodes/000001.json': '{"valueType":'}), 'd')
    await assert.rejects(validateImport(notJson, model), /nodes\/000001\.json is not an NDF document .*cut short/)
    const badValue = await openImportSource(await writeTree({'nodes/000001.json': '{"valueType":"nodes","values":[{"_typeName":"Post","id":"p1","title":}]}'}), 'd')
    await assert.rejects(validateImport(badValue, model), /nodes\/000001\.json, value 1 \(.*\) is not valid JSON/)
    const file = join(await tempDir(), 'x.zip')
    await (await open(file, 'w')).close()
    await assert.rejects(openImportSource(file, 'x.zip'), /x\.zip is not in the import data format: it is not a zip archive/)
  })

  test('a required field is required even with @default (the server stores a missing field as null); @createdAt fields are filled by the server', async () => {
    const model = await readDataModel('type Item {\n  id: ID! @id\n  label: String! @default(value: "none")\n  made: DateTime! @createdAt\n  changed: DateTime! @updatedAt\n}\n')
    const node = (value: object) => ndfProblem({valueType: 'nodes', values: [value]}, 'nodes', model)
    assert.match(node({_typeName: 'Item', id: 'i1'})!, /required field label is missing/)
    assert.equal(node({_typeName: 'Item', id: 'i1', label: 'x'}), undefined)
  })

  test("only a folder's own numbered *.json files are read: hidden files, other files and subfolders are passed over", async () => {
    const dir = await writeTree({
      'nodes/000001.json': '{"valueType":"nodes","values":[{"_typeName":"Post","id":"p1","title":"a"}]}',
      'nodes/.DS_Store': 'binary',
      'nodes/._000001.json': 'AppleDouble',
      'nodes/readme.md': 'notes',
      'nodes/old/000002.json': '{"valueType":"nodes","values":[]}',
    })
    const source = await openImportSource(dir, 'data')
    assert.deepEqual(source.files.map((file) => file.label), [join('data', 'nodes/000001.json')])
    assert.deepEqual({...(await validateImport(source, await readDataModel(datamodel))), hash: ''}, {chunks: 1, files: 1, hash: '', lists: 0, nodes: 1, relations: 0})
  })

  test('a zip of the export folder itself (one top folder) reads like the folder', async () => {
    const path = join(await tempDir(), 'nested.zip')
    const handle = await open(path, 'w')
    const zip = new ZipWriter(handle)
    await zip.addFile('backup/nodes/000001.json', Buffer.from('{"valueType":"nodes","values":[{"_typeName":"Post","id":"p","title":"t"}]}'))
    await zip.finish()
    await handle.close()
    const source = await openImportSource(path, 'nested.zip')
    assert.deepEqual(source.files.map((file) => file.label), ['nested.zip:backup/nodes/000001.json'])
    assert.equal((await validateImport(source, await readDataModel(datamodel))).nodes, 1)
    await source.close()
  })
})
