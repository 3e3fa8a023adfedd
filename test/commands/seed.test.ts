// prisma seed, the seed inside prisma deploy, and prisma reset, through the built CLI against the stand-in.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {runCli} from '../helpers/cli.js'
import {spawnPty} from '../helpers/pty.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {dataProject, deployed, freePort, shopSeed} from '../data/fixtures.js'

describe('prisma seed, deploy seeding, prisma reset', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 1})
  })
  after(() => server.close())

  const users = (service: string, stage = 'dev') => server.data(service, stage).nodes.filter((node) => (node as {_typeName: string})._typeName === 'User')

  test('deploy of a new stage seeds from seed.import .graphql, with a service token; --json reports it; a redeploy does not seed', async () => {
    const dir = await dataProject(`${server.url}/gql/dev`, 'secret: s3cret\nseed:\n  import: seed.graphql\n', {'seed.graphql': shopSeed})
    const first = await runCli(['deploy', '--json'], {cwd: dir})
    assert.equal(first.code, 0, first.stderr)
    const document = JSON.parse(first.stdout)
    assert.equal(document.status, 'deployed')
    assert.equal(document.seed.status, 'seeded')
    assert.equal(document.seed.kind, 'graphql')
    assert.equal(document.seed.operations, 2)
    assert.match(first.stderr, /Seeding based on seed\.graphql\.\.\. \d/)
    assert.equal(users('gql').length, 2)
    assert.equal(server.data('gql', 'dev').relations.length, 2)
    assert.deepEqual(server.data('gql', 'dev').lists.length, 1)
    const again = await runCli(['deploy', '--json'], {cwd: dir})
    assert.equal(again.code, 0, again.stderr)
    assert.equal(JSON.parse(again.stdout).seed, null)
    assert.equal(users('gql').length, 2)
  })

  test('deploy of a new stage seeds from seed.import .zip (written by export)', async () => {
    const source = await deployed(await dataProject(`${server.url}/zipsrc/dev`, 'seed:\n  import: seed.graphql\n', {'seed.graphql': shopSeed}))
    assert.equal((await runCli(['seed'], {cwd: source})).code, 0)
    const dir = await dataProject(`${server.url}/zipdst/dev`, 'seed:\n  import: data/seed.zip\n', {'data/readme.txt': 'the seed data'})
    await runCli(['export', '--path', join(dir, 'data', 'seed.zip')], {cwd: source}).then((result) => assert.equal(result.code, 0, result.stderr))
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Seeding based on data\/seed\.zip\.\.\. \d/)
    assert.deepEqual(server.data('zipdst', 'dev'), server.data('zipsrc', 'dev'))
  })

  test('a seed that fails in deploy: exit 1, the message, and status seed-failed', async () => {
    const dir = await dataProject(`${server.url}/badseed/dev`, 'seed:\n  import: seed.graphql\n', {'seed.graphql': 'mutation { createUser(data: {name: "no email"}) { id } }\n'})
    const result = await runCli(['deploy', '--json'], {cwd: dir})
    assert.equal(result.code, 1)
    const document = JSON.parse(result.stdout)
    assert.equal(document.status, 'seed-failed')
    assert.equal(document.seed.status, 'failed')
    assert.match(document.message, /operation 1 of 1 \(anonymous mutation, line 1 of seed\.graphql\)/)
    assert.match(document.message, /The deploy itself succeeded/)
  })

  test('prisma seed --json; seed --reset deletes the data first (a second plain seed clashes on the unique email)', async () => {
    const dir = await deployed(await dataProject(`${server.url}/cmd/dev`, 'secret: abc\nseed:\n  import: seed.graphql\n', {'seed.graphql': shopSeed}))
    const first = await runCli(['seed', '--json'], {cwd: dir})
    assert.equal(first.code, 0, first.stderr)
    assert.deepEqual(JSON.parse(first.stdout), {kind: 'graphql', lists: 0, nodes: 0, operations: 2, relations: 0, reset: false, service: 'cmd', source: 'seed.graphql', stage: 'dev'})
    const clash = await runCli(['seed'], {cwd: dir})
    assert.equal(clash.code, 1)
    assert.match(clash.stderr, /The server rejected operation 1 of 2 \(mutation first, line 2 of seed\.graphql\): A unique constraint would be violated on User/)
    assert.match(clash.stderr, /No operation had been applied before it\./)
    const reset = await runCli(['seed', '-r'], {cwd: dir})
    assert.equal(reset.code, 0, reset.stderr)
    assert.match(reset.stderr, /Resetting cmd@dev\.\.\./)
    assert.match(reset.stdout, /Seeded cmd@dev \(after deleting its data\) from seed\.graphql: 2 operations\./)
    assert.equal(users('cmd').length, 2)
  })

  test('a later operation rejected: which one, the message, and that the ones before stay applied', async () => {
    const seed = 'mutation one { createUser(data: {email: "1@x"}) { id } }\nmutation two { createUser(data: {email: "2@x"}) { id } }\nmutation three { createUser(data: {email: "1@x"}) { id } }\n'
    const dir = await deployed(await dataProject(`${server.url}/later/dev`, 'seed:\n  import: seed.graphql\n', {'seed.graphql': seed}))
    const result = await runCli(['seed', '--json'], {cwd: dir})
    assert.equal(result.code, 1)
    const document = JSON.parse(result.stdout)
    assert.equal(document.code, 'DATA_FAILED')
    assert.equal(document.operationsApplied, 2)
    assert.match(result.stderr, /operation 3 of 3 \(mutation three, line 3 of seed\.graphql\)/)
    assert.match(result.stderr, /The 2 operations before it were applied and stay in the service\./)
    assert.equal(users('later').length, 2)
  })

  test('bad seed input: invalid GraphQL (file and line), missing file, wrong extension, both import and run, no seed', async () => {
    const url = `${server.url}/bad/dev`
    const invalid = await dataProject(url, 'seed:\n  import: seed.graphql\n', {'seed.graphql': 'mutation {\n  createUser(data: {email: "x"}) { id }\n\nquery { users { id }\n'})
    const bad = await runCli(['seed'], {cwd: invalid})
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /The seed file seed\.graphql is not valid GraphQL \(line 5, column 1\): Expected Name, found <EOF>\. Correct it; nothing was sent/)
    assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/)
    const missing = await runCli(['seed'], {cwd: await dataProject(url, 'seed:\n  import: nowhere.graphql\n')})
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /The seed file nowhere\.graphql \(seed\.import in .*prisma\.yml\) does not exist/)
    const extension = await runCli(['seed'], {cwd: await dataProject(url, 'seed:\n  import: seed.json\n')})
    assert.match(extension.stderr, /it must be a \.graphql file, a \.zip file or a folder/)
    const both = await runCli(['seed'], {cwd: await dataProject(url, 'seed:\n  import: a.graphql\n  run: node x.js\n')})
    assert.match(both.stderr, /has both `import` and `run`; keep one of them/)
    const none = await runCli(['seed', '--json'], {cwd: await dataProject(url)})
    assert.equal(none.code, 1)
    assert.match(JSON.parse(none.stdout).message, /To seed, add a `seed` property/)
  })

  test('seed.run runs the command without a shell, with its output; a failing command exits 1', async () => {
    const script = `require('node:fs').writeFileSync('ran.txt', process.argv.slice(2).join('|')); console.log('seed script says hi')\n`
    const dir = await deployed(await dataProject(`${server.url}/run/dev`, 'seed:\n  run: node seed.cjs "a b" c\n', {'fail.cjs': 'process.exit(4)\n', 'seed.cjs': script}))
    const result = await runCli(['seed', '--json'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    const document = JSON.parse(result.stdout)
    assert.equal(document.kind, 'run')
    assert.match(document.output.stdout, /seed script says hi/)
    assert.match(result.stderr, /seed script says hi/, "under --json the script's output is shown on stderr")
    const human = await runCli(['seed'], {cwd: dir})
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stdout, /^seed script says hi$/m, "the script's stdout goes to stdout")
    assert.match(human.stderr, /Seeding based on node seed\.cjs "a b" c\.\.\.\n\nSeeding based on node seed\.cjs "a b" c\.\.\. ✔/)
    const failing = await dataProject(`${server.url}/run/dev`, 'seed:\n  run: node fail.cjs\n', {'fail.cjs': 'console.error("nope"); process.exit(4)\n'})
    const failed = await runCli(['seed'], {cwd: failing})
    assert.equal(failed.code, 1)
    assert.match(failed.stderr, /The seed command `node fail\.cjs` \(seed\.run in .*\) failed: it exited with code 4\./)
    assert.match(failed.stderr, /nope/)
    assert.equal(failed.stderr.split('nope').length, 2, "the failing script's output is shown once")
  })

  test('seed against a stage that does not exist, and with a wrong secret', async () => {
    const missing = await runCli(['seed'], {cwd: await dataProject(`${server.url}/nostage/dev`, 'seed:\n  import: s.graphql\n', {'s.graphql': '{ users { id } }'})})
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /The service nostage has no stage dev on the server .* \(code 3016\)\. Deploy it first/)
    const dir = await deployed(await dataProject(`${server.url}/secret/dev`, 'secret: right\nseed:\n  import: s.graphql\n', {'s.graphql': '{ users { id } }'}))
    const wrong = await dataProject(`${server.url}/secret/dev`, 'secret: wrong\nseed:\n  import: s.graphql\n', {'s.graphql': '{ users { id } }'})
    const rejected = await runCli(['seed'], {cwd: wrong})
    assert.equal(rejected.code, 1)
    assert.match(rejected.stderr, /rejected the service token for secret@dev \(code 3015\)/)
    assert.doesNotMatch(rejected.stderr, /eyJ/)
    assert.equal((await runCli(['seed'], {cwd: dir})).code, 0)
    const down = await dataProject(`http://127.0.0.1:${await freePort()}/down/dev`, 'seed:\n  import: s.graphql\n', {'s.graphql': '{ users { id } }'})
    const unreachable = await runCli(['seed', '--json'], {cwd: down})
    assert.equal(unreachable.code, 1)
    assert.equal(JSON.parse(unreachable.stdout).code, 'SERVER_UNREACHABLE')
    assert.match(unreachable.stderr, /Sending operation 1 of 1 \(anonymous query, line 1 of s\.graphql\) failed: Could not connect to the server at .*: the connection was refused/)
  })

  test('reset: without a terminal it needs --force; --force deletes all data', async () => {
    const dir = await deployed(await dataProject(`${server.url}/reset/dev`, 'seed:\n  import: seed.graphql\n', {'seed.graphql': shopSeed}))
    assert.equal((await runCli(['seed'], {cwd: dir})).code, 0)
    const refused = await runCli(['reset', '--json'], {cwd: dir})
    assert.equal(refused.code, 1)
    assert.equal(JSON.parse(refused.stdout).code, 'NEEDS_TERMINAL')
    assert.match(refused.stderr, /Pass --force/)
    assert.equal(users('reset').length, 2)
    const forced = await runCli(['reset', '-f', '--json'], {cwd: dir})
    assert.equal(forced.code, 0, forced.stderr)
    assert.deepEqual(JSON.parse(forced.stdout), {reset: true, service: 'reset', stage: 'dev'})
    assert.deepEqual(server.data('reset', 'dev'), {lists: [], nodes: [], relations: []})
  })

  test('reset in a terminal asks the original question; n keeps the data, y deletes it', async () => {
    const dir = await deployed(await dataProject(`${server.url}/ask/dev`, 'seed:\n  import: seed.graphql\n', {'seed.graphql': shopSeed}))
    assert.equal((await runCli(['seed'], {cwd: dir})).code, 0)
    const no = await spawnPty(['reset'], {cwd: dir})
    await no.waitFor('Are you sure that you want to reset the data of ask in stage dev? y/N')
    no.type('n')
    assert.equal((await no.exit).code, 0)
    assert.match(no.transcript(), /Nothing was deleted/)
    assert.equal(users('ask').length, 2)
    const yes = await spawnPty(['reset'], {cwd: dir})
    await yes.waitFor('Are you sure that you want to reset the data of ask in stage dev?')
    yes.type('y')
    assert.equal((await yes.exit).code, 0, yes.transcript())
    assert.match(yes.transcript(), /Deleted all data of ask@dev\./)
    assert.equal(users('ask').length, 0)
  })
})

describe('prisma seed against a throttling server', () => {
  const seed = Array.from({length: 4}, (_, index) => `mutation m${index} { createUser(data: {email: "t${index}@x"}) { id } }`).join('\n')

  test('queued requests: Throttled-By is shown with DEBUG; rejected ones (1004) are retried with backoff', async () => {
    const queueing = await startManagementServer({migrationStepMs: 1, sandbox: {maxQueue: 25, rate: 1, windowMs: 150}})
    try {
      const dir = await deployed(await dataProject(`${queueing.url}/slow/dev`, 'secret: s\nseed:\n  import: seed.graphql\n', {'seed.graphql': seed}))
      const result = await runCli(['seed'], {cwd: dir, env: {DEBUG: '1'}})
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /request mutation m\d was throttled by the server: \d+ms/)
      assert.doesNotMatch(result.stderr, /eyJ/)
    } finally {
      await queueing.close()
    }

    const rejecting = await startManagementServer({migrationStepMs: 1, sandbox: {maxQueue: 0, rate: 1, windowMs: 150}})
    try {
      const dir = await deployed(await dataProject(`${rejecting.url}/busy/dev`, 'seed:\n  import: seed.graphql\n', {'seed.graphql': seed}))
      const result = await runCli(['seed', '--json'], {cwd: dir, env: {DEBUG: '1'}})
      assert.equal(result.code, 0, result.stderr)
      assert.equal(JSON.parse(result.stdout).operations, 4)
      assert.match(result.stderr, /retrying mutation m\d in \d+ ms \(attempt 2\): There are too many concurrent queries/)
      assert.equal(rejecting.data('busy', 'dev').nodes.length, 4)
    } finally {
      await rejecting.close()
    }
  })
})
