// prisma deploy when things go wrong: one clear paragraph on stderr, exit 1 (130 on Ctrl-C), never a stack trace.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {describe, test} from 'node:test'

import {binPath, freePort, noStack, runCli, tempDir} from '../helpers/cli.js'
import {management, operations, project, userModel, userWithEmail} from '../deploy/fixtures.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'

async function until(condition: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('prisma deploy: unreachable or broken servers', () => {
  test('server down on localhost: says so and how to start it', async () => {
    const dir = await project(`http://localhost:${await freePort()}/svc/dev`)
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /connection was refused\. Is the Prisma server running\? Start it/)
    assert.equal(result.stdout, '')
    noStack(result.stderr)
  })

  test('unknown host name', async () => {
    const dir = await project('http://no-such-host.invalid:4466/svc/dev')
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /Could not resolve the host name "no-such-host\.invalid:4466"/)
    noStack(result.stderr)
  })

  test('TLS failure (https to a plain HTTP server)', async (t) => {
    const server = await startManagementServer()
    t.after(() => server.close())
    const dir = await project(`${server.url.replace('http:', 'https:')}/svc/dev`)
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /secure connection to https:\/\/127\.0\.0\.1:\d+\/management could not be established/)
    noStack(result.stderr)
  })

  describe('server faults', () => {
    const cases: Array<{fault: Parameters<ManagementServer['fault']>[0]; expected: RegExp; env?: Record<string, string>}> = [
      {expected: /answered HTTP 500: There was an internal server error\. The server had a problem/, fault: 'http-500'},
      {expected: /answered with an HTML page \(HTTP 200\) instead of a GraphQL response/, fault: 'html'},
      {expected: /answered with something that is not JSON \(HTTP 200\)/, fault: 'not-json'},
      {expected: /sent a response larger than 16 MB; refusing to read it/, fault: 'huge-response'},
      {env: {PRISMA_REQUEST_TIMEOUT: '1s'}, expected: /did not answer within 1 s/, fault: 'hang'},
    ]
    for (const {env, expected, fault} of cases) {
      test(`${fault}: exit 1 with one paragraph`, async (t) => {
        const server = await startManagementServer()
        t.after(() => server.close())
        server.fault(fault, 5)
        const dir = await project(`${server.url}/svc/dev`)
        const result = await runCli(['deploy'], {cwd: dir, env})
        assert.equal(result.code, 1)
        assert.match(result.stderr, expected)
        noStack(result.stderr)
        assert.equal(server.project('svc', 'dev'), undefined)
      })
    }
  })

  test('a connection reset on a read-only request is retried', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5})
    t.after(() => server.close())
    server.fault('close-connection', 1)
    const dir = await project(`${server.url}/svc/dev`)
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(operations(server.requests).slice(0, 3), ['deployProbe', 'deployProbe', 'addProject'])
  })

  test('connection resets while polling the migration are retried', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5})
    t.after(() => server.close())
    const dir = await project(`${server.url}/svc/dev`)
    server.holdMigrations(true)
    const run = runCli(['deploy'], {cwd: dir})
    await until(() => operations(server.requests).includes('migrationStatus'), 'the first poll')
    server.fault('close-connection', 2)
    await until(() => management(server.requests).filter((r) => r.operationName === 'migrationStatus').length >= 3, 'the retries')
    server.holdMigrations(false)
    const result = await run
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Your Prisma endpoint is live/)
  })
})

describe('prisma deploy: migrations that fail, hang or are interrupted', () => {
  test('a failed migration is reported with its errors, exit 1', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5})
    t.after(() => server.close())
    const dir = await project(`${server.url}/svc/dev`)
    server.failNextMigration(['java.sql.SQLException: column "name" cannot be created'])
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /The Migration failed and has not been performed\. This is very likely not a transient issue\./)
    // the wait goes on until the rollback has ended, so the outcome says how it ended
    assert.match(result.stderr, /Revision 2 of service svc stage dev ended with status ROLLBACK_SUCCESS/)
    assert.match(result.stderr, /column "name" cannot be created/)
    assert.doesNotMatch(result.stdout, /endpoint is live/)
    noStack(result.stderr)
  })

  test('a failed migration found after the server fell back to the previous revision (via listMigrations)', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5})
    t.after(() => server.close())
    const dir = await project(`${server.url}/svc/dev`)
    assert.equal((await runCli(['deploy'], {cwd: dir})).code, 0)
    const changed = await project(`${server.url}/svc/dev`, userWithEmail)
    server.holdMigrations(true)
    server.failNextMigration(['boom: the step failed'])
    server.requests.length = 0
    const run = runCli(['deploy', '--json'], {cwd: changed})
    // let the poller back off to its slow interval, then let the migration fail and roll back between two polls
    await until(() => operations(server.requests).filter((op) => op === 'migrationStatus').length >= 8, 'slow polling')
    const polls = operations(server.requests).filter((op) => op === 'migrationStatus').length
    await until(() => operations(server.requests).filter((op) => op === 'migrationStatus').length > polls, 'the next poll')
    server.holdMigrations(false)
    const result = await run
    assert.equal(result.code, 1)
    const document = JSON.parse(result.stdout) as {status: string; revision: number; migration: {status: string; errors: string[]}}
    assert.equal(document.status, 'migration-failed')
    assert.equal(document.revision, 3)
    assert.deepEqual(document.migration.errors, ['boom: the step failed'])
    assert.match(result.stderr, /boom: the step failed/)
  })

  test('--timeout: exit 1 saying the migration continues on the server; the next deploy meets 4008', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5})
    t.after(() => server.close())
    const dir = await project(`${server.url}/svc/dev`)
    server.holdMigrations(true)
    const result = await runCli(['deploy', '--timeout', '1s'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /did not finish within 1 s .*It continues on the server local/s)
    noStack(result.stderr)

    const changed = await project(`${server.url}/svc/dev`, userWithEmail)
    const refused = await runCli(['deploy'], {cwd: changed})
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /An earlier deployment of service svc to stage dev is still pending or running on server local/)
    noStack(refused.stderr)
    server.holdMigrations(false)
  })

  test('Ctrl-C while waiting: exit 130, the migration goes on on the server', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5})
    t.after(() => server.close())
    const dir = await project(`${server.url}/svc/dev`, userModel)
    server.holdMigrations(true)
    const home = await tempDir('home-')
    const child = spawn(process.execPath, [binPath, 'deploy'], {cwd: dir, env: {HOME: home, NO_COLOR: '1', PATH: process.env.PATH}})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    await until(() => stderr.includes('Applying changes'), 'the wait to begin')
    child.kill('SIGINT')
    const code = await closed
    assert.equal(code, 130, `${stdout}\n${stderr}`)
    assert.match(stderr, /Interrupted while waiting for the migration \(revision 2\)\. The migration goes on on the server local/)
    noStack(stderr)
    server.holdMigrations(false)
  })
})
