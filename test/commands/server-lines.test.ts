// The CLI against each line of Prisma servers whose behaviour a client can see (test/stand-in/server-lines.ts):
// 1.27–1.34.6 check tokens with libs/jwt-native-rs, RS256 ends with 1.26, servers before 1.8 have no serverInfo.
import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {dataProject, deployed} from '../data/fixtures.js'
import {runCli, tempDir, writeTree} from '../helpers/cli.js'
import {keys, spawnPty} from '../helpers/pty.js'
import {management, project} from '../deploy/fixtures.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {verifyJwt} from '../tokens/verifier.js'

const secret = 'line-s3cr3t-value'

function bearer(request: {headers: Record<string, string>}): string | undefined {
  return /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
}

async function ask(url: string, query: string, token: string): Promise<{data?: unknown; errors?: Array<{code?: number; message: string}>}> {
  const response = await fetch(`${url}/management`, {
    body: JSON.stringify({query}),
    headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
    method: 'POST',
  })
  return (await response.json()) as {data?: unknown; errors?: Array<{code?: number; message: string}>}
}

function oneLineToken(result: {code: number | null; stdout: string; stderr: string}): string {
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/)
  return result.stdout.trim()
}

/** A config.yml whose cluster `legacy` at `host` holds an RS256 private key as its clusterSecret. */
async function homeWithClusterSecret(host: string, privateKeyPem: string): Promise<string> {
  const home = await tempDir('home-')
  const indented = privateKeyPem
    .trim()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n')
  await writeTree({'.prisma/config.yml': `clusters:\n  legacy:\n    host: '${host}'\n    clusterSecret: |\n${indented}\n`}, home)
  return home
}

describe('a 1.34.0–1.34.6 server (tokens checked by libs/jwt-native-rs)', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({auth: {mode: 'symmetric', secret}, migrationStepMs: 5, version: '1.34.3'})
  })
  after(() => server.close())

  test('deploy signs every request with PRISMA_MANAGEMENT_API_SECRET and the server accepts it', async () => {
    const dir = await project(`${server.url}/svc/dev`)
    const from = server.requests.length
    const result = await runCli(['deploy'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(server.project('svc', 'dev')?.revision, 2)
    for (const request of management(server.requests.slice(from))) assert.ok(bearer(request), `${request.operationName} without a token`)
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(secret))
  })

  test('a wrong secret and a missing one: the server\'s unprefixed reasons, in the CLI\'s paragraph', async () => {
    const dir = await project(`${server.url}/svc/dev`)
    const wrong = await runCli(['deploy'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_SECRET: 'not-the-secret'}})
    assert.equal(wrong.code, 1)
    assert.match(wrong.stderr, /PRISMA_MANAGEMENT_API_SECRET environment\s+variable is set incorrectly/)
    assert.match(wrong.stderr, /The server said: Invalid signature\n/)
    assert.doesNotMatch(wrong.stderr, /not-the-secret|eyJ|\n\s+at /)
    const missing = await runCli(['deploy'], {cwd: dir})
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /requires the Management API secret\. Please set the PRISMA_MANAGEMENT_API_SECRET/)
    assert.match(missing.stderr, /The server said: No 'Authorization' header provided\./)
  })

  test('cluster-token: the default */* token, a --target token, and its lifetime are honoured', async () => {
    const env = {PRISMA_MANAGEMENT_API_SECRET: secret}
    const all = oneLineToken(await runCli(['cluster-token'], {env}))
    assert.deepEqual(await ask(server.url, '{ listProjects { name } }', all), {data: {listProjects: [{name: 'svc'}]}})
    const scoped = oneLineToken(await runCli(['cluster-token', '--target', 'svc/dev'], {env}))
    assert.equal((await ask(server.url, '{ project(name: "svc", stage: "dev") { name } }', scoped)).errors, undefined)
    const other = await ask(server.url, '{ listProjects { name } }', scoped)
    assert.match(other.errors?.[0].message ?? '', /^Token grants do not satisfy the request\./)

    const short = oneLineToken(await runCli(['cluster-token', '--expires-in', '1s'], {env}))
    const {payload} = verifyJwt(short, {secret})
    const exp = (payload as {exp: number}).exp
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (exp + 1) * 1000 - Date.now() + 50)))
    const expired = await ask(server.url, '{ listProjects { name } }', short)
    assert.equal(expired.errors?.[0].code, 3015)
    assert.equal(expired.errors?.[0].message, 'Token is expired.')
  })

  test('cluster-token --action: a grant whose action is not * is refused by these servers', async () => {
    const env = {PRISMA_MANAGEMENT_API_SECRET: secret}
    const result = await runCli(['cluster-token', '--target', 'svc/dev', '--action', 'deploy'], {env})
    const token = oneLineToken(result)
    const answer = await ask(server.url, '{ project(name: "svc", stage: "dev") { name } }', token)
    assert.equal(answer.errors?.[0].code, 3015)
    assert.match(answer.errors?.[0].message ?? '', /Got: Some\(\[Grant \{ target: "svc\/dev", action: "deploy" \}\]\) Required: Some\(Grant \{ target: "svc\/dev", action: "\*" \}\)/)
    const star = oneLineToken(await runCli(['cluster-token', '--target', 'svc/dev', '--action', '*'], {env}))
    assert.equal((await ask(server.url, '{ project(name: "svc", stage: "dev") { name } }', star)).errors, undefined)
  })
})

describe('RS256 (a clusterSecret in ~/.prisma/config.yml): to 1.26, and refused by 1.34', () => {
  const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
  const privatePem = privateKey.export({format: 'pem', type: 'pkcs8'}).toString()

  test('a 1.26 server: deploy and cluster-token sign RS256 with the clusterSecret, and the server accepts them', async (t) => {
    const server = await startManagementServer({
      auth: {mode: 'asymmetric', publicKey: publicKey.export({format: 'pem', type: 'spki'}).toString()},
      migrationStepMs: 5,
      version: '1.26.6',
    })
    t.after(() => server.close())
    const home = await homeWithClusterSecret(server.url, privatePem)
    const dir = await project(`${server.url}/legacy/dev`)
    const result = await runCli(['deploy'], {cwd: dir, env: {HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(server.project('legacy', 'dev')?.revision, 2)
    for (const request of management(server.requests)) assert.equal(verifyJwt(bearer(request) ?? '', {publicKey}).header.alg, 'RS256')
    const token = oneLineToken(await runCli(['cluster-token'], {cwd: dir, env: {HOME: home}}))
    assert.deepEqual(await ask(server.url, '{ listProjects { name } }', token), {data: {listProjects: [{name: 'legacy'}]}})
  })

  test('a 1.34 server with a secret refuses the RS256 token: exit 1, the server\'s reason, what to set', async (t) => {
    const server = await startManagementServer({auth: {mode: 'symmetric', secret}, migrationStepMs: 5})
    t.after(() => server.close())
    const home = await homeWithClusterSecret(server.url, privatePem)
    const dir = await project(`${server.url}/legacy/dev`)
    const result = await runCli(['deploy'], {cwd: dir, env: {HOME: home}})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /Invalid signature for this token or wrong algorithm\./)
    assert.match(result.stderr, /PRISMA_MANAGEMENT_API_SECRET/)
    assert.doesNotMatch(result.stderr, /eyJ|\n\s+at |BEGIN PRIVATE KEY/)
    assert.equal(server.project('legacy', 'dev'), undefined)
  })
})

describe('servers before 1.8 (no serverInfo): the endpoint wizard and deploy', () => {
  async function projectIn(folder: string): Promise<{dir: string; file: string}> {
    const dir = join(await tempDir('wizard-'), folder)
    await writeTree({'datamodel.prisma': 'type User {\n  id: ID! @id\n  name: String!\n}\n', 'prisma.yml': 'datamodel: datamodel.prisma\n'}, dir)
    return {dir, file: join(dir, 'prisma.yml')}
  }

  test('a 1.4 server as the local server: recognised by its listProjects, offered, deployed to', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5, profile: 'pre-1.5'})
    t.after(() => server.close())
    const {dir, file} = await projectIn('old-app')
    const session = await spawnPty(['deploy'], {cwd: dir, env: {PRISMA_LOCAL_SERVER_URL: server.url}})
    const screen = await session.waitFor('Use other server')
    assert.match(screen, /❯ Local Prisma server +Running at /)
    session.write(keys.enter)
    await session.waitFor('Choose a name for your service')
    session.write(keys.enter)
    await session.waitFor('Choose a name for your stage')
    session.write(keys.enter)
    const {code} = await session.exit
    assert.equal(code, 0, session.screen())
    assert.equal(await readFile(file, 'utf8'), `datamodel: datamodel.prisma\nendpoint: ${server.url}/old-app/dev\n`)
    assert.equal(server.project('old-app', 'dev')?.revision, 2)
    // the probe's serverInfo was refused, its unauthenticated listProjects answered
    assert.ok(server.requests.some((request) => /^\s*(query\s+\w*\s*)?\{\s*listProjects/.test(request.query ?? '')))
  })

  test('a 1.4 server with a secret: listProjects refused means it needs auth; the secret is asked, then used', async (t) => {
    const server = await startManagementServer({auth: {mode: 'symmetric', secret}, migrationStepMs: 5, profile: 'pre-1.5'})
    t.after(() => server.close())
    const {dir, file} = await projectIn('old-secure')
    const session = await spawnPty(['deploy'], {cwd: dir, env: {PRISMA_LOCAL_SERVER_URL: server.url}})
    await session.waitFor('Use other server')
    session.write(keys.enter)
    await session.waitFor('Enter the management API secret')
    session.type(secret)
    await session.waitFor('Choose a name for your service')
    session.type('')
    await session.waitFor('Choose a name for your stage')
    session.type('')
    const {code} = await session.exit
    assert.equal(code, 0, session.screen())
    assert.equal(await readFile(file, 'utf8'), `datamodel: datamodel.prisma\nendpoint: ${server.url}/old-secure/dev\n`)
    assert.equal(server.project('old-secure', 'dev')?.revision, 2)
  })

  test('deploy, info and a second deploy against a server serving only /cluster (1.7)', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5, profile: 'cluster-path'})
    t.after(() => server.close())
    const dir = await project(`${server.url}/legacy/dev`)
    const first = await runCli(['deploy'], {cwd: dir})
    assert.equal(first.code, 0, first.stderr)
    assert.doesNotMatch(first.stdout, /Prisma Admin/, 'no version known: no admin link')
    const info = await runCli(['info'], {cwd: dir})
    assert.equal(info.code, 0, info.stderr)
    const second = await runCli(['deploy'], {cwd: await project(`${server.url}/legacy/dev`, 'type User {\n  id: ID! @id\n  name: String!\n  email: String\n}\n')})
    assert.equal(second.code, 0, second.stderr)
    assert.equal(server.project('legacy', 'dev')?.revision, 3)
  })
})

describe('a throttled service (RequestThrottler): Throttled-By on every call, 0ms when not delayed', () => {
  test('seed and reset: a 0ms Throttled-By is no delay and is not reported as throttling, even with DEBUG', async (t) => {
    const server = await startManagementServer({migrationStepMs: 1, sandbox: {rate: 1000, windowMs: 1000}})
    t.after(() => server.close())
    const seed = Array.from({length: 3}, (_, index) => `mutation m${index} { createUser(data: {email: "z${index}@x"}) { id } }`).join('\n')
    const dir = await deployed(await dataProject(`${server.url}/calm/dev`, 'seed:\n  import: seed.graphql\n', {'seed.graphql': seed}))
    const from = server.requests.length
    const seeded = await runCli(['seed'], {cwd: dir, env: {DEBUG: '1'}})
    assert.equal(seeded.code, 0, seeded.stderr)
    assert.equal(server.data('calm', 'dev').nodes.length, 3)
    assert.ok(server.requests.slice(from).some((request) => request.path === '/calm/dev'), 'the seed went to the throttled service path')
    assert.doesNotMatch(seeded.stderr, /throttled by the server/)
    const reset = await runCli(['reset', '--force'], {cwd: dir, env: {DEBUG: '1'}})
    assert.equal(reset.code, 0, reset.stderr)
    assert.doesNotMatch(reset.stderr, /throttled by the server/)
    // what the server sent: the header, 0ms, on the service path and on /private
    for (const path of ['calm/dev', 'calm/dev/private']) {
      const response = await fetch(`${server.url}/${path}`, {body: JSON.stringify({query: '{ __typename }'}), headers: {'content-type': 'application/json'}, method: 'POST'})
      assert.equal(response.headers.get('throttled-by'), '0ms')
    }
  })
})
