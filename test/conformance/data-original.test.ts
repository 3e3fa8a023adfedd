/**
 * Conformance of the stand-in's data layer: the ORIGINAL prisma1@1.34.12 CLI seeds (a .graphql seed), exports,
 * resets and imports a service on the stand-in, and the data comes back as it was.
 */
import assert from 'node:assert/strict'
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {startManagementServer, type ManagementServer, type StageData} from '../stand-in/management-server.js'
import {gql, jwt, now} from '../stand-in/test-helpers.js'
import {ensureOriginalCli, runOriginal, serviceDir} from './original-cli.js'

const DATAMODEL = `type User {
  id: ID! @id
  email: String! @unique
  name: String
  role: Role @default(value: READER)
  tags: [String] @scalarList(strategy: RELATION)
  posts: [Post]
  groups: [Group]
  createdAt: DateTime! @createdAt
}
enum Role { READER WRITER }
type Post {
  id: ID! @id
  title: String!
  published: Boolean! @default(value: false)
  author: User! @relation(link: INLINE)
}
type Group {
  id: ID! @id
  name: String! @unique
  members: [User]
}
`

const SEED = `mutation ann {
  createUser(data: {email: "ann@example.com", name: "Ann", role: WRITER, tags: {set: ["a", "b"]},
    posts: {create: [{title: "Hello", published: true}, {title: "Draft"}]},
    groups: {create: [{name: "Readers"}]}}) { id }
}
mutation bob {
  createUser(data: {email: "bob@example.com", groups: {connect: [{name: "Readers"}]}}) { id }
}
query check { users { id } }
`

before(async () => {
  await ensureOriginalCli()
})

describe('original prisma1 seed, export, reset, import against the stand-in', () => {
  let server: ManagementServer
  let dir: string
  let seeded: StageData
  const api = () => `${server.url}/data/dev`
  const token = () => jwt({data: {service: 'data@dev', roles: ['admin']}, iat: now(), exp: now() + 600}, 'data-secret')
  before(async () => {
    server = await startManagementServer({migrationStepMs: 5, exportPageLimit: 300})
    dir = serviceDir({
      yml: `endpoint: ${server.url}/data/dev\ndatamodel: datamodel.prisma\nsecret: data-secret\nseed:\n  import: seed.graphql\n`,
      datamodel: DATAMODEL,
    })
    writeFileSync(join(dir, 'seed.graphql'), SEED)
    const deployed = await runOriginal(['deploy', '--no-seed'], {cwd: dir})
    assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr)
  })
  after(() => server.close())

  test('seed sends each operation of the .graphql file; the data is there', async () => {
    const result = await runOriginal(['seed'], {cwd: dir})
    assert.equal(result.code, 0, result.stdout + result.stderr)
    assert.match(result.stdout, /Seeding based on seed\.graphql/)
    const read = await gql(api(), '{ users(orderBy: email_ASC) { email role tags posts { title published } groups { name } } }', undefined, token())
    assert.deepEqual(read.body.data.users, [
      {email: 'ann@example.com', role: 'WRITER', tags: ['a', 'b'], posts: [{title: 'Hello', published: true}, {title: 'Draft', published: false}], groups: [{name: 'Readers'}]},
      {email: 'bob@example.com', role: 'READER', tags: [], posts: [], groups: [{name: 'Readers'}]},
    ])
    seeded = server.data('data', 'dev')
    assert.equal(seeded.nodes.length, 5)
  })

  test('seeding again fails with the unique constraint error of the server', async () => {
    const result = await runOriginal(['seed'], {cwd: dir})
    assert.notEqual(result.code, 0)
    // The error paragraph is word-wrapped at 80 columns behind ' ▸    ' prefixes.
    const paragraph = (result.stdout + result.stderr).replace(/\n ▸ {4}/g, ' ')
    // Checked piece by piece: Node's deprecation warnings may land between the lines on stderr.
    assert.match(paragraph, /Error while executing operation:/)
    assert.match(paragraph, /A unique constraint would be violated on User\. Details: Field name = email: \{"response":\{"data":null,"errors":\[/)
    assert.match(paragraph, /"code":3010,"requestId":"local:/)
    assert.deepEqual(server.data('data', 'dev'), seeded)
  })

  test('export pages through /export; reset empties the stage; import brings the same data back', async () => {
    const exported = await runOriginal(['export', '--path', 'backup.zip'], {cwd: dir})
    assert.equal(exported.code, 0, exported.stdout + exported.stderr)
    assert.match(exported.stdout, /Exported service to backup\.zip/)
    assert.ok(existsSync(join(dir, 'backup.zip')))
    const exportCalls = server.requests.filter((r) => r.path === '/data/dev/export')
    // The small page bound makes the node export take several requests, each resuming at the returned cursor.
    assert.ok(exportCalls.filter((r) => (r.body as {fileType: string}).fileType === 'nodes').length > 1)
    assert.ok(exportCalls.every((r) => /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(r.headers.authorization ?? '')))

    const reset = await runOriginal(['reset', '--force'], {cwd: dir})
    assert.equal(reset.code, 0, reset.stdout + reset.stderr)
    assert.match(reset.stdout, /Resetting data@dev/)
    assert.deepEqual(server.data('data', 'dev'), {nodes: [], lists: [], relations: []})

    const imported = await runOriginal(['import', '--data', 'backup.zip'], {cwd: dir})
    assert.equal(imported.code, 0, imported.stdout + imported.stderr)
    assert.match(imported.stdout, /Uploading relations done/)
    assert.doesNotMatch(imported.stdout, /Uncaught exception/)
    assert.deepEqual(server.data('data', 'dev'), seeded)
    const read = await gql(api(), '{ user(where: {email: "ann@example.com"}) { name tags posts { title } groups { members { email } } } }', undefined, token())
    assert.deepEqual(read.body.data.user, {
      name: 'Ann',
      tags: ['a', 'b'],
      posts: [{title: 'Hello'}, {title: 'Draft'}],
      groups: [{members: [{email: 'ann@example.com'}, {email: 'bob@example.com'}]}],
    })
  })

  test('importing the same data again shows the per-row errors of the server and exits 1', async () => {
    const again = await runOriginal(['import', '--data', 'backup.zip'], {cwd: dir})
    assert.equal(again.code, 1, again.stdout + again.stderr)
    assert.match(again.stdout, /"Failure inserting User with Id: \w+\. Cause: .*duplicate key/)
    assert.deepEqual(server.data('data', 'dev'), seeded)
  })
})
