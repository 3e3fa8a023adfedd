// The endpoint wizard as a user meets it: the built CLI on a pseudo-terminal, keystrokes in, screen out, against the
// local Management API and Prisma Cloud stand-ins.
import assert from 'node:assert/strict'
import {readFile, readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {runCli, tempDir, writeTree} from '../helpers/cli.js'
import {type PtySession, keys, spawnPty} from '../helpers/pty.js'
import {type CloudServer, startCloudServer} from '../stand-in/cloud-api.js'
import {type ManagementServer, startManagementServer} from '../stand-in/management-server.js'

const datamodel = 'type User {\n  id: ID! @id\n  name: String!\n}\n'
/** A loopback address nothing listens on: a port the system just handed out and that was closed again. */
async function freeAddress(): Promise<string> {
  const {createServer} = await import('node:net')
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}`
}

const nothingRunning = await freeAddress()

/** A project in a folder named `folder` (the default service name comes from it). */
async function projectIn(folder: string, prismaYml: string): Promise<{dir: string; file: string}> {
  const root = await tempDir('wizard-')
  const dir = join(root, folder)
  await writeTree({'datamodel.prisma': datamodel, 'prisma.yml': prismaYml}, dir)
  return {dir, file: join(dir, 'prisma.yml')}
}

/** Moves the list cursor to the entry starting with `label` and chooses it. */
async function choose(session: PtySession, label: string): Promise<void> {
  const lines = session.screen().split('\n')
  const start = lines.findLastIndex((line) => line.startsWith('? '))
  const entries = lines.slice(start + 1).filter((line) => /^[❯>] |^ {2}\S/.test(line))
  const cursor = entries.findIndex((line) => /^[❯>] /.test(line))
  const target = entries.findIndex((line) => line.slice(2).startsWith(label))
  assert.ok(cursor !== -1 && target !== -1, `no entry "${label}" on the screen:\n${session.screen()}`)
  if (target !== cursor) {
    session.write((target > cursor ? keys.down : keys.up).repeat(Math.abs(target - cursor)))
    await session.waitFor(new RegExp(`[❯>] ${escape(label)}`))
  }

  session.write(keys.enter)
}

function escape(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

async function finish(session: PtySession): Promise<{code: number | null; screen: string}> {
  const {code} = await session.exit
  return {code, screen: session.screen()}
}

const firstQuestion = 'Set up a new Prisma server or deploy to an existing server?'

describe('endpoint wizard in a terminal', () => {
  let server: ManagementServer
  let secured: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 5})
    secured = await startManagementServer({auth: {mode: 'symmetric', secret: 'wizard-s3cr3t-value'}, migrationStepMs: 5})
  })
  after(async () => {
    await server.close()
    await secured.close()
  })

  test('local server running: offered first; Enter three times writes the endpoint and deploys', async () => {
    const original = '# Prisma 1 project\ndatamodel: datamodel.prisma\n'
    const {dir, file} = await projectIn('blog-app', original)
    const session = await spawnPty(['deploy'], {cwd: dir, env: {CLOUD_API_ENDPOINT: nothingRunning, PRISMA_LOCAL_SERVER_URL: server.url}})
    const screen = await session.waitFor('does not answer')
    assert.match(screen, new RegExp(`\\? ${escape(firstQuestion)}`))
    assert.match(screen, new RegExp(`❯ Local Prisma server +Running at ${escape(server.url)}\n  Use other server +Manually provide endpoint of a running Prisma server\n- Prisma Cloud \\(its API at ${escape(nothingRunning)} does not answer: no demo servers or workspaces\\)\n`))
    assert.doesNotMatch(screen, /Demo server/)
    session.write(keys.enter)
    assert.match(await session.waitFor('Choose a name for your service'), /Choose a name for your service \(blog-app\)/)
    session.write(keys.enter)
    assert.match(await session.waitFor('Choose a name for your stage'), /Choose a name for your stage \(dev\)/)
    session.write(keys.enter)
    const result = await finish(session)
    assert.equal(result.code, 0, result.screen)
    const endpoint = `${server.url}/blog-app/dev`
    assert.match(result.screen, new RegExp(`Written endpoint \`${escape(endpoint)}\` to prisma\\.yml`))
    assert.match(result.screen, /Your Prisma endpoint is live/)
    assert.equal(await readFile(file, 'utf8'), `${original}endpoint: ${endpoint}\n`)
    assert.equal(server.project('blog-app', 'dev')?.revision, 2)
  })

  test('the first choice follows the Prisma Cloud API: switched on, its demo servers come after "Use other server"; switched off, one line says so', async () => {
    const cloud = await startCloudServer()
    const {dir, file} = await projectIn('first-choice', 'datamodel: datamodel.prisma\n')
    const env = {CLOUD_API_ENDPOINT: cloud.url, PRISMA_LOCAL_SERVER_URL: nothingRunning}
    const on = await spawnPty(['deploy'], {cwd: dir, env})
    const offered = await on.waitFor('Demo server')
    assert.match(offered, /Deploy to an existing Prisma server:\n❯ Use other server +Manually provide endpoint of a running Prisma server\n {2}Demo server \+ MySQL database +Free development environment hosted in Prisma Cloud \(requires login\)\n/)
    assert.doesNotMatch(offered, /Local Prisma server|does not answer/)
    on.write(keys.ctrlC)
    assert.equal((await finish(on)).code, 130)
    assert.ok(cloud.requests.some((request) => request.fields.includes('__typename')), 'the API was probed')

    await cloud.close()
    const off = await spawnPty(['deploy'], {cwd: dir, env})
    const screen = await off.waitFor('does not answer')
    assert.match(screen, new RegExp(`\\n❯ Use other server +Manually provide endpoint of a running Prisma server\n- Prisma Cloud \\(its API at ${escape(cloud.url)} does not answer: no demo servers or workspaces\\)\n`))
    assert.doesNotMatch(screen, /Demo server/)
    // the greyed line cannot be chosen: Down stays on "Use other server", Enter takes it
    off.write(keys.down)
    off.write(keys.enter)
    await off.waitFor('Enter the endpoint of your Prisma server')
    off.write(keys.ctrlC)
    assert.equal((await finish(off)).code, 130)
    assert.equal(await readFile(file, 'utf8'), 'datamodel: datamodel.prisma\n')
  })

  test('local server not running: not offered; "Use other server" probes the address and says at once when nothing answers', async () => {
    const {dir, file} = await projectIn('2048', 'datamodel: datamodel.prisma\n')
    const session = await spawnPty(['deploy'], {cwd: dir, env: {PRISMA_LOCAL_SERVER_URL: nothingRunning}})
    const screen = await session.waitFor('Use other server')
    assert.doesNotMatch(screen, /Local Prisma server/)
    await choose(session, 'Use other server')
    await session.waitFor('Enter the endpoint of your Prisma server')
    session.type('localhost:4466')
    await session.waitFor('must start with http:// or https://')
    session.write(keys.backspace.repeat(20))
    session.type(nothingRunning)
    await session.waitFor(`No Prisma server answers at ${nothingRunning} (connection refused). Enter another endpoint.`)
    session.write(keys.backspace.repeat(nothingRunning.length + 2))
    session.type(server.url)
    assert.match(await session.waitFor('Choose a name for your service'), /\(service-2048\)/)
    session.type('')
    await session.waitFor('Choose a name for your stage')
    session.type('')
    const result = await finish(session)
    assert.equal(result.code, 0, result.screen)
    assert.equal(await readFile(file, 'utf8'), `datamodel: datamodel.prisma\nendpoint: ${server.url}/service-2048/dev\n`)
    assert.ok(server.project('service-2048', 'dev'))
  })

  test('other server that needs auth: the secret is asked masked, used for this deploy and written nowhere', async () => {
    const secret = 'wizard-s3cr3t-value'
    const {dir, file} = await projectIn('secure-app', 'datamodel: datamodel.prisma\n')
    const home = await tempDir('home-')
    const session = await spawnPty(['deploy'], {cwd: dir, env: {HOME: home, PRISMA_LOCAL_SERVER_URL: nothingRunning}})
    await session.waitFor('Use other server')
    await choose(session, 'Use other server')
    await session.waitFor('Enter the endpoint of your Prisma server')
    session.type(secured.url)
    await session.waitFor('Enter the management API secret')
    session.type(secret)
    await session.waitFor('Choose a name for your service')
    session.type('')
    await session.waitFor('Choose a name for your stage')
    session.type('prod')
    const result = await finish(session)
    assert.equal(result.code, 0, result.screen)
    assert.ok(!session.transcript().includes(secret), 'the secret is never shown')
    assert.match(result.screen, /Enter the management API secret \*+/)
    assert.equal(await readFile(file, 'utf8'), `datamodel: datamodel.prisma\nendpoint: ${secured.url}/secure-app/prod\n`)
    assert.ok(secured.project('secure-app', 'prod'), 'deployed with a token signed by the typed secret')
    for (const folder of [dir, home]) {
      for (const name of await listFiles(folder)) {
        assert.ok(!(await readFile(name, 'utf8')).includes(secret), `${name} holds the secret`)
      }
    }
  })

  test('local server that needs auth: the secret is asked after choosing it', async () => {
    const {dir, file} = await projectIn('local-secure', 'datamodel: datamodel.prisma\n')
    const session = await spawnPty(['deploy'], {cwd: dir, env: {PRISMA_LOCAL_SERVER_URL: secured.url}})
    await session.waitFor('Use other server')
    await choose(session, 'Local Prisma server')
    await session.waitFor('Enter the management API secret')
    session.type('wizard-s3cr3t-value')
    await session.waitFor('Choose a name for your service')
    session.type('')
    await session.waitFor('Choose a name for your stage')
    session.type('')
    const result = await finish(session)
    assert.equal(result.code, 0, result.screen)
    assert.equal(await readFile(file, 'utf8'), `datamodel: datamodel.prisma\nendpoint: ${secured.url}/local-secure/dev\n`)
    assert.ok(secured.project('local-secure', 'dev'))
  })

  test('other server that needs auth with PRISMA_MANAGEMENT_API_SECRET set: no secret question', async () => {
    const {dir} = await projectIn('env-secret', 'datamodel: datamodel.prisma\n')
    const session = await spawnPty(['deploy'], {
      cwd: dir,
      env: {PRISMA_LOCAL_SERVER_URL: nothingRunning, PRISMA_MANAGEMENT_API_SECRET: 'wizard-s3cr3t-value'},
    })
    await session.waitFor('Use other server')
    await choose(session, 'Use other server')
    await session.waitFor('Enter the endpoint of your Prisma server')
    session.type(secured.url)
    await session.waitFor('Choose a name for your service')
    session.type('')
    await session.waitFor('Choose a name for your stage')
    session.type('')
    const result = await finish(session)
    assert.equal(result.code, 0, result.screen)
    assert.doesNotMatch(session.transcript(), /management API secret/)
    assert.ok(secured.project('env-secret', 'dev'))
  })

  describe('with Prisma Cloud', () => {
    let cloud: CloudServer
    before(async () => {
      cloud = await startCloudServer({
        approveAfterPolls: 1,
        approveWith: 'new-session-key',
        sessionKeys: {
          'session-key-acme': {
            email: 'ops@acme.example',
            workspaces: [
              {slug: 'acme', clusters: [{name: 'prisma-eu1', endpoint: 'https://eu1.prisma.sh'}, {name: 'acme-prod', endpoint: server.url}]},
              {slug: 'side', clusters: [{name: 'tiny', endpoint: 'https://tiny.example.com'}]},
            ],
          },
          'new-session-key': {email: 'jane@example.com', workspaces: [{slug: 'jane', clusters: [{name: 'prisma-eu1', endpoint: server.url}]}]},
        },
      })
    })
    after(() => cloud.close())

    test('logged in: the servers of every workspace are listed and one can be chosen', async () => {
      const {dir, file} = await projectIn('cloudy', 'datamodel: datamodel.prisma\n')
      const session = await spawnPty(['deploy'], {
        cwd: dir,
        env: {CLOUD_API_ENDPOINT: cloud.url, PRISMA_CLOUD_SESSION_KEY: 'session-key-acme', PRISMA_LOCAL_SERVER_URL: nothingRunning},
      })
      const screen = await session.waitFor('Demo server')
      assert.match(screen, /❯ Use other server +Manually provide endpoint of a running Prisma server\n {2}acme\/acme-prod +Production Prisma cluster\n/)
      assert.match(screen, /side\/tiny +Production Prisma cluster/)
      assert.match(screen, /Demo server \+ MySQL database +Free development environment hosted in Prisma Cloud\n/)
      await choose(session, 'acme/acme-prod')
      await session.waitFor('Choose a name for your service')
      session.type('')
      await session.waitFor('Choose a name for your stage')
      session.type('')
      const result = await finish(session)
      assert.equal(result.code, 0, result.screen)
      assert.equal(await readFile(file, 'utf8'), `datamodel: datamodel.prisma\nendpoint: ${server.url}/cloudy/dev\n`)
      assert.ok(server.project('cloudy', 'dev'))
    })

    test('Ctrl-C at the demo region leaves prisma.yml as it was and exits 130', async () => {
      const original = 'datamodel: datamodel.prisma\n'
      const {dir, file} = await projectIn('region', original)
      const session = await spawnPty(['deploy'], {
        cwd: dir,
        env: {CLOUD_API_ENDPOINT: cloud.url, PRISMA_CLOUD_SESSION_KEY: 'session-key-acme', PRISMA_LOCAL_SERVER_URL: nothingRunning},
      })
      await session.waitFor('Demo server')
      await choose(session, 'Demo server')
      const screen = await session.waitFor('acme/demo-eu1')
      assert.match(screen, /Choose the region of your demo server/)
      assert.doesNotMatch(screen, /Opening/, 'no login when logged in')
      session.write(keys.ctrlC)
      const result = await finish(session)
      assert.equal(result.code, 130, result.screen)
      assert.equal(await readFile(file, 'utf8'), original)
    })

    test('demo server while logged out: the login starts, then the region; the endpoint carries the workspace', async () => {
      const {dir, file} = await projectIn('demo-app', 'datamodel: datamodel.prisma\n')
      const home = await tempDir('home-')
      const session = await spawnPty(['deploy'], {
        cwd: dir,
        env: {BROWSER: 'none', CLOUD_API_ENDPOINT: cloud.url, HOME: home, PRISMA_LOCAL_SERVER_URL: nothingRunning},
      })
      await session.waitFor('Demo server')
      await choose(session, 'Demo server')
      await session.waitFor(/Opening \S+cli-auth\?secret=\S+ in the browser/)
      const region = await session.waitFor('Choose the region of your demo server')
      assert.match(region, /jane\/demo-eu1 +Hosted on AWS in eu-west-1 using MySQL/)
      await session.waitFor('jane/demo-eu1')
      session.write(keys.enter)
      await session.waitFor('Choose a name for your service')
      session.type('')
      await session.waitFor('Choose a name for your stage')
      session.type('')
      const result = await finish(session)
      assert.equal(result.code, 0, result.screen)
      assert.equal(await readFile(file, 'utf8'), `datamodel: datamodel.prisma\nendpoint: ${server.url}/jane/demo-app/dev\n`)
      assert.match(await readFile(join(home, '.prisma', 'config.yml'), 'utf8'), /cloudSessionKey: new-session-key/)
    })
  })

  test('Ctrl-C while waiting for the browser login leaves prisma.yml as it was and exits 130', async () => {
    const pending = await startCloudServer({approveAfterPolls: 0})
    try {
      const original = 'datamodel: datamodel.prisma\n'
      const {dir, file} = await projectIn('waiting', original)
      const home = await tempDir('home-')
      const session = await spawnPty(['deploy'], {
        cwd: dir,
        env: {BROWSER: 'none', CLOUD_API_ENDPOINT: pending.url, HOME: home, PRISMA_LOCAL_SERVER_URL: nothingRunning},
      })
      await session.waitFor('Demo server')
      await choose(session, 'Demo server')
      await session.waitFor(/Opening \S+cli-auth\?secret=\S+ in the browser/)
      session.write(keys.ctrlC)
      const result = await finish(session)
      assert.equal(result.code, 130, result.screen)
      assert.match(result.screen, /Cancelled\. prisma\.yml was not changed\./)
      assert.equal(await readFile(file, 'utf8'), original)
    } finally {
      await pending.close()
    }
  })

  test('service and stage names are checked with the server rule before anything is sent', async () => {
    const {dir, file} = await projectIn('names', 'datamodel: datamodel.prisma\n')
    server.requests.length = 0
    const session = await spawnPty(['deploy'], {cwd: dir, env: {PRISMA_LOCAL_SERVER_URL: server.url}})
    await session.waitFor('Use other server')
    session.write(keys.enter)
    await session.waitFor('Choose a name for your service')
    session.type('9lives')
    await session.waitFor('`9lives` is not a valid service name: it must start with a letter')
    session.write(keys.backspace.repeat(10))
    session.type('management')
    await session.waitFor('`management` is reserved')
    session.write(keys.backspace.repeat(12))
    session.type('cats')
    await session.waitFor('Choose a name for your stage')
    session.type(`s${'x'.repeat(30)}`)
    await session.waitFor('up to 30 letters')
    session.write(keys.backspace.repeat(40))
    session.type('live')
    const result = await finish(session)
    assert.equal(result.code, 0, result.screen)
    assert.equal(await readFile(file, 'utf8'), `datamodel: datamodel.prisma\nendpoint: ${server.url}/cats/live\n`)
    const names = server.requests.flatMap((request) => {
      const variables = request.variables as {name?: string; stage?: string} | undefined
      return variables?.name === undefined ? [] : [`${variables.name}/${variables.stage}`]
    })
    assert.ok(names.length > 0)
    assert.deepEqual([...new Set(names)], ['cats/live'], 'no invalid name reached the server')
  })

  test('--new replaces an existing endpoint in place and says what it was', async () => {
    const original = `# where we deploy\nendpoint: '${server.url}/old/dev'   # keep this comment\ndatamodel: datamodel.prisma\n`
    const {dir, file} = await projectIn('renamed', original)
    const session = await spawnPty(['deploy', '--new'], {cwd: dir, env: {PRISMA_LOCAL_SERVER_URL: server.url}})
    await session.waitFor('Use other server')
    session.write(keys.enter)
    await session.waitFor('Choose a name for your service')
    session.type('')
    await session.waitFor('Choose a name for your stage')
    session.type('')
    const result = await finish(session)
    assert.equal(result.code, 0, result.screen)
    const endpoint = `${server.url}/renamed/dev`
    assert.equal(await readFile(file, 'utf8'), original.replace(`${server.url}/old/dev`, endpoint))
    assert.match(result.screen, new RegExp(`Written endpoint \`${escape(endpoint)}\` to prisma\\.yml \\(it was \`${escape(server.url)}/old/dev\`\\)`))
  })

  test('an endpoint taken from a variable is not overwritten; the variable to set is named', async () => {
    const original = 'endpoint: ${env:PRISMA_ENDPOINT}\ndatamodel: datamodel.prisma\n'
    const {dir, file} = await projectIn('from-env', original)
    const session = await spawnPty(['deploy'], {cwd: dir, env: {PRISMA_LOCAL_SERVER_URL: server.url}})
    await session.waitFor('Use other server')
    session.write(keys.enter)
    await session.waitFor('Choose a name for your service')
    session.type('')
    await session.waitFor('Choose a name for your stage')
    session.type('')
    const result = await finish(session)
    assert.equal(result.code, 0, result.screen)
    assert.equal(await readFile(file, 'utf8'), original)
    assert.match(result.screen, new RegExp(`set PRISMA_ENDPOINT=${escape(server.url)}/from-env/dev`))
    assert.ok(server.project('from-env', 'dev'))
  })

  describe('Ctrl-C or Esc at any question leaves prisma.yml as it was and exits 130', () => {
    const cases: Array<[string, (session: PtySession) => Promise<void>, string?]> = [
      ['where to deploy', async () => undefined],
      [
        'the endpoint',
        async (session) => {
          await choose(session, 'Use other server')
          await session.waitFor('Enter the endpoint of your Prisma server')
          session.write('http://half')
        },
      ],
      [
        'the secret',
        async (session) => {
          await choose(session, 'Use other server')
          await session.waitFor('Enter the endpoint of your Prisma server')
          session.type(secured.url)
          await session.waitFor('Enter the management API secret')
        },
      ],
      [
        'the service',
        async (session) => {
          await choose(session, 'Use other server')
          await session.waitFor('Enter the endpoint of your Prisma server')
          session.type(server.url)
          await session.waitFor('Choose a name for your service')
        },
      ],
      [
        'the stage',
        async (session) => {
          await choose(session, 'Use other server')
          await session.waitFor('Enter the endpoint of your Prisma server')
          session.type(server.url)
          await session.waitFor('Choose a name for your service')
          session.type('half-done')
          await session.waitFor('Choose a name for your stage')
        },
      ],
    ]
    for (const [question, reach] of cases) {
      for (const [name, key] of [
        ['Ctrl-C', keys.ctrlC],
        ['Esc', keys.escape],
      ] as const) {
        test(`${name} at ${question}`, async () => {
          const original = '# untouched\ndatamodel: datamodel.prisma # the types\n'
          const {dir, file} = await projectIn('cancel', original)
          const before = await stat(file)
          const session = await spawnPty(['deploy'], {cwd: dir, env: {PRISMA_LOCAL_SERVER_URL: nothingRunning}})
          await session.waitFor('Use other server')
          await reach(session)
          session.write(key)
          const result = await finish(session)
          assert.equal(result.code, 130, result.screen)
          assert.match(result.screen, /Cancelled\. prisma\.yml was not changed\./)
          assert.equal(await readFile(file, 'utf8'), original)
          assert.equal((await stat(file)).mtimeMs, before.mtimeMs)
          assert.deepEqual(await readdir(dir), ['datamodel.prisma', 'prisma.yml'])
        })
      }
    }
  })
})

describe('endpoint wizard without a terminal', () => {
  test('never starts: deploy exits 1 and says to add endpoint or set PRISMA_MANAGEMENT_API_ENDPOINT', async () => {
    const original = 'datamodel: datamodel.prisma\n'
    const {dir, file} = await projectIn('ci', original)
    const result = await runCli(['deploy'], {cwd: dir, env: {PRISMA_LOCAL_SERVER_URL: nothingRunning}})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /endpoint/)
    assert.match(result.stderr, /PRISMA_MANAGEMENT_API_ENDPOINT/)
    assert.doesNotMatch(result.stdout + result.stderr, /Set up a new Prisma server/)
    assert.equal(await readFile(file, 'utf8'), original)
  })
})

async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...(await listFiles(path)))
    else if (entry.isFile()) found.push(path)
  }

  return found
}
