import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {after, before, describe, test} from 'node:test'

import {
  cloudApiUrl,
  consoleUrl,
  fetchAccount,
  generateClusterToken,
  isRejectedKey,
  isUnreachable,
  loginUrl,
  pollLoginToken,
  requestLoginSecret,
} from '../../src/cloud-api/index.js'
import {browserLogin} from '../../src/cloud-api/login.js'
import {UserError} from '../../src/errors.js'
import {startCloudServer, type CloudServer} from '../stand-in/cloud-api.js'

describe('cloud API addresses', () => {
  test('defaults are the original ones; CLOUD_API_ENDPOINT and PRISMA_CONSOLE_ENDPOINT override', () => {
    assert.equal(cloudApiUrl({}), 'https://api2.cloud.prisma.sh')
    assert.equal(cloudApiUrl({}, 'cluster-token'), 'https://api.cloud.prisma.sh')
    assert.equal(cloudApiUrl({CLOUD_API_ENDPOINT: 'http://x:1'}, 'cluster-token'), 'http://x:1')
    assert.equal(consoleUrl({}), 'https://app.prisma.io')
    assert.equal(consoleUrl({CONSOLE_ENDPOINT: 'dev'}), 'http://localhost:3000')
    assert.equal(consoleUrl({PRISMA_CONSOLE_ENDPOINT: 'http://c.test/'}), 'http://c.test')
    assert.equal(loginUrl({}, 'a b&c'), 'https://app.prisma.io/cli-auth?secret=a%20b%26c')
  })
})

describe('cloud API operations against the stand-in', () => {
  let cloud: CloudServer
  const key = 'key-1'
  before(async () => {
    cloud = await startCloudServer({
      approveAfterPolls: 3,
      sessionKeys: {
        [key]: {
          email: 'x@example.com',
          workspaces: [{clusters: [{endpoint: 'https://eu1.prisma.sh', name: 'prisma-eu1'}], name: 'Team', slug: 'team'}],
        },
      },
    })
  })
  after(() => cloud.close())

  test('fetchAccount reads email and workspaces', async () => {
    const account = await fetchAccount({env: {CLOUD_API_ENDPOINT: cloud.url}, sessionKey: key})
    assert.equal(account.email, 'x@example.com')
    assert.deepEqual(account.workspaces, [
      {clusters: [{endpoint: 'https://eu1.prisma.sh', id: 'cluster-prisma-eu1', name: 'prisma-eu1'}], id: 'ws-team', name: 'Team', slug: 'team'},
    ])
  })

  test('a wrong key is "rejected", not "unreachable"', async () => {
    const error = await fetchAccount({env: {CLOUD_API_ENDPOINT: cloud.url}, sessionKey: 'nope'}).catch((error_: unknown) => error_)
    assert.ok(isRejectedKey(error))
    assert.ok(!isUnreachable(error))
  })

  test('a closed port is "unreachable"', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as {port: number}
    await new Promise((resolve) => server.close(resolve))
    const error = await fetchAccount({env: {CLOUD_API_ENDPOINT: `http://127.0.0.1:${port}`}, sessionKey: key}).catch((error_: unknown) => error_)
    assert.ok(isUnreachable(error))
    assert.ok(!isRejectedKey(error))
  })

  test('login: request a secret, poll until approved', async () => {
    const env = {CLOUD_API_ENDPOINT: cloud.url}
    const secret = await requestLoginSecret({env})
    let waits = 0
    const token = await pollLoginToken({env, intervalMs: 10, onWait: () => waits++, secret})
    assert.equal(waits, 2)
    assert.equal(cloud.sessionKeys.get(token)?.email, 'x@example.com')
  })

  test('polling is bounded and can be aborted', async () => {
    const never = await startCloudServer({approveAfterPolls: 0})
    try {
      const secret = await requestLoginSecret({env: {CLOUD_API_ENDPOINT: never.url}})
      await assert.rejects(
        pollLoginToken({env: {CLOUD_API_ENDPOINT: never.url}, intervalMs: 10, secret, timeoutMs: 100}),
        (error: unknown) => error instanceof UserError && /not completed/.test(error.message),
      )
      const controller = new AbortController()
      const reason = new Error('stop')
      setTimeout(() => controller.abort(reason), 50)
      await assert.rejects(pollLoginToken({env: {CLOUD_API_ENDPOINT: never.url}, intervalMs: 10, secret, signal: controller.signal}), reason)
    } finally {
      await never.close()
    }
  })

  test('generateClusterToken sends the session key and the input of the original', async () => {
    const token = await generateClusterToken({
      clusterName: 'prisma-eu1',
      env: {CLOUD_API_ENDPOINT: cloud.url},
      serviceName: 'svc',
      sessionKey: key,
      stageName: 'dev',
      workspaceSlug: 'team',
    })
    assert.equal(token.split('.').length, 3)
    const call = cloud.requests.at(-1)!
    assert.equal(call.authorization, `Bearer ${key}`)
    assert.deepEqual(call.variables, {input: {clusterName: 'prisma-eu1', serviceName: 'svc', stageName: 'dev', workspaceSlug: 'team'}})
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())
    assert.deepEqual(payload.grants, [{action: '*', target: 'team~svc/dev'}])
  })
})

describe('browserLogin', () => {
  test('asks for a secret, reports the URL, a missing browser and the wait, and returns the new session key', async () => {
    const cloud = await startCloudServer({approveAfterPolls: 1, sessionKeys: {}})
    try {
      const env = {BROWSER: 'none', CLOUD_API_ENDPOINT: cloud.url, PRISMA_CONSOLE_ENDPOINT: 'http://console.test'}
      const events: string[] = []
      const token = await browserLogin({
        env,
        onBrowserMissing: () => events.push('no browser'),
        onUrl: (url) => events.push(url.replace(/secret=.*/, 'secret=…')),
        onWait: () => events.push('wait'),
      })
      assert.deepEqual(events, ['http://console.test/cli-auth?secret=…', 'no browser', 'wait'])
      assert.ok(cloud.sessionKeys.has(token))
    } finally {
      await cloud.close()
    }
  })

  test('a cloud API that cannot be reached fails before any URL, saying how else to log in', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as {port: number}
    await new Promise((resolve) => server.close(resolve))
    let urls = 0
    await assert.rejects(
      browserLogin({env: {BROWSER: 'none', CLOUD_API_ENDPOINT: `http://127.0.0.1:${port}`}, onBrowserMissing() {}, onUrl: () => urls++}),
      (error: unknown) => error instanceof UserError && /Could not start the login.*prisma login --key/s.test(error.message),
    )
    assert.equal(urls, 0)
  })
})
