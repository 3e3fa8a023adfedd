import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import yaml from 'js-yaml'

import {isPrismaCloudHost, resolveManagementAuth} from '../../src/auth/management-token.js'
import {UserError} from '../../src/errors.js'
import {parseEndpoint} from '../../src/project/index.js'
import {tempDir} from '../helpers/cli.js'
import {startCloudServer, type CloudServer} from '../stand-in/cloud-api.js'
import {verifyJwt} from './verifier.js'

const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: {format: 'pem', type: 'pkcs8'},
  publicKeyEncoding: {format: 'pem', type: 'spki'},
})

async function home(config?: object): Promise<string> {
  const dir = await tempDir('home-')
  if (config) {
    await mkdir(join(dir, '.prisma'), {recursive: true})
    await writeFile(join(dir, '.prisma', 'config.yml'), yaml.dump(config))
  }

  return dir
}

describe('resolveManagementAuth: one documented order', () => {
  let cloud: CloudServer
  const sessionKey = 'session-key-123'
  before(async () => {
    cloud = await startCloudServer({
      sessionKeys: {
        [sessionKey]: {email: 'a@example.com', workspaces: [{clusters: [{endpoint: 'https://my-cluster.prisma.sh', name: 'my-cluster'}], slug: 'team'}]},
      },
    })
  })
  after(() => cloud.close())

  const legacyConfig = {
    cloudSessionKey: sessionKey,
    clusters: {legacy: {clusterSecret: rsa.privateKey, host: 'http://localhost:4466'}},
  }

  test('PRISMA_MANAGEMENT_API_SECRET wins over a legacy key and a cloud session (HS256)', async () => {
    const lines: string[] = []
    const auth = await resolveManagementAuth({
      debug: (line) => lines.push(line),
      endpoint: parseEndpoint('http://localhost:4466/svc/dev'),
      env: {CLOUD_API_ENDPOINT: cloud.url, PRISMA_CLOUD_SESSION_KEY: sessionKey, PRISMA_MANAGEMENT_API_SECRET: 'env-secret'},
      home: await home(legacyConfig),
    })
    assert.equal(auth.source, 'env-secret')
    assert.equal(auth.algorithm, 'HS256')
    assert.equal(auth.description, 'HS256 with PRISMA_MANAGEMENT_API_SECRET')
    verifyJwt(auth.token!, {secret: 'env-secret'})
    assert.deepEqual(lines, ['management token: HS256 with PRISMA_MANAGEMENT_API_SECRET'])
  })

  test('a secret with a line break or a space at an end is a UserError, never a token signed with the wrong key', async () => {
    for (const value of [' s ', 's\n', 'first\nsecond', 'trailing\t', 'crlf\r\n']) {
      await assert.rejects(
        resolveManagementAuth({env: {PRISMA_MANAGEMENT_API_SECRET: value}, home: await home()}),
        (error: unknown) => error instanceof UserError && /PRISMA_MANAGEMENT_API_SECRET contains/.test(error.message) && !error.message.includes(value),
      )
    }
  })

  test('spaces inside a secret are part of it (a YAML value in the server configuration may have them)', async () => {
    for (const secret of ['correct horse battery staple', 'a\tb']) {
      const auth = await resolveManagementAuth({env: {PRISMA_MANAGEMENT_API_SECRET: secret}, home: await home()})
      verifyJwt(auth.token!, {secret})
    }
  })

  test('an explicitly empty secret is a UserError', async () => {
    for (const value of ['', '   ']) {
      await assert.rejects(
        resolveManagementAuth({env: {PRISMA_MANAGEMENT_API_SECRET: value}, home: await home()}),
        (error: unknown) => error instanceof UserError && /PRISMA_MANAGEMENT_API_SECRET is set but empty/.test(error.message),
      )
    }
  })

  test('without the secret, the legacy key of the cluster whose host matches signs RS256', async () => {
    const lines: string[] = []
    const dir = await home(legacyConfig)
    const auth = await resolveManagementAuth({
      debug: (line) => lines.push(line),
      endpoint: parseEndpoint('http://localhost:4466/svc/dev'),
      env: {CLOUD_API_ENDPOINT: cloud.url},
      grants: [{action: '*', target: 'svc/dev'}],
      home: dir,
    })
    assert.equal(auth.source, 'legacy-cluster-key')
    assert.equal(auth.algorithm, 'RS256')
    assert.equal(auth.cluster, 'legacy')
    const {payload} = verifyJwt(auth.token!, {publicKey: rsa.publicKey})
    assert.deepEqual(payload.grants, [{action: '*', target: 'svc/dev'}])
    assert.match(lines[0], /RS256 with the clusterSecret of cluster "legacy"/)
    assert.ok(!lines[0].includes('PRIVATE KEY'))
  })

  test('a legacy key for another host is not used', async () => {
    const auth = await resolveManagementAuth({
      endpoint: parseEndpoint('http://localhost:5555/svc/dev'),
      env: {CLOUD_API_ENDPOINT: cloud.url},
      home: await home(legacyConfig),
    })
    assert.equal(auth.source, 'none')
    assert.equal(auth.token, undefined)
  })

  test('a legacy key that cannot sign is passed over (a server without auth stays reachable), and the reason names it', async () => {
    const auth = await resolveManagementAuth({
      endpoint: parseEndpoint('http://localhost:4466/svc/dev'),
      env: {},
      home: await home({clusters: {broken: {clusterSecret: 'nope', host: 'http://localhost:4466'}}}),
    })
    assert.equal(auth.source, 'none')
    assert.equal(auth.token, undefined)
    assert.match(auth.reason!, /PRISMA_MANAGEMENT_API_SECRET is not set and the clusterSecret of cluster "broken" in .*config\.yml is not a PEM private key/)
    assert.ok(!auth.reason!.includes('nope'))
  })

  test('a self-hosted server on its own domain is never sent to the cloud API', async () => {
    const before = cloud.requests.length
    const auth = await resolveManagementAuth({
      endpoint: parseEndpoint('https://prisma.mycompany.com/svc/dev'),
      env: {CLOUD_API_ENDPOINT: cloud.url, PRISMA_CLOUD_SESSION_KEY: sessionKey},
      home: await home({cloudSessionKey: sessionKey}),
    })
    assert.equal(auth.source, 'none')
    assert.equal(cloud.requests.length, before)
  })

  test('a Prisma Cloud server gets a cluster token from the cloud API with the session key', async () => {
    const before = cloud.requests.length
    const auth = await resolveManagementAuth({
      endpoint: parseEndpoint('https://my-cluster_team.prisma.sh/svc/dev'),
      env: {CLOUD_API_ENDPOINT: cloud.url},
      home: await home({cloudSessionKey: sessionKey}),
    })
    assert.equal(auth.source, 'cloud-session')
    const calls = cloud.requests.slice(before)
    assert.equal(calls.length, 1)
    assert.deepEqual(calls[0].fields, ['generateClusterToken'])
    assert.equal(calls[0].authorization, `Bearer ${sessionKey}`)
    assert.deepEqual(calls[0].variables, {input: {clusterName: 'my-cluster', serviceName: 'svc', stageName: 'dev', workspaceSlug: 'team'}})
    const {payload} = verifyJwt(auth.token!, {secret: 'cloud-cluster-secret'})
    assert.deepEqual(payload.grants, [{action: '*', target: 'svc/dev'}])
  })

  test('PRISMA_CLOUD_SESSION_KEY wins over the stored key', async () => {
    const before = cloud.requests.length
    const auth = await resolveManagementAuth({
      endpoint: parseEndpoint('https://my-cluster_team.prisma.sh/svc/dev'),
      env: {CLOUD_API_ENDPOINT: cloud.url, PRISMA_CLOUD_SESSION_KEY: sessionKey},
      home: await home({cloudSessionKey: 'stale-key'}),
    })
    assert.equal(auth.source, 'cloud-session')
    assert.equal(cloud.requests[before].authorization, `Bearer ${sessionKey}`)
    assert.match(auth.description, /PRISMA_CLOUD_SESSION_KEY/)
  })

  test('a Prisma Cloud server without a session: no token, no request', async () => {
    const before = cloud.requests.length
    const auth = await resolveManagementAuth({endpoint: parseEndpoint('https://my-cluster.prisma.sh/svc/dev'), env: {CLOUD_API_ENDPOINT: cloud.url}, home: await home()})
    assert.equal(auth.token, undefined)
    assert.equal(cloud.requests.length, before)
  })

  test('no endpoint and no secret: no token, and config.yml is not even needed', async () => {
    const dir = await home()
    await mkdir(join(dir, '.prisma'), {recursive: true})
    await writeFile(join(dir, '.prisma', 'config.yml'), 'broken: [\n')
    const auth = await resolveManagementAuth({env: {}, home: dir})
    assert.equal(auth.source, 'none')
  })

  test('cloud hosts are prisma.sh and its sub-domains only', () => {
    assert.equal(isPrismaCloudHost('https://eu1.prisma.sh'), true)
    assert.equal(isPrismaCloudHost('https://prisma.sh'), true)
    assert.equal(isPrismaCloudHost('https://x.y.prisma.sh:443'), true)
    assert.equal(isPrismaCloudHost('https://notprisma.sh'), false)
    assert.equal(isPrismaCloudHost('https://prisma.sh.evil.com'), false)
    assert.equal(isPrismaCloudHost('http://localhost:4466'), false)
  })
})
