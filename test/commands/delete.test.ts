// prisma delete through the built binary: the question in a terminal, the refusal without one, --force, faults.
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'

import {freePort, noStack, runCli, writeTree} from '../helpers/cli.js'
import {keys, spawnPty} from '../helpers/pty.js'
import {addStage, userTypes} from '../services/stand-in-setup.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'

async function projectFor(endpoint: string, extra = ''): Promise<string> {
  return writeTree({'datamodel.prisma': userTypes, 'prisma.yml': `endpoint: ${endpoint}\ndatamodel: datamodel.prisma\n${extra}`})
}

const question = (endpoint: string) => `Are you sure that you want to delete ${endpoint}? y/N`

describe('prisma delete', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 2})
  })
  after(() => server.close())

  test('in a terminal: asks the question, y deletes the stage and shows how long it took', async () => {
    await addStage(server, {name: 'asked', stage: 'dev', types: userTypes})
    const endpoint = `${server.url}/asked/dev`
    const session = await spawnPty(['delete'], {cwd: await projectFor(endpoint)})
    const screen = await session.waitFor(question(endpoint))
    assert.match(screen, /\? Are you sure that you want to delete .+\? y\/N \(n\)/)
    assert.ok(server.project('asked', 'dev'), 'nothing is deleted while the question is open')
    session.type('y')
    const {code} = await session.exit
    assert.equal(code, 0, session.screen())
    assert.match(session.transcript(), new RegExp(`Deleting service ${escape(endpoint)} from local\\.\\.\\. \\d+(ms|\\.\\ds)`))
    assert.equal(server.project('asked', 'dev'), undefined)
  })

  test('in a terminal: Enter takes the default (no) and so does any answer not starting with y; nothing is deleted', async () => {
    await addStage(server, {name: 'kept', stage: 'dev'})
    const endpoint = `${server.url}/kept/dev`
    for (const answer of ['', 'x']) {
      const session = await spawnPty(['delete'], {cwd: await projectFor(endpoint)})
      await session.waitFor(question(endpoint))
      session.type(answer)
      const {code} = await session.exit
      assert.equal(code, 0, session.screen())
      assert.match(session.transcript(), /Nothing was deleted\./)
      assert.doesNotMatch(session.transcript(), /Deleting service/)
      assert.ok(server.project('kept', 'dev'), `answer "${answer}" keeps the stage`)
    }
  })

  test('in a terminal: Ctrl-C at the question exits 130 and deletes nothing', async () => {
    await addStage(server, {name: 'interrupted', stage: 'dev'})
    const endpoint = `${server.url}/interrupted/dev`
    const session = await spawnPty(['delete'], {cwd: await projectFor(endpoint)})
    await session.waitFor(question(endpoint))
    session.write(keys.ctrlC)
    const {code} = await session.exit
    assert.equal(code, 130)
    assert.ok(server.project('interrupted', 'dev'))
    assert.ok(!server.requests.some((request) => request.operationName === 'deleteProject' && JSON.stringify(request.variables).includes('interrupted')))
  })

  test('in a terminal: a stage that does not exist is reported before anything is asked', async () => {
    const session = await spawnPty(['delete'], {cwd: await projectFor(`${server.url}/nowhere/dev`)})
    const {code} = await session.exit
    assert.equal(code, 1)
    assert.doesNotMatch(session.transcript(), /Are you sure/)
    assert.match(session.transcript(), /No service with name 'nowhere' and stage 'dev' found/)
  })

  test('without a terminal and without --force: exit 1 naming --force, before any request', async () => {
    await addStage(server, {name: 'scripted', stage: 'dev'})
    const from = server.requests.length
    const result = await runCli(['delete'], {cwd: await projectFor(`${server.url}/scripted/dev`)})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /needs a terminal.*Pass --force/s)
    assert.equal(result.stdout, '')
    assert.equal(server.requests.length, from, 'no request was sent')
    assert.ok(server.project('scripted', 'dev'))

    const json = await runCli(['delete', '--json'], {cwd: await projectFor(`${server.url}/scripted/dev`)})
    assert.equal(json.code, 1)
    assert.equal(JSON.parse(json.stdout).code, 'NEEDS_TERMINAL')
  })

  test('--force deletes without asking; --json gives the result document, the progress goes to stderr', async () => {
    await addStage(server, {name: 'forced', stage: 'dev', types: userTypes})
    await addStage(server, {name: 'forced', stage: 'prod'})
    const dir = await projectFor(`${server.url}/forced/dev`)
    const result = await runCli(['delete', '--force', '--json'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    const document = JSON.parse(result.stdout)
    assert.deepEqual({...document, durationMs: typeof document.durationMs}, {
      durationMs: 'number',
      endpoint: `${server.url}/forced/dev`,
      server: 'local',
      serverUrl: server.url,
      service: 'forced',
      stage: 'dev',
      status: 'deleted',
    })
    assert.match(result.stderr, /Deleting service .+ from local\.\.\./)
    assert.equal(server.project('forced', 'dev'), undefined)
    assert.ok(server.project('forced', 'prod'), 'other stages of the service stay')
    const sent = server.requests.filter((request) => request.operationName === 'deleteProject').at(-1)
    assert.deepEqual(sent?.variables, {name: 'forced', stage: 'dev'})
  })

  test('a stage that does not exist: the server\'s message and exit 1, also with --force', async () => {
    const dir = await projectFor(`${server.url}/missing/dev`)
    for (const args of [['delete', '-f'], ['delete', '--force', '--json']]) {
      const result = await runCli(args, {cwd: dir})
      assert.equal(result.code, 1)
      assert.match(result.stderr, /No service with name 'missing' and stage 'dev' found/)
      noStack(result.stderr)
      if (args.includes('--json')) assert.equal(JSON.parse(result.stdout).code, 'NOT_FOUND')
    }
  })

  test('no endpoint in prisma.yml: exit 1 naming the file and the property', async () => {
    const dir = await writeTree({'prisma.yml': 'datamodel: datamodel.prisma\n', 'datamodel.prisma': userTypes})
    const result = await runCli(['delete', '--force'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /prisma\.yml has no endpoint.*PRISMA_MANAGEMENT_API_ENDPOINT/s)
  })
})

describe('prisma delete: credentials and faults', () => {
  const secret = 'delete-s3cr3t-value'
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({auth: {mode: 'symmetric', secret}, migrationStepMs: 2})
    await addStage(server, {name: 'guarded', stage: 'dev', secret})
  })
  after(() => server.close())

  test('a server with a secret: without PRISMA_MANAGEMENT_API_SECRET it says what to set; a wrong one is named; the stage stays', async () => {
    const dir = await projectFor(`${server.url}/guarded/dev`)
    const missing = await runCli(['delete', '--force'], {cwd: dir})
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /requires the Management API secret.*PRISMA_MANAGEMENT_API_SECRET/s)
    const wrong = await runCli(['delete', '--force'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_SECRET: 'not-the-secret'}})
    assert.equal(wrong.code, 1)
    assert.match(wrong.stderr, /Can not authenticate against Prisma server local/)
    assert.ok(!wrong.stderr.includes('not-the-secret'))
    assert.ok(server.project('guarded', 'dev'))
  })

  test('the right secret deletes; every request carries the token', async () => {
    const from = server.requests.length
    const result = await runCli(['delete', '--force'], {cwd: await projectFor(`${server.url}/guarded/dev`), env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(server.project('guarded', 'dev'), undefined)
    assert.ok(server.requests.slice(from).every((request) => /^Bearer /.test(request.headers.authorization ?? '')))
    assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret))
  })

  test('server down: one paragraph, exit 1, SERVER_UNREACHABLE under --json', async () => {
    const dir = await projectFor(`http://127.0.0.1:${await freePort()}/down/dev`)
    const result = await runCli(['delete', '--force', '--json'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.equal(JSON.parse(result.stdout).code, 'SERVER_UNREACHABLE')
    assert.match(result.stderr, /127\.0\.0\.1/)
    noStack(result.stderr)
  })

  test('a server answering HTML: exit 1 without a stack trace', async () => {
    const plain = await startManagementServer({migrationStepMs: 2})
    try {
      await addStage(plain, {name: 'html', stage: 'dev'})
      plain.fault('html')
      const result = await runCli(['delete', '--force'], {cwd: await projectFor(`${plain.url}/html/dev`)})
      assert.equal(result.code, 1)
      noStack(result.stderr)
      assert.ok(plain.project('html', 'dev'))
    } finally {
      await plain.close()
    }
  })
})

function escape(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}
