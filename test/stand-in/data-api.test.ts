import assert from 'node:assert/strict'
import {createRequire} from 'node:module'
import {after, before, describe, test} from 'node:test'
import {buildSchema} from 'graphql'
import {startManagementServer, type ManagementServer} from './management-server.js'
import {deployStage, gql, jwt, now, post} from './test-helpers.js'

const SHOP = `type User {
  id: ID! @id
  email: String! @unique
  name: String
  role: Role @default(value: CUSTOMER)
  tags: [String] @scalarList(strategy: RELATION)
  posts: [Post]
  profile: Profile @relation(link: INLINE)
  groups: [Group]
  friends: [User] @relation(name: "Friends")
  meta: Json
  createdAt: DateTime! @createdAt
  updatedAt: DateTime! @updatedAt
}
enum Role { CUSTOMER ADMIN }
type Post {
  id: ID! @id
  title: String!
  views: Int @default(value: 0)
  publishedAt: DateTime
  author: User! @relation(link: INLINE)
}
type Profile {
  id: ID! @id
  bio: String
  user: User
}
type Group {
  id: ID! @id
  name: String! @unique
  members: [User]
}
type Note {
  id: ID! @id
  text: String!
  owner: User
}
`

describe('service API data layer', () => {
  let server: ManagementServer
  let api: string
  const q = async (query: string, variables?: Record<string, unknown>) => (await gql(api, query, variables)).body
  before(async () => {
    server = await startManagementServer({migrationStepMs: 1})
    await deployStage(server.url, 'shop', 'dev', SHOP)
    api = `${server.url}/shop/dev`
  })
  after(() => server.close())

  test('serves the OpenCRUD schema of prisma-generate-schema, model types implementing Node', async () => {
    const generate = createRequire(import.meta.url)('prisma-generate-schema').default as (dm: string, db: string) => string
    const expected = buildSchema(generate(SHOP, 'postgres'))
    const introspected = await q('{ __schema { types { name kind fields { name } inputFields { name } interfaces { name } } } }')
    const served = new Map<string, {kind: string; fields: Array<{name: string}> | null; inputFields: Array<{name: string}> | null; interfaces: Array<{name: string}> | null}>(
      introspected.data.__schema.types.map((t: {name: string}) => [t.name, t]),
    )
    for (const type of Object.values(expected.getTypeMap())) {
      if (type.name.startsWith('__')) continue
      const mine = served.get(type.name)
      assert.ok(mine, `type ${type.name} is served`)
      const fields = 'getFields' in type ? Object.keys(type.getFields()).sort() : []
      const servedFields = [...(mine.fields ?? []), ...(mine.inputFields ?? [])].map((f) => f.name).sort()
      assert.deepEqual(servedFields, fields, type.name)
    }
    assert.deepEqual(served.get('User')?.interfaces, [{name: 'Node'}])
    assert.ok(served.has('Json'))
  })

  test('create with nested create and connect, defaults, createdAt, scalar lists, enums, Json; queries read it back', async () => {
    const group = await q('mutation { createGroup(data: {name: "g1"}) { id name } }')
    assert.equal(group.data.createGroup.name, 'g1')
    assert.match(group.data.createGroup.id, /^c[0-9a-z]{24}$/)
    const created = await q(
      `mutation($meta: Json) { createUser(data: {email: "ann@x.io", name: "Ann", tags: {set: ["a", "b"]}, meta: $meta,
        posts: {create: [{title: "First", publishedAt: "2020-01-02T03:04:05"}, {title: "Second", views: 7}]},
        profile: {create: {bio: "hi"}}, groups: {connect: [{name: "g1"}]}}) {
        id email role tags meta createdAt updatedAt
        posts(orderBy: title_ASC) { title views publishedAt author { email } }
        profile { bio user { email } } groups { name members { email } } } }`,
      {meta: {deep: [1, 2]}},
    )
    assert.equal(created.errors, undefined, JSON.stringify(created.errors))
    const user = created.data.createUser
    assert.equal(user.role, 'CUSTOMER')
    assert.deepEqual(user.tags, ['a', 'b'])
    assert.deepEqual(user.meta, {deep: [1, 2]})
    assert.match(user.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.equal(user.createdAt, user.updatedAt)
    assert.deepEqual(user.posts, [
      {title: 'First', views: 0, publishedAt: '2020-01-02T03:04:05.000Z', author: {email: 'ann@x.io'}},
      {title: 'Second', views: 7, publishedAt: null, author: {email: 'ann@x.io'}},
    ])
    assert.deepEqual(user.profile, {bio: 'hi', user: {email: 'ann@x.io'}})
    assert.deepEqual(user.groups, [{name: 'g1', members: [{email: 'ann@x.io'}]}])

    const byId = await q(`{ user(where: {id: "${user.id}"}) { email } byEmail: user(where: {email: "ann@x.io"}) { name } none: user(where: {email: "no@x.io"}) { name } }`)
    assert.deepEqual(byId.data, {user: {email: 'ann@x.io'}, byEmail: {name: 'Ann'}, none: null})
    const node = await q(`{ node(id: "${user.id}") { __typename id ... on User { email } } }`)
    assert.deepEqual(node.data.node, {__typename: 'User', id: user.id, email: 'ann@x.io'})
  })

  test('where filters, orderBy, pagination and connections', async () => {
    await q('mutation { createUser(data: {email: "bob@x.io", name: "Bob", role: ADMIN, posts: {create: [{title: "Bob 1", views: 3}]}}) { id } }')
    await q('mutation { createUser(data: {email: "cy@y.io"}) { id } }')
    const emails = async (where: string, extra = '') => (await q(`{ users(where: ${where}${extra}) { email } }`)).data.users.map((u: {email: string}) => u.email)
    assert.deepEqual(await emails('{email: "bob@x.io"}'), ['bob@x.io'])
    assert.deepEqual(await emails('{email_in: ["cy@y.io", "ann@x.io"]}'), ['ann@x.io', 'cy@y.io'])
    assert.deepEqual(await emails('{email_contains: "x.io"}'), ['ann@x.io', 'bob@x.io'])
    assert.deepEqual(await emails('{email_ends_with: "y.io"}'), ['cy@y.io'])
    assert.deepEqual(await emails('{name: null}'), ['cy@y.io'])
    assert.deepEqual(await emails('{role: ADMIN}'), ['bob@x.io'])
    assert.deepEqual(await emails('{AND: [{email_contains: "x"}, {name_starts_with: "B"}]}'), ['bob@x.io'])
    assert.deepEqual(await emails('{OR: [{name: "Ann"}, {email: "cy@y.io"}]}'), ['ann@x.io', 'cy@y.io'])
    assert.deepEqual(await emails('{NOT: [{email_contains: "x"}]}'), ['cy@y.io'])
    assert.deepEqual(await emails('{posts_some: {views_gt: 5}}'), ['ann@x.io'])
    assert.deepEqual(await emails('{posts_none: {}}'), ['cy@y.io'])
    assert.deepEqual(await emails('{posts_every: {views_lte: 3}}'), ['bob@x.io', 'cy@y.io'])
    assert.deepEqual(await emails('{groups_some: {name: "g1"}}'), ['ann@x.io'])
    const postsOfAnn = await q('{ posts(where: {author: {name: "Ann"}}, orderBy: views_DESC) { title } }')
    assert.deepEqual(postsOfAnn.data.posts, [{title: 'Second'}, {title: 'First'}])
    assert.deepEqual(await emails('{}', ', orderBy: email_DESC, skip: 1, first: 1'), ['bob@x.io'])
    assert.deepEqual(await emails('{}', ', orderBy: email_ASC, last: 1'), ['cy@y.io'])
    const connection = await q('{ usersConnection(orderBy: email_ASC, first: 2) { pageInfo { hasNextPage hasPreviousPage } edges { node { email } } aggregate { count } } }')
    assert.deepEqual(connection.data.usersConnection, {
      pageInfo: {hasNextPage: true, hasPreviousPage: false},
      edges: [{node: {email: 'ann@x.io'}}, {node: {email: 'bob@x.io'}}],
      aggregate: {count: 3},
    })
    const afterFirst = await q('{ all: users { id } }')
    const rest = await q(`{ users(after: "${afterFirst.data.all[0].id}") { email } }`)
    assert.deepEqual(rest.data.users.map((u: {email: string}) => u.email), ['bob@x.io', 'cy@y.io'])
  })

  test('update, upsert, updateMany, deleteMany with nested writes', async () => {
    const updated = await q(`mutation { updateUser(where: {email: "cy@y.io"}, data: {name: "Cy", tags: {set: ["z"]},
      posts: {create: [{title: "Cy 1"}, {title: "Cy 2"}]}, profile: {create: {bio: "cy"}}, groups: {connect: [{name: "g1"}]},
      friends: {connect: [{email: "bob@x.io"}]}}) { name tags updatedAt createdAt posts { title } profile { bio } friends { email } } }`)
    assert.equal(updated.errors, undefined, JSON.stringify(updated.errors))
    assert.equal(updated.data.updateUser.name, 'Cy')
    assert.deepEqual(updated.data.updateUser.tags, ['z'])
    assert.deepEqual(updated.data.updateUser.friends, [{email: 'bob@x.io'}])
    const nested = await q(`mutation { updateUser(where: {email: "cy@y.io"}, data: {
      posts: {update: [{where: {id: "${(await q('{ posts(where: {title: "Cy 1"}) { id } }')).data.posts[0].id}"}, data: {title: "Cy one"}}],
              updateMany: [{where: {title_starts_with: "Cy"}, data: {views: 9}}]},
      profile: {update: {bio: "CY"}}, groups: {disconnect: [{name: "g1"}]}}) {
      posts(orderBy: title_ASC) { title views } profile { bio } groups { name } } }`)
    assert.deepEqual(nested.data.updateUser, {posts: [{title: 'Cy 2', views: 9}, {title: 'Cy one', views: 9}], profile: {bio: 'CY'}, groups: []})
    const deleted = await q('mutation { updateUser(where: {email: "cy@y.io"}, data: {posts: {deleteMany: [{title: "Cy 2"}]}, profile: {delete: true}}) { posts { title } profile { bio } } }')
    assert.deepEqual(deleted.data.updateUser, {posts: [{title: 'Cy one'}], profile: null})
    assert.equal((await q('{ profiles(where: {bio: "CY"}) { id } }')).data.profiles.length, 0)

    const upserted = await q('mutation { upsertGroup(where: {name: "g2"}, create: {name: "g2", members: {connect: [{email: "bob@x.io"}]}}, update: {name: "never"}) { name members { email } } }')
    assert.deepEqual(upserted.data.upsertGroup, {name: 'g2', members: [{email: 'bob@x.io'}]})
    const again = await q('mutation { upsertGroup(where: {name: "g2"}, create: {name: "never"}, update: {name: "g2b", members: {set: []}}) { name members { email } } }')
    assert.deepEqual(again.data.upsertGroup, {name: 'g2b', members: []})

    assert.deepEqual((await q('mutation { updateManyPosts(where: {views: 9}, data: {views: 10}) { count } }')).data, {updateManyPosts: {count: 1}})
    assert.deepEqual((await q('mutation { createNote(data: {text: "n1"}) { text } }')).data, {createNote: {text: 'n1'}})
    assert.deepEqual((await q('mutation { deleteManyNotes(where: {text_in: ["n1", "n2"]}) { count } }')).data, {deleteManyNotes: {count: 1}})
    const deletedGroup = await q('mutation { deleteGroup(where: {name: "g2b"}) { name } }')
    assert.deepEqual(deletedGroup.data, {deleteGroup: {name: 'g2b'}})
  })

  test('errors carry the server codes; a failing mutation changes nothing', async () => {
    const unique = await gql(api, 'mutation { createUser(data: {email: "ann@x.io"}) { id } }')
    assert.equal(unique.status, 200)
    assert.equal(unique.body.data, null)
    assert.deepEqual(Object.keys(unique.body.errors[0]).sort(), ['code', 'locations', 'message', 'path', 'requestId'])
    assert.equal(unique.body.errors[0].code, 3010)
    assert.equal(unique.body.errors[0].message, 'A unique constraint would be violated on User. Details: Field name = email')
    assert.deepEqual(unique.body.errors[0].path, ['createUser'])

    const before = server.data('shop', 'dev')
    const missing = await q('mutation { createUser(data: {email: "new@x.io", posts: {create: [{title: "orphan"}]}, groups: {connect: [{name: "nope"}]}}) { id } }')
    assert.equal(missing.errors[0].code, 3039)
    assert.equal(missing.errors[0].message, 'No Node for the model Group with value nope for name found.')
    assert.deepEqual(server.data('shop', 'dev'), before, 'the failed create left no user and no post behind')

    const required = await q('mutation { deleteUser(where: {email: "ann@x.io"}) { id } }')
    assert.equal(required.errors[0].code, 3042)
    assert.match(required.errors[0].message, /violate the required relation 'PostToUser' between Post and User/)
    const invalid = await q('{ user(where: {}) { id } }')
    assert.equal(invalid.errors[0].code, 3040)
    const updateMissing = await q('mutation { updateUser(where: {email: "ghost@x.io"}, data: {name: "x"}) { id } }')
    assert.equal(updateMissing.errors[0].message, 'No Node for the model User with value ghost@x.io for email found.')
    await q('mutation { createGroup(data: {name: "lonely"}) { id } }')
    const notLinked = await q('mutation { updateUser(where: {email: "ann@x.io"}, data: {groups: {disconnect: [{name: "lonely"}]}}) { id } }')
    assert.equal(notLinked.errors[0].code, 3041)
    assert.match(notLinked.errors[0].message, /^The relation GroupToUser has no node for the model User with the value '\w+' for the field 'id' connected to a node for the model Group with the value 'lonely' for the field 'name'$/)
    assert.equal((await q('{ users(first: 1, last: 1) { id } }')).errors[0].code, 3014)
    assert.equal((await q('{ users(skip: -1) { id } }')).errors[0].code, 3028)
    const json = await q('mutation { createUser(data: {email: "json@x.io", meta: "{not json"}) { id } }')
    assert.equal(json.errors[0].message, "The value in the field 'meta' is not a valid Json: '{not json'")
    const unknownField = await q('{ users { nope } }')
    assert.match(unknownField.errors[0].message, /^Cannot query field 'nope' on type 'User'\./)
  })

  test('to-one relations move: connecting a profile to another user takes it from the first', async () => {
    await q('mutation { createUser(data: {email: "p1@x.io", profile: {create: {bio: "moving"}}}) { id } }')
    const profileId = (await q('{ profiles(where: {bio: "moving"}) { id } }')).data.profiles[0].id
    await q(`mutation { createUser(data: {email: "p2@x.io", profile: {connect: {id: "${profileId}"}}}) { id } }`)
    const owners = await q('{ a: user(where: {email: "p1@x.io"}) { profile { bio } } b: user(where: {email: "p2@x.io"}) { profile { bio } } }')
    assert.deepEqual(owners.data, {a: {profile: null}, b: {profile: {bio: 'moving'}}})
    const disconnected = await q('mutation { updateUser(where: {email: "p2@x.io"}, data: {profile: {disconnect: true}}) { profile { id } } }')
    assert.deepEqual(disconnected.data.updateUser, {profile: null})
  })

  test('/private resetData empties the stage; the schema stays', async () => {
    const reset = await post(`${api}/private`, {query: 'mutation {\n          resetData\n        }'})
    assert.deepEqual(reset.body, {data: {resetData: true}})
    assert.deepEqual(server.data('shop', 'dev'), {nodes: [], lists: [], relations: []})
    assert.deepEqual((await q('{ users { id } groups { id } }')).data, {users: [], groups: []})
    const unknown = await post(`${server.url}/nope/dev/private`, {query: 'mutation { resetData }'})
    assert.equal(unknown.body.errors[0].code, 3016)
  })
})

describe('service API data layer: ids, self relations, secrets', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 1})
  })
  after(() => server.close())

  test('Int ids count up, UUID ids are UUIDs; self relations link both ways', async () => {
    await deployStage(
      server.url,
      'ids',
      'dev',
      'type Counter { id: Int! @id(strategy: SEQUENCE) n: Int }\ntype Ticket { id: UUID! @id code: String }\ntype Person { id: ID! @id name: String! parent: Person @relation(name: "Family", link: INLINE) children: [Person] @relation(name: "Family") }',
    )
    const api = `${server.url}/ids/dev`
    const one = await gql(api, 'mutation { a: createCounter(data: {n: 1}) { id } b: createCounter(data: {n: 2}) { id } }')
    assert.deepEqual(one.body.data, {a: {id: 1}, b: {id: 2}})
    assert.deepEqual((await gql(api, '{ counter(where: {id: 2}) { n } }')).body.data, {counter: {n: 2}})
    const ticket = await gql(api, 'mutation { createTicket(data: {code: "t"}) { id } }')
    assert.match(ticket.body.data.createTicket.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    const family = await gql(api, 'mutation { createPerson(data: {name: "mum", children: {create: [{name: "kid1"}, {name: "kid2"}]}}) { children { name parent { name } } } }')
    assert.deepEqual(family.body.data.createPerson.children, [
      {name: 'kid1', parent: {name: 'mum'}},
      {name: 'kid2', parent: {name: 'mum'}},
    ])
  })

  test('data follows deploys: removed fields and models lose their rows, @rename keeps them', async () => {
    const api = `${server.url}/evolve/dev`
    await deployStage(server.url, 'evolve', 'dev', 'type Item { id: ID! @id title: String! note: String colour: String }\ntype Tag { id: ID! @id label: String! items: [Item] }')
    const made = await gql(api, 'mutation { createTag(data: {label: "t", items: {create: [{title: "one", note: "n", colour: "red"}]}}) { id } }')
    assert.equal(made.body.errors, undefined, JSON.stringify(made.body))
    await deployStage(server.url, 'evolve', 'dev', 'type Item { id: ID! @id title: String! hue: String @rename(oldName: "colour") }\ntype Tag { id: ID! @id label: String! items: [Item] }')
    const read = await gql(api, '{ items { title hue } tags { items { title } } }')
    assert.deepEqual(read.body.data, {items: [{title: 'one', hue: 'red'}], tags: [{items: [{title: 'one'}]}]})
    assert.deepEqual(Object.keys(server.data('evolve', 'dev').nodes[0] as object), ['_typeName', 'id', 'title', 'hue'])
    await deployStage(server.url, 'evolve', 'dev', 'type Item { id: ID! @id title: String! hue: String }')
    await deployStage(server.url, 'evolve', 'dev', 'type Item { id: ID! @id title: String! hue: String }\ntype Tag { id: ID! @id label: String! items: [Item] }')
    assert.deepEqual((await gql(api, '{ items { title } tags { id } }')).body.data, {items: [{title: 'one'}], tags: []})
    assert.deepEqual(server.data('evolve', 'dev').relations, [])
  })

  test('recordRequests: false keeps no request log (bulk loads)', async () => {
    const quiet = await startManagementServer({recordRequests: false})
    try {
      await deployStage(quiet.url, 'bulk', 'dev', 'type Item { id: ID! @id title: String! }')
      assert.deepEqual(quiet.importData('bulk', 'dev', {valueType: 'nodes', values: [{_typeName: 'Item', id: 'i1', title: 'x'}]}), [])
      assert.deepEqual((await gql(`${quiet.url}/bulk/dev`, '{ items { id } }')).body.data, {items: [{id: 'i1'}]})
      assert.equal(quiet.requests.length, 0)
    } finally {
      await quiet.close()
    }
  })

  test('a stage with secrets wants a service token on the API, /private, /export and /import', async () => {
    await deployStage(server.url, 'safe', 'dev', 'type Item { id: ID! @id title: String! }', ['s1'])
    const api = `${server.url}/safe/dev`
    const token = jwt({data: {service: 'safe@dev', roles: ['admin']}, iat: now(), exp: now() + 60}, 's1')
    const headers = {authorization: `Bearer ${token}`}
    for (const [path, body] of [
      ['', {query: 'mutation { createItem(data: {title: "x"}) { id } }'}],
      ['/private', {query: 'mutation { resetData }'}],
      ['/export', {fileType: 'nodes', cursor: {table: 0, row: 0, field: 0, array: 0}}],
      ['/import', {valueType: 'nodes', values: []}],
    ] as const) {
      const denied = await post(`${api}${path}`, body, {authorization: 'Bearer undefined'})
      assert.equal(denied.status, 200, path)
      assert.equal(denied.body.errors[0].code, 3015, path)
      const allowed = await post(`${api}${path}`, body, headers)
      assert.equal(allowed.body.errors, undefined, path)
    }
  })
})
