// prisma info and prisma list (ls) through the built binary against the stand-in.
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'

import {freePort, runCli, tempDir, writeTree} from '../helpers/cli.js'
import {addStage, userTypes} from '../services/stand-in-setup.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'

async function projectFor(endpoint: string | undefined, extra = ''): Promise<string> {
  const endpointLine = endpoint === undefined ? '' : `endpoint: ${endpoint}\n`
  return writeTree({'datamodel.prisma': userTypes, 'prisma.yml': `${endpointLine}datamodel: datamodel.prisma\n${extra}`})
}

describe('prisma info', () => {
  let server: ManagementServer
  let old: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 2})
    old = await startManagementServer({migrationStepMs: 2, version: '1.28.3'})
  })
  after(async () => {
    await server.close()
    await old.close()
  })

  test('prints the service, stage, server and endpoints as the original, with Prisma Admin from 1.29 on; no token is sent', async () => {
    const from = server.requests.length
    const result = await runCli(['info'], {cwd: await projectFor(`${server.url}/svc/dev`, 'secret: info-secret\n')})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(
      result.stdout,
      'Service Name: svc\n\n  dev (cluster: `local`)\n\n' +
        `    HTTP:       ${server.url}/svc/dev\n    Websocket:  ${server.url.replace('http', 'ws')}/svc/dev\n\n` +
        `You can view & edit your data here:\n\n  Prisma Admin: ${server.url}/svc/dev/_admin\n`,
    )
    assert.equal(result.stderr, '')
    const sent = server.requests.slice(from)
    assert.deepEqual(sent.map((request) => request.operationName), ['serverInfo'])
    assert.equal(sent[0].headers.authorization, undefined)
  })

  test('a server before 1.29: no Prisma Admin line', async () => {
    const result = await runCli(['info'], {cwd: await projectFor(`${old.url}/svc/dev`)})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Websocket: {2}ws:\/\/.+\/svc\/dev\n$/)
    assert.doesNotMatch(result.stdout, /Prisma Admin/)
  })

  test('--json / -j: the original\'s document without any request; --secret / -s adds the secrets (null without)', async () => {
    const dir = await projectFor(`${server.url}/svc/dev`, 'secret: one,two\n')
    const from = server.requests.length
    const plain = await runCli(['info', '--json'], {cwd: dir})
    assert.equal(plain.code, 0, plain.stderr)
    assert.deepEqual(JSON.parse(plain.stdout), {
      cluster: 'local',
      httpEndpoint: `${server.url}/svc/dev`,
      name: 'svc',
      stage: 'dev',
      wsEndpoint: `${server.url.replace('http', 'ws')}/svc/dev`,
    })
    assert.deepEqual(Object.keys(JSON.parse(plain.stdout)), ['name', 'stage', 'cluster', 'httpEndpoint', 'wsEndpoint'])
    const short = await runCli(['info', '-j', '-s'], {cwd: dir})
    assert.deepEqual(JSON.parse(short.stdout).secret, ['one', 'two'])
    assert.equal(server.requests.length, from, 'the JSON form sends nothing')
    const without = await runCli(['info', '-j', '-s'], {cwd: await projectFor(`${server.url}/svc/dev`)})
    assert.equal(JSON.parse(without.stdout).secret, null)
    const human = await runCli(['info', '-s'], {cwd: dir})
    assert.ok(!human.stdout.includes('one,two') && !human.stdout.includes('"one"'), 'the secret only goes into the JSON')
  })

  test('an endpoint with a workspace: the document names it', async () => {
    const result = await runCli(['info', '--json'], {cwd: await projectFor(`${server.url}/team/svc/prod`)})
    assert.equal(result.code, 0, result.stderr)
    const document = JSON.parse(result.stdout)
    assert.equal(document.workspace, 'team')
    assert.equal(document.stage, 'prod')
  })

  test('PRISMA_MANAGEMENT_API_ENDPOINT when prisma.yml has no endpoint; neither: exit 1 naming the file and the fix', async () => {
    const dir = await projectFor(undefined)
    const fromEnv = await runCli(['info', '--json'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_ENDPOINT: `${server.url}/envsvc/test`}})
    assert.equal(fromEnv.code, 0, fromEnv.stderr)
    assert.equal(JSON.parse(fromEnv.stdout).name, 'envsvc')
    const none = await runCli(['info', '--json'], {cwd: dir})
    assert.equal(none.code, 1)
    const document = JSON.parse(none.stdout)
    assert.equal(document.code, 'PROJECT_INVALID')
    assert.match(document.message, /prisma\.yml has no endpoint.*endpoint: http:\/\/localhost:4466/s)
  })

  test('server down: the endpoints are printed, a note on stderr says the server could not be asked; exit 0', async () => {
    const port = await freePort()
    const result = await runCli(['info'], {cwd: await projectFor(`http://127.0.0.1:${port}/svc/dev`)})
    assert.equal(result.code, 0)
    assert.match(result.stdout, /HTTP: {7}http:\/\/127\.0\.0\.1:\d+\/svc\/dev/)
    assert.doesNotMatch(result.stdout, /Prisma Admin/)
    assert.match(result.stderr, /could not be asked whether it serves Prisma Admin/)
  })

  test('-p names prisma.yml elsewhere, -e a .env file its variables come from; the original\'s -c is accepted', async () => {
    const project = await projectFor('${env:SERVICE_ENDPOINT}')
    const envDir = await writeTree({'service.env': `SERVICE_ENDPOINT=${server.url}/fromenv/qa\n`})
    const result = await runCli(['info', '-j', '-c', '-p', `${project}/prisma.yml`, '-e', 'service.env'], {cwd: envDir})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).httpEndpoint, `${server.url}/fromenv/qa`)
  })

  test('a prisma.yml warning goes to stderr, also under --json', async () => {
    const result = await runCli(['info', '--json'], {cwd: await projectFor(`${server.url}/svc/dev`, 'secret: ${env:INFO_UNSET_SECRET}\n')})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /\[WARNING\] in .+prisma\.yml: .*INFO_UNSET_SECRET/)
    assert.equal(JSON.parse(result.stdout).name, 'svc')
  })

  test('no prisma.yml: exit 1 with the message that says where it was looked for', async () => {
    const result = await runCli(['info'], {cwd: await tempDir()})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /prisma\.yml/)
    assert.equal(result.stdout, '')
  })
})

describe('prisma list', () => {
  let server: ManagementServer
  let empty: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 2})
    empty = await startManagementServer({migrationStepMs: 2})
    await addStage(server, {name: 'shop', stage: 'prod', types: userTypes})
    await addStage(server, {name: 'blog', stage: 'dev'})
    await addStage(server, {name: 'shop', stage: 'dev'})
  })
  after(async () => {
    await server.close()
    await empty.close()
  })

  test('the service stages of the server as the original\'s table, sorted', async () => {
    const result = await runCli(['list'], {cwd: await projectFor(`${server.url}/blog/dev`)})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(
      result.stdout,
      'Service Name  Stage  Server\n────────────  ─────  ──────\nblog          dev    local\nshop          dev    local\nshop          prod   local\n',
    )
    assert.equal(result.stderr, '')
  })

  test('ls without prisma.yml: PRISMA_MANAGEMENT_API_ENDPOINT names the server; --json and -j', async () => {
    const env = {PRISMA_MANAGEMENT_API_ENDPOINT: server.url}
    const cwd = await tempDir()
    for (const flag of ['--json', '-j']) {
      const result = await runCli(['ls', flag], {cwd, env})
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(JSON.parse(result.stdout), {
        serverUrl: server.url,
        services: [
          {name: 'blog', server: 'local', stage: 'dev'},
          {name: 'shop', server: 'local', stage: 'dev'},
          {name: 'shop', server: 'local', stage: 'prod'},
        ],
      })
    }
  })

  test('without prisma.yml, a .env file (-e) may set PRISMA_MANAGEMENT_API_ENDPOINT; -p names a prisma.yml elsewhere', async () => {
    const cwd = await writeTree({'server.env': `PRISMA_MANAGEMENT_API_ENDPOINT=${server.url}\n`})
    const fromEnvFile = await runCli(['list', '-j', '-e', 'server.env'], {cwd})
    assert.equal(fromEnvFile.code, 0, fromEnvFile.stderr)
    assert.equal(JSON.parse(fromEnvFile.stdout).services.length, 3)
    const project = await projectFor(`${empty.url}/none/dev`)
    const fromProject = await runCli(['list', '-p', `${project}/prisma.yml`], {cwd, env: {PRISMA_MANAGEMENT_API_ENDPOINT: server.url}})
    assert.equal(fromProject.stdout, 'No deployed service found\n', 'prisma.yml\'s endpoint wins over the variable')
  })

  test('without prisma.yml and without PRISMA_MANAGEMENT_API_ENDPOINT: exit 1 naming both', async () => {
    const result = await runCli(['list'], {cwd: await tempDir()})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /prisma\.yml.*PRISMA_MANAGEMENT_API_ENDPOINT/s)
  })

  test('an empty server: the original\'s line', async () => {
    const result = await runCli(['list'], {cwd: await projectFor(`${empty.url}/none/dev`)})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'No deployed service found\n')
    const json = await runCli(['list', '--json'], {cwd: await projectFor(`${empty.url}/none/dev`)})
    assert.deepEqual(JSON.parse(json.stdout).services, [])
  })

  test('a server with a secret: PRISMA_MANAGEMENT_API_SECRET signs the token; without it the advice names the variable', async () => {
    const secret = 'list-s3cr3t-value'
    const guarded = await startManagementServer({auth: {mode: 'symmetric', secret}, migrationStepMs: 2})
    try {
      await addStage(guarded, {name: 'private', stage: 'dev', secret})
      const dir = await projectFor(`${guarded.url}/private/dev`)
      const refused = await runCli(['list', '--json'], {cwd: dir})
      assert.equal(refused.code, 1)
      assert.equal(JSON.parse(refused.stdout).code, 'AUTH_FAILED')
      assert.match(JSON.parse(refused.stdout).message, /requires the Management API secret.*PRISMA_MANAGEMENT_API_SECRET/s)
      const from = guarded.requests.length
      const listed = await runCli(['list'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
      assert.equal(listed.code, 0, listed.stderr)
      assert.match(listed.stdout, /private +dev +local/)
      assert.match(guarded.requests[from].headers.authorization ?? '', /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/)
      assert.ok(!listed.stdout.includes(secret) && !listed.stderr.includes(secret))
    } finally {
      await guarded.close()
    }
  })

  test('an old server that serves only /cluster: list and migrations switch to it', async () => {
    const old = await startManagementServer({connector: 'mysql', migrationStepMs: 2, profile: 'cluster-path'})
    try {
      const response = await fetch(`${old.url}/cluster`, {
        body: JSON.stringify({query: 'mutation { addProject(input: {name: "legacy", stage: "dev"}) { project { name } } }'}),
        headers: {'content-type': 'application/json'},
        method: 'POST',
      })
      assert.equal(response.status, 200)
      const dir = await projectFor(`${old.url}/legacy/dev`)
      const listed = await runCli(['list'], {cwd: dir})
      assert.equal(listed.code, 0, listed.stderr)
      assert.match(listed.stdout, /legacy +dev +local/)
      const migrations = await runCli(['migrations', '--json'], {cwd: dir})
      assert.equal(migrations.code, 0, migrations.stderr)
      assert.equal(JSON.parse(migrations.stdout).total, 1)
      assert.ok(old.requests.some((request) => request.path === '/cluster'))
    } finally {
      await old.close()
    }
  })

  test('faults: a server answering HTML or not at all gives one paragraph and SERVER_UNREACHABLE', async () => {
    server.fault('html')
    const html = await runCli(['list', '--json'], {cwd: await projectFor(`${server.url}/blog/dev`)})
    assert.equal(html.code, 1)
    assert.equal(JSON.parse(html.stdout).code, 'SERVER_UNREACHABLE')
    const down = await runCli(['list'], {cwd: await projectFor(`http://127.0.0.1:${await freePort()}/x/dev`)})
    assert.equal(down.code, 1)
    assert.doesNotMatch(down.stderr, /\n\s+at .+:\d+:\d+/)
    assert.equal(down.stdout, '')
  })
})
