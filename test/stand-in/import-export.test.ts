import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'
import {startManagementServer, type ManagementServer} from './management-server.js'
import {deployStage, exportPages, gql, post, readStage} from './test-helpers.js'

const DATAMODEL = `type User {
  id: ID! @id
  name: String!
  age: Int
  score: Float
  active: Boolean
  born: DateTime
  role: Role
  meta: Json
  tags: [String] @scalarList(strategy: RELATION)
  posts: [Post] @relation(name: "Authorship")
  createdAt: DateTime! @createdAt
}
enum Role { A B }
type Post {
  id: ID! @id
  title: String!
  author: User @relation(name: "Authorship", link: INLINE)
  likedBy: [User] @relation(name: "Likes")
}
`
// User.likes is one-sided: Post.likedBy has no back field.

const START = {table: 0, row: 0, field: 0, array: 0}

/** The pages of one file type and their elements together. */
async function exportAll(url: string, fileType: string) {
  const pages = await exportPages(url, fileType)
  return {pages, elements: pages.flatMap((p) => p.out.jsonElements)}
}

describe('/export and /import', () => {
  let server: ManagementServer
  let source: string
  let target: string
  before(async () => {
    server = await startManagementServer({migrationStepMs: 1, exportPageLimit: 400})
    await deployStage(server.url, 'src', 'dev', DATAMODEL)
    await deployStage(server.url, 'dst', 'dev', DATAMODEL)
    source = `${server.url}/src/dev`
    target = `${server.url}/dst/dev`
    for (let i = 0; i < 12; i++) {
      const created = await gql(
        source,
        `mutation { createUser(data: {name: "user ${i}", age: ${i}, score: ${i}.5, active: ${i % 2 === 0}, born: "2000-01-0${(i % 9) + 1}T10:00:00Z",
          role: ${i % 2 ? 'A' : 'B'}, meta: "{\\"i\\": ${i}}", tags: {set: ["t${i}", "u${i}"]}, posts: {create: [{title: "post ${i}"}]}}) { id } }`,
      )
      assert.equal(created.body.errors, undefined, JSON.stringify(created.body))
    }
    const liked = (await gql(source, 'mutation { createPost(data: {title: "liked"}) { id } }')).body.data.createPost.id
    const users = (await gql(source, '{ users(first: 2) { id } }')).body.data.users
    const likes = await gql(source, `mutation { updatePost(where: {id: "${liked}"}, data: {likedBy: {connect: [{id: "${users[0].id}"}, {id: "${users[1].id}"}]}}) { likedBy { id } } }`)
    assert.equal(likes.body.data.updatePost.likedBy.length, 2)
  })
  after(() => server.close())

  test('nodes are exported in pages bounded by the summed element size, with a cursor until all -1', async () => {
    const {pages, elements} = await exportAll(source, 'nodes')
    assert.ok(pages.length > 3, `several pages (${pages.length})`)
    for (const page of pages.slice(0, -1)) {
      assert.equal(page.isFull, true)
      assert.ok(page.out.size <= 400, `size ${page.out.size}`)
      assert.equal(page.out.size, page.out.jsonElements.reduce((sum: number, e: unknown) => sum + JSON.stringify(e).length, 0))
      assert.equal(page.cursor.field, 0)
      assert.equal(page.cursor.array, 0)
    }
    assert.deepEqual(pages[pages.length - 1].cursor, {table: -1, row: -1, field: -1, array: -1})
    assert.equal(pages[pages.length - 1].isFull, false)
    // The page after the users continues with the posts: table 1, row 0 at the latest.
    assert.ok(pages.some((p) => p.cursor.table === 1))
    assert.equal(elements.length, 25)
    const first = elements[0] as Record<string, unknown>
    assert.deepEqual(Object.keys(first), ['_typeName', 'id', 'name', 'age', 'score', 'active', 'born', 'role', 'meta', 'createdAt'])
    assert.equal(first.born, '2000-01-01T10:00:00.000Z')
    assert.deepEqual(first.meta, {i: 0})
    assert.equal(first.active, true)
    assert.deepEqual(elements, server.data('src', 'dev').nodes)
  })

  test('lists and relations are exported in their NDF shapes; unknown file types end at once', async () => {
    const lists = (await exportAll(source, 'lists')).elements
    assert.equal(lists.length, 12)
    assert.deepEqual(Object.keys(lists[0] as object), ['_typeName', 'id', 'tags'])
    assert.deepEqual((lists[0] as {tags: string[]}).tags, ['t0', 'u0'])
    const relations = (await exportAll(source, 'relations')).elements as Array<Array<Record<string, string>>>
    assert.equal(relations.length, 14)
    const authorship = relations.find((r) => r[0]._typeName === 'User')
    assert.deepEqual(Object.keys(authorship?.[0] ?? {}), ['_typeName', 'id', 'fieldName'])
    assert.deepEqual([authorship?.[0].fieldName, authorship?.[1]._typeName, authorship?.[1].fieldName], ['posts', 'Post', 'author'])
    const like = relations.find((r) => r[0].fieldName === undefined || r[1].fieldName === undefined)
    assert.ok(like, 'the one-sided relation has a side without fieldName')
    const unknown = await post(`${source}/export`, {fileType: 'pictures', cursor: START})
    assert.deepEqual(unknown.body, {out: {jsonElements: [], size: 0}, cursor: {table: -1, row: -1, field: -1, array: -1}, isFull: false})
  })

  test('importing the exported pages into another stage restores the same data', async () => {
    for (const fileType of ['nodes', 'lists', 'relations']) {
      for (const page of (await exportAll(source, fileType)).pages) {
        const answer = await post(`${target}/import`, JSON.stringify({valueType: fileType, values: page.out.jsonElements}), {authorization: 'Bearer undefined'})
        assert.equal(answer.status, 200)
        assert.deepEqual(answer.body, [])
      }
    }
    assert.deepEqual(server.data('dst', 'dev'), server.data('src', 'dev'))
    assert.deepEqual(await readStage(target), server.data('src', 'dev'))
    const read = await gql(target, '{ users(where: {age: 3}) { name tags role posts { title } } }')
    assert.deepEqual(read.body.data.users, [{name: 'user 3', tags: ['t3', 'u3'], role: 'A', posts: [{title: 'post 3'}]}])
  })

  test('import reports per-row errors and inserts the valid rows', async () => {
    await post(`${target}/private`, {query: 'mutation { resetData }'})
    const nodes = await post(`${target}/import`, {
      valueType: 'nodes',
      values: [
        {_typeName: 'User', id: 'u1', name: 'One', createdAt: '2020-01-01T00:00:00.000Z'},
        {_typeName: 'User', id: 'u2', name: 'Two', colour: 'red'},
        {_typeName: 'User', id: 'u3', name: 'Three', age: 'old'},
        {_typeName: 'User', id: 'u4'},
        {_typeName: 'User', id: 'u1', name: 'Again'},
        {_typeName: 'Post', id: 'p1', title: 'P', updatedAt: '2020-01-01T00:00:00.000Z'},
      ],
    })
    assert.equal(nodes.status, 200)
    assert.equal(nodes.body.length, 4)
    assert.equal(nodes.body[0], "The model User with id u2 has an unknown field 'colour' in field list.")
    assert.equal(nodes.body[1], "The model User with id u3 has an invalid value for field' age'.")
    assert.match(nodes.body[2], /^Failure inserting User with Id: u4\. Cause: .*null value in column "name"/)
    assert.match(nodes.body[3], /^Failure inserting User with Id: u1\. Cause: .*duplicate key/)
    const users = await gql(target, '{ users { id name createdAt } posts { id } }')
    assert.deepEqual(users.body.data, {users: [{id: 'u1', name: 'One', createdAt: '2020-01-01T00:00:00.000Z'}], posts: [{id: 'p1'}]})

    const relations = await post(`${target}/import`, {
      valueType: 'relations',
      values: [
        [{_typeName: 'Post', id: 'p1', fieldName: 'author'}, {_typeName: 'User', id: 'u1', fieldName: 'posts'}],
        [{_typeName: 'User', id: 'u1'}, {_typeName: 'Post', id: 'p1', fieldName: 'likedBy'}],
        [{_typeName: 'Post', id: 'p1', fieldName: 'author'}, {_typeName: 'User', id: 'nobody', fieldName: 'posts'}],
      ],
    })
    assert.equal(relations.body.length, 1)
    assert.match(relations.body[0], /^Failure inserting into relationtable _Authorship with ids p1 and nobody\. Cause: /)
    const lists = await post(`${target}/import`, {valueType: 'lists', values: [{_typeName: 'User', id: 'u1', tags: ['a']}, {_typeName: 'User', id: 'u1', tags: ['b']}]})
    assert.deepEqual(lists.body, [])
    const read = await gql(target, '{ user(where: {id: "u1"}) { tags posts { id } } post(where: {id: "p1"}) { likedBy { id } } }')
    assert.deepEqual(read.body.data, {user: {tags: ['a', 'b'], posts: [{id: 'p1'}]}, post: {likedBy: [{id: 'u1'}]}})
  })

  test('a malformed document fails the whole request with HTTP 500 and changes nothing', async () => {
    const before = server.data('dst', 'dev')
    const unknownType = await post(`${target}/import`, {valueType: 'nodes', values: [{_typeName: 'User', id: 'ok', name: 'x'}, {_typeName: 'Ghost', id: 'g1'}]})
    assert.equal(unknownType.status, 500)
    assert.equal(unknownType.body.errors[0].message, 'No model with name: Ghost found.')
    assert.match(unknownType.body.errors[0].requestId, /^local:/)
    const badList = await post(`${target}/import`, {valueType: 'lists', values: [{_typeName: 'User', id: 'u1', tags: ['c']}, {_typeName: 'User', id: 'u1', nope: [1]}]})
    assert.equal(badList.status, 500)
    assert.equal((await post(`${target}/import`, {valueType: 'pictures', values: []})).status, 500)
    assert.equal((await post(`${target}/import`, {valueType: 'nodes'})).status, 500)
    assert.deepEqual(server.data('dst', 'dev'), before)
    const missing = await post(`${server.url}/ghost/dev/import`, {valueType: 'nodes', values: []})
    assert.equal(missing.body.errors[0].code, 3016)
  })

  test('importData and data() serve other tests directly', () => {
    server.importData('dst', 'dev', {valueType: 'nodes', values: [{_typeName: 'Post', id: 'direct', title: 'via helper'}]})
    assert.ok(server.data('dst', 'dev').nodes.some((n) => (n as {id: string}).id === 'direct'))
    assert.throws(() => server.data('ghost', 'dev'), /No project ghost\$dev/)
  })
})

test('a Mongo connector has no import / export capability', async () => {
  const server = await startManagementServer({migrationStepMs: 1, connector: 'mongo'})
  try {
    await deployStage(server.url, 'docs', 'dev', 'type Item { id: ID! @id title: String! }')
    for (const path of ['export', 'import']) {
      const answer = await post(`${server.url}/docs/dev/${path}`, {fileType: 'nodes', cursor: START, valueType: 'nodes', values: []})
      assert.equal(answer.status, 500)
      assert.equal(answer.body.errors[0].message, 'The connector is missing the import / export capability.')
    }
  } finally {
    await server.close()
  }
})

describe('/export as BulkExport.scala: custom id fields, cursors', () => {
  let server: ManagementServer
  let url: string
  before(async () => {
    server = await startManagementServer({migrationStepMs: 1, exportPageLimit: 120})
    await deployStage(server.url, 'custom', 'dev', 'type Account {\n  accountId: ID! @id\n  name: String!\n  tags: [String] @scalarList(strategy: RELATION)\n}\n')
    url = `${server.url}/custom/dev`
    for (let i = 0; i < 6; i++) {
      const tags = i % 2 === 0 ? `, tags: {set: ["t${i}"]}` : ''
      const created = await gql(url, `mutation { createAccount(data: {name: "a${i}"${tags}}) { accountId } }`)
      assert.equal(created.body.errors, undefined, JSON.stringify(created.body))
    }
  })
  after(() => server.close())

  test('a node of a type whose id field has another name carries both id and that field', async () => {
    const elements = (await exportPages(url, 'nodes')).flatMap((page) => page.out.jsonElements) as Array<Record<string, unknown>>
    assert.equal(elements.length, 6)
    for (const element of elements) {
      assert.deepEqual(Object.keys(element), ['_typeName', 'id', 'accountId', 'name'])
      assert.equal(element.id, element.accountId)
    }
  })

  test('importing such a node back is refused per row: BulkImport checks `id` as a field of the model', async () => {
    const element = {_typeName: 'Account', id: 'cjustonetwothree0000000000', accountId: 'cjustonetwothree0000000000', name: 'x'}
    const answer = await post(`${url}/import`, {valueType: 'nodes', values: [element]})
    assert.equal(answer.status, 200)
    assert.deepEqual(answer.body, ["The model Account with id cjustonetwothree0000000000 has an unknown field 'id' in field list."])
  })

  test('list cursors count only the nodes that have list values', async () => {
    const pages = await exportPages(url, 'lists')
    const elements = pages.flatMap((page) => page.out.jsonElements) as Array<Record<string, unknown>>
    assert.equal(elements.length, 3, 'accounts 0, 2 and 4 have tags')
    assert.ok(pages.length > 1, 'several pages')
    // each page's cursor row is the number of elements (nodes with values) exported so far
    let seen = 0
    for (const page of pages.slice(0, -1)) {
      seen += page.out.jsonElements.length
      assert.deepEqual({table: page.cursor.table, row: page.cursor.row}, {table: 0, row: seen})
    }
  })

  test('a malformed cursor, or one naming no table, is an internal error: HTTP 500', async () => {
    const bodies = [
      {fileType: 'nodes'},
      {fileType: 'nodes', cursor: {table: 0}},
      {fileType: 'nodes', cursor: {table: '0', row: 0}},
      {fileType: 'nodes', cursor: {table: 0.5, row: 0}},
      {cursor: {table: 0, row: 0}},
      {fileType: 'nodes', cursor: {table: 1, row: 0}},
      {fileType: 'nodes', cursor: {table: -1, row: -1}},
      {fileType: 'nodes', cursor: {table: 0, row: -5}},
    ]
    for (const body of bodies) {
      const answer = await post(`${url}/export`, body)
      assert.equal(answer.status, 500, JSON.stringify(body))
      assert.ok(answer.body.errors?.[0]?.message, JSON.stringify(answer.body))
    }
    const missing = await post(`${url}/export`, {fileType: 'nodes', cursor: {table: 0}})
    assert.match(missing.body.errors[0].message, /^JsResultException\(errors:List\(\(\/cursor\/row,List\(JsonValidationError\(List\(error\.path\.missing\)/)
    // field and array are not read; a file type without tables is done whatever the cursor says
    assert.equal((await post(`${url}/export`, {fileType: 'nodes', cursor: {table: 0, row: 0, field: 'x'}})).status, 200)
    const relations = await post(`${url}/export`, {fileType: 'relations', cursor: {table: 7, row: 3}})
    assert.deepEqual(relations.body.cursor, {table: -1, row: -1, field: -1, array: -1})
  })
})
