/**
 * Conformance of the server commands: the ORIGINAL prisma1@1.34.12 runs info, list and delete against the stand-in,
 * and this tool runs the same commands; what they print and what they do to the server must match.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {signHs256} from '../../src/tokens/index.js'
import {runCli} from '../helpers/cli.js'
import {addStage} from '../services/stand-in-setup.js'
import {startCloudServer, type CloudServer} from '../stand-in/cloud-api.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {ensureOriginalCli, runOriginal, serviceDir} from './original-cli.js'

const USER = 'type User {\n  id: ID! @id\n  name: String!\n}\n'
// the original decodes the session key as a JWT for its error reporting and crashes when it has no userId
const sessionKey = signHs256({userId: 'conformance-user'}, 'cloud-session-signing')

before(async () => {
  await ensureOriginalCli()
})

describe('info, list and delete: the original and this tool against the same stand-in', () => {
  let server: ManagementServer
  let cloud: CloudServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 2})
    await addStage(server, {name: 'shop', stage: 'dev', types: USER})
    await addStage(server, {name: 'shop', stage: 'prod', types: USER})
    cloud = await startCloudServer({
      sessionKeys: {
        [sessionKey]: {
          email: 'conformance@example.com',
          workspaces: [{services: [{cluster: 'local', name: 'shop', stage: 'dev'}, {cluster: 'local', name: 'shop', stage: 'prod'}], slug: 'team'}],
        },
      },
    })
  })
  after(async () => {
    await server.close()
    await cloud.close()
  })

  test('info: the same text, and the same --json --secret document', async () => {
    const dir = serviceDir({yml: `endpoint: ${server.url}/shop/dev\ndatamodel: datamodel.prisma\nsecret: shop-secret\n`, datamodel: USER})
    const original = await runOriginal(['info'], {cwd: dir})
    const ours = await runCli(['info'], {cwd: dir})
    assert.equal(original.code, 0, original.stdout + original.stderr)
    assert.equal(ours.code, 0, ours.stderr)
    assert.match(ours.stdout, /Prisma Admin: /)
    assert.equal(ours.stdout, original.stdout)

    const originalJson = await runOriginal(['info', '--json', '--secret'], {cwd: dir})
    const oursJson = await runCli(['info', '--json', '--secret'], {cwd: dir})
    assert.deepEqual(JSON.parse(oursJson.stdout), JSON.parse(originalJson.stdout))
    assert.deepEqual(Object.keys(JSON.parse(oursJson.stdout)), Object.keys(JSON.parse(originalJson.stdout)), 'same key order')
  })

  test('list: the original lists the cloud\'s services, this tool the server\'s; the same service stages give the same table', async () => {
    const home = mkdtempSync(join(tmpdir(), 'prisma1-home-'))
    mkdirSync(join(home, '.prisma'))
    writeFileSync(join(home, '.prisma', 'config.yml'), `cloudSessionKey: ${sessionKey}\n`)
    const dir = serviceDir({yml: `endpoint: ${server.url}/shop/dev\ndatamodel: datamodel.prisma\n`, datamodel: USER})
    const original = await runOriginal(['list'], {cwd: dir, env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home}})
    const ours = await runCli(['list'], {cwd: dir})
    assert.equal(original.code, 0, original.stdout + original.stderr)
    assert.equal(ours.code, 0, ours.stderr)
    assert.match(ours.stdout, /^Service Name {2}Stage {2}Server\n/)
    assert.equal(ours.stdout.trim(), original.stdout.trim())
  })

  test('delete --force: both send deleteProject for the stage and remove it; both print the deleting line', async () => {
    await addStage(server, {name: 'gone', stage: 'one'})
    await addStage(server, {name: 'gone', stage: 'two'})
    const originalDir = serviceDir({yml: `endpoint: ${server.url}/gone/one\ndatamodel: datamodel.prisma\n`, datamodel: USER})
    const oursDir = serviceDir({yml: `endpoint: ${server.url}/gone/two\ndatamodel: datamodel.prisma\n`, datamodel: USER})

    let from = server.requests.length
    const original = await runOriginal(['delete', '--force'], {cwd: originalDir})
    assert.equal(original.code, 0, original.stdout + original.stderr)
    const originalDelete = server.requests.slice(from).filter((request) => /deleteProject/.test(request.query ?? ''))
    from = server.requests.length
    const ours = await runCli(['delete', '--force'], {cwd: oursDir})
    assert.equal(ours.code, 0, ours.stderr)
    const oursDelete = server.requests.slice(from).filter((request) => /deleteProject/.test(request.query ?? ''))

    assert.equal(server.project('gone', 'one'), undefined)
    assert.equal(server.project('gone', 'two'), undefined)
    assert.deepEqual(originalDelete.map((request) => request.variables), [{input: {name: 'gone', stage: 'one'}}])
    assert.deepEqual(oursDelete.map((request) => request.variables), [{name: 'gone', stage: 'two'}])
    const line = (endpoint: string) => new RegExp(`^\\nDeleting service ${endpoint.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&')} from local\\.\\.\\. [\\d.]+m?s\\n$`)
    assert.match(original.stdout, line(`${server.url}/gone/one`))
    assert.match(ours.stdout, line(`${server.url}/gone/two`))
  })

  test('delete of a stage that does not exist: the original hides the server\'s answer with --force (exit 0), this tool reports it (exit 1)', async () => {
    const dir = serviceDir({yml: `endpoint: ${server.url}/never/dev\ndatamodel: datamodel.prisma\n`, datamodel: USER})
    const original = await runOriginal(['delete', '--force'], {cwd: dir})
    const ours = await runCli(['delete', '--force'], {cwd: dir})
    assert.equal(original.code, 0)
    assert.equal(ours.code, 1)
    assert.match(ours.stderr, /No service with name 'never' and stage 'dev' found/)
  })
})
