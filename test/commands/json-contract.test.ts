// The --json contract every command keeps: one JSON document on stdout, success or failure; human text on stderr.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {chmod, mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {dataProject, deployed, shopSeed} from '../data/fixtures.js'
import {project, userModel} from '../deploy/fixtures.js'
import {repoRoot, runCli, tempDir, writeTree} from '../helpers/cli.js'
import {addStage, userTypes} from '../services/stand-in-setup.js'
import {startCloudServer, type CloudServer} from '../stand-in/cloud-api.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {verifyJwt} from '../tokens/verifier.js'

const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, {flags: Record<string, {char?: string}>; hidden?: boolean}>
}
const commandIds = Object.keys(manifest.commands).filter((id) => id !== 'help')
const errorCodes = new Set(
  [...readFileSync(join(repoRoot, 'src', 'errors.ts'), 'utf8').matchAll(/^\s+\| '([A-Z_]+)'$/gm)].map((match) => match[1]),
)

/** README's "JSON results": each command's documented fields (`?` = only sometimes), and the error document's. */
const documented = new Map<string, {required: string[]; optional: string[]}>()
{
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## JSON results'), readme.indexOf('\n## ', readme.indexOf('## JSON results') + 1))
  for (const match of section.matchAll(/^- (?:`prisma ([a-z-]+)`|(error document)).*?: `([^`]+)`/gm)) {
    const fields = match[3].split(',').map((field) => field.trim())
    documented.set(match[1] ?? 'error', {
      optional: fields.filter((field) => field.endsWith('?')).map((field) => field.slice(0, -1)),
      required: fields.filter((field) => !field.endsWith('?')),
    })
  }
}

type Check = (value: unknown) => boolean
const isString: Check = (value) => typeof value === 'string'
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value)
const isBoolean: Check = (value) => typeof value === 'boolean'
const isArray: Check = (value) => Array.isArray(value)
const isIsoTime: Check = (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)) && value.endsWith('Z')
const oneOf = (...values: unknown[]): Check => (value) => values.includes(value)
const orNull = (check: Check): Check => (value) => value === null || check(value)
const shaped = (fields: Record<string, Check>): Check => (value) =>
  typeof value === 'object' && value !== null && Object.entries(fields).every(([name, check]) => check((value as Record<string, unknown>)[name]))

/** Each result type, field by field; the field names must be exactly those README documents. */
const resultTypes: Record<string, Record<string, Check>> = {
  deploy: {
    service: isString,
    stage: isString,
    status: oneOf('deployed', 'up-to-date', 'dry-run', 'errors', 'warnings', 'migration-failed', 'timeout', 'seed-failed', 'generate-failed'),
    created: isBoolean,
    endpoints: orNull(shaped({http: isString, ws: isString})),
    revision: orNull(isNumber),
    migration: orNull(shaped({status: isString, applied: isNumber, errors: isArray})),
    steps: isArray,
    warnings: isArray,
    errors: isArray,
    hooks: (value) => Array.isArray(value) && value.every(shaped({command: isString, ok: isBoolean})),
    seed: orNull(shaped({status: oneOf('seeded', 'failed', 'invalid')})),
    generated: (value) => Array.isArray(value) && value.every(shaped({generator: isString, output: isString, files: isArray})),
    message: isString,
  },
  login: {
    loggedIn: oneOf(true),
    method: oneOf('key', 'existing', 'browser'),
    email: isString,
    verified: isBoolean,
    unverifiedReason: isString,
    unreachable: isBoolean,
    sessionKeyFrom: isString,
    cloudApi: isString,
  },
  logout: {loggedOut: isBoolean, removed: isBoolean, sessionKeyInEnvironment: isBoolean},
  token: {
    token: isString,
    copied: oneOf(true),
    algorithm: oneOf('HS256'),
    service: isString,
    issuedAt: isIsoTime,
    expiresAt: isIsoTime,
    expiresInSeconds: isNumber,
  },
  'cluster-token': {
    token: isString,
    copied: oneOf(true),
    algorithm: orNull(oneOf('HS256', 'RS256')),
    credential: isString,
    grants: orNull((value) => Array.isArray(value) && value.every(shaped({action: isString, target: isString}))),
    issuedAt: orNull(isIsoTime),
    expiresAt: orNull(isIsoTime),
    expiresInSeconds: orNull(isNumber),
    iat: orNull(isNumber),
    exp: orNull(isNumber),
  },
}

const linkResult: Record<string, Check> = {
    page: oneOf('admin', 'playground'),
    service: isString,
    stage: isString,
    url: isString,
    opened: isBoolean,
    secured: isBoolean,
    version: isString,
  }
Object.assign(resultTypes, {
  info: {name: isString, stage: isString, cluster: isString, workspace: isString, httpEndpoint: isString, wsEndpoint: isString, secret: orNull(isArray)},
  list: {serverUrl: isString, services: (value: unknown) => Array.isArray(value) && value.every(shaped({name: isString, stage: isString, server: isString}))},
  delete: {service: isString, stage: isString, server: isString, serverUrl: isString, endpoint: isString, status: oneOf('deleted'), durationMs: isNumber},
  migrations: {
    service: isString,
    stage: isString,
    server: isString,
    total: isNumber,
    current: orNull(isNumber),
    migrations: (value: unknown) =>
      Array.isArray(value) &&
      value.every(
        shaped({
          revision: isNumber,
          status: isString,
          applied: isNumber,
          rolledBack: isNumber,
          errors: isArray,
          steps: isNumber,
          startedAt: orNull(isString),
          finishedAt: orNull(isString),
          current: isBoolean,
        }),
      ),
  },
  admin: linkResult,
  playground: Object.fromEntries(Object.entries(linkResult).filter(([name]) => name !== 'version')),
  account: {id: isString, name: isString, email: isString, workspaces: isArray, sessionKeyFrom: isString},
  seed: {
    service: isString,
    stage: isString,
    source: isString,
    kind: oneOf('graphql', 'import', 'run'),
    reset: isBoolean,
    operations: isNumber,
    nodes: isNumber,
    lists: isNumber,
    relations: isNumber,
    output: shaped({stdout: isString, stderr: isString}),
  },
  reset: {service: isString, stage: isString, reset: isBoolean},
  generate: {
    schemaSource: oneOf('datamodel', 'service', 'none'),
    generated: (value: unknown) => Array.isArray(value) && value.every(shaped({generator: isString, output: isString, files: isArray})),
  },
  export: {service: isString, stage: isString, path: isString, bytes: isNumber, nodes: isNumber, lists: isNumber, relations: isNumber, files: isNumber},
  import: {service: isString, stage: isString, source: isString, nodes: isNumber, lists: isNumber, relations: isNumber, files: isNumber, chunksSent: isNumber, chunksSkipped: isNumber},
})

/** Checks a success document against README's field list and the result type, field by field. */
function assertResult(id: string, document: Record<string, unknown>) {
  const fields = documented.get(id)
  assert.ok(fields, `README documents the result of ${id}`)
  for (const name of fields.required) assert.ok(name in document, `${id}: field ${name} is there`)
  for (const name of Object.keys(document)) {
    assert.ok([...fields.required, ...fields.optional].includes(name), `${id}: field ${name} is documented in README`)
    assert.ok(resultTypes[id][name]?.(document[name]), `${id}: field ${name} has the documented type: ${JSON.stringify(document[name])}`)
  }
}

function parseOneDocument(stdout: string): Record<string, unknown> {
  const document: unknown = JSON.parse(stdout)
  assert.equal(typeof document, 'object')
  assert.ok(document !== null && !Array.isArray(document), 'the document is a JSON object')
  return document as Record<string, unknown>
}

function assertErrorDocument(document: Record<string, unknown>, exitCode: number | null) {
  assert.ok(['error', 'interrupted'].includes(document.status as string), `status: ${String(document.status)}`)
  assert.equal(typeof document.message, 'string')
  assert.ok((document.message as string).length > 0)
  assert.equal(document.exitCode, exitCode, 'exitCode in the document is the exit code of the process')
  assert.ok(errorCodes.has(document.code as string), `code ${String(document.code)} is one of src/errors.ts ErrorCode`)
}

describe('--json contract', () => {
  test('README documents the result of every command but help, with the same fields as the result types here', () => {
    for (const id of commandIds) assert.ok(documented.has(id), `README's JSON results names ${id}`)
    for (const [id, fields] of Object.entries(resultTypes)) {
      const names = [...documented.get(id)!.required, ...documented.get(id)!.optional].sort()
      assert.deepEqual(names, Object.keys(fields).sort(), `${id}: README and the result type list the same fields`)
    }

    assert.deepEqual(documented.get('error')?.required, ['status', 'code', 'message', 'exitCode'])
  })

  test('every command but help accepts --json', () => {
    assert.ok(commandIds.length >= 5)
    for (const id of commandIds) assert.ok(manifest.commands[id].flags.json, `${id} has --json`)
    assert.ok(errorCodes.size >= 10, 'the error codes are read from src/errors.ts')
  })

  for (const id of commandIds) {
    test(`${id} --json with an unknown flag: an error document with code USAGE, exit 2`, async () => {
      const result = await runCli([...id.split(':'), '--json', '--no-such-flag'], {cwd: await tempDir()})
      assert.equal(result.code, 2, result.stderr)
      const document = parseOneDocument(result.stdout)
      assertErrorDocument(document, 2)
      assert.equal(document.code, 'USAGE')
      assert.match(result.stderr, /no-such-flag/)
    })
  }

  test('cluster-token --json without any credential: NO_CREDENTIAL document, advice on stderr', async () => {
    const result = await runCli(['cluster-token', '--json'], {cwd: await tempDir()})
    assert.equal(result.code, 1)
    const document = parseOneDocument(result.stdout)
    assertErrorDocument(document, 1)
    assert.equal(document.code, 'NO_CREDENTIAL')
    assert.match(result.stderr, /PRISMA_MANAGEMENT_API_SECRET/)
  })

  test('token --json without prisma.yml: PROJECT_INVALID document', async () => {
    const result = await runCli(['token', '--json'], {cwd: await tempDir()})
    assert.equal(result.code, 1)
    const document = parseOneDocument(result.stdout)
    assertErrorDocument(document, 1)
    assert.equal(document.code, 'PROJECT_INVALID')
    assert.match(document.message as string, /prisma\.yml/)
  })

  test('deploy -j without prisma.yml: the short form gives the same error document', async () => {
    const result = await runCli(['deploy', '-j'], {cwd: await tempDir()})
    assert.equal(result.code, 1)
    const document = parseOneDocument(result.stdout)
    assertErrorDocument(document, 1)
    assert.equal(document.code, 'PROJECT_INVALID')
    assert.equal(document.service, null)
  })

  test('a duration flag that is not a duration: USAGE document naming the flag, exit 2', async () => {
    const result = await runCli(['cluster-token', '--json', '--expires-in', 'soon'], {
      cwd: await tempDir(),
      env: {PRISMA_MANAGEMENT_API_SECRET: 'contract-secret'},
    })
    assert.equal(result.code, 2)
    const document = parseOneDocument(result.stdout)
    assertErrorDocument(document, 2)
    assert.equal(document.code, 'USAGE')
    assert.match(document.message as string, /--expires-in/)
    assert.ok(!result.stdout.includes('contract-secret') && !result.stderr.includes('contract-secret'))
  })

  test('the server commands: one success document each on stdout (nothing else), exit 0', async () => {
    const server = await startManagementServer({migrationStepMs: 2})
    const cloud = await startCloudServer({sessionKeys: {'contract-key': {email: 'contract@example.com', name: 'Contract'}}})
    try {
      await addStage(server, {name: 'contract', stage: 'dev', types: userTypes})
      await addStage(server, {name: 'doomed', stage: 'dev'})
      const cwd = await writeTree({'datamodel.prisma': userTypes, 'prisma.yml': `endpoint: ${server.url}/contract/dev\ndatamodel: datamodel.prisma\n`})
      const doomed = await writeTree({'datamodel.prisma': userTypes, 'prisma.yml': `endpoint: ${server.url}/doomed/dev\ndatamodel: datamodel.prisma\n`})
      const cases: Array<{args: string[]; cwd: string; env?: Record<string, string>; keys: string[]}> = [
        {args: ['info', '--json'], cwd, keys: ['name', 'stage', 'cluster', 'httpEndpoint', 'wsEndpoint']},
        {args: ['list', '--json'], cwd, keys: ['serverUrl', 'services']},
        {args: ['migrations', '--json'], cwd, keys: ['current', 'migrations', 'server', 'service', 'stage', 'total']},
        {args: ['admin', '--json'], cwd, keys: ['opened', 'page', 'secured', 'service', 'stage', 'url', 'version']},
        {args: ['playground', '--json'], cwd, keys: ['opened', 'page', 'secured', 'service', 'stage', 'url']},
        {args: ['delete', '--force', '--json'], cwd: doomed, keys: ['durationMs', 'endpoint', 'server', 'serverUrl', 'service', 'stage', 'status']},
        {
          args: ['account', '--json'],
          cwd,
          env: {CLOUD_API_ENDPOINT: cloud.url, PRISMA_CLOUD_SESSION_KEY: 'contract-key'},
          keys: ['email', 'id', 'name', 'sessionKeyFrom', 'workspaces'],
        },
      ]
      for (const {args, cwd: dir, env, keys} of cases) {
        const result = await runCli(args, {cwd: dir, env})
        assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
        const document = parseOneDocument(result.stdout)
        assert.deepEqual(Object.keys(document).sort(), [...keys].sort(), args.join(' '))
        assertResult(args[0], document)
        assert.notEqual(document.status, 'error')
      }
    } finally {
      await server.close()
      await cloud.close()
    }
  })

  test('a server command that fails under --json: an error document with a stable code', async () => {
    const cwd = await writeTree({'prisma.yml': 'endpoint: http://127.0.0.1:9/contract/dev\n'})
    for (const [args, code] of [
      [['delete', '--json'], 'NEEDS_TERMINAL'],
      [['list', '--json'], 'SERVER_UNREACHABLE'],
      [['migrations', '--json'], 'SERVER_UNREACHABLE'],
    ] as const) {
      const result = await runCli([...args], {cwd})
      assert.equal(result.code, 1, args.join(' '))
      const document = parseOneDocument(result.stdout)
      assertErrorDocument(document, 1)
      assert.equal(document.code, code, args.join(' '))
    }
  })
})

describe('--json results: one document per command, of the type README documents', () => {
  const secret = 'contract-management-secret'
  const sessionKey = 'contract-session-key-7c1d'
  let server: ManagementServer
  let cloud: CloudServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 5})
    cloud = await startCloudServer({sessionKeys: {[sessionKey]: {email: 'grace@example.com', workspaces: [{clusters: [], slug: 'grace'}]}}})
  })
  after(async () => {
    await server.close()
    await cloud.close()
  })

  test('deploy: the deploy document, progress on stderr; a refused deploy is the same document with exit 1', async () => {
    const dir = await project(`${server.url}/contract/dev`, `${userModel}type Post {\n  id: ID! @id\n}\n`)
    const result = await runCli(['deploy', '--json'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    const document = parseOneDocument(result.stdout)
    assertResult('deploy', document)
    assert.equal(document.status, 'deployed')
    assert.equal(document.created, true)
    assert.deepEqual(document.endpoints, {http: `${server.url}/contract/dev`, ws: `${server.url.replace(/^http/, 'ws')}/contract/dev`})
    assert.match(result.stderr, /Creating stage dev for service contract/)

    // deleting a model that holds rows needs --force: refused, exit 1, still the deploy document
    server.setModelHasData('contract', 'dev', 'Post', true)
    const refused = await runCli(['deploy', '-j'], {cwd: await project(`${server.url}/contract/dev`)})
    assert.equal(refused.code, 1, refused.stderr)
    const refusal = parseOneDocument(refused.stdout)
    assertResult('deploy', refusal)
    assert.equal(refusal.status, 'warnings')
    assert.match(refusal.message as string, /--force/)
  })

  test('login --key: the login result; a rejected key is an AUTH_FAILED document', async () => {
    const home = await tempDir('home-')
    const env = {CLOUD_API_ENDPOINT: cloud.url, HOME: home}
    const result = await runCli(['login', '--json', '--key', sessionKey], {env})
    assert.equal(result.code, 0, result.stderr)
    const document = parseOneDocument(result.stdout)
    assertResult('login', document)
    assert.deepEqual(
      {email: document.email, method: document.method, verified: document.verified},
      {email: 'grace@example.com', method: 'key', verified: true},
    )
    assert.equal(document.sessionKeyFrom, join(home, '.prisma', 'config.yml'))
    assert.ok(!result.stdout.includes(sessionKey), 'the session key is not in the document')

    const again = parseOneDocument((await runCli(['login', '--json'], {env})).stdout)
    assertResult('login', again)
    assert.equal(again.method, 'existing')

    const rejected = await runCli(['login', '--json', '--key', 'not-a-key'], {env})
    assert.equal(rejected.code, 1)
    const failure = parseOneDocument(rejected.stdout)
    assertErrorDocument(failure, 1)
    assert.equal(failure.code, 'AUTH_FAILED')
  })

  test('logout: {loggedOut, removed, sessionKeyInEnvironment}; an unreadable config.yml is CONFIG_INVALID', async () => {
    const home = await tempDir('home-')
    await mkdir(join(home, '.prisma'))
    await writeFile(join(home, '.prisma', 'config.yml'), `cloudSessionKey: ${sessionKey}\n`)
    const result = await runCli(['logout', '--json'], {env: {HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    const document = parseOneDocument(result.stdout)
    assertResult('logout', document)
    assert.deepEqual(document, {loggedOut: true, removed: true, sessionKeyInEnvironment: false})
    assert.equal(result.stderr, '')

    await writeFile(join(home, '.prisma', 'config.yml'), 'clusters: [\n')
    const broken = await runCli(['logout', '--json'], {env: {HOME: home}})
    assert.equal(broken.code, 1)
    const failure = parseOneDocument(broken.stdout)
    assertErrorDocument(failure, 1)
    assert.equal(failure.code, 'CONFIG_INVALID')
  })

  test('token: the token document; without a secret in prisma.yml a NO_CREDENTIAL document', async () => {
    const dir = await writeTree({'datamodel.prisma': 'type User {\n  id: ID! @id\n}\n', 'prisma.yml': 'endpoint: http://localhost:4466/svc/dev\ndatamodel: datamodel.prisma\nsecret: contract-service-secret\n'})
    const result = await runCli(['token', '--json', '--expires-in', '2h'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    const document = parseOneDocument(result.stdout)
    assertResult('token', document)
    const {payload} = verifyJwt(document.token as string, {secret: 'contract-service-secret'})
    assert.equal(document.service, 'svc@dev')
    assert.equal(document.expiresInSeconds, 7200)
    assert.equal(document.expiresAt, new Date((payload.exp as number) * 1000).toISOString())

    const noSecret = await writeTree({'datamodel.prisma': 'type User {\n  id: ID! @id\n}\n', 'prisma.yml': 'endpoint: http://localhost:4466/svc/dev\ndatamodel: datamodel.prisma\n'})
    const failed = await runCli(['token', '--json'], {cwd: noSecret})
    assert.equal(failed.code, 1)
    const failure = parseOneDocument(failed.stdout)
    assertErrorDocument(failure, 1)
    assert.equal(failure.code, 'NO_CREDENTIAL')
  })

  test('cluster-token: the token document; under --copy the token is not in it', async () => {
    const result = await runCli(['cluster-token', '--json', '--target', 'svc/dev', '--action', 'deploy'], {env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
    assert.equal(result.code, 0, result.stderr)
    const document = parseOneDocument(result.stdout)
    assertResult('cluster-token', document)
    const {payload} = verifyJwt(document.token as string, {secret})
    assert.deepEqual(document.grants, [{action: 'deploy', target: 'svc/dev'}])
    assert.deepEqual([document.iat, document.exp], [payload.iat, payload.exp])
    assert.equal(document.expiresInSeconds, 3600)
    assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret))

    const bin = await tempDir('bin-')
    await writeFile(join(bin, 'xclip'), '#!/bin/sh\ncat > /dev/null\n')
    await chmod(join(bin, 'xclip'), 0o755)
    const copied = await runCli(['cluster-token', '--json', '--copy'], {
      env: {DISPLAY: ':99', PATH: `${bin}:${process.env.PATH}`, PRISMA_MANAGEMENT_API_SECRET: secret, WAYLAND_DISPLAY: undefined},
    })
    assert.equal(copied.code, 0, copied.stderr)
    const copiedDocument = parseOneDocument(copied.stdout)
    assertResult('cluster-token', copiedDocument)
    assert.equal(copiedDocument.copied, true)
    assert.equal(copiedDocument.token, undefined)
    assert.match(copied.stderr, /Token copied to clipboard/)
  })

  test('--action without --target is a USAGE document (a flag relationship), exit 2', async () => {
    const result = await runCli(['cluster-token', '--json', '--action', 'deploy'], {env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
    assert.equal(result.code, 2)
    const failure = parseOneDocument(result.stdout)
    assertErrorDocument(failure, 2)
    assert.equal(failure.code, 'USAGE')
    assert.match(failure.message as string, /--target/)
  })

  test('deploy --json --new never asks: NEEDS_TERMINAL document naming what to do instead', async () => {
    const dir = await project(`${server.url}/contract/dev`)
    const result = await runCli(['deploy', '--json', '--new'], {cwd: dir})
    assert.equal(result.code, 1)
    const failure = parseOneDocument(result.stdout)
    assertErrorDocument(failure, 1)
    assert.equal(failure.code, 'NEEDS_TERMINAL')
    assert.match(failure.message as string, /endpoint:/)
  })
})

describe('--json results of the data commands', () => {
  test('seed, export, reset and import: one document each, of the documented type', async () => {
    const server = await startManagementServer({migrationStepMs: 1})
    try {
      const dir = await deployed(await dataProject(`${server.url}/data/dev`, 'secret: abc\nseed:\n  import: seed.graphql\n', {'seed.graphql': shopSeed}))
      const documents: Record<string, Record<string, unknown>> = {}
      for (const args of [['generate'], ['seed', '--reset'], ['export', '--path', 'data.zip'], ['reset', '--force'], ['import', '--data', 'data.zip']]) {
        const result = await runCli([...args, '--json'], {cwd: dir})
        assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
        documents[args[0]] = parseOneDocument(result.stdout)
        assertResult(args[0], documents[args[0]])
      }

      assert.equal(documents.generate.schemaSource, 'none', 'a project without generate: generates nothing')
      assert.equal(documents.seed.operations, 2)
      assert.ok((documents.export.nodes as number) > 0)
      assert.equal(documents.reset.reset, true)
      assert.equal(documents.import.nodes, documents.export.nodes, 'the import brings back what the export wrote')
    } finally {
      await server.close()
    }
  })
})
