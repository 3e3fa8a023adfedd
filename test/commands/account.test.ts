// prisma account through the built binary against the cloud API stand-in.
import assert from 'node:assert/strict'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {runCli, tempDir} from '../helpers/cli.js'
import {startCloudServer, type CloudServer} from '../stand-in/cloud-api.js'

const key = 'account-session-key-7c1d'

async function homeWithKey(sessionKey?: string): Promise<string> {
  const home = await tempDir('home-')
  if (sessionKey) {
    await mkdir(join(home, '.prisma'))
    await writeFile(join(home, '.prisma', 'config.yml'), `cloudSessionKey: ${sessionKey}\n`)
  }

  return home
}

describe('prisma account', () => {
  let cloud: CloudServer
  before(async () => {
    cloud = await startCloudServer({
      sessionKeys: {[key]: {email: 'ada@example.com', name: 'Ada Lovelace', workspaces: [{slug: 'ada'}, {slug: 'team'}]}},
    })
  })
  after(() => cloud.close())

  test('logged in (the stored session): email and name as the original prints them; the key is sent, never printed', async () => {
    const home = await homeWithKey(key)
    const result = await runCli(['account'], {env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'Email: ada@example.com\nName:  Ada Lovelace\n')
    assert.equal(cloud.requests.at(-1)?.authorization, `Bearer ${key}`)
    assert.ok(!result.stdout.includes(key) && !result.stderr.includes(key))
  })

  test('--json, with PRISMA_CLOUD_SESSION_KEY taking precedence over the stored key', async () => {
    const home = await homeWithKey('some-other-stored-key')
    const result = await runCli(['account', '--json'], {env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home, PRISMA_CLOUD_SESSION_KEY: key}})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {
      email: 'ada@example.com',
      id: 'user-ada@example.com',
      name: 'Ada Lovelace',
      sessionKeyFrom: 'PRISMA_CLOUD_SESSION_KEY',
      workspaces: ['ada', 'team'],
    })
    assert.ok(!result.stdout.includes(key))
  })

  test('not logged in: says so and how to log in, exit 1, no request', async () => {
    const from = cloud.requests.length
    const result = await runCli(['account', '--json'], {env: {CLOUD_API_ENDPOINT: cloud.url, HOME: await homeWithKey()}})
    assert.equal(result.code, 1)
    const document = JSON.parse(result.stdout)
    assert.equal(document.code, 'NO_CREDENTIAL')
    assert.match(document.message, /Currently not logged in\. Run prisma login/)
    assert.equal(cloud.requests.length, from)
  })

  test('a session key the cloud API no longer accepts: exit 1, AUTH_FAILED, how to log in again', async () => {
    const home = await homeWithKey('expired-key-0000')
    const result = await runCli(['account'], {env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home}})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /no longer accepts the session key from .+config\.yml\. Run prisma login/)
    assert.ok(!result.stderr.includes('expired-key-0000'))
    const json = await runCli(['account', '--json'], {env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home}})
    assert.equal(JSON.parse(json.stdout).code, 'AUTH_FAILED')
  })

  test('the cloud API cannot be reached: exit 1, SERVER_UNREACHABLE', async () => {
    const home = await homeWithKey(key)
    const result = await runCli(['account', '--json'], {env: {CLOUD_API_ENDPOINT: 'http://127.0.0.1:9/', HOME: home}})
    assert.equal(result.code, 1)
    assert.equal(JSON.parse(result.stdout).code, 'SERVER_UNREACHABLE')
    assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/)
  })
})
