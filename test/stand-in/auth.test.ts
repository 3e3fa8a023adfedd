import assert from 'node:assert/strict'
import {generateKeyPairSync, sign as cryptoSign} from 'node:crypto'
import {after, before, describe, test} from 'node:test'
import {startManagementServer, type ManagementServer} from './management-server.js'
import {ADD_PROJECT, DEPLOY, gql, jwt, now, waitFor} from './test-helpers.js'

const SECRET = 's3cr3t'
const INVALID = 'Authentication token is invalid: '
const all = (exp = now() + 3600) => ({grants: [{target: '*/*', action: '*'}], exp})

describe('management auth: symmetric (HS256)', () => {
  let server: ManagementServer
  let mgmt: string
  const ask = async (query: string, token?: string, variables?: Record<string, unknown>) => {
    const answer = await gql(mgmt, query, variables, token)
    return answer.body
  }
  const error = async (query: string, token?: string) => {
    const body = await ask(query, token)
    assert.ok(body.errors, `expected an error for ${query}`)
    return {code: body.errors[0].code, message: body.errors[0].message, data: body.data}
  }
  before(async () => {
    server = await startManagementServer({auth: {mode: 'symmetric', secret: SECRET}})
    mgmt = `${server.url}/management`
    const created = await ask(ADD_PROJECT, jwt(all(), SECRET), {name: 'svc', stage: 'dev'})
    assert.equal(created.errors, undefined)
  })
  after(() => server.close())

  test('no header: 3015 "header not provided", data null', async () => {
    assert.deepEqual(await error('{ listProjects { name } }'), {
      code: 3015,
      message: `${INVALID}'Authorization' header not provided`,
      data: null,
    })
  })

  test('the CLI token (*/*, iat, 5y exp) is accepted, with or without the Bearer prefix', async () => {
    const token = jwt({grants: [{target: '*/*', action: '*'}], iat: now(), exp: now() + 157788000}, SECRET)
    assert.deepEqual(await ask('{ listProjects { name } }', token), {data: {listProjects: [{name: 'svc'}]}})
    const bare = await gql(mgmt, '{ listProjects { name } }', undefined)
    assert.ok(bare.body.errors)
    const raw = await fetch(mgmt, {method: 'POST', headers: {'content-type': 'application/json', authorization: token}, body: JSON.stringify({query: '{ listProjects { name } }'})})
    assert.equal(((await raw.json()) as {errors?: unknown}).errors, undefined)
  })

  test('decode failures say "can\'t be decoded" with the library reason', async () => {
    const cases: Array<[string, string]> = [
      [jwt(all(), 'other'), 'Invalid signature for this token or wrong algorithm.'],
      [jwt(all(), SECRET, {alg: 'HS512', typ: 'JWT'}), 'Invalid signature for this token or wrong algorithm.'],
      [jwt(all(), SECRET, {alg: 'XY1', typ: 'JWT'}), 'The algorithm [XY1] is not currently supported.'],
      [jwt(all(), SECRET, {typ: 'JWT'}), 'No algorithm found inside the token header while having a key to sign or verify it.'],
      [jwt(all(), SECRET).split('.').slice(0, 2).join('.'), 'No signature found inside the token while trying to verify it with a key.'],
      ['abc', 'Expected token [abc] to be composed of 2 or 3 parts separated by dots.'],
      [jwt(all(1577836800), SECRET), 'The token is expired since 2020-01-01T00:00:00Z'],
      [jwt({...all(), nbf: 4102444800}, SECRET), 'The token will only be valid after 2100-01-01T00:00:00Z'],
    ]
    for (const [token, reason] of cases) {
      assert.deepEqual(await error('{ listProjects { name } }', token), {code: 3015, message: `${INVALID}Token can't be decoded: ${reason}`, data: null}, reason)
    }
  })

  test('payload without exp or grants: "Failed to parse token data"', async () => {
    for (const payload of [{grants: [{target: '*/*', action: '*'}]}, {exp: now() + 60}, {grants: [{target: '*/*'}], exp: now() + 60}, {...all(), exp: now() + 60.5}]) {
      assert.equal((await error('{ listProjects { name } }', jwt(payload, SECRET))).message, `${INVALID}Failed to parse token data`)
    }
  })

  test('grant rules: service/stage targets with whole-segment wildcards; listProjects needs */*', async () => {
    const token = (target: string) => jwt({grants: [{target, action: 'whatever'}], exp: now() + 60}, SECRET)
    const project = '{ project(name: "svc", stage: "dev") { name } }'
    assert.equal((await ask(project, token('svc/dev'))).errors, undefined)
    assert.equal((await ask(project, token('*/dev'))).errors, undefined)
    assert.equal((await ask(project, token('svc/*'))).errors, undefined)
    assert.equal((await error(project, token('svc/prod'))).message, `${INVALID}Token contained 1 grants but none satisfied the request.`)
    assert.equal((await error(project, token('sv*/dev'))).code, 3015)
    assert.equal((await error('{ listProjects { name } }', token('svc/dev'))).message, `${INVALID}Token contained 1 grants but none satisfied the request.`)
    assert.equal((await error('{ listProjects { name } }', token('*/dev'))).code, 3015)
    assert.equal((await error(project, token('*'))).message, `${INVALID}Contained invalid grant 'Vector(*)'`)
    assert.equal((await error(project, token('a/b/c'))).message, `${INVALID}Contained invalid grant 'Vector(a, b, c)'`)
    assert.equal((await error(project, token('svc/'))).message, `${INVALID}Contained invalid grant 'Vector(svc)'`)
    assert.equal((await error(project, token('/dev'))).message, `${INVALID}Both service and stage must be defined in grant 'TokenGrant(/dev,whatever)'`)
    const none = jwt({grants: [], exp: now() + 60}, SECRET)
    assert.equal((await error(project, none)).message, `${INVALID}Token contained 0 grants but none satisfied the request.`)
    // an invalid grant aborts even when a later one would match
    const mixed = jwt({grants: [{target: 'x', action: '*'}, {target: '*/*', action: '*'}], exp: now() + 60}, SECRET)
    assert.equal((await error(project, mixed)).message, `${INVALID}Contained invalid grant 'Vector(x)'`)
  })

  test('serverInfo and introspection need no token; setCloudSecret needs */*', async () => {
    assert.equal((await ask('{ serverInfo { version } }')).errors, undefined)
    assert.equal((await ask('{ __schema { queryType { name } } }')).errors, undefined)
    const partial = jwt({grants: [{target: 'svc/dev', action: '*'}], exp: now() + 60}, SECRET)
    assert.equal((await error('mutation { setCloudSecret(input: {secret: "x"}) { clientMutationId } }', partial)).code, 3015)
  })

  test('deploy looks the project up before checking the token', async () => {
    const unknown = await gql(mgmt, DEPLOY, {name: 'nope', stage: 'dev', types: 'type A { id: ID! @id }'})
    assert.equal(unknown.body.errors[0].code, 4000)
    const known = await gql(mgmt, DEPLOY, {name: 'svc', stage: 'dev', types: 'type A { id: ID! @id }'})
    assert.equal(known.body.errors[0].code, 3015)
    const scoped = jwt({grants: [{target: 'svc/dev', action: '*'}], exp: now() + 60}, SECRET)
    const ok = await gql(mgmt, DEPLOY, {name: 'svc', stage: 'dev', types: 'type A { id: ID! @id }'}, scoped)
    assert.equal(ok.body.errors, undefined)
    assert.equal(ok.body.data.deploy.migration.revision, 2)
  })

  test('addProject checks the token before the name rules', async () => {
    const answer = await gql(mgmt, ADD_PROJECT, {name: 'management', stage: 'dev'})
    assert.equal(answer.body.errors[0].code, 3015)
  })
})

describe('management auth: none and asymmetric (RS256)', () => {
  test('without a secret any token, even garbage, is ignored', async () => {
    const server = await startManagementServer()
    try {
      const answer = await gql(`${server.url}/management`, '{ listProjects { name } }', undefined, 'garbage')
      assert.deepEqual(answer.body, {data: {listProjects: []}})
    } finally {
      await server.close()
    }
  })

  test('an empty managementApiSecret means no auth, as the server reads its configuration', async () => {
    const server = await startManagementServer({auth: {mode: 'symmetric', secret: ''}})
    try {
      const answer = await gql(`${server.url}/management`, '{ listProjects { name } }')
      assert.deepEqual(answer.body, {data: {listProjects: []}})
    } finally {
      await server.close()
    }
  })

  test('a legacy server verifies RS256 tokens with its public key', async () => {
    const {publicKey, privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
    const server = await startManagementServer({auth: {mode: 'asymmetric', publicKey: publicKey.export({type: 'spki', format: 'pem'}) as string}})
    try {
      const h = Buffer.from(JSON.stringify({alg: 'RS256', typ: 'JWT'})).toString('base64url')
      const p = Buffer.from(JSON.stringify(all())).toString('base64url')
      const s = cryptoSign('RSA-SHA256', Buffer.from(`${h}.${p}`), privateKey).toString('base64url')
      const ok = await gql(`${server.url}/management`, '{ listProjects { name } }', undefined, `${h}.${p}.${s}`)
      assert.deepEqual(ok.body, {data: {listProjects: []}})
      const hs = await gql(`${server.url}/management`, '{ listProjects { name } }', undefined, jwt(all(), 'x'))
      assert.equal(hs.body.errors[0].message, `${INVALID}Token can't be decoded: Invalid signature for this token or wrong algorithm.`)
    } finally {
      await server.close()
    }
  })
})

describe('management auth of 1.27–1.34.6 (libs/jwt-native-rs): a --version 1.34.3 stand-in', () => {
  let server: ManagementServer
  let mgmt: string
  const error = async (query: string, token?: string) => {
    const body = (await gql(mgmt, query, undefined, token)).body
    assert.ok(body.errors, `expected an error for ${query}`)
    return {code: body.errors[0].code, message: body.errors[0].message}
  }
  const project = '{ project(name: "svc", stage: "dev") { name } }'
  before(async () => {
    server = await startManagementServer({auth: {mode: 'symmetric', secret: SECRET}, version: '1.34.3'})
    mgmt = `${server.url}/management`
    assert.equal((await gql(mgmt, ADD_PROJECT, {name: 'svc', stage: 'dev'}, jwt(all(), SECRET))).body.errors, undefined)
  })
  after(() => server.close())

  test('exp is optional; the CLI token and a token without exp are accepted', async () => {
    assert.deepEqual((await gql(mgmt, '{ listProjects { name } }', undefined, jwt({grants: [{target: '*/*', action: '*'}]}, SECRET))).body, {
      data: {listProjects: [{name: 'svc'}]},
    })
    const cli = jwt({grants: [{target: '*/*', action: '*'}], iat: now(), exp: now() + 157788000}, SECRET)
    assert.equal((await gql(mgmt, project, undefined, cli)).body.errors, undefined)
  })

  test('messages without the "Authentication token is invalid:" prefix, all 3015', async () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, "No 'Authorization' header provided."],
      [jwt(all(), 'other'), 'Invalid signature'],
      ['abc', 'Invalid token'],
      [jwt(all(), SECRET, {alg: 'HS512', typ: 'JWT'}), "Algorithms don't match"],
      [jwt(all(now() - 10), SECRET), 'Token is expired.'],
      [jwt({...all(), iat: now() + 3600}, SECRET), 'Token is issued in the future (iat).'],
      [jwt({...all(), nbf: now() + 3600}, SECRET), 'Token is not yet valid (nbf in the future).'],
    ]
    for (const [token, message] of cases) assert.deepEqual(await error('{ listProjects { name } }', token), {code: 3015, message}, message)
    assert.match((await error(project, jwt(all(), SECRET, {alg: 'none', typ: 'JWT'}))).message, /^JSON error: unknown variant `none`/)
  })

  test('RS256 is not supported: an RS256 token is an invalid signature', async () => {
    const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
    const h = Buffer.from(JSON.stringify({alg: 'RS256', typ: 'JWT'})).toString('base64url')
    const p = Buffer.from(JSON.stringify(all())).toString('base64url')
    const s = cryptoSign('RSA-SHA256', Buffer.from(`${h}.${p}`), privateKey).toString('base64url')
    assert.deepEqual(await error(project, `${h}.${p}.${s}`), {code: 3015, message: 'Invalid signature'})
  })

  test("a grant's action must be *; targets are checked as the Rust Grant does", async () => {
    const token = (target: string, action = '*') => jwt({grants: [{target, action}], exp: now() + 60}, SECRET)
    assert.equal((await gql(mgmt, project, undefined, token('svc/dev'))).body.errors, undefined)
    assert.equal((await gql(mgmt, project, undefined, token('*/dev'))).body.errors, undefined)
    assert.deepEqual(await error(project, token('*/*', 'deploy')), {
      code: 3015,
      message: 'Token grants do not satisfy the request. Got: Some([Grant { target: "*/*", action: "deploy" }]) Required: Some(Grant { target: "svc/dev", action: "*" })',
    })
    assert.equal((await error('{ listProjects { name } }', token('svc/dev'))).message.startsWith('Token grants do not satisfy the request.'), true)
    assert.deepEqual(await error(project, token('*')), {code: 3015, message: 'Invalid grant target: *, expected format <service name>/<stage>'})
    assert.match((await error(project, jwt({exp: now() + 60}, SECRET))).message, /^Token grants do not satisfy the request\. Got: None Required: /)
  })

  test('generateProjectToken signs iat, nbf and exp, as the Rust create_token; service tokens are checked by it too', async () => {
    await gql(mgmt, DEPLOY, {name: 'svc', stage: 'dev', types: 'type A { id: ID! @id }', secrets: ['service-secret']}, jwt(all(), SECRET))
    const answer = await gql(mgmt, '{ generateProjectToken(name: "svc", stage: "dev") }', undefined, jwt(all(), SECRET))
    const generated = answer.body.data.generateProjectToken
    const payload = JSON.parse(Buffer.from(generated.split('.')[1], 'base64url').toString('utf8'))
    assert.deepEqual(Object.keys(payload), ['iat', 'nbf', 'exp'])
    await waitFor(async () => ((await gql(`${server.url}/svc/dev`, '{ __typename }', undefined, generated)).body.data ? true : undefined))
    const service = async (token: string) => (await gql(`${server.url}/svc/dev`, '{ __typename }', undefined, token)).body
    assert.deepEqual(await service(jwt({}, 'service-secret')), {data: {__typename: 'Query'}}, 'exp is optional')
    assert.equal((await service(jwt({iat: now() + 3600}, 'service-secret'))).errors[0].code, 3015, 'a future iat is refused')
    assert.equal((await service(jwt({exp: now() - 5}, 'service-secret'))).errors[0].code, 3015)
  })
})

describe('RS256 per server line', () => {
  const {publicKey, privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
  const pem = publicKey.export({type: 'spki', format: 'pem'}) as string

  test('a public key without a version is a 1.26.6 server; a later version refuses to start', async () => {
    const server = await startManagementServer({auth: {mode: 'asymmetric', publicKey: pem}})
    try {
      assert.equal((await gql(`${server.url}/management`, '{ serverInfo { version } }')).body.data.serverInfo.version, '1.26.6')
    } finally {
      await server.close()
    }
    for (const version of ['1.27.0', '1.34.3', '1.34.12']) {
      await assert.rejects(startManagementServer({auth: {mode: 'asymmetric', publicKey: pem}, version}), /has no RS256 management auth/)
    }
  })

  test('a 1.34 server with a secret refuses an RS256 token', async () => {
    const server = await startManagementServer({auth: {mode: 'symmetric', secret: SECRET}})
    try {
      const h = Buffer.from(JSON.stringify({alg: 'RS256', typ: 'JWT'})).toString('base64url')
      const p = Buffer.from(JSON.stringify(all())).toString('base64url')
      const s = cryptoSign('RSA-SHA256', Buffer.from(`${h}.${p}`), privateKey).toString('base64url')
      const answer = await gql(`${server.url}/management`, '{ listProjects { name } }', undefined, `${h}.${p}.${s}`)
      assert.equal(answer.body.errors[0].message, `${INVALID}Token can't be decoded: Invalid signature for this token or wrong algorithm.`)
    } finally {
      await server.close()
    }
  })
})
