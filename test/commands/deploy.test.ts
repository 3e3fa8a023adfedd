import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'

import {runCli} from '../helpers/cli.js'
import {management, operations, project, userModel, userWithEmail} from '../deploy/fixtures.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'

describe('prisma deploy against a 1.34 server without auth', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 5})
  })
  after(() => server.close())

  test('a new service: creates the stage, deploys, waits for the migration, prints the endpoints', async () => {
    const dir = await project(`${server.url}/svc/dev`)
    server.requests.length = 0
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Creating stage dev for service svc\.\.\. ✔/)
    assert.match(result.stderr, /Deploying service `svc` to stage `dev` to server `local`\.\.\. \d+(ms|\.\ds)/)
    assert.match(
      result.stdout,
      /\nChanges:\n\n {2}User \(Type\)\n {2}\+ Created type `User`\n {2}\+ Created field `id` of type `ID!`\n {2}\+ Created field `name` of type `String!`\n/,
    )
    assert.match(result.stderr, /Applying changes\.\.\. \(\d\/3\)/)
    assert.match(result.stdout, /Your Prisma endpoint is live:\n\n {2}HTTP: {2}http:\/\/127\.0\.0\.1:\d+\/svc\/dev\n {2}WS: {4}ws:\/\/127\.0\.0\.1:\d+\/svc\/dev/)
    assert.match(result.stdout, /Prisma Admin: http:\/\/127\.0\.0\.1:\d+\/svc\/dev\/_admin/)
    assert.doesNotMatch(result.stdout, /Creating stage|Deploying service|Applying changes/, 'progress goes to stderr')
    const ops = operations(server.requests)
    assert.deepEqual(ops.slice(0, 3), ['deployProbe', 'addProject', 'deploy'])
    assert.ok(ops.slice(3).every((op) => op === 'migrationStatus'), ops.join())
    assert.equal(server.project('svc', 'dev')?.revision, 2)
  })

  test('an unchanged deploy needs at most 3 requests and says the service is up to date', async () => {
    const dir = await project(`${server.url}/same/dev`)
    assert.equal((await runCli(['deploy'], {cwd: dir})).code, 0)
    server.requests.length = 0
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Service is already up to date\./)
    assert.doesNotMatch(result.stdout, /endpoint is live/)
    const requests = management(server.requests)
    assert.ok(requests.length <= 3, `${requests.length} requests`)
    assert.deepEqual(operations(server.requests), ['deployProbe', 'deploy'])
  })

  test('a changed datamodel lists the change and deploys a new revision', async () => {
    const dir = await project(`${server.url}/change/dev`)
    assert.equal((await runCli(['deploy'], {cwd: dir})).code, 0)
    const changed = await project(`${server.url}/change/dev`, userWithEmail)
    const result = await runCli(['deploy'], {cwd: changed})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /\n {2}User \(Type\)\n {2}\+ Created field `email` of type `String`\n/)
    assert.doesNotMatch(result.stderr, /Creating stage/)
    assert.equal(server.project('change', 'dev')?.revision, 3)
  })

  test('--dry-run shows potential changes and changes nothing', async () => {
    const dir = await project(`${server.url}/dry/dev`)
    assert.equal((await runCli(['deploy'], {cwd: dir})).code, 0)
    const changed = await project(`${server.url}/dry/dev`, userWithEmail)
    server.requests.length = 0
    const result = await runCli(['deploy', '--dry-run'], {cwd: changed})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Performing dry run for service `dry` to stage `dev`/)
    assert.match(result.stdout, /Potential changes:\n\n {2}User \(Type\)\n {2}\+ Created field `email`/)
    assert.equal(server.project('dry', 'dev')?.revision, 2)
    const deploy = management(server.requests).find((request) => request.operationName === 'deploy')
    assert.equal((deploy?.variables as {dryRun?: boolean}).dryRun, true)
  })

  test('--json prints one JSON document and nothing else on stdout', async () => {
    const dir = await project(`${server.url}/json/dev`)
    const result = await runCli(['deploy', '--json'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    const document = JSON.parse(result.stdout) as Record<string, unknown>
    assert.equal(document.service, 'json')
    assert.equal(document.stage, 'dev')
    assert.equal(document.status, 'deployed')
    assert.equal(document.revision, 2)
    assert.deepEqual(document.endpoints, {http: `${server.url}/json/dev`, ws: `${server.url.replace('http', 'ws')}/json/dev`})
    assert.equal((document.steps as unknown[]).length, 3)
    assert.deepEqual(document.errors, [])
    assert.deepEqual(document.warnings, [])
    assert.match(result.stderr, /Creating stage dev for service json/)
  })

  test('datamodel errors are listed, the deploy is canceled, exit 1', async () => {
    const dir = await project(`${server.url}/broken/dev`, 'type User {\n  name: String!\n}\n')
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.match(result.stdout, /\nErrors:\n\n {2}User\n {4}✖ One field of the type `User` must be marked as the id field/)
    assert.match(result.stdout, /\n\nDeployment canceled\. Please fix the above errors to continue deploying\.\nRead more about deployment errors here: https:\/\/bit\.ly\/prisma-force-flag\n/)
    assert.match(result.stderr, /Deploy refused: the server found 1 error \(listed above\); nothing was changed\./)
    assert.doesNotMatch(result.stderr, /\n\s+at /)

    const json = await runCli(['deploy', '--json'], {cwd: dir})
    assert.equal(json.code, 1)
    const document = JSON.parse(json.stdout) as {status: string; errors: Array<{type: string}>}
    assert.equal(document.status, 'errors')
    assert.equal(document.errors[0].type, 'User')
  })

  test('--json on a fault still prints one JSON document, with the message', async () => {
    const dir = await project(`${server.url}/fault/dev`)
    server.fault('http-500', 1)
    const result = await runCli(['deploy', '--json'], {cwd: dir})
    server.fault(null)
    assert.equal(result.code, 1)
    const document = JSON.parse(result.stdout) as {status: string; message: string; service: string}
    assert.equal(document.status, 'error')
    assert.equal(document.service, 'fault')
    assert.match(document.message, /HTTP 500/)
    assert.match(result.stderr, /HTTP 500/)
  })

  test('data-loss warnings refuse without --force and deploy with it', async () => {
    const dir = await project(`${server.url}/warn/dev`, `${userModel}type Post {\n  id: ID! @id\n}\n`)
    assert.equal((await runCli(['deploy'], {cwd: dir})).code, 0)
    server.setModelHasData('warn', 'dev', 'Post', true)
    const smaller = await project(`${server.url}/warn/dev`)
    const refused = await runCli(['deploy'], {cwd: smaller})
    assert.equal(refused.code, 1)
    assert.match(refused.stdout, /\nWarnings:\n\n {2}Post\n {4}! You already have nodes for this model\. This change will result in data loss\./)
    assert.match(refused.stdout, /\n\nIf you want to ignore the warnings, please deploy with the --force flag: \$ prisma1 deploy --force\nRead more about deployment warnings here: https:\/\/bit\.ly\/prisma-force-flag\n/)
    assert.match(refused.stderr, /Deploy refused: 1 warning \(listed above\) needs your consent; nothing was changed\. Deploy with --force to accept them\./)
    assert.equal(server.project('warn', 'dev')?.revision, 2)

    const dry = await runCli(['deploy', '--dry-run'], {cwd: smaller})
    assert.equal(dry.code, 1, 'a dry run exits 1 when the real deploy would be refused')

    const json = await runCli(['deploy', '--json'], {cwd: smaller})
    assert.equal(json.code, 1)
    const document = JSON.parse(json.stdout) as {status: string; warnings: Array<{type: string; description: string}>; steps: Array<{type: string}>; revision: null}
    assert.equal(document.status, 'warnings')
    assert.equal(document.warnings[0].type, 'Post')
    assert.equal(document.revision, null)
    assert.ok(document.steps.some((step) => step.type === 'DeleteModel'))
    assert.match(json.stderr, /Warnings:/)

    const forced = await runCli(['deploy', '--force'], {cwd: smaller})
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(forced.stdout, /Ignoring warnings because you provided --force\./)
    assert.match(forced.stdout, /Post \(Type\)\n {2}- Deleted type `Post`/)
    assert.equal(server.project('warn', 'dev')?.revision, 3)
  })

  test('secrets and subscriptions go with every deploy; a secrets-only change still waits for its migration', async () => {
    const subscription =
      'subscriptions:\n  userCreated:\n    query: subscription.graphql\n    webhook:\n      url: http://example.com/hook\n      headers:\n        Authorization: Bearer abc\n'
    const files = {'subscription.graphql': 'subscription { user(where: {mutation_in: [CREATED]}) { node { id } } }\n'}
    const dir = await project(`${server.url}/secrets/dev`, userModel, `secret: first-secret\n${subscription}`, files)
    server.requests.length = 0
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    const sent = management(server.requests)
    const addProject = sent.find((request) => request.operationName === 'addProject')
    assert.deepEqual((addProject?.variables as {secrets: string[]}).secrets, ['first-secret'])
    const deploy = sent.find((request) => request.operationName === 'deploy')
    const variables = deploy?.variables as {secrets: string[]; subscriptions: Array<{name: string; url: string; headers: unknown[]}>}
    assert.deepEqual(variables.secrets, ['first-secret'])
    assert.equal(variables.subscriptions[0].name, 'userCreated')
    assert.deepEqual(variables.subscriptions[0].headers, [{name: 'Authorization', value: 'Bearer abc'}])
    assert.deepEqual(server.project('secrets', 'dev')?.secrets, ['first-secret'])
    assert.doesNotMatch(result.stdout + result.stderr, /first-secret/)

    const rotated = await project(`${server.url}/secrets/dev`, userModel, `secret: second-secret\n`)
    const second = await runCli(['deploy'], {cwd: rotated})
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stdout, /Service is already up to date\./)
    assert.match(second.stderr, /Applying changes\.\.\./)
    assert.deepEqual(server.project('secrets', 'dev')?.secrets, ['second-secret'])
  })

  test('--dry-run on a stage that does not exist yet creates nothing', async () => {
    const dir = await project(`${server.url}/drynew/dev`)
    server.requests.length = 0
    const result = await runCli(['deploy', '-d'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Service drynew has no stage dev on server local yet/)
    assert.equal(server.project('drynew', 'dev'), undefined)
    assert.deepEqual(operations(server.requests), ['deployProbe'])
  })

  test('combined short flags (-fd) work as --force --dry-run', async () => {
    const dir = await project(`${server.url}/short/dev`)
    assert.equal((await runCli(['deploy'], {cwd: dir})).code, 0)
    const changed = await project(`${server.url}/short/dev`, userWithEmail)
    server.requests.length = 0
    const result = await runCli(['deploy', '-fd'], {cwd: changed})
    assert.equal(result.code, 0, result.stderr)
    const deploy = management(server.requests).find((request) => request.operationName === 'deploy')
    assert.deepEqual(
      {dryRun: (deploy?.variables as {dryRun?: boolean}).dryRun, force: (deploy?.variables as {force?: boolean}).force},
      {dryRun: true, force: true},
    )
  })

  test('${opt:NAME} in prisma.yml reads the flags of deploy', async () => {
    const dir = await project(`${server.url}/options/dev`, undefined, 'hooks:\n  post-deploy:\n    - echo timeout=${opt:timeout}\n')
    const defaults = await runCli(['deploy'], {cwd: dir})
    assert.equal(defaults.code, 0, defaults.stderr)
    assert.match(defaults.stderr, /Running echo timeout=10m\.\.\. ✔\ntimeout=10m\n/)
    const given = await runCli(['deploy', '--timeout', '90s'], {cwd: dir})
    assert.equal(given.code, 0, given.stderr)
    assert.match(given.stderr, /Running echo timeout=90s\.\.\. ✔\ntimeout=90s\n/)
    assert.doesNotMatch(given.stdout, /Running echo/)
  })
})
