// Request settings in the project's .env (or --env-file), proxies and the request timeout, count like those of the
// process environment.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {test} from 'node:test'

import {project} from '../deploy/fixtures.js'
import {runCli} from '../helpers/cli.js'
import {startManagementServer} from '../stand-in/management-server.js'
import {startProxy} from './servers.js'

test('prisma deploy goes through HTTP_PROXY set in .env, and NO_PROXY in .env exempts a host', async (t) => {
  const server = await startManagementServer({migrationStepMs: 5})
  const proxy = await startProxy()
  t.after(() => Promise.all([server.close(), proxy.close()]))
  const port = new URL(server.url).port
  const dir = await project(`http://prisma-behind-proxy.example:${port}/svc/dev`)
  await writeFile(join(dir, '.env'), `HTTP_PROXY=${proxy.url}\n`)
  const result = await runCli(['deploy'], {cwd: dir})
  assert.equal(result.code, 0, result.stderr)
  assert.ok(proxy.connects.some((entry) => entry.target === `prisma-behind-proxy.example:${port}`), JSON.stringify(proxy.connects))

  proxy.connects.length = 0
  const direct = await project(`${server.url}/direct/dev`)
  await writeFile(join(direct, 'settings.env'), `HTTP_PROXY=${proxy.url}\nNO_PROXY=127.0.0.1\n`)
  const bypass = await runCli(['deploy', '-e', 'settings.env'], {cwd: direct})
  assert.equal(bypass.code, 0, bypass.stderr)
  assert.deepEqual(proxy.connects, [])
  assert.ok(server.project('direct', 'dev'))
})

test('PRISMA_REQUEST_TIMEOUT in .env bounds each request of prisma deploy', async (t) => {
  const server = await startManagementServer({migrationStepMs: 5})
  t.after(() => server.close())
  server.fault('hang', 100)
  const dir = await project(`${server.url}/svc/dev`)
  await writeFile(join(dir, '.env'), 'PRISMA_REQUEST_TIMEOUT=1s\n')
  const result = await runCli(['deploy'], {cwd: dir})
  assert.equal(result.code, 1, result.stderr)
  assert.match(result.stderr, /did not answer within 1 s/)
})
