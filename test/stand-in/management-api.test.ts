import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'

import jwt from 'jsonwebtoken'

import {startManagementServer, type ManagementServer} from './management-server.js'
import {ADD_PROJECT, DEPLOY, gql, MIGRATION_STATUS, post, waitFor} from './test-helpers.js'

describe('transport', () => {
  let server: ManagementServer
  let mgmt: string
  before(async () => {
    server = await startManagementServer()
    mgmt = `${server.url}/management`
  })
  after(() => server.close())

  test('success has data and no errors key; Request-Id header', async () => {
    const answer = await gql(mgmt, '{ serverInfo { version commit primaryConnector } }')
    assert.equal(answer.status, 200)
    assert.deepEqual(Object.keys(answer.body), ['data'])
    assert.equal(answer.body.data.serverInfo.version, '1.34.12')
    assert.equal(answer.body.data.serverInfo.primaryConnector, 'postgres')
    assert.match(answer.headers.get('request-id') ?? '', /^local:c[a-z0-9]+$/)
  })

  test('management errors: HTTP 200, top-level code and requestId equal to the header, data null for queries', async () => {
    const answer = await gql(mgmt, '{ project(name: "nope", stage: "dev") { name } }')
    assert.equal(answer.status, 200)
    assert.equal(answer.body.data, null)
    const [error] = answer.body.errors
    assert.equal(error.code, 4000)
    assert.equal(error.message, "No service with name 'nope' and stage 'dev' found")
    assert.deepEqual(error.path, ['project'])
    assert.equal(error.requestId, answer.headers.get('request-id'))
    assert.equal(error.extensions, undefined)
  })

  test('failed mutations null only their field', async () => {
    const answer = await gql(mgmt, 'mutation { deploy(input: {name: "nope", stage: "dev", types: ""}) { errors { description } } }')
    assert.deepEqual(answer.body.data, {deploy: null})
    assert.equal(answer.body.errors[0].code, 4000)
  })

  test('validation errors carry no code and use sangria wording for unknown fields', async () => {
    const answer = await gql(mgmt, '{ foo }')
    assert.equal(answer.status, 200)
    assert.equal(answer.body.data, null)
    assert.match(answer.body.errors[0].message, /^Cannot query field 'foo' on type 'Query'\. \(line 1, column 3\):\n\{ foo \}\n {2}\^$/)
    assert.equal(answer.body.errors[0].code, undefined)
  })

  test('GET answers the playground, /status answers "OK"', async () => {
    const page = await fetch(`${server.url}/management`)
    assert.equal(page.status, 200)
    assert.match(page.headers.get('content-type') ?? '', /text\/html/)
    assert.match(await page.text(), /Playground/)
    const admin = await fetch(`${server.url}/svc/dev/_admin`)
    assert.match(await admin.text(), /Prisma Admin/)
    const status = await fetch(`${server.url}/status`)
    assert.equal(await status.text(), '"OK"')
    assert.match(status.headers.get('content-type') ?? '', /application\/json/)
  })

  test('failures outside GraphQL execution', async () => {
    const badJson = await post(mgmt, '{"query": ')
    assert.equal(badJson.status, 400)
    assert.match(String(badJson.body), /^The request content was malformed/)
    const wrongType = await fetch(mgmt, {method: 'POST', headers: {'content-type': 'text/plain'}, body: '{}'})
    assert.equal(wrongType.status, 415)
    const number = await post(mgmt, '42')
    assert.equal(number.status, 500)
    assert.equal(number.body.errors[0].message, 'request malformed')
    const noQuery = await post(mgmt, {variables: {}})
    assert.equal(noQuery.status, 500)
    assert.match(noQuery.body.errors[0].message, /^Syntax error while parsing GraphQL query\./)
    assert.ok(noQuery.body.errors[0].requestId)
    const badVariables = await post(mgmt, {query: '{ serverInfo { version } }', variables: [1]})
    assert.equal(badVariables.status, 500)
    const put = await fetch(mgmt, {method: 'PUT', body: '{}'})
    assert.equal(put.status, 405)
    assert.match(await put.text(), /HTTP method not allowed/)
  })

  test('batches answer arrays in order', async () => {
    const answer = await post(mgmt, [{query: '{ serverInfo { version } }'}, {query: '{ listProjects { name } }'}])
    assert.equal(answer.status, 200)
    assert.equal(answer.body.length, 2)
    assert.equal(answer.body[0].data.serverInfo.version, '1.34.12')
    assert.deepEqual(answer.body[1].data.listProjects, [])
  })

  test('CORS: origin echoed with credentials; preflight answered', async () => {
    const answer = await post(mgmt, {query: '{ serverInfo { version } }'}, {origin: 'http://example.test'})
    assert.equal(answer.headers.get('access-control-allow-origin'), 'http://example.test')
    assert.equal(answer.headers.get('access-control-allow-credentials'), 'true')
    const preflight = await fetch(mgmt, {
      method: 'OPTIONS',
      headers: {origin: 'http://example.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization'},
    })
    assert.equal(preflight.status, 200)
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/)
  })

  test('records requests with operation, variables and headers', async () => {
    const from = server.requests.length
    await gql(mgmt, 'query Probe($n: String!, $s: String!) { listMigrations(name: $n, stage: $s) { revision } }', {n: 'a', s: 'b'}, 'tok')
    const [recorded] = server.requests.slice(from)
    assert.equal(recorded.method, 'POST')
    assert.equal(recorded.path, '/management')
    assert.equal(recorded.operationName, 'Probe')
    assert.deepEqual(recorded.variables, {n: 'a', s: 'b'})
    assert.equal(recorded.headers.authorization, 'Bearer tok')
    assert.equal(typeof recorded.at, 'number')
  })

  test('faults make the next N requests misbehave, then the server recovers', async () => {
    server.fault('html', 2)
    for (let i = 0; i < 2; i++) {
      const r = await fetch(mgmt, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"query":"{ serverInfo { version } }"}'})
      assert.match(r.headers.get('content-type') ?? '', /text\/html/)
      await r.text()
    }
    server.fault('http-500')
    assert.equal((await post(mgmt, {query: '{ serverInfo { version } }'})).status, 500)
    server.fault('not-json')
    const notJson = await post(mgmt, {query: '{ serverInfo { version } }'})
    assert.equal(typeof notJson.body, 'string')
    server.fault('close-connection')
    await assert.rejects(fetch(mgmt, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"query":"{ serverInfo { version } }"}'}))
    server.fault('hang')
    await assert.rejects(
      fetch(mgmt, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"query":"{ serverInfo { version } }"}', signal: AbortSignal.timeout(200)}),
    )
    server.fault('huge-response')
    const huge = await fetch(mgmt, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"query":"{ serverInfo { version } }"}'})
    assert.ok((await huge.arrayBuffer()).byteLength > 32 * 1024 * 1024)
    const ok = await gql(mgmt, '{ serverInfo { version } }')
    assert.equal(ok.body.data.serverInfo.version, '1.34.12')
  })
})

describe('projects', () => {
  let server: ManagementServer
  let mgmt: string
  before(async () => {
    server = await startManagementServer({migrationStepMs: 2})
    mgmt = `${server.url}/management`
  })
  after(() => server.close())

  test('addProject creates revision 1 and echoes clientMutationId', async () => {
    const answer = await gql(mgmt, ADD_PROJECT, {name: 'shop', stage: 'dev', secrets: null})
    assert.deepEqual(answer.body, {data: {addProject: {project: {name: 'shop', stage: 'dev', datamodel: ''}, clientMutationId: 'm1'}}})
    const status = await gql(mgmt, MIGRATION_STATUS, {name: 'shop', stage: 'dev'})
    assert.deepEqual(status.body.data.migrationStatus, {projectId: 'shop$dev', revision: 1, status: 'SUCCESS', applied: 0, rolledBack: 0, errors: []})
    assert.deepEqual(server.project('shop', 'dev'), {secrets: [], subscriptions: [], datamodel: '', revision: 1})
  })

  test('addProject refuses existing, reserved and invalid names with the server codes', async () => {
    const codeOf = async (name: string, stage: string) => {
      const answer = await gql(mgmt, ADD_PROJECT, {name, stage})
      assert.deepEqual(answer.body.data, {addProject: null})
      return [answer.body.errors[0].code, answer.body.errors[0].message]
    }
    assert.deepEqual(await codeOf('shop', 'dev'), [4005, "Service with name 'shop' and stage 'dev' already exists"])
    assert.deepEqual(await codeOf('management', 'dev'), [4006, 'Service name management is reserved. Please choose a different name.'])
    assert.deepEqual(await codeOf('shop', 'import'), [4007, 'Stage name import is reserved. Please choose a different stage name.'])
    assert.equal((await codeOf('1shop', 'dev'))[0], 4001)
    assert.equal((await codeOf('shop', 'dev.1'))[0], 4002)
    assert.equal((await codeOf('shop', 'a'.repeat(31)))[0], 4002)
    const workspace = await gql(mgmt, ADD_PROJECT, {name: 'ws~shop', stage: 'dev'})
    assert.equal(workspace.body.data.addProject.project.name, 'ws~shop')
  })

  test('listProjects, project, listMigrations, deleteProject', async () => {
    const list = await gql(mgmt, '{ listProjects { name stage } }')
    assert.ok(list.body.data.listProjects.some((p: {name: string}) => p.name === 'shop'))
    assert.deepEqual((await gql(mgmt, '{ listMigrations(name: "unknown", stage: "x") { revision } }')).body, {data: {listMigrations: []}})
    await gql(mgmt, ADD_PROJECT, {name: 'gone', stage: 'dev'})
    const deleted = await gql(mgmt, 'mutation { deleteProject(input: {name: "gone", stage: "dev", clientMutationId: "x"}) { project { name stage } clientMutationId } }')
    assert.deepEqual(deleted.body, {data: {deleteProject: {project: {name: 'gone', stage: 'dev'}, clientMutationId: 'x'}}})
    assert.equal((await gql(mgmt, '{ project(name: "gone", stage: "dev") { name } }')).body.errors[0].code, 4000)
    const again = await gql(mgmt, 'mutation { deleteProject(input: {name: "gone", stage: "dev"}) { clientMutationId } }')
    assert.equal(again.body.errors[0].code, 4000)
    assert.equal((await gql(mgmt, MIGRATION_STATUS, {name: 'gone', stage: 'dev'})).body.errors[0].code, 4000)
  })

  test('setCloudSecret answers its clientMutationId', async () => {
    const answer = await gql(mgmt, 'mutation { setCloudSecret(input: {secret: "x", clientMutationId: "c"}) { clientMutationId } }')
    assert.deepEqual(answer.body, {data: {setCloudSecret: {clientMutationId: 'c'}}})
  })

  test('generateProjectToken: empty without secrets, an HS256 day token with the first secret', async () => {
    await gql(mgmt, ADD_PROJECT, {name: 'tokens', stage: 'dev', secrets: ['first', 'second']})
    const none = await gql(mgmt, '{ generateProjectToken(name: "shop", stage: "dev") }')
    assert.equal(none.body.data.generateProjectToken, '')
    const answer = await gql(mgmt, '{ generateProjectToken(name: "tokens", stage: "dev") }')
    const token: string = answer.body.data.generateProjectToken
    const {header, payload} = jwt.verify(token, 'first', {algorithms: ['HS256'], complete: true})
    assert.ok(typeof payload === 'object')
    assert.deepEqual(header, {typ: 'JWT', alg: 'HS256'})
    assert.deepEqual(Object.keys(payload).sort(), ['exp', 'nbf'])
    assert.equal(payload.exp! - payload.nbf!, 86400)
    assert.equal((await gql(mgmt, '{ generateProjectToken(name: "x", stage: "y") }')).body.errors[0].code, 4000)
  })
})

describe('introspection', () => {
  test('the 1.34 schema exposes what clients feature-detect, and every step type', async () => {
    const server = await startManagementServer()
    try {
      const answer = await gql(
        `${server.url}/management`,
        '{ __schema { types { name kind fields { name } inputFields { name } } } }',
      )
      const types = new Map<string, {fields: Array<{name: string}> | null; inputFields: Array<{name: string}> | null}>(
        answer.body.data.__schema.types.map((t: {name: string}) => [t.name, t]),
      )
      const has = (type: string, field: string) =>
        [...(types.get(type)?.fields ?? []), ...(types.get(type)?.inputFields ?? [])].some((f) => f.name === field)
      assert.ok(has('DeployPayload', 'steps'))
      assert.ok(has('DeployPayload', 'warnings'))
      assert.ok(has('CreateRelation', 'after'))
      assert.ok(has('DeployInput', 'noMigration'))
      assert.ok(has('DeployInput', 'force'))
      for (const step of ['CreateModel', 'DeleteModel', 'UpdateModel', 'CreateEnum', 'DeleteEnum', 'UpdateEnum', 'CreateField', 'DeleteField', 'UpdateField', 'CreateRelation', 'UpdateRelation', 'DeleteRelation', 'UpdateSecrets', 'LinkTable', 'Inline']) {
        assert.ok(types.has(step), step)
      }
    } finally {
      await server.close()
    }
  })
})

describe('deploy', () => {
  let server: ManagementServer
  let mgmt: string
  const deploy = (vars: Record<string, unknown>) => gql(mgmt, DEPLOY, {name: 'app', stage: 'dev', ...vars})
  const settle = () =>
    waitFor(async () => {
      const s = await gql(mgmt, MIGRATION_STATUS, {name: 'app', stage: 'dev'})
      return ['SUCCESS', 'ROLLBACK_SUCCESS'].includes(s.body.data.migrationStatus.status) ? s.body.data.migrationStatus : undefined
    })
  before(async () => {
    server = await startManagementServer({migrationStepMs: 2})
    mgmt = `${server.url}/management`
    await gql(mgmt, ADD_PROJECT, {name: 'app', stage: 'dev'})
  })
  after(() => server.close())

  test('3017 for unparsable and empty datamodels', async () => {
    for (const types of ['', 'type User {']) {
      const answer = await deploy({types})
      assert.deepEqual(answer.body.data, {deploy: null})
      assert.equal(answer.body.errors[0].code, 3017)
      assert.match(answer.body.errors[0].message, /^Syntax error while parsing GraphQL query\./)
    }
  })

  test('datamodel validation errors come back as {type, field, description} without a migration', async () => {
    const answer = await deploy({types: 'type User { name: String }\ntype Post { id: ID! @id author: Writer }\ntype Post { id: ID! @id }\ntype Tag { id: ID! @id label: String Label: String }'})
    const payload = answer.body.data.deploy
    assert.equal(answer.body.errors, undefined)
    assert.equal(payload.migration, null)
    assert.deepEqual(payload.steps, [])
    const descriptions = payload.errors.map((e: {description: string}) => e.description)
    assert.ok(descriptions.includes('One field of the type `User` must be marked as the id field with the `@id` directive.'))
    assert.ok(payload.errors.some((e: {type: string; field: string; description: string}) => e.type === 'Post' && e.field === 'author' && e.description === "The field `author` has the type `Writer` but there's no type or enum declaration with that name."))
    assert.ok(descriptions.includes('The name of the type `Post` occurs more than once. The detection of duplicates is performed case insensitive.'))
    assert.ok(descriptions.includes('The type `Tag` has a duplicate fieldName. The detection of duplicates is performed case insensitive. '))
    assert.equal(server.project('app', 'dev')?.revision, 1)
  })

  test('defaults must be literals of the field type; unknown types are named as written', async () => {
    const answer = await deploy({
      types: 'type A {\n  id: ID! @id\n  n: Int @default(value: "3")\n  s: String @default(value: 3)\n  r: Role @default(value: X)\n  t: [Thing!]!\n}\nenum Role { Y Z }',
    })
    assert.deepEqual(answer.body.data.deploy.errors, [
      {type: 'A', field: 'n', description: 'The value "3" is not a valid default for fields of type Int.'},
      {type: 'A', field: 's', description: 'The value 3 is not a valid default for fields of type String.'},
      {type: 'A', field: 'r', description: 'The default value is invalid for this enum. Valid values are: Y, Z.'},
      {type: 'A', field: 't', description: "The field `t` has the type `[Thing!]!` but there's no type or enum declaration with that name."},
    ])
  })

  test('first deploy: steps in server order, a PENDING migration, then SUCCESS with applied = steps', async () => {
    const types = 'type User {\n  id: ID! @id\n  name: String!\n  role: Role @default(value: ADMIN)\n}\nenum Role { ADMIN USER }\n'
    const answer = await deploy({types})
    const payload = answer.body.data.deploy
    assert.equal(answer.body.errors, undefined)
    assert.deepEqual(payload.errors, [])
    assert.deepEqual(payload.warnings, [])
    assert.equal(payload.clientMutationId, 'd1')
    assert.deepEqual(
      payload.steps.map((s: {type: string}) => s.type),
      ['CreateEnum', 'CreateModel', 'CreateField', 'CreateField', 'CreateField'],
    )
    assert.deepEqual(payload.steps[0], {type: 'CreateEnum', __typename: 'CreateEnum', name: 'Role', ce_values: ['ADMIN', 'USER']})
    assert.deepEqual(payload.steps[2], {
      type: 'CreateField', __typename: 'CreateField', model: 'User', name: 'id', cf_typeName: 'ID', cf_isRequired: true, cf_isList: false,
      cf_unique: true, cf_relation: null, cf_default: 'None', cf_enum: null,
    })
    assert.equal(payload.steps[4].cf_typeName, 'Enum')
    assert.equal(payload.steps[4].cf_enum, 'Role')
    assert.equal(payload.steps[4].cf_default, 'Some(EnumGCValue(ADMIN))')
    const m = payload.migration
    assert.deepEqual(
      {projectId: m.projectId, revision: m.revision, status: m.status, applied: m.applied, rolledBack: m.rolledBack, errors: m.errors, startedAt: m.startedAt, finishedAt: m.finishedAt, datamodel: m.datamodel},
      {projectId: 'app$dev', revision: 2, status: 'PENDING', applied: 0, rolledBack: 0, errors: [], startedAt: null, finishedAt: null, datamodel: types},
    )
    assert.equal(m.steps.length, 5)
    const done = await settle()
    assert.deepEqual(done, {projectId: 'app$dev', revision: 2, status: 'SUCCESS', applied: 5, rolledBack: 0, errors: []})
    const migrations = await gql(mgmt, '{ listMigrations(name: "app", stage: "dev") { revision status startedAt finishedAt } }')
    assert.deepEqual(migrations.body.data.listMigrations.map((x: {revision: number}) => x.revision), [2, 1])
    assert.match(migrations.body.data.listMigrations[0].finishedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.equal((await gql(mgmt, '{ project(name: "app", stage: "dev") { datamodel } }')).body.data.project.datamodel, types)
  })

  test('unchanged datamodel: no steps, no migration, no new revision', async () => {
    const current = server.project('app', 'dev')?.datamodel as string
    const answer = await deploy({types: current + '\n\n'})
    assert.deepEqual(answer.body.data.deploy.steps, [])
    assert.equal(answer.body.data.deploy.migration, null)
    assert.equal(server.project('app', 'dev')?.revision, 2)
  })

  test('field updates, deletions, enum updates and dryRun', async () => {
    const types = 'type User {\n  id: ID! @id\n  name: String @unique\n  age: Int! @default(value: 3)\n  role: Role\n}\nenum Role { ADMIN USER GUEST }\n'
    const dry = await deploy({types, dryRun: true})
    const steps = dry.body.data.deploy.steps
    assert.equal(dry.body.data.deploy.migration, null)
    // role only loses its default: no UpdateField for it; User's template changed, so one UpdateModel for the model
    assert.deepEqual(steps.map((s: {type: string}) => s.type), ['UpdateEnum', 'UpdateField', 'UpdateModel', 'CreateField'])
    assert.deepEqual(steps[2], {type: 'UpdateModel', __typename: 'UpdateModel', name: 'User', um_newName: 'User'})
    assert.deepEqual(steps[0], {type: 'UpdateEnum', __typename: 'UpdateEnum', name: 'Role', newName: null, values: ['ADMIN', 'USER', 'GUEST']})
    assert.deepEqual(steps[1], {
      type: 'UpdateField', __typename: 'UpdateField', model: 'User', name: 'name', newName: null, typeName: null, isRequired: false, isList: null,
      unique: true, relation: null, default: null, enum: null,
    })
    assert.deepEqual({name: steps[3].name, def: steps[3].cf_default, req: steps[3].cf_isRequired}, {name: 'age', def: 'Some(IntGCValue(3))', req: true})
    assert.equal(server.project('app', 'dev')?.revision, 2)

    const removed = await deploy({types: 'type User {\n  id: ID! @id\n}\n', dryRun: true})
    assert.deepEqual(
      removed.body.data.deploy.steps.map((s: {type: string; name: string}) => `${s.type}:${s.name}`),
      ['DeleteField:name', 'DeleteField:role', 'DeleteEnum:Role', 'UpdateModel:User'],
    )
  })

  test('a changed default alone: one UpdateModel step and a migration', async () => {
    const before = server.project('app', 'dev')?.datamodel as string
    const types = before.replace('role: Role @default(value: ADMIN)', 'role: Role @default(value: USER)')
    assert.notEqual(types, before)
    const answer = await deploy({types})
    assert.deepEqual(answer.body.data.deploy.steps, [{type: 'UpdateModel', __typename: 'UpdateModel', name: 'User', um_newName: 'User'}])
    assert.equal(answer.body.data.deploy.migration.revision, 3)
    assert.equal(answer.body.data.deploy.migration.steps.length, 1)
    await settle()
    const back = await deploy({types: before})
    assert.equal(back.body.data.deploy.migration.revision, 4)
    await settle()
  })

  test('relation renames and ambiguity (3018)', async () => {
    const base = 'type A {\n  id: ID! @id\n  b: B\n}\ntype B {\n  id: ID! @id\n}\n'
    const other = await gql(mgmt, ADD_PROJECT, {name: 'rel', stage: 'dev'})
    assert.equal(other.body.errors, undefined)
    const deployRel = (types: string, dryRun = false) => gql(mgmt, DEPLOY, {name: 'rel', stage: 'dev', types, dryRun})
    assert.equal((await deployRel(base)).body.data.deploy.migration.revision, 2)
    await waitFor(async () => (server.project('rel', 'dev')?.datamodel === base ? true : undefined))
    const renamed = await deployRel(base.replace('b: B', 'b: B @relation(name: "Link")'), true)
    assert.deepEqual(renamed.body.data.deploy.steps.filter((s: {type: string}) => s.type.endsWith('Relation')), [
      {type: 'UpdateRelation', __typename: 'UpdateRelation', ur_name: 'AToB', ur_newName: 'Link', before: {type: 'Inline'}, ur_after: {type: 'Inline'}},
    ])
    const ambiguous = await deployRel(base.replace('b: B', 'b: B @relation(name: "One")\n  b2: B @relation(name: "Two")'), true)
    assert.equal(ambiguous.body.errors[0].code, 3018)
    assert.match(ambiguous.body.errors[0].message, /^There is a relation ambiguity during the migration\. Please first name the old relation/)
  })

  test('a new createdAt field without @createdAt is a warning even on empty models', async () => {
    await gql(mgmt, ADD_PROJECT, {name: 'stamps', stage: 'dev'})
    const types = 'type Note {\n  id: ID! @id\n  createdAt: DateTime!\n  updatedAt: DateTime! @updatedAt\n}\n'
    const answer = await gql(mgmt, DEPLOY, {name: 'stamps', stage: 'dev', types})
    assert.deepEqual(answer.body.data.deploy.warnings, [
      {
        type: 'Note',
        field: 'createdAt',
        description:
          'You are adding the field `createdAt` but is missing the directive `@createdAt`. Please specify the field as `createdAt: DateTime! @createdAt` if you want to track the times for when a record was created. Or deploy with `--force` to ignore this.',
      },
    ])
    assert.equal(answer.body.data.deploy.migration, null)
    const forced = await gql(mgmt, DEPLOY, {name: 'stamps', stage: 'dev', types, force: true})
    assert.equal(forced.body.data.deploy.migration.revision, 2)
  })

  test('generated relation names are shortened to 54 characters; a clash fails with 4004', async () => {
    const long = (letter: string, end: string) => letter + letter.toLowerCase().repeat(29) + end
    const [a1, b1, a2, b2] = [long('A', '1'), long('B', '1'), long('A', '2'), long('B', '2')]
    const model = (name: string, field = '') => `type ${name} {\n  id: ID! @id\n${field}}\n`
    const single = model(a1, `  other: ${b1}\n`) + model(b1)
    const one = await deploy({types: single, dryRun: true})
    const relation = one.body.data.deploy.steps.find((s: {type: string}) => s.type === 'CreateRelation')
    assert.equal(relation.name, `${a1.slice(0, 26)}To${b1.slice(0, 26)}`)
    assert.equal(relation.name.length, 54)
    const clash = await deploy({types: single + model(a2, `  other: ${b2}\n`) + model(b2), dryRun: true})
    assert.deepEqual(clash.body.data, {deploy: null})
    assert.equal(clash.body.errors[0].code, 4004)
    assert.equal(
      clash.body.errors[0].message,
      `There was an error during the autogeneration of relation names.\nPrisma generated the name ${relation.name} twice, once for:\nA relation between ${a1} and ${b1}\nA relation between ${a2} and ${b2}\nPlease name at least one of the relations.`,
    )
  })

  test('relations: generated names, lexicographic model A, link table and inline manifestations', async () => {
    const types = `type User {\n  id: ID! @id\n  posts: [Post]\n  profile: Profile @relation(link: INLINE)\n}\ntype Post {\n  id: ID! @id\n  author: User\n  tags: [Tag!]!\n}\ntype Profile {\n  id: ID! @id\n  user: User\n}\ntype Tag {\n  id: ID! @id\n  posts: [Post]\n}\n`
    const answer = await deploy({types, dryRun: true})
    const payload = answer.body.data.deploy
    assert.deepEqual(payload.errors, [])
    const relations = payload.steps.filter((s: {type: string}) => s.type === 'CreateRelation')
    assert.deepEqual(relations, [
      {type: 'CreateRelation', __typename: 'CreateRelation', name: 'PostToUser', leftModel: 'Post', rightModel: 'User', after: {type: 'Inline', model: 'Post', column: 'author'}},
      {type: 'CreateRelation', __typename: 'CreateRelation', name: 'ProfileToUser', leftModel: 'Profile', rightModel: 'User', after: {type: 'Inline', model: 'User', column: 'profile'}},
      {type: 'CreateRelation', __typename: 'CreateRelation', name: 'PostToTag', leftModel: 'Post', rightModel: 'Tag', after: {type: 'LinkTable', table: '_PostToTag', modelAColumn: 'A', modelBColumn: 'B', idColumn: null}},
    ])
    const tagsField = payload.steps.find((s: {type: string; name?: string}) => s.type === 'CreateField' && s.name === 'tags')
    assert.deepEqual({req: tagsField.cf_isRequired, list: tagsField.cf_isList}, {req: false, list: true})
    const postsField = payload.steps.find((s: {type: string; name?: string}) => s.type === 'CreateField' && s.name === 'posts')
    assert.deepEqual({t: postsField.cf_typeName, list: postsField.cf_isList, rel: postsField.cf_relation}, {t: 'Post', list: true, rel: 'PostToUser'})

    const oneToOne = await deploy({types: types.replace(' @relation(link: INLINE)', ''), dryRun: true})
    assert.ok(oneToOne.body.data.deploy.errors.some((e: {description: string}) => e.description.startsWith('The field `profile` must provide a relation link mode.')))
    const ambiguous = await deploy({types: 'type A { id: ID! @id b1: B b2: B }\ntype B { id: ID! @id }', dryRun: true})
    assert.ok(ambiguous.body.data.deploy.errors.some((e: {description: string}) => e.description.includes('must specify a `@relation` directive')))
  })

  test('secrets are replaced on every deploy: UpdateSecrets in the migration only', async () => {
    const types = server.project('app', 'dev')?.datamodel as string
    const withSecret = await deploy({types, secrets: ['s1']})
    assert.deepEqual(withSecret.body.data.deploy.steps, [])
    assert.deepEqual(withSecret.body.data.deploy.migration.steps, [{type: 'UpdateSecrets', __typename: 'UpdateSecrets', message: 'Secrets have been updated.'}])
    assert.equal(withSecret.body.data.deploy.migration.revision, 5)
    assert.deepEqual(server.project('app', 'dev')?.secrets, ['s1'])
    await settle()
    const dry = await deploy({types, dryRun: true})
    assert.equal(dry.body.data.deploy.migration, null)
    assert.deepEqual(server.project('app', 'dev')?.secrets, ['s1'])
    const cleared = await deploy({types, secrets: null})
    assert.equal(cleared.body.data.deploy.migration.revision, 6)
    assert.deepEqual(server.project('app', 'dev')?.secrets, [])
    await settle()
  })

  test('subscriptions are stored and make every deploy a migration', async () => {
    const types = server.project('app', 'dev')?.datamodel as string
    const subscriptions = [{name: 'hook', query: 'subscription { user { node { id } } }', url: 'http://example.test/hook', headers: [{name: 'x', value: 'y'}]}]
    const first = await deploy({types, subscriptions})
    assert.equal(first.body.data.deploy.migration.revision, 7)
    await settle()
    assert.deepEqual(server.project('app', 'dev')?.subscriptions, subscriptions)
    const second = await deploy({types, subscriptions})
    assert.equal(second.body.data.deploy.migration.revision, 8)
    await settle()
    const bad = await deploy({types, subscriptions: [{...subscriptions[0], query: 'subscription {'}]})
    assert.deepEqual(bad.body.data.deploy.errors, [{type: 'Subscription', field: 'hook', description: 'The subscription query is invalid GraphQL.'}])
  })

  test('destructive changes on models with data: warnings without force, migration with force', async () => {
    server.setModelHasData('app', 'dev', 'User', true)
    const types = 'type User {\n  id: ID! @id\n  role: Role\n  email: String!\n}\nenum Role { ADMIN USER }\n'
    const refused = await deploy({types})
    const payload = refused.body.data.deploy
    assert.equal(payload.migration, null)
    assert.ok(payload.steps.length > 0)
    assert.deepEqual(payload.warnings, [
      {type: 'User', field: 'name', description: 'You already have nodes for this model. This change may result in data loss.'},
      {type: 'User', field: 'email', description: 'You are creating a required field but there are already nodes present that would violate that constraint.The fields will be pre-filled with the value ``.'},
    ])
    assert.equal(server.project('app', 'dev')?.revision, 8)
    const forced = await deploy({types, force: true})
    assert.equal(forced.body.data.deploy.warnings.length, 2)
    assert.equal(forced.body.data.deploy.migration.revision, 9)
    await settle()
    const unique = await deploy({types: types.replace('email: String!', 'email: String!\n  handle: String! @unique'), force: true})
    assert.deepEqual(unique.body.data.deploy.errors, [
      {type: 'User', field: 'handle', description: 'You are creating a new required unique field `handle`. There are already nodes for the model `User` that would violate that constraint.'},
    ])
    assert.equal(unique.body.data.deploy.migration, null)
    server.setModelHasData('app', 'dev', 'User', false)
  })

  test('noMigration: no steps, but the datamodel is taken over', async () => {
    const types = 'type User {\n  id: ID! @id\n  role: Role\n  email: String!\n  nick: String\n}\nenum Role { ADMIN USER }\n'
    const answer = await deploy({types, noMigration: true})
    assert.deepEqual(answer.body.data.deploy.steps, [])
    assert.equal(answer.body.data.deploy.migration.revision, 10)
    assert.deepEqual(answer.body.data.deploy.migration.steps, [])
    await settle()
    assert.equal(server.project('app', 'dev')?.datamodel, types)
  })

  test('a deployment in progress blocks the next one with 4008; held migrations stay PENDING', async () => {
    server.holdMigrations(true)
    try {
      const base = server.project('app', 'dev')?.datamodel as string
      const first = await deploy({types: base.replace('nick: String', 'nick: String\n  a: Int')})
      assert.equal(first.body.data.deploy.migration.status, 'PENDING')
      await new Promise((resolve) => setTimeout(resolve, 30))
      const status = await gql(mgmt, MIGRATION_STATUS, {name: 'app', stage: 'dev'})
      assert.equal(status.body.data.migrationStatus.status, 'PENDING')
      assert.equal(status.body.data.migrationStatus.revision, 11)
      const second = await deploy({types: base.replace('nick: String', 'nick: String\n  b: Int')})
      assert.deepEqual(second.body.data, {deploy: null})
      assert.equal(second.body.errors[0].code, 4008)
      assert.match(second.body.errors[0].message, /^You can not deploy to a service stage while there is a deployment in progress/)
      const dry = await deploy({types: base.replace('nick: String', 'nick: String\n  b: Int'), dryRun: true})
      assert.equal(dry.body.errors, undefined)
    } finally {
      server.holdMigrations(false)
    }
    const done = await settle()
    assert.equal(done.revision, 11)
    assert.equal(done.applied, 2, 'UpdateModel and CreateField')
  })

  test('a failing migration rolls back; migrationStatus then shows the previous successful revision', async () => {
    server.failNextMigration(['boom\n\tat Somewhere.scala:1'])
    const base = server.project('app', 'dev')?.datamodel as string
    const answer = await deploy({types: base.replace('nick: String', 'nick: String\n  c: Int\n  d: Int')})
    assert.equal(answer.body.data.deploy.migration.revision, 12)
    const seen = new Set<string>()
    const final = await waitFor(async () => {
      const list = await gql(mgmt, '{ listMigrations(name: "app", stage: "dev") { revision status applied rolledBack errors } }')
      const m = list.body.data.listMigrations[0]
      seen.add(m.status)
      return m.status === 'ROLLBACK_SUCCESS' ? m : undefined
    })
    assert.deepEqual(final, {revision: 12, status: 'ROLLBACK_SUCCESS', applied: 2, rolledBack: 2, errors: ['boom\n\tat Somewhere.scala:1']})
    const status = await gql(mgmt, MIGRATION_STATUS, {name: 'app', stage: 'dev'})
    assert.deepEqual(status.body.data.migrationStatus, {projectId: 'app$dev', revision: 11, status: 'SUCCESS', applied: 2, rolledBack: 0, errors: []})
    assert.equal(server.project('app', 'dev')?.datamodel, base)
    const next = await deploy({types: base.replace('nick: String', 'nick: String\n  e: Int')})
    assert.equal(next.body.data.deploy.migration.revision, 13)
    await settle()
  })
})
