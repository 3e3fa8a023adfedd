import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import yaml from 'js-yaml'

import {binPath, fakeBrowser, freePort, runCli, tempDir} from '../helpers/cli.js'
import {startCloudServer, type CloudServer} from '../stand-in/cloud-api.js'

const validKey = 'valid-session-key-9f3a'
const account = {email: 'ada@example.com', workspaces: [{clusters: [], slug: 'ada'}]}

async function homeWith(config?: object): Promise<{home: string; file: string}> {
  const home = await tempDir('home-')
  const file = join(home, '.prisma', 'config.yml')
  if (config) {
    await mkdir(join(home, '.prisma'))
    await writeFile(file, yaml.dump(config))
  }

  return {file, home}
}

async function readConfig(file: string): Promise<unknown> {
  return yaml.load(await readFile(file, 'utf8'))
}

describe('prisma login --key', () => {
  let cloud: CloudServer
  before(async () => {
    cloud = await startCloudServer({sessionKeys: {[validKey]: account}})
  })
  after(() => cloud.close())

  test('a key the cloud API accepts is stored (0600) and the account email printed', async () => {
    const {file, home} = await homeWith({clusters: {}, unknownKey: {keep: true}})
    const before = cloud.requests.length
    const result = await runCli(['login', '--key', validKey], {env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Authenticated with ada@example\.com/)
    assert.match(result.stdout, /Successfully signed in/)
    assert.deepEqual(await readConfig(file), {clusters: {}, cloudSessionKey: validKey, unknownKey: {keep: true}})
    assert.equal((await stat(file)).mode & 0o777, 0o600)
    const calls = cloud.requests.slice(before)
    assert.deepEqual(calls.map((call) => call.fields[0]), ['me'])
    assert.equal(calls[0].authorization, `Bearer ${validKey}`)
    assert.ok(!result.stdout.includes(validKey) && !result.stderr.includes(validKey))
  })

  test('a rejected key is not stored: exit 1, config unchanged', async () => {
    const {file, home} = await homeWith({cloudSessionKey: 'previous', other: 1})
    const result = await runCli(['login', '--key', 'wrong-key-77'], {env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home}})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /rejected the session key, so it was not stored/)
    assert.deepEqual(await readConfig(file), {cloudSessionKey: 'previous', other: 1})
    assert.ok(!result.stdout.includes('wrong-key-77') && !result.stderr.includes('wrong-key-77'))
  })

  test('an unreachable cloud API: the key is stored with a notice that it was not verified', async () => {
    const {file, home} = await homeWith()
    const result = await runCli(['login', '--key', 'ci-key-123'], {env: {CLOUD_API_ENDPOINT: `http://127.0.0.1:${await freePort()}`, HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /could not be reached, so the session key was stored without being verified/)
    assert.deepEqual(await readConfig(file), {cloudSessionKey: 'ci-key-123'})
    assert.equal((await stat(join(home, '.prisma'))).mode & 0o777, 0o700)
    assert.ok(!result.stdout.includes('ci-key-123') && !result.stderr.includes('ci-key-123'))
  })

  test('a config.yml that does not parse is not touched', async () => {
    const {file, home} = await homeWith()
    await mkdir(join(home, '.prisma'))
    await writeFile(file, 'cloudSessionKey: [\n')
    const result = await runCli(['login', '--key', validKey], {env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home}})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /config\.yml is not valid YAML at line/)
    assert.equal(await readFile(file, 'utf8'), 'cloudSessionKey: [\n')
  })
})

describe('prisma login (browser flow)', () => {
  let cloud: CloudServer
  before(async () => {
    cloud = await startCloudServer({approveAfterPolls: 2, sessionKeys: {[validKey]: account}})
  })
  after(() => cloud.close())

  test('prints the console URL, opens the browser, polls, stores the key and prints the email', async () => {
    const {file, home} = await homeWith({keep: 'me'})
    const browser = await fakeBrowser()
    const before = cloud.requests.length
    const result = await runCli(['login'], {
      env: {BROWSER: browser.command, CLOUD_API_ENDPOINT: cloud.url, HOME: home, PRISMA_CONSOLE_ENDPOINT: 'http://console.test/'},
    })
    assert.equal(result.code, 0, result.stderr)
    const secret = [...cloud.logins.keys()].at(-1)!
    const url = `http://console.test/cli-auth?secret=${secret}`
    assert.ok(result.stderr.includes(`Opening ${url} in the browser`), result.stdout)
    assert.equal(await browser.opened(), url)
    assert.match(result.stdout, /Authenticated with ada@example\.com/)
    const calls = cloud.requests.slice(before).map((call) => call.fields[0])
    assert.deepEqual(calls, ['requestCloudToken', 'cloudTokenRequest', 'cloudTokenRequest', 'me'])
    const stored = (await readConfig(file)) as {cloudSessionKey: string; keep: string}
    assert.equal(stored.keep, 'me')
    assert.equal(stored.cloudSessionKey, cloud.logins.get(secret)?.token)
    assert.ok(!result.stdout.includes(stored.cloudSessionKey))
  })

  test('the default console address is the original one', async () => {
    const {home} = await homeWith()
    const browser = await fakeBrowser()
    const result = await runCli(['login'], {env: {BROWSER: browser.command, CLOUD_API_ENDPOINT: cloud.url, HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Opening https:\/\/app\.prisma\.io\/cli-auth\?secret=\w+ in the browser/)
  })

  test('without a browser the printed URL is enough', async () => {
    const {file, home} = await homeWith()
    const result = await runCli(['login'], {env: {BROWSER: undefined, CLOUD_API_ENDPOINT: cloud.url, DISPLAY: undefined, HOME: home, WAYLAND_DISPLAY: undefined}})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /cli-auth\?secret=/)
    assert.match(result.stderr, /open the URL above/)
    assert.ok(((await readConfig(file)) as {cloudSessionKey?: string}).cloudSessionKey)
  })

  test('already logged in: says so and starts no login', async () => {
    const {file, home} = await homeWith({cloudSessionKey: validKey})
    const before = cloud.requests.length
    const result = await runCli(['login'], {env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Already signed in/)
    assert.match(result.stdout, /ada@example\.com/)
    assert.deepEqual(cloud.requests.slice(before).map((call) => call.fields[0]), ['me'])
    assert.deepEqual(await readConfig(file), {cloudSessionKey: validKey})
  })

  test('PRISMA_CLOUD_SESSION_KEY counts as logged in', async () => {
    const {home} = await homeWith()
    const result = await runCli(['login'], {env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home, PRISMA_CLOUD_SESSION_KEY: validKey}})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Already signed in \(session key from PRISMA_CLOUD_SESSION_KEY\)/)
  })
})

test('login without --key when the cloud API cannot be reached: exit 1, hint at --key, config untouched', async () => {
  const {file, home} = await homeWith({other: 1})
  const result = await runCli(['login'], {env: {BROWSER: 'none', CLOUD_API_ENDPOINT: `http://127.0.0.1:${await freePort()}`, HOME: home}})
  assert.equal(result.code, 1)
  assert.match(result.stderr, /Could not start the login/)
  assert.match(result.stderr, /prisma login --key/)
  assert.deepEqual(await readConfig(file), {other: 1})
})

describe('prisma login: bounded wait and Ctrl-C', () => {
  let cloud: CloudServer
  before(async () => {
    cloud = await startCloudServer({approveAfterPolls: 0})
  })
  after(() => cloud.close())

  test('--timeout ends the wait with exit 1 and leaves the config as it was', async () => {
    const {file, home} = await homeWith({other: true})
    const result = await runCli(['login', '--timeout', '2s'], {env: {BROWSER: 'none', CLOUD_API_ENDPOINT: cloud.url, HOME: home}})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /not completed in the browser within 2 s\b/)
    assert.deepEqual(await readConfig(file), {other: true})
  })

  test('Ctrl-C while waiting exits 130 and leaves the config as it was', async () => {
    const {file, home} = await homeWith({other: true})
    const env: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !/^(PRISMA_|DEBUG$)/.test(key)) env[key] = value
    Object.assign(env, {BROWSER: 'none', CLOUD_API_ENDPOINT: cloud.url, HOME: home, NO_COLOR: '1'})
    const child = spawn(process.execPath, [binPath, 'login'], {cwd: home, env})
    let stderr = ''
    child.stdout.resume()
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no login URL printed: ${stderr}`)), 30_000)
      // the URL to open is a notice: stderr
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk
        if (stderr.includes('cli-auth?secret=')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    child.kill('SIGINT')
    assert.equal(await exited, 130)
    assert.match(stderr, /Login cancelled/)
    assert.deepEqual(await readConfig(file), {other: true})
  })
})
