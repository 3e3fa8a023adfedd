import assert from 'node:assert/strict'
import {describe, test, type TestContext} from 'node:test'

import {buildSchema, parse, validate} from 'graphql'

import {ManagementClient} from '../../src/management-api/client.js'
import {
  addProjectMutation,
  deployMutation,
  deployProbeQuery,
  featuresQuery,
  listMigrationsQuery,
  migrationStatusQuery,
  projectQuery,
  serverInfoQuery,
} from '../../src/management-api/documents.js'
import {detectFeatures, type ServerFeatures} from '../../src/management-api/features.js'
import {type Answer, scriptedServer} from '../http/servers.js'
import {managementSdl} from '../stand-in/schema-sdl.js'

/** What a 1.34 server supports. */
const latestFeatures: ServerFeatures = {force: true, noMigration: true, payloadSteps: true, relationManifestations: true}

const introspection = {
  createRelation: {fields: [{name: 'name'}, {name: 'after'}]},
  deployInput: {inputFields: [{name: 'name'}, {name: 'force'}, {name: 'noMigration'}]},
  deployPayload: {fields: [{name: 'errors'}, {name: 'steps'}]},
}

type Script = Parameters<typeof scriptedServer>[0]

/** A ManagementClient of a local server that answers from `script`, and what that server was sent. */
async function scripted(t: TestContext, script: Script, extra: Partial<ConstructorParameters<typeof ManagementClient>[0]> = {}) {
  const server = await scriptedServer(script)
  t.after(() => server.close())
  const management = new ManagementClient({env: {}, serverName: 'local', url: `${server.url}/management`, ...extra})
  return {base: server.url, management, sent: server.sent}
}

describe('documents are valid against the server schema', () => {
  for (const profile of ['1.34', 'pre-1.5'] as const) {
    test(`profile ${profile}`, () => {
      const schema = buildSchema(managementSdl(profile))
      const modern = profile === '1.34'
      const documents = {
        addProjectMutation,
        deployProbeQuery,
        featuresQuery,
        listMigrationsQuery,
        migrationStatusQuery,
        projectQuery,
        serverInfoQuery,
        deploy: deployMutation({force: modern, noMigration: modern, payloadSteps: modern, relationManifestations: modern}),
        deployWithoutNoMigration: deployMutation({force: modern, noMigration: false, payloadSteps: modern, relationManifestations: modern}),
      }
      for (const [name, document] of Object.entries(documents)) {
        assert.deepEqual(validate(schema, parse(document)).map((error) => error.message), [], name)
      }
    })
  }
})

describe('feature detection', () => {
  test('reads the four features from three introspected types', () => {
    assert.deepEqual(detectFeatures(introspection), latestFeatures)
    assert.deepEqual(detectFeatures({createRelation: {fields: [{name: 'name'}]}, deployInput: {inputFields: [{name: 'name'}]}, deployPayload: {fields: []}}), {
      force: false,
      noMigration: false,
      payloadSteps: false,
      relationManifestations: false,
    })
  })
})

describe('ManagementClient', () => {
  test('probe: one request tells version, existence and features, with the token', async (t) => {
    const {management, sent} = await scripted(t, [{body: {data: {...introspection, migrations: [{revision: 3, status: 'SUCCESS'}, {revision: 2, status: 'SUCCESS'}], serverInfo: {version: '1.34.12'}}}}], {token: 'tok'})
    const result = await management.probe('svc', 'dev')
    assert.deepEqual(result, {exists: true, features: latestFeatures, revision: 3, version: '1.34.12'})
    assert.equal(sent.length, 1)
    assert.equal(sent[0].authorization, 'Bearer tok')
    assert.deepEqual(sent[0].variables, {name: 'svc', stage: 'dev'})
  })

  test('probe: an empty migration list means the stage does not exist', async (t) => {
    const {management} = await scripted(t, [{body: {data: {...introspection, migrations: [], serverInfo: {version: '1.34.12'}}}}])
    assert.equal((await management.probe('svc', 'dev')).exists, false)
  })

  test('probe: servers that reject the combined query get the separate requests', async (t) => {
    const {management, sent} = await scripted(t, [
      {body: {data: null, errors: [{message: "Cannot query field 'serverInfo' on type 'Query'."}]}},
      {body: {data: {createRelation: {fields: [{name: 'name'}]}, deployInput: {inputFields: [{name: 'name'}]}, deployPayload: {fields: [{name: 'errors'}]}}}},
      {body: {data: null, errors: [{code: 4000, message: "No service with name 'svc' and stage 'dev' found"}]}},
      {body: {data: null, errors: [{message: "Cannot query field 'serverInfo' on type 'Query'."}]}},
    ])
    const result = await management.probe('svc', 'dev')
    assert.deepEqual(result, {exists: false, features: {force: false, noMigration: false, payloadSteps: false, relationManifestations: false}, version: undefined})
    assert.equal(sent.length, 4)
  })

  test('switches to /cluster when the server says management$default does not exist, and stays there', async (t) => {
    const {base, management, sent} = await scripted(t, [
      {body: {errors: [{code: 3016, message: "Project not found: 'management$default'"}]}},
      {body: {data: {...introspection, migrations: [], serverInfo: {version: '1.7.4'}}}},
      {body: {data: {migrationStatus: {applied: 0, errors: [], revision: 1, rolledBack: 0, status: 'SUCCESS'}}}},
    ])
    await management.probe('svc', 'dev')
    await management.migrationStatus('svc', 'dev')
    assert.deepEqual(sent.map((entry) => entry.url), [`${base}/management`, `${base}/cluster`, `${base}/cluster`])
  })

  test('switches to /cluster on "HTTP method not allowed"', async (t) => {
    const {base, management, sent} = await scripted(t, [
      {body: 'HTTP method not allowed, supported methods: GET', status: 405},
      {body: {data: {serverInfo: {version: '1.4.0'}}}},
    ])
    assert.equal(await management.serverVersion(), '1.4.0')
    assert.equal(sent[1].url, `${base}/cluster`)
  })

  test('3015 without a token: names PRISMA_MANAGEMENT_API_SECRET', async (t) => {
    const {management} = await scripted(t, [{body: {data: null, errors: [{code: 3015, message: "Authentication token is invalid: 'Authorization' header not provided"}]}}])
    await assert.rejects(management.probe('svc', 'dev'), /Server at local requires the Management API secret\. Please set the PRISMA_MANAGEMENT_API_SECRET/)
  })

  test('3015 with a token from the secret: says it is set incorrectly, never repeats the token', async (t) => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJncmFudHMiOltdfQ.c2lnbmF0dXJl'
    const {management} = await scripted(
      t,
      [{body: {data: null, errors: [{code: 3015, message: `Authentication token is invalid: Token can't be decoded: Expected token [${token}] to be composed of 2 or 3 parts separated by dots.`}]}}],
      {secretFromEnv: true, token},
    )
    const error = await management.probe('svc', 'dev').then(
      () => assert.fail('resolved'),
      (error_: Error) => error_,
    )
    assert.match(error.message, /PRISMA_MANAGEMENT_API_SECRET\s+environment variable is set incorrectly/)
    assert.ok(!error.message.includes(token))
    assert.match(error.message, /\[token\]/)
  })

  test('an expired token is named as such', async (t) => {
    const {management} = await scripted(
      t,
      [{body: {data: null, errors: [{code: 3015, message: "Authentication token is invalid: Token can't be decoded: The token is expired since 2020-01-01T00:00:00Z"}]}}],
      {credential: 'a Prisma Cloud cluster token', token: 'abc.def.ghi'},
    )
    await assert.rejects(
      management.probe('svc', 'dev'),
      /token for local has expired \(.*expired since 2020-01-01T00:00:00Z\).*a Prisma Cloud cluster token/s,
    )
    const old = await scripted(t, [{body: {data: null, errors: [{code: 3016, message: 'Authentication token is expired'}]}}], {secretFromEnv: true, token: 'x.y.z'})
    await assert.rejects(old.management.probe('svc', 'dev'), /has expired/)
  })

  test('connection resets are retried on queries but never on mutations', async (t) => {
    const query = await scripted(t, ['reset', 'reset', {body: {data: {migrationStatus: {applied: 1, errors: [], revision: 2, rolledBack: 0, status: 'SUCCESS'}}}}])
    const status = await query.management.migrationStatus('svc', 'dev')
    assert.equal(status.applied, 1)
    assert.equal(query.sent.length, 3)

    const mutation = await scripted(t, ['reset', {body: {data: {addProject: {project: {name: 'svc'}}}}}])
    await assert.rejects(mutation.management.addProject('svc', 'dev', null), /closed the connection before answering/)
    assert.equal(mutation.sent.length, 1)
  })

  test('"too many concurrent queries" (1004) is retried with backoff, then reported clearly', async (t) => {
    const throttled: Answer = {body: {errors: [{code: 1004, message: 'There are too many concurrent queries for this service.'}]}}
    const recovers = await scripted(t, [throttled, {body: {data: {serverInfo: {version: '1.34.0'}}}}])
    assert.equal(await recovers.management.serverVersion(), '1.34.0')
    assert.equal(recovers.sent.length, 2)

    const never = await scripted(t, () => throttled)
    await assert.rejects(never.management.serverVersion(), /throttling requests .*code 1004.* kept refusing/s)
    assert.equal(never.sent.length, 5)
  })

  test('deploy: sends secrets always, dryRun/force only when set, and falls back when force is unknown', async (t) => {
    const {management, sent} = await scripted(t, [
      {body: {data: null, errors: [{message: "Field 'force' is not defined in the input type 'DeployInput'. (line 2, column 98):"}]}},
      {body: {data: {deploy: {errors: [], migration: {revision: 2, steps: [{name: 'User', type: 'CreateModel'}]}}}}},
    ])
    const payload = await management.deploy(
      {force: true, name: 'svc', secrets: null, stage: 'dev', subscriptions: [], types: 'type User { id: ID! @id }'},
      {force: true, noMigration: false, payloadSteps: false, relationManifestations: false},
    )
    assert.equal(sent.length, 2)
    assert.deepEqual(sent[0].variables, {force: true, name: 'svc', secrets: null, stage: 'dev', subscriptions: [], types: 'type User { id: ID! @id }'})
    assert.match(sent[0].query, /force: \$force/)
    assert.doesNotMatch(sent[1].query, /force|warnings/)
    assert.ok(!('force' in sent[1].variables) && !('dryRun' in sent[1].variables))
    assert.deepEqual(payload.warnings, [])
    assert.equal(payload.migration?.revision, 2)
  })
})
