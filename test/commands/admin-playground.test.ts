// prisma admin and prisma playground through the built binary: the address, the browser (in a terminal only, BROWSER,
// BROWSER=none), the service token that only the browser gets, old servers and faults.
import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {after, before, describe, test} from 'node:test'

import {decodeJwtUnverified} from '../../src/tokens/index.js'
import {fakeBrowser, runCli, writeTree} from '../helpers/cli.js'
import {spawnPty} from '../helpers/pty.js'
import {userTypes} from '../services/stand-in-setup.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'

async function projectFor(endpoint: string, extra = ''): Promise<string> {
  return writeTree({'datamodel.prisma': userTypes, 'prisma.yml': `endpoint: ${endpoint}\ndatamodel: datamodel.prisma\n${extra}`})
}

describe('prisma admin', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 2})
  })
  after(() => server.close())

  test('in a terminal: prints the address without the token and opens it with a one-day service token', async () => {
    const browser = await fakeBrowser()
    const dir = await projectFor(`${server.url}/shop/dev`, 'secret: admin-secret-1\n')
    const session = await spawnPty(['admin'], {cwd: dir, env: {BROWSER: browser.command}})
    const {code} = await session.exit
    assert.equal(code, 0, session.transcript())
    assert.match(session.transcript(), new RegExp(`Opening Prisma Admin ${escape(server.url)}/shop/dev/_admin in the browser`))
    const opened = await browser.opened()
    assert.ok(opened, 'the browser was started')
    const match = /^(.+)\?token=(.+)$/.exec(opened)
    assert.equal(match?.[1], `${server.url}/shop/dev/_admin`)
    const payload = decodeJwtUnverified(match?.[2] ?? '')?.payload
    assert.deepEqual(payload?.data, {roles: ['admin'], service: 'shop@dev'})
    assert.equal((payload?.exp as number) - (payload?.iat as number), 86_400)
    assert.ok(!session.transcript().includes(match?.[2] ?? '-'), 'the token is never printed')
  })

  test('without a terminal: no browser; --json says so; a service without secret gets no token', async () => {
    const browser = await fakeBrowser()
    const result = await runCli(['admin', '--json'], {cwd: await projectFor(`${server.url}/shop/dev`), env: {BROWSER: browser.command}})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {
      opened: false,
      page: 'admin',
      secured: false,
      service: 'shop',
      stage: 'dev',
      url: `${server.url}/shop/dev/_admin`,
      version: '1.34.12',
    })
    assert.match(result.stderr, /No browser was opened/)
    assert.equal(await browser.opened(), undefined)
  })

  test('BROWSER=none in a terminal: the address is printed, nothing is opened', async () => {
    const session = await spawnPty(['admin'], {cwd: await projectFor(`${server.url}/shop/dev`, 'secret: s\n'), env: {BROWSER: 'none'}})
    const {code} = await session.exit
    assert.equal(code, 0)
    assert.match(session.transcript(), /Opening Prisma Admin .+\/_admin in the browser/)
    assert.match(session.transcript(), /add \?token=<token> to the address, with a token from prisma token/)
    assert.match(session.transcript(), /No browser was opened/)
  })

  test('a server before 1.29: the original\'s message, exit 1', async () => {
    const old = await startManagementServer({migrationStepMs: 2, version: '1.28.0'})
    try {
      const result = await runCli(['admin'], {cwd: await projectFor(`${old.url}/shop/dev`)})
      assert.equal(result.code, 1)
      assert.match(result.stderr, /doesn't support Prisma Admin yet\. Prisma Admin is supported from Prisma 1\.29 and higher\. Your Prisma server currently uses Prisma 1\.28\.0\./)
      assert.equal(result.stdout, '')
    } finally {
      await old.close()
    }
  })

  test('server down: exit 1, SERVER_UNREACHABLE', async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const {port} = probe.address() as {port: number}
    await new Promise((resolve) => probe.close(resolve))
    const result = await runCli(['admin', '--json'], {cwd: await projectFor(`http://127.0.0.1:${port}/shop/dev`)})
    assert.equal(result.code, 1)
    assert.equal(JSON.parse(result.stdout).code, 'SERVER_UNREACHABLE')
  })
})

describe('prisma playground', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 2})
  })
  after(() => server.close())

  test('in a terminal: opens the service endpoint, where the server serves the Playground; sends no request', async () => {
    const browser = await fakeBrowser()
    const from = server.requests.length
    const session = await spawnPty(['playground'], {cwd: await projectFor(`${server.url}/shop/dev`), env: {BROWSER: browser.command}})
    const {code} = await session.exit
    assert.equal(code, 0, session.transcript())
    assert.match(session.transcript(), new RegExp(`Opening GraphQL Playground ${escape(server.url)}/shop/dev in the browser`))
    assert.equal(await browser.opened(), `${server.url}/shop/dev`)
    assert.equal(server.requests.length, from)
    const page = await fetch(`${server.url}/shop/dev`)
    assert.match(await page.text(), /GraphQL Playground/)
  })

  test('a service with a secret: says how to send the token; --json; the original\'s -w is accepted, --port and --server-only are not', async () => {
    const dir = await projectFor(`${server.url}/shop/dev`, 'secret: playground-secret\n')
    const result = await runCli(['playground', '--json', '-w'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {opened: false, page: 'playground', secured: true, service: 'shop', stage: 'dev', url: `${server.url}/shop/dev`})
    assert.match(result.stderr, /HTTP HEADERS .*Authorization.*prisma token/)
    assert.ok(!result.stderr.includes('playground-secret'))
    for (const flag of ['--port', '--server-only']) {
      const refused = await runCli(['playground', flag], {cwd: dir})
      assert.equal(refused.code, 2, flag)
    }
  })
})

function escape(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}
