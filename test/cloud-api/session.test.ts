// The login/logout session policy as a module: no CLI is spawned, the stand-in cloud API answers.
import assert from 'node:assert/strict'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {logIn, logOut, type LoginEvents} from '../../src/cloud-api/session.js'
import {UserError} from '../../src/errors.js'
import {renderLogin, renderLogout} from '../../src/output/session.js'
import {freePort} from '../hardening/harness.js'
import {tempDir} from '../helpers/cli.js'
import {startCloudServer, type CloudServer} from '../stand-in/cloud-api.js'

const key = 'session-policy-key-5e2'

/** Events of a browser login, recorded in order. */
function recorder(): LoginEvents & {events: string[]} {
  const events: string[] = []
  return {
    events,
    onBrowserMissing: () => events.push('no browser'),
    onStaleKey: (where) => events.push(`stale ${where}`),
    onUrl: () => events.push('url'),
    onWait: (timeoutMs) => events.push(`wait ${timeoutMs}`),
  }
}

describe('the Prisma Cloud session policy', () => {
  let cloud: CloudServer
  before(async () => {
    cloud = await startCloudServer({approveAfterPolls: 1, sessionKeys: {[key]: {email: 'lin@example.com', workspaces: []}}})
  })
  after(() => cloud.close())

  test('--key: checked, stored, verified; rendered as the original prints it', async () => {
    const home = await tempDir('home-')
    const env = {CLOUD_API_ENDPOINT: cloud.url, HOME: home}
    const result = await logIn({...recorder(), env, key: ` ${key} `})
    assert.deepEqual(result, {
      cloudApi: cloud.url,
      email: 'lin@example.com',
      loggedIn: true,
      method: 'key',
      sessionKeyFrom: join(home, '.prisma', 'config.yml'),
      verified: true,
    })
    assert.match(await readFile(join(home, '.prisma', 'config.yml'), 'utf8'), new RegExp(`cloudSessionKey: ${key}`))
    assert.deepEqual(renderLogin(result), {stderr: [], stdout: ['Authenticated with lin@example.com', 'Successfully signed in']})
  })

  test('--key: a rejected key is AUTH_FAILED and not stored; an unreachable API stores it unverified', async () => {
    const home = await tempDir('home-')
    await assert.rejects(
      logIn({...recorder(), env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home}, key: 'wrong'}),
      (error: unknown) => error instanceof UserError && error.code === 'AUTH_FAILED' && /was not stored/.test(error.message),
    )
    await assert.rejects(readFile(join(home, '.prisma', 'config.yml'), 'utf8'), /ENOENT/)

    const offline = `http://127.0.0.1:${await freePort()}`
    const result = await logIn({...recorder(), env: {CLOUD_API_ENDPOINT: offline, HOME: home}, key})
    assert.equal(result.verified, false)
    assert.equal(result.unreachable, true)
    const rendered = renderLogin(result)
    assert.match(rendered.stderr[0], /could not be reached, so the session key was stored without being verified/)
    assert.deepEqual(rendered.stdout, [`Session key stored in ${join(home, '.prisma', 'config.yml')}`])
  })

  test('without --key: an accepted session is kept; a stale one starts the browser login, whose key is stored', async () => {
    const home = await tempDir('home-')
    const env = {BROWSER: 'none', CLOUD_API_ENDPOINT: cloud.url, HOME: home}
    const kept = await logIn({...recorder(), env: {...env, PRISMA_CLOUD_SESSION_KEY: key}})
    assert.deepEqual([kept.method, kept.verified, kept.sessionKeyFrom], ['existing', true, 'PRISMA_CLOUD_SESSION_KEY'])

    // opening the configuration made the folder already
    await writeFile(join(home, '.prisma', 'config.yml'), 'cloudSessionKey: expired-key\n')
    const events = recorder()
    const fresh = await logIn({...events, env, timeoutMs: 20_000})
    assert.deepEqual(events.events, [`stale ${join(home, '.prisma', 'config.yml')}`, 'url', 'no browser', 'wait 20000'])
    assert.equal(fresh.method, 'browser')
    const stored = /cloudSessionKey: (\S+)/.exec(await readFile(join(home, '.prisma', 'config.yml'), 'utf8'))?.[1]
    assert.ok(stored && stored !== 'expired-key' && cloud.sessionKeys.has(stored), 'the new session key is stored')
  })

  test('logout removes the stored key only, and says when the environment still holds one', async () => {
    const home = await tempDir('home-')
    await mkdir(join(home, '.prisma'))
    await writeFile(join(home, '.prisma', 'config.yml'), `cloudSessionKey: ${key}\nother: kept\n`)
    const result = await logOut({env: {HOME: home, PRISMA_CLOUD_SESSION_KEY: 'in-env'}})
    assert.deepEqual(result, {loggedOut: true, removed: true, sessionKeyInEnvironment: true})
    assert.equal(await readFile(join(home, '.prisma', 'config.yml'), 'utf8'), 'other: kept\n')
    assert.match(renderLogout(result).stderr[0], /PRISMA_CLOUD_SESSION_KEY is still set/)
    assert.deepEqual((await logOut({env: {HOME: home}})).removed, false)
  })
})
