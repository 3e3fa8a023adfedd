/**
 * Conformance: the ORIGINAL prisma1@1.34.12 CLI deploys to the stand-in. If the stand-in did not speak the real
 * Management API protocol (query shapes, error format, introspection, migration status), these would fail.
 */
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {runCli} from '../helpers/cli.js'
import {ensureOriginalCli, runOriginal, serviceDir} from './original-cli.js'

const USER_V1 = 'type User {\n  id: ID! @id\n  name: String!\n}\n'
const USER_V2 = 'type User {\n  id: ID! @id\n  name: String!\n  email: String @unique\n}\n'
const USER_V3 = 'type User {\n  id: ID! @id\n  email: String @unique\n}\n'

function bodyOf(server: ManagementServer, from: number): string[] {
  return server.requests.slice(from).map((r) => {
    const q = r.query ?? ''
    const field = /^\s*(?:query|mutation)?[^{]*\{\s*(\w+)/.exec(q)?.[1] ?? '?'
    return field
  })
}

before(async () => {
  await ensureOriginalCli()
})

describe('original prisma1 CLI against the stand-in (no auth)', () => {
  let server: ManagementServer
  let dir: string
  before(async () => {
    server = await startManagementServer({migrationStepMs: 5})
    dir = serviceDir({yml: `endpoint: ${server.url}/conformance/dev\ndatamodel: datamodel.prisma\n`, datamodel: USER_V1})
  })
  after(() => server.close())

  test('deploys a new service: creates the stage, deploys, waits for the migration', async () => {
    const from = server.requests.length
    const result = await runOriginal(['deploy'], {cwd: dir})
    assert.equal(result.code, 0, result.stdout + result.stderr)
    assert.match(result.stdout, /Creating stage dev for service conformance/)
    assert.match(result.stdout, /Created type `User`/)
    assert.match(result.stdout, /Created field `name` of type `String!`/)
    assert.match(result.stdout, /Your Prisma endpoint is live/)
    const fields = bodyOf(server, from)
    for (const expected of ['serverInfo', 'listProjects', 'project', 'addProject', '__schema', 'deploy', 'migrationStatus']) {
      assert.ok(fields.includes(expected), `expected a ${expected} request, got ${fields.join(', ')}`)
    }
    const project = server.project('conformance', 'dev')
    assert.equal(project?.revision, 2)
    assert.equal(project?.datamodel, USER_V1 + '\n')
    // No request carried a token: the server does not need auth.
    assert.ok(server.requests.slice(from).every((r) => r.headers.authorization === undefined))
  })

  test('deploys a change', async () => {
    writeFileSync(join(dir, 'datamodel.prisma'), USER_V2)
    const result = await runOriginal(['deploy'], {cwd: dir})
    assert.equal(result.code, 0, result.stdout + result.stderr)
    assert.match(result.stdout, /Created field `email` of type `String`/)
    assert.equal(server.project('conformance', 'dev')?.revision, 3)
    assert.equal(server.project('conformance', 'dev')?.datamodel, USER_V2 + '\n')
  })

  test('an unchanged datamodel creates no migration', async () => {
    const result = await runOriginal(['deploy'], {cwd: dir})
    assert.equal(result.code, 0, result.stdout + result.stderr)
    assert.match(result.stdout, /already up to date/)
    assert.equal(server.project('conformance', 'dev')?.revision, 3)
  })

  test('--dry-run shows the changes and changes nothing', async () => {
    writeFileSync(join(dir, 'datamodel.prisma'), USER_V2.replace('email: String @unique', 'email: String @unique\n  age: Int'))
    const result = await runOriginal(['deploy', '--dry-run'], {cwd: dir})
    assert.equal(result.code, 0, result.stdout + result.stderr)
    assert.match(result.stdout, /Created field `age` of type `Int`/)
    assert.equal(server.project('conformance', 'dev')?.revision, 3)
    assert.equal(server.project('conformance', 'dev')?.datamodel, USER_V2 + '\n')
  })

  test('destructive changes on a model with data need --force', async () => {
    server.setModelHasData('conformance', 'dev', 'User', true)
    writeFileSync(join(dir, 'datamodel.prisma'), USER_V3)
    const refused = await runOriginal(['deploy'], {cwd: dir})
    assert.notEqual(refused.code, 0)
    assert.match(refused.stdout + refused.stderr, /You already have nodes for this model\. This change may result in data loss\./)
    assert.equal(server.project('conformance', 'dev')?.revision, 3)

    const forced = await runOriginal(['deploy', '--force'], {cwd: dir})
    assert.equal(forced.code, 0, forced.stdout + forced.stderr)
    assert.match(forced.stdout, /Deleted field `name`/)
    assert.equal(server.project('conformance', 'dev')?.revision, 4)
    assert.equal(server.project('conformance', 'dev')?.datamodel, USER_V3 + '\n')
  })

  test('datamodel errors are shown and fail the deploy', async () => {
    writeFileSync(join(dir, 'datamodel.prisma'), 'type User {\n  id: ID! @id\n  posts: [Post]\n}\n')
    const result = await runOriginal(['deploy'], {cwd: dir})
    assert.notEqual(result.code, 0)
    assert.match(result.stdout + result.stderr, /has the type `\[Post\]` but there's no type or enum declaration with that name/)
    assert.equal(server.project('conformance', 'dev')?.revision, 4)
  })
})

describe('original prisma1 CLI against a stand-in with a management API secret (HS256)', () => {
  let server: ManagementServer
  let dir: string
  before(async () => {
    server = await startManagementServer({migrationStepMs: 5, auth: {mode: 'symmetric', secret: 'conformance-secret'}})
    dir = serviceDir({
      yml: `endpoint: ${server.url}/secured/prod\ndatamodel: datamodel.prisma\nsecret: service-secret\n`,
      datamodel: USER_V1,
    })
  })
  after(() => server.close())

  test('deploys with PRISMA_MANAGEMENT_API_SECRET set to the right secret', async () => {
    const from = server.requests.length
    const result = await runOriginal(['deploy'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_SECRET: 'conformance-secret'}})
    assert.equal(result.code, 0, result.stdout + result.stderr)
    assert.match(result.stdout, /Created type `User`/)
    assert.deepEqual(server.project('secured', 'prod')?.secrets, ['service-secret'])
    const authed = server.requests.slice(from).filter((r) => r.headers.authorization)
    assert.ok(authed.length >= 3, 'the project/addProject/deploy requests carry a token')
    assert.ok(authed.every((r) => /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(r.headers.authorization)))
  })

  test('fails with the friendly message when the secret is wrong', async () => {
    writeFileSync(join(dir, 'datamodel.prisma'), USER_V2)
    const result = await runOriginal(['deploy'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_SECRET: 'wrong-secret'}})
    assert.notEqual(result.code, 0)
    assert.match(result.stdout + result.stderr, /Can not authenticate against Prisma server/)
    assert.equal(server.project('secured', 'prod')?.revision, 2)
  })

  test('without the secret the server refuses with the "requires the Management API secret" hint', async () => {
    const result = await runOriginal(['deploy'], {cwd: dir})
    assert.notEqual(result.code, 0)
    assert.match(result.stdout + result.stderr, /header not provided|requires the Management API secret/)
    assert.equal(server.project('secured', 'prod')?.revision, 2)
  })
})

describe('original prisma1 CLI and the service API', () => {
  test('a token from `prisma1 token` opens the deployed service; no token is refused', async () => {
    const server = await startManagementServer({migrationStepMs: 5})
    try {
      const dir = serviceDir({yml: `endpoint: ${server.url}/tokens/dev\ndatamodel: datamodel.prisma\nsecret: service-secret\n`, datamodel: USER_V1})
      assert.equal((await runOriginal(['deploy'], {cwd: dir})).code, 0)
      const result = await runOriginal(['token'], {cwd: dir})
      assert.equal(result.code, 0, result.stdout + result.stderr)
      const token = result.stdout.trim()
      const ask = (headers: Record<string, string>) =>
        fetch(`${server.url}/tokens/dev`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: JSON.stringify({query: '{ users { id name } }'})})
      assert.deepEqual(await (await ask({authorization: `Bearer ${token}`})).json(), {data: {users: []}})
      const refused = (await (await ask({})).json()) as {errors: Array<{code: number}>}
      assert.equal(refused.errors[0].code, 3015)
    } finally {
      await server.close()
    }
  })
})

describe('original prisma1 CLI against older server profiles', () => {
  test('a server before 1.8 (no serverInfo): the original refuses it; this tool deploys to it', async () => {
    const server = await startManagementServer({profile: 'pre-1.5', migrationStepMs: 5})
    try {
      const dir = serviceDir({yml: `endpoint: ${server.url}/legacy/dev\ndatamodel: datamodel.prisma\n`, datamodel: USER_V1})
      const result = await runOriginal(['deploy'], {cwd: dir})
      assert.equal(result.code, 1, result.stdout + result.stderr)
      assert.match(result.stderr, /Could not connect to server at http:\/\/127\.0\.0\.1:\d+\. Please check if\s+(▸\s+)?your server is running\./)
      assert.ok(!server.requests.some((r) => /deploy\(input/.test(r.query ?? '')), 'the original sent no deploy')
      assert.equal(server.project('legacy', 'dev'), undefined)

      const ours = await runCli(['deploy'], {cwd: dir})
      assert.equal(ours.code, 0, ours.stderr)
      assert.match(ours.stdout, /Created field `name` of type `String!`/)
      assert.equal(server.project('legacy', 'dev')?.revision, 2)
    } finally {
      await server.close()
    }
  })

  test('a server serving only /cluster (1.0-1.7, MySQL ids): the original switches to /cluster, then finds no serverInfo there either', async () => {
    const server = await startManagementServer({profile: 'cluster-path', connector: 'mysql', migrationStepMs: 5})
    try {
      const dir = serviceDir({yml: `endpoint: ${server.url}/old/dev\ndatamodel: datamodel.prisma\n`, datamodel: USER_V1})
      const result = await runOriginal(['deploy'], {cwd: dir})
      assert.equal(result.code, 1, result.stdout + result.stderr)
      assert.match(result.stderr, /Could not connect to server at/)
      assert.equal(server.requests[0].path, '/management')
      assert.ok(server.requests.slice(1).some((r) => r.path === '/cluster'))
      assert.equal(server.project('old', 'dev'), undefined)

      const ours = await runCli(['deploy'], {cwd: dir})
      assert.equal(ours.code, 0, ours.stderr)
      assert.equal(server.project('old', 'dev')?.revision, 2)
    } finally {
      await server.close()
    }
  })

  test('the pre-1.5 deploy mutation with serverInfo (version 1.8.0 given): the original falls back to the mutation without force', async () => {
    // no real server had both (force came with 1.5, serverInfo with 1.8); the pairing exercises the original's
    // fallback on the server's text for an unknown input field
    const server = await startManagementServer({profile: 'pre-1.5', version: '1.8.0', migrationStepMs: 5})
    try {
      const dir = serviceDir({yml: `endpoint: ${server.url}/legacy/dev\ndatamodel: datamodel.prisma\n`, datamodel: USER_V1})
      const result = await runOriginal(['deploy'], {cwd: dir})
      assert.equal(result.code, 0, result.stdout + result.stderr)
      assert.match(result.stdout, /out of sync/)
      assert.match(result.stdout, /Created field `name` of type `String!`/)
      const deploys = server.requests.filter((r) => /deploy\(input/.test(r.query ?? ''))
      assert.equal(deploys.length, 2)
      assert.match(deploys[0].query ?? '', /force: \$force/)
      assert.doesNotMatch(deploys[1].query ?? '', /force/)
      assert.equal(server.project('legacy', 'dev')?.revision, 2)
    } finally {
      await server.close()
    }
  })
})
