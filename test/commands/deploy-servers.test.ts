// prisma deploy against servers of every auth mode and age, and against Prisma Cloud servers.
import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {createServer as createHttpServer, type Server} from 'node:http'
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {connect, type AddressInfo} from 'node:net'
import {createSecureContext, TLSSocket} from 'node:tls'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {runCli, tempDir, writeTree} from '../helpers/cli.js'
import {management, operations, project, userWithEmail} from '../deploy/fixtures.js'
import {startCloudServer} from '../stand-in/cloud-api.js'
import {startManagementServer} from '../stand-in/management-server.js'
import {verifyJwt} from '../tokens/verifier.js'

function bearer(request: {headers: Record<string, string>}): string | undefined {
  return /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
}

describe('prisma deploy with management auth', () => {
  test('symmetric: every request carries the HS256 token signed with PRISMA_MANAGEMENT_API_SECRET', async (t) => {
    const server = await startManagementServer({auth: {mode: 'symmetric', secret: 's3cr3t'}, migrationStepMs: 5})
    t.after(() => server.close())
    const dir = await project(`${server.url}/svc/dev`)
    const result = await runCli(['deploy'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_SECRET: 's3cr3t'}})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Your Prisma endpoint is live/)
    const requests = management(server.requests)
    assert.ok(requests.length >= 4)
    for (const request of requests) {
      const token = bearer(request)
      assert.ok(token, `${request.operationName} without token`)
      assert.equal(verifyJwt(token, {secret: 's3cr3t'}).header.alg, 'HS256')
    }
    assert.doesNotMatch(result.stdout + result.stderr, /s3cr3t/)
  })

  test('symmetric: the secret can come from --env-file', async (t) => {
    const server = await startManagementServer({auth: {mode: 'symmetric', secret: 'from-file'}, migrationStepMs: 5})
    t.after(() => server.close())
    const dir = await project(`${server.url}/svc/dev`, undefined, '', {'.env.ci': 'PRISMA_MANAGEMENT_API_SECRET=from-file\n'})
    const result = await runCli(['deploy', '--env-file', '.env.ci'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(server.project('svc', 'dev')?.revision, 2)
  })

  test('symmetric without a secret: exit 1, names PRISMA_MANAGEMENT_API_SECRET, nothing created', async (t) => {
    const server = await startManagementServer({auth: {mode: 'symmetric', secret: 's3cr3t'}})
    t.after(() => server.close())
    const dir = await project(`${server.url}/svc/dev`)
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /requires the Management API secret\. Please set the PRISMA_MANAGEMENT_API_SECRET/)
    assert.doesNotMatch(result.stderr, /\n\s+at /)
    assert.equal(server.project('svc', 'dev'), undefined)
    assert.deepEqual(operations(server.requests), ['deployProbe'])
  })

  test('symmetric with a wrong secret: exit 1, says the variable is set incorrectly, never shows it', async (t) => {
    const server = await startManagementServer({auth: {mode: 'symmetric', secret: 's3cr3t'}})
    t.after(() => server.close())
    const dir = await project(`${server.url}/svc/dev`)
    const result = await runCli(['deploy'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_SECRET: 'wrong-secret'}})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /PRISMA_MANAGEMENT_API_SECRET environment\s+variable is set incorrectly/)
    assert.match(result.stderr, /Invalid signature/)
    assert.doesNotMatch(result.stdout + result.stderr, /wrong-secret|eyJ/)
  })

  test('asymmetric (legacy servers): RS256 with the clusterSecret of ~/.prisma/config.yml', async (t) => {
    const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
    const server = await startManagementServer({
      auth: {mode: 'asymmetric', publicKey: publicKey.export({format: 'pem', type: 'spki'}).toString()},
      migrationStepMs: 5,
    })
    t.after(() => server.close())
    const pem = privateKey.export({format: 'pem', type: 'pkcs8'}).toString()
    const home = await tempDir('home-')
    await writeTree(
      {
        '.prisma/config.yml': `clusters:\n  legacy:\n    host: '${server.url}'\n    clusterSecret: |\n${pem
          .trim()
          .split('\n')
          .map((line) => `      ${line}`)
          .join('\n')}\n`,
      },
      home,
    )
    const dir = await project(`${server.url}/svc/dev`)
    const result = await runCli(['deploy'], {cwd: dir, env: {HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    for (const request of management(server.requests)) {
      const token = bearer(request)
      assert.ok(token)
      assert.equal(verifyJwt(token, {publicKey}).header.alg, 'RS256')
    }
  })

  test('an old config.yml whose clusterSecret cannot sign does not stop a deploy to a server without auth', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5})
    t.after(() => server.close())
    const home = await tempDir('home-')
    await writeTree({'.prisma/config.yml': `clusters:\n  local:\n    host: '${server.url}'\n    clusterSecret: abc\n`}, home)
    const dir = await project(`${server.url}/svc/dev`)
    const result = await runCli(['deploy'], {cwd: dir, env: {HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Your Prisma endpoint is live/)
    assert.ok(management(server.requests).every((request) => bearer(request) === undefined), 'no token was sent')
  })
})

describe('prisma deploy against older servers', () => {
  test('pre-1.5 server: no force, no steps on the payload; changes come from the migration', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5, profile: 'pre-1.5'})
    t.after(() => server.close())
    const dir = await project(`${server.url}/old/dev`)
    const first = await runCli(['deploy'], {cwd: dir})
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.stdout, /\+ Created field `name` of type `String!`/)
    assert.doesNotMatch(first.stdout, /Prisma Admin/, 'servers before 1.29 have no admin')
    const deploys = management(server.requests).filter((request) => request.operationName === 'deploy')
    assert.equal(deploys.length, 1)
    assert.doesNotMatch(deploys[0].query ?? '', /force|warnings|noMigration/)

    const changed = await project(`${server.url}/old/dev`, userWithEmail)
    const second = await runCli(['deploy'], {cwd: changed})
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stdout, /\+ Created field `email` of type `String`/)
  })

  test('pre-1.5 server: --no-migrate is refused with the version that supports it', async (t) => {
    const server = await startManagementServer({profile: 'pre-1.5'})
    t.after(() => server.close())
    const dir = await project(`${server.url}/old/dev`)
    const result = await runCli(['deploy', '--no-migrate'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /You provided the --no-migrate option, but the Prisma server doesn't support it yet\. It's supported in Prisma 1\.26 and above\./)
    assert.ok(!operations(server.requests).includes('deploy'))
  })

  test('1.34 server: --no-migrate sends noMigration', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5})
    t.after(() => server.close())
    const dir = await project(`${server.url}/nm/dev`)
    const result = await runCli(['deploy', '--no-migrate'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    const deploy = management(server.requests).find((request) => request.operationName === 'deploy')
    assert.match(deploy?.query ?? '', /noMigration: true/)
  })

  test('server with only the old /cluster path: switches once and stays there', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5, profile: 'cluster-path'})
    t.after(() => server.close())
    const dir = await project(`${server.url}/legacy/dev`)
    const result = await runCli(['deploy'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    const paths = server.requests.map((request) => request.path)
    assert.equal(paths[0], '/management')
    assert.ok(paths.slice(1).every((path) => path === '/cluster'), paths.join())
    assert.equal(server.project('legacy', 'dev')?.revision, 2)
  })

  test('server with its Management API switched off: one paragraph saying so and what turns it on', async (t) => {
    const server = await startManagementServer({managementApi: false, migrationStepMs: 5})
    t.after(() => server.close())
    const dir = await project(`${server.url}/svc/dev`)
    for (const args of [['deploy'], ['deploy', '--json']]) {
      const result = await runCli(args, {cwd: dir})
      assert.equal(result.code, 1)
      const message = args.includes('--json') ? JSON.parse(result.stdout).message : result.stderr
      assert.match(message, /does not serve its Management API: \/management and \/cluster both answer as service paths/)
      assert.match(message, /Project not found: 'cluster\$default'/)
      assert.match(message, /enableManagementApi: true/)
    }
    assert.deepEqual([...new Set(server.requests.map((request) => request.path))], ['/management', '/cluster'])
  })
})

/** An HTTP proxy that tunnels every CONNECT to one target (so that any host name reaches the stand-in). */
async function tunnelProxy(target: URL, tls?: {cert: string; key: string}): Promise<{url: string; connects: string[]; close(): Promise<void>}> {
  const connects: string[] = []
  const server: Server = createHttpServer((_request, response) => {
    response.writeHead(501).end()
  })
  server.on('connect', (request, socket, head) => {
    connects.push(request.url ?? '')
    const upstream = connect(Number(target.port), target.hostname, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) socket.unshift(head)
      // with a certificate, the tunnel ends TLS itself and forwards plain HTTP to the stand-in
      const client = tls ? new TLSSocket(socket, {isServer: true, secureContext: createSecureContext(tls)}) : socket
      upstream.pipe(client)
      client.pipe(upstream)
      client.on('error', () => upstream.destroy())
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
    connects,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  }
}

describe('prisma deploy through a proxy, to Prisma Cloud servers', () => {
  test('HTTP_PROXY is used for the server; NO_PROXY hosts go direct', async (t) => {
    const server = await startManagementServer({migrationStepMs: 5})
    t.after(() => server.close())
    const proxy = await tunnelProxy(new URL(server.url))
    t.after(() => proxy.close())
    const dir = await project('http://prisma-behind-proxy.example:4466/svc/dev')
    const result = await runCli(['deploy'], {cwd: dir, env: {HTTP_PROXY: proxy.url}})
    assert.equal(result.code, 0, result.stderr)
    assert.ok(proxy.connects.some((target) => target.startsWith('prisma-behind-proxy.example:4466')), proxy.connects.join())
    assert.match(result.stdout, /HTTP: {2}http:\/\/prisma-behind-proxy\.example:4466\/svc\/dev/)

    proxy.connects.length = 0
    const direct = await project(`${server.url}/direct/dev`)
    const bypass = await runCli(['deploy'], {cwd: direct, env: {HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1'}})
    assert.equal(bypass.code, 0, bypass.stderr)
    assert.deepEqual(proxy.connects, [])
  })

  test('private Prisma Cloud server: service name as is, cluster token from the cloud API', async (t) => {
    const server = await startManagementServer({auth: {mode: 'symmetric', secret: 'cloud-cluster-secret'}, migrationStepMs: 5})
    t.after(() => server.close())
    const cloud = await startCloudServer({
      clusterTokenSecret: 'cloud-cluster-secret',
      sessionKeys: {
        'session-key-1': {
          email: 'dev@example.com',
          workspaces: [{clusters: [{endpoint: 'http://myserver_my-ws.prisma.sh', name: 'myserver'}], slug: 'my-ws'}],
        },
      },
    })
    t.after(() => cloud.close())
    const proxy = await tunnelProxy(new URL(server.url))
    t.after(() => proxy.close())
    const dir = await project('http://myserver_my-ws.prisma.sh/svc/dev')
    const result = await runCli(['deploy'], {
      cwd: dir,
      env: {CLOUD_API_ENDPOINT: cloud.url, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1', PRISMA_CLOUD_SESSION_KEY: 'session-key-1'},
    })
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`)
    assert.ok(server.project('svc', 'dev'))
    for (const request of management(server.requests)) assert.ok(bearer(request), `${request.operationName} without token`)
    const tokenRequests = cloud.requests.filter((request) => request.fields.includes('generateClusterToken'))
    assert.equal(tokenRequests.length, 1)
    assert.equal(tokenRequests[0].authorization, 'Bearer session-key-1')
    assert.match(result.stderr, /Deploying service `svc` to stage `dev` to server `myserver`/)
    assert.doesNotMatch(result.stdout + result.stderr, /session-key-1/)
  })

  test('shared demo server (https): workspace~service name and a cluster token from the cloud API', async (t) => {
    const tls = await selfSignedCertificate('eu1.prisma.sh')
    if (!tls) {
      t.skip('openssl is not available to make a test certificate')
      return
    }

    const server = await startManagementServer({auth: {mode: 'symmetric', secret: 'cloud-cluster-secret'}, migrationStepMs: 5})
    t.after(() => server.close())
    const cloud = await startCloudServer({
      clusterTokenSecret: 'cloud-cluster-secret',
      sessionKeys: {
        'session-key-1': {
          email: 'dev@example.com',
          workspaces: [{clusters: [{endpoint: 'https://eu1.prisma.sh', name: 'prisma-eu1'}], slug: 'my-ws'}],
        },
      },
    })
    t.after(() => cloud.close())
    const proxy = await tunnelProxy(new URL(server.url), tls)
    t.after(() => proxy.close())
    const dir = await project('https://eu1.prisma.sh/my-ws/svc/dev')
    const result = await runCli(['deploy'], {
      cwd: dir,
      env: {
        CLOUD_API_ENDPOINT: cloud.url,
        HTTPS_PROXY: proxy.url,
        NODE_EXTRA_CA_CERTS: tls.certFile,
        NO_PROXY: '127.0.0.1',
        PRISMA_CLOUD_SESSION_KEY: 'session-key-1',
      },
    })
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}\n${JSON.stringify(cloud.requests.map((r) => r.variables))}`)
    assert.ok(server.project('my-ws~svc', 'dev'), 'the service is named workspace~service')
    for (const request of management(server.requests)) assert.ok(bearer(request), `${request.operationName} without token`)
    assert.match(result.stderr, /Creating stage dev for service svc/)
    assert.match(result.stderr, /to server `prisma-eu1`/)
    assert.match(result.stdout, /HTTP: {2}https:\/\/eu1\.prisma\.sh\/my-ws\/svc\/dev\n {2}WS: {4}wss:\/\/eu1\.prisma\.sh\/my-ws\/svc\/dev/)
  })
})

interface Certificate {
  cert: string
  key: string
  certFile: string
}

async function selfSignedCertificate(host: string): Promise<Certificate | undefined> {
  const dir = await tempDir('cert-')
  const keyFile = join(dir, 'key.pem')
  const certFile = join(dir, 'cert.pem')
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`],
    {stdio: 'ignore'},
  )
  if (made.status !== 0) return undefined
  return {cert: readFileSync(certFile, 'utf8'), certFile, key: readFileSync(keyFile, 'utf8')}
}
