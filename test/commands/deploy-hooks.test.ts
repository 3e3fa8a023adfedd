// prisma deploy: post-deploy hooks, seeding, generate notices, endpoint sources.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, realpathSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {binPath, cliEnvironment, runCli, writeTree} from '../helpers/cli.js'
import {operations, project} from '../deploy/fixtures.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'

const hookScript = `console.log('hook ran in ' + process.cwd() + ' with ' + process.argv.slice(2).join('|'))\n`
const failingHook = `console.error('hook failed on purpose'); process.exit(3)\n`
const seedScript = `require('node:fs').appendFileSync('seeded.txt', 'seeded\\n'); console.log('seeding done')\n`

describe('prisma deploy: hooks, seed, generate', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 5})
  })
  after(() => server.close())

  test('post-deploy hooks run without a shell in the working directory; a failing one is reported, not fatal', async () => {
    const dir = await project(`${server.url}/hooks/dev`, undefined, `hooks:\n  post-deploy:\n    - node hook.cjs "two words" plain\n    - node fail.cjs\n`)
    // as in the original, a hook runs where prisma deploy was started, not in prisma.yml's folder
    const cwd = await writeTree({'fail.cjs': failingHook, 'hook.cjs': hookScript})
    const result = await runCli(['deploy', '--project', join(dir, 'prisma.yml')], {cwd})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /\npost-deploy:\n/)
    assert.match(result.stderr, /Running node hook\.cjs "two words" plain\.\.\. ✔/)
    assert.ok(result.stderr.includes(`hook ran in ${realpathSync(cwd)} with two words|plain`), result.stdout)
    assert.match(result.stderr, /Running node fail\.cjs\.\.\. ✖/)
    assert.match(result.stderr, /hook failed on purpose/)
    assert.match(result.stderr, /Hook `node fail\.cjs` failed \(exit code 3\); the deploy itself succeeded\./)
    assert.match(result.stdout, /Your Prisma endpoint is live/)
  })

  test('seed.run of a new stage runs in the working directory (prisma.yml in prisma/), its output shown as it comes', async () => {
    const root = await writeTree({
      'prisma/datamodel.prisma': 'type User {\n  id: ID! @id\n  name: String!\n}\n',
      'prisma/prisma.yml': `endpoint: ${server.url}/seedcwd/dev\ndatamodel: datamodel.prisma\nseed:\n  run: node prisma/seed.cjs\n`,
      // the second line comes only after the CLI has shown the first: output is passed on as it comes
      'prisma/seed.cjs': [
        "const fs = require('node:fs')",
        "console.log('seed ran in ' + process.cwd())",
        "console.error('a warning from the seed script')",
        "const deadline = Date.now() + 20000",
        "const wait = () => (fs.existsSync('shown.txt') || Date.now() > deadline ? console.log('second line') : setTimeout(wait, 20))",
        'wait()',
        '',
      ].join('\n'),
    })
    const child = spawn(process.execPath, [binPath, 'deploy', '-p', 'prisma/prisma.yml'], {cwd: root, env: (await cliEnvironment()).env})
    let stdout = ''
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      if (stdout.includes('seed ran in')) writeFileSync(join(root, 'shown.txt'), '')
    })
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    assert.equal(code, 0, stderr)
    assert.ok(stdout.includes(`seed ran in ${realpathSync(root)}`), stdout)
    assert.match(stdout, /seed ran in [^\n]+\nsecond line\n/)
    assert.match(stderr, /a warning from the seed script/)
    // the seed line, ended when the script's output began, then again with its time
    assert.match(stderr, /Seeding based on node prisma\/seed\.cjs\.\.\.\n(a warning from the seed script\n)?\nSeeding based on node prisma\/seed\.cjs\.\.\. \d/)
    assert.ok(existsSync(join(root, 'shown.txt')), 'the first line was shown before the script ended')
  })

  test('--skip-hooks runs none', async () => {
    const dir = await project(`${server.url}/skip/dev`, undefined, `hooks:\n  post-deploy:\n    - node hook.cjs\n`, {'hook.cjs': hookScript})
    const result = await runCli(['deploy', '--skip-hooks'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.doesNotMatch(result.stderr, /post-deploy|hook ran/)
  })

  test('a hook that does not exist is reported', async () => {
    const dir = await project(`${server.url}/missing/dev`, undefined, `hooks:\n  post-deploy:\n    - no-such-program-xyz --flag\n`)
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Command not found: no-such-program-xyz/)
  })

  test('seed.run runs once, when the stage is created; --no-seed skips it', async () => {
    const dir = await project(`${server.url}/seed/dev`, undefined, `seed:\n  run: node seed.cjs\n`, {'seed.cjs': seedScript})
    const first = await runCli(['deploy'], {cwd: dir})
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.stderr, /Seeding based on node seed\.cjs\.\.\. \d/)
    assert.match(first.stdout, /seeding done/)
    const changed = await project(`${server.url}/seed/dev`, 'type User {\n  id: ID! @id\n  age: Int\n}\n', `seed:\n  run: node seed.cjs\n`, {'seed.cjs': seedScript})
    const second = await runCli(['deploy'], {cwd: changed})
    assert.equal(second.code, 0, second.stderr)
    assert.doesNotMatch(second.stderr, /Seeding/)

    const other = await project(`${server.url}/noseed/dev`, undefined, `seed:\n  run: node seed.cjs\n`, {'seed.cjs': seedScript})
    const skipped = await runCli(['deploy', '--no-seed'], {cwd: other})
    assert.equal(skipped.code, 0, skipped.stderr)
    assert.doesNotMatch(skipped.stderr, /Seeding/)
  })

  test('seed.import seeds the new stage; --no-generate generates nothing', async () => {
    const dir = await project(
      `${server.url}/notice/dev`,
      undefined,
      `seed:\n  import: seed.graphql\ngenerate:\n  - generator: javascript-client\n    output: ./generated/prisma-client/\n`,
      {'seed.graphql': 'mutation { createUser(data: {name: "a"}) { id } }\n'},
    )
    const result = await runCli(['deploy', '--no-generate'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /\nHooks:\n\nSeeding based on seed\.graphql\.\.\. \d/)
    assert.equal(server.data('notice', 'dev').nodes.length, 1)
    assert.doesNotMatch(result.stderr, /Generating schema|Saving|regenerate/)
    assert.ok(!existsSync(join(dir, 'generated')))
  })
})

describe('prisma deploy: where the endpoint comes from', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 5})
  })
  after(() => server.close())

  test('no endpoint and no terminal: exit 1 saying what to set, no request sent', async () => {
    const dir = await project('x')
    const {writeFile} = await import('node:fs/promises')
    await writeFile(join(dir, 'prisma.yml'), 'datamodel: datamodel.prisma\n')
    server.requests.length = 0
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /endpoint/)
    assert.match(result.stderr, /PRISMA_MANAGEMENT_API_ENDPOINT/)
    assert.equal(server.requests.length, 0)
  })

  test('PRISMA_MANAGEMENT_API_ENDPOINT stands in for a missing endpoint', async () => {
    const dir = await project('x')
    const {writeFile} = await import('node:fs/promises')
    await writeFile(join(dir, 'prisma.yml'), 'datamodel: datamodel.prisma\n')
    const result = await runCli(['deploy'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_ENDPOINT: `${server.url}/fromenv/dev`}})
    assert.equal(result.code, 0, result.stderr)
    assert.ok(server.project('fromenv', 'dev'))
  })

  test('--new without a terminal: exit 1, no prompt', async () => {
    const dir = await project(`${server.url}/new/dev`)
    server.requests.length = 0
    const result = await runCli(['deploy', '--new'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /terminal/)
    assert.deepEqual(operations(server.requests), [])
  })

  test('an invalid --timeout is a usage error (exit 2)', async () => {
    const dir = await project(`${server.url}/timeout/dev`)
    const result = await runCli(['deploy', '--timeout', 'soon'], {cwd: dir})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /--timeout must be a duration such as 90s, 10m or 1h/)
  })

  test('an unknown flag is a usage error (exit 2)', async () => {
    const dir = await project(`${server.url}/flag/dev`)
    const result = await runCli(['deploy', '--frobnicate'], {cwd: dir})
    assert.equal(result.code, 2)
  })
})
