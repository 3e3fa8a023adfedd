import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {startManagementServer} from './management-server.js'
import {ADD_PROJECT, gql, jwt, now, post} from './test-helpers.js'

const fieldsOf = async (url: string, type: string): Promise<string[]> => {
  const answer = await gql(url, `{ __type(name: "${type}") { fields { name } inputFields { name } } }`)
  const t = answer.body.data.__type
  return t ? [...(t.fields ?? []), ...(t.inputFields ?? [])].map((f: {name: string}) => f.name) : []
}

describe('profiles', () => {
  test('pre-1.5: no force/noMigration/steps/warnings/after; sending force fails with the sangria text', async () => {
    const server = await startManagementServer({profile: 'pre-1.5', migrationStepMs: 2})
    try {
      const mgmt = `${server.url}/management`
      assert.ok(!(await fieldsOf(mgmt, 'DeployInput')).includes('force'))
      assert.ok(!(await fieldsOf(mgmt, 'DeployInput')).includes('noMigration'))
      assert.ok((await fieldsOf(mgmt, 'DeployInput')).includes('dryRun'))
      assert.deepEqual(await fieldsOf(mgmt, 'DeployPayload'), ['errors', 'migration', 'clientMutationId'])
      assert.ok(!(await fieldsOf(mgmt, 'CreateRelation')).includes('after'))
      assert.ok(!(await fieldsOf(mgmt, 'Project')).includes('datamodel'))
      await gql(mgmt, 'mutation { addProject(input: {name: "old", stage: "dev"}) { project { name } } }')
      const withForce = await gql(
        mgmt,
        'mutation($force: Boolean) { deploy(input: {name: "old", stage: "dev", types: "type A { id: ID! @id }", force: $force}) { errors { description } } }',
        {force: true},
      )
      assert.equal(withForce.body.data, null)
      assert.match(withForce.body.errors[0].message, /^Field 'force' is not defined in the input type 'DeployInput'\./)
      const old = await gql(
        mgmt,
        'mutation { deploy(input: {name: "old", stage: "dev", types: "type A { id: ID! @id }"}) { errors { description } migration { revision steps { type } } } }',
      )
      assert.deepEqual(old.body.data.deploy.migration, {revision: 2, steps: [{type: 'CreateModel'}, {type: 'CreateField'}]})
      // serverInfo came with 1.8 (SchemaBuilder.scala); before it only clusterInfo tells the version
      const serverInfo = await gql(mgmt, '{ serverInfo { version } }')
      assert.equal(serverInfo.body.data, null)
      assert.match(serverInfo.body.errors[0].message, /Cannot query field 'serverInfo' on type 'Query'/)
      assert.match((await gql(mgmt, '{ clusterInfo { version commit } }')).body.data.clusterInfo.version, /^1\.4\./)
    } finally {
      await server.close()
    }
  })

  test('cluster-path: the Management API answers at /cluster; /management is a service path (3016, no data key)', async () => {
    const server = await startManagementServer({profile: 'cluster-path'})
    try {
      const atManagement = await gql(`${server.url}/management`, '{ serverInfo { version } }')
      assert.equal(atManagement.status, 200)
      assert.deepEqual(Object.keys(atManagement.body), ['errors'])
      assert.equal(atManagement.body.errors[0].code, 3016)
      assert.equal(atManagement.body.errors[0].message, "Project not found: 'management$default'")
      // a server serving only /cluster is 1.0-1.7: no serverInfo, clusterInfo
      const atCluster = await gql(`${server.url}/cluster`, '{ serverInfo { version } }')
      assert.match(atCluster.body.errors[0].message, /Cannot query field 'serverInfo' on type 'Query'/)
      assert.equal((await gql(`${server.url}/cluster`, '{ clusterInfo { version } }')).body.data.clusterInfo.version, '1.7.4')
    } finally {
      await server.close()
    }
  })

  test('connector mysql: project ids use @, serverInfo names the connector', async () => {
    const server = await startManagementServer({profile: 'cluster-path', connector: 'mysql'})
    try {
      const atManagement = await gql(`${server.url}/management`, '{ serverInfo { version } }')
      assert.equal(atManagement.body.errors[0].message, "Project not found: 'management@default'")
      const cluster = `${server.url}/cluster`
      await gql(cluster, ADD_PROJECT, {name: 'my', stage: 'dev'})
      const status = await gql(cluster, '{ migrationStatus(name: "my", stage: "dev") { projectId } }')
      assert.equal(status.body.data.migrationStatus.projectId, 'my@dev')
    } finally {
      await server.close()
    }
    const modern = await startManagementServer({connector: 'mysql'})
    try {
      assert.equal((await gql(`${modern.url}/management`, '{ serverInfo { primaryConnector } }')).body.data.serverInfo.primaryConnector, 'mysql')
    } finally {
      await modern.close()
    }
  })

  test('1.34: /cluster is a service path', async () => {
    const server = await startManagementServer({version: '1.34.3'})
    try {
      const answer = await gql(`${server.url}/cluster`, '{ serverInfo { version } }')
      assert.equal(answer.body.errors[0].message, "Project not found: 'cluster$default'")
      assert.equal((await gql(`${server.url}/management/`, '{ serverInfo { version } }')).body.data.serverInfo.version, '1.34.3')
      assert.equal((await gql(`${server.url}/management/x`, '{ serverInfo { version } }')).body.errors[0].code, 3016)
    } finally {
      await server.close()
    }
  })
})

describe('service API', () => {
  test('paths, project lookup, __typename and introspection of the deployed models', async () => {
    const server = await startManagementServer({migrationStepMs: 1})
    try {
      const mgmt = `${server.url}/management`
      assert.equal((await gql(`${server.url}/shop/dev`, '{ __typename }')).body.errors[0].message, "Project not found: 'shop$dev'")
      for (const [name, stage] of [['shop', 'dev'], ['default', 'default'], ['solo', 'default'], ['ws~shop', 'prod']]) {
        await gql(mgmt, ADD_PROJECT, {name, stage})
      }
      await gql(mgmt, 'mutation { deploy(input: {name: "shop", stage: "dev", types: "type Item { id: ID! @id title: String! }"}) { migration { revision } } }')
      for (const path of ['/shop/dev', '/', '/solo', '/ws/shop/prod']) {
        const answer = await gql(`${server.url}${path}`, '{ __typename }')
        assert.deepEqual(answer.body, {data: {__typename: 'Query'}}, path)
      }
      const items = await (async () => {
        for (let i = 0; i < 100; i++) {
          const answer = await gql(`${server.url}/shop/dev`, '{ items { id title } }')
          if (!answer.body.errors) return answer.body
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
        return undefined
      })()
      assert.deepEqual(items, {data: {items: []}})
      const datamodel = await post(`${server.url}/shop/dev/_datamodel`, {})
      assert.equal(datamodel.body, 'type Item { id: ID! @id title: String! }')
      const schema = await gql(`${server.url}/shop/dev`, '{ __type(name: "Item") { fields { name } } }')
      assert.deepEqual(schema.body.data.__type.fields.map((f: {name: string}) => f.name), ['id', 'title'])
    } finally {
      await server.close()
    }
  })

  test('service tokens: HS256 with any of the secrets, exp/nbf checked, other claims ignored', async () => {
    const server = await startManagementServer()
    try {
      const mgmt = `${server.url}/management`
      await gql(mgmt, ADD_PROJECT, {name: 'safe', stage: 'dev', secrets: ['one', 'two']})
      const api = `${server.url}/safe/dev`
      const denied = await gql(api, '{ __typename }')
      assert.equal(denied.body.errors[0].code, 3015)
      assert.equal(denied.body.errors[0].message, 'Your token is invalid. It might have expired or you might be using a token from a different project.')
      const generated = (await gql(mgmt, '{ generateProjectToken(name: "safe", stage: "dev") }')).body.data.generateProjectToken
      assert.deepEqual((await gql(api, '{ __typename }', undefined, generated)).body, {data: {__typename: 'Query'}})
      const cliStyle = jwt({data: {service: 'safe@dev', roles: ['admin']}, iat: now(), exp: now() + 7 * 86400}, 'two')
      assert.deepEqual((await gql(api, '{ __typename }', undefined, cliStyle)).body, {data: {__typename: 'Query'}})
      assert.equal((await gql(api, '{ __typename }', undefined, jwt({exp: now() - 10}, 'one'))).body.errors[0].code, 3015)
      assert.equal((await gql(api, '{ __typename }', undefined, jwt({exp: now() + 10}, 'three'))).body.errors[0].code, 3015)
    } finally {
      await server.close()
    }
  })

  test('sandbox throttling: every throttled call carries Throttled-By (0ms included), a full queue fails with 1004, management is never throttled', async () => {
    const server = await startManagementServer({sandbox: {rate: 2, windowMs: 1500, maxQueue: 2}})
    try {
      await gql(`${server.url}/management`, ADD_PROJECT, {name: 'busy', stage: 'dev'})
      const answers = await Promise.all(Array.from({length: 6}, () => post(`${server.url}/busy/dev`, {query: '{ __typename }'})))
      // RequestThrottler.throttledCall: the header on every call that went through the throttler, 0ms when not delayed
      const throttled = answers.filter((a) => a.headers.get('throttled-by') && a.headers.get('throttled-by') !== '0ms')
      const rejected = answers.filter((a) => a.body.errors?.[0]?.code === 1004)
      const immediate = answers.filter((a) => a.headers.get('throttled-by') === '0ms' && !a.body.errors)
      assert.equal(immediate.length, 2)
      assert.equal(throttled.length, 2)
      assert.ok(rejected.every((a) => a.headers.get('throttled-by') === null), 'a rejected call has no Throttled-By')
      assert.equal(rejected.length, 2)
      for (const a of throttled) {
        assert.match(a.headers.get('throttled-by') ?? '', /^\d+ms$/)
        assert.deepEqual(a.body, {data: {__typename: 'Query'}})
      }
      assert.equal(rejected[0].status, 200)
      assert.equal(rejected[0].body.errors[0].message, 'There are too many concurrent queries for this service.')
      const management = await Promise.all(Array.from({length: 10}, () => gql(`${server.url}/management`, '{ serverInfo { version } }')))
      assert.ok(management.every((a) => !a.headers.get('throttled-by') && a.body.errors === undefined))

      // /private is throttled too (SangriaHandlerImpl: only /import, /export and /_datamodel bypass the throttler)
      await new Promise((resolve) => setTimeout(resolve, 1600))
      const privateAnswers = await Promise.all(Array.from({length: 4}, () => post(`${server.url}/busy/dev/private`, {query: '{ __typename }'})))
      assert.deepEqual(privateAnswers.map((a) => a.headers.get('throttled-by')?.replace(/^[1-9]\d*ms$/, 'delayed')).sort(), ['0ms', '0ms', 'delayed', 'delayed'])
      // a failed call (unknown project) goes through the throttler but gets no header
      await new Promise((resolve) => setTimeout(resolve, 1600))
      const unknown = await post(`${server.url}/nothing/here`, {query: '{ __typename }'})
      assert.equal(unknown.body.errors[0].code, 3016)
      assert.equal(unknown.headers.get('throttled-by'), null)
    } finally {
      await server.close()
    }
  })
})
