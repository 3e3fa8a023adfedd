// The --json contract every command keeps: one JSON document on stdout, success or failure, of the command's schema
// in schemas/ (or schemas/error.json); human text on stderr.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {chmod, mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {dataProject, deployed, shopSeed} from '../data/fixtures.js'
import {project, userModel} from '../deploy/fixtures.js'
import {binPath, cliEnvironment, repoRoot, runCli, tempDir, writeTree, type CliResult} from '../helpers/cli.js'
import {assertJsonContract, assertMatchesSchema, jsonRun, schemaProblems, schemasDir, schemaValidators} from '../helpers/json-schema.js'
import {addStage, userTypes} from '../services/stand-in-setup.js'
import {startCloudServer, type CloudServer} from '../stand-in/cloud-api.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {verifyJwt} from '../tokens/verifier.js'

const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, {flags: Record<string, {char?: string}>; hidden?: boolean}>
}
const commandIds = Object.keys(manifest.commands).filter((id) => id !== 'help')
const errorCodes = [...readFileSync(join(repoRoot, 'src', 'errors.ts'), 'utf8').matchAll(/^\s+\| '([A-Z_]+)'$/gm)].map((match) => match[1])

/**
 * Fields a result may leave out; every other field of a document the CLI printed must be required by its schema.
 * Written from the result types (`?` and `copied?: never` in src/), independently of schemas/.
 */
const optionalFields: Record<string, string[]> = {
  admin: ['version'],
  'cluster-token': ['token', 'copied'],
  deploy: ['message', 'notGenerated'],
  info: ['workspace', 'secret'],
  login: ['email', 'unverifiedReason', 'unreachable'],
  seed: ['output'],
  token: ['token', 'copied'],
}

/** A value of another JSON type than `value`, of none a field of a result allows besides its own. */
function mistyped(value: unknown): unknown {
  if (value === null) return []
  if (typeof value === 'string') return 42
  if (typeof value === 'number') return String(value)
  if (typeof value === 'boolean') return 'yes'
  return 'text'
}

/**
 * Checks a success document against schemas/<id>.json, and that the schema is strict about it: without any field
 * the result type always has, with any field of another type, or with a field no result has, it fails.
 */
function assertResult(id: string, document: Record<string, unknown>) {
  assertMatchesSchema(id, document)
  for (const name of Object.keys(document)) {
    const {[name]: value, ...without} = document
    if (!optionalFields[id]?.includes(name)) assert.notDeepEqual(schemaProblems(id, without), [], `schemas/${id}.json requires ${name}`)
    assert.notDeepEqual(schemaProblems(id, {...document, [name]: mistyped(value)}), [], `schemas/${id}.json checks the type of ${name}`)
  }
  assert.notDeepEqual(schemaProblems(id, {...document, undocumented: 1}), [], `schemas/${id}.json is closed`)
}

function parseOneDocument(stdout: string): Record<string, unknown> {
  const document: unknown = JSON.parse(stdout)
  assert.equal(typeof document, 'object')
  assert.ok(document !== null && !Array.isArray(document), 'the document is a JSON object')
  return document as Record<string, unknown>
}

function assertErrorDocument(document: Record<string, unknown>, exitCode: number | null) {
  assertMatchesSchema('error', document)
  assert.equal(document.exitCode, exitCode, 'exitCode in the document is the exit code of the process')
  for (const name of ['status', 'code', 'message', 'exitCode']) {
    const {[name]: value, ...without} = document
    assert.notDeepEqual(schemaProblems('error', without), [], `schemas/error.json requires ${name}`)
    assert.notDeepEqual(schemaProblems('error', {...document, [name]: mistyped(value)}), [], `schemas/error.json checks the type of ${name}`)
  }
}

describe('--json contract', () => {
  test('schemas/ holds one schema per command but help, and error.json; each a draft 2020-12 schema named by its $id', () => {
    const files = readdirSync(schemasDir).filter((file) => file.endsWith('.json')).sort()
    assert.deepEqual(files, [...commandIds, 'error'].map((id) => `${id}.json`).sort(), 'a schema for each command of the manifest, and none for a command that is gone')
    for (const file of files) {
      const schema = JSON.parse(readFileSync(join(schemasDir, file), 'utf8')) as Record<string, unknown>
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema', file)
      assert.equal(schema.$id, file)
      assert.equal(typeof schema.title, 'string', `${file} has a title`)
      if (file !== 'error.json') assert.equal(schema.additionalProperties, false, `${file}: a result's shape is closed`)
    }
    assert.equal(schemaValidators().size, files.length, 'every schema compiles (Ajv, strict mode)')
  })

  test('the codes of the error document are exactly ErrorCode of src/errors.ts', () => {
    const schema = JSON.parse(readFileSync(join(schemasDir, 'error.json'), 'utf8')) as {properties: {code: {enum: string[]}}}
    assert.ok(errorCodes.length >= 10, 'the error codes are read from src/errors.ts')
    assert.deepEqual([...schema.properties.code.enum].sort(), [...errorCodes].sort())
  })

  test('README links the schemas', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
    for (const id of [...commandIds, 'error']) assert.ok(readme.includes(`](schemas/${id}.json)`), `README links schemas/${id}.json`)
  })

  test('every command but help accepts --json', () => {
    assert.ok(commandIds.length >= 5)
    for (const id of commandIds) assert.ok(manifest.commands[id].flags.json, `${id} has --json`)
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

describe('--json results: one document per command, of its schema', () => {
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
  test('generate, seed, export, reset and import: one document each, of its schema', async () => {
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

  test('Ctrl-C under --json: the error document with status interrupted, code INTERRUPTED, exit 130', async () => {
    const server = await startManagementServer({migrationStepMs: 1})
    try {
      const dir = await deployed(await dataProject(`${server.url}/intr/dev`))
      const exportRequests = () => server.requests.filter((request) => request.path === '/intr/dev/export').length
      server.fault('hang', 1)
      const args = ['export', '--json', '-p', 'cut.zip']
      const {env} = await cliEnvironment()
      const result = await new Promise<CliResult>((resolve, reject) => {
        const child = spawn(process.execPath, [binPath, ...args], {cwd: dir, env})
        let stdout = ''
        let stderr = ''
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
        const poll = setInterval(() => exportRequests() > 0 && child.kill('SIGINT'), 20)
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
        child.on('error', reject)
        child.on('close', (code, signal) => {
          clearInterval(poll)
          clearTimeout(timer)
          resolve({code, signal, stderr, stdout})
        })
      })
      assert.equal(result.code, 130, result.stderr)
      assertJsonContract(args, result)
      const document = parseOneDocument(result.stdout)
      assertErrorDocument(document, 130)
      assert.deepEqual([document.status, document.code], ['interrupted', 'INTERRUPTED'])
    } finally {
      server.fault(null)
      await server.close()
    }
  })
})

describe('the contract check of runCli', () => {
  test('finds the command and its --json (or -j) in the arguments', () => {
    assert.equal(jsonRun(['deploy', '-j']), 'deploy')
    assert.equal(jsonRun(['ls', '--json']), 'list', 'an alias')
    assert.equal(jsonRun(['cluster-token', '--expires-in', '2h', '--json']), 'cluster-token')
    assert.equal(jsonRun(['deploy']), undefined)
    assert.equal(jsonRun(['cluster-token', '-j']), undefined, 'cluster-token has no -j')
    assert.equal(jsonRun(['seed', '--', '--json']), undefined, 'after --')
    assert.equal(jsonRun(['--version', '--json']), undefined)
  })

  test('fails on stdout that is not one document, on a result off its schema, and on an exit code the error document does not state', () => {
    const ok = {name: 'svc', stage: 'dev', cluster: 'local', httpEndpoint: 'http://localhost:4466/svc/dev', wsEndpoint: 'ws://localhost:4466/svc/dev'}
    assert.doesNotThrow(() => assertJsonContract(['info', '--json'], {code: 0, stderr: '', stdout: JSON.stringify(ok)}))
    assert.throws(() => assertJsonContract(['info', '--json'], {code: 0, stderr: '', stdout: `${JSON.stringify(ok)}\nmore`}), /not one JSON document/)
    assert.throws(() => assertJsonContract(['info', '--json'], {code: 0, stderr: '', stdout: JSON.stringify({...ok, cluster: 1})}), /schemas\/info\.json/)
    const failure = {status: 'error', code: 'PROJECT_INVALID', message: 'prisma.yml is broken', exitCode: 1}
    assert.doesNotThrow(() => assertJsonContract(['info', '--json'], {code: 1, stderr: '', stdout: JSON.stringify(failure)}))
    assert.throws(() => assertJsonContract(['info', '--json'], {code: 2, stderr: '', stdout: JSON.stringify(failure)}), /exitCode/)
    assert.throws(() => assertJsonContract(['info', '--json'], {code: 1, stderr: '', stdout: JSON.stringify({...failure, code: 'OOPS'})}), /schemas\/error\.json/)
    assert.doesNotThrow(() => assertJsonContract(['info', '--json'], {code: null, stderr: '', stdout: ''}), 'a killed process is not judged')
  })
})
