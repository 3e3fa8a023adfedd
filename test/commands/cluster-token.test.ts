import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import yaml from 'js-yaml'

import {runCli, tempDir, writeTree, type CliResult} from '../helpers/cli.js'
import {startCloudServer} from '../stand-in/cloud-api.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {verifyJwt} from '../tokens/verifier.js'

const secret = 'mgmt-secret-Zq8v3'

function assertNoSecret(result: CliResult, ...values: string[]): void {
  for (const value of [secret, ...values]) {
    assert.ok(!result.stdout.includes(value), `stdout must not contain a secret: ${result.stdout}`)
    assert.ok(!result.stderr.includes(value), `stderr must not contain a secret: ${result.stderr}`)
  }
}

function oneLineToken(result: CliResult): string {
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/, 'stdout is exactly one line: the token')
  return result.stdout.trim()
}

const project = (endpoint = 'http://localhost:4466/svc/dev') => ({
  'datamodel.prisma': 'type User {\n  id: ID! @id\n}\n',
  'prisma.yml': `endpoint: ${endpoint}\ndatamodel: datamodel.prisma\n`,
})

describe('prisma cluster-token', () => {
  test('with PRISMA_MANAGEMENT_API_SECRET: no prisma.yml, no server, one line, HS256, */*, one hour', async () => {
    const result = await runCli(['cluster-token'], {env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
    const token = oneLineToken(result)
    assert.equal(result.stderr, '')
    const {header, payload} = verifyJwt(token, {secret})
    assert.equal(header.alg, 'HS256')
    assert.deepEqual(payload.grants, [{action: '*', target: '*/*'}])
    assert.equal((payload.exp as number) - (payload.iat as number), 3600)
    assertNoSecret(result)
  })

  test('the secret may come from .env in the working directory or from --env-file', async () => {
    const dir = await writeTree({'.env': `PRISMA_MANAGEMENT_API_SECRET=${secret}\n`, 'conf/other.env': 'PRISMA_MANAGEMENT_API_SECRET=other-secret\n'})
    const fromDotEnv = await runCli(['cluster-token'], {cwd: dir})
    verifyJwt(oneLineToken(fromDotEnv), {secret})
    assertNoSecret(fromDotEnv)
    const fromFlag = await runCli(['cluster-token', '--env-file', 'conf/other.env'], {cwd: dir})
    verifyJwt(oneLineToken(fromFlag), {secret: 'other-secret'})
    assertNoSecret(fromFlag, 'other-secret')
  })

  test('with a prisma.yml in the directory it still signs with the secret', async () => {
    const dir = await writeTree({...project(), '.env': `PRISMA_MANAGEMENT_API_SECRET=${secret}\n`})
    verifyJwt(oneLineToken(await runCli(['cluster-token'], {cwd: dir})), {secret})
  })

  test('a broken or missing prisma.yml does not block the token when the secret is set', async () => {
    const dir = await writeTree({'prisma.yml': 'endpoint: [unclosed\n'})
    const broken = await runCli(['cluster-token'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
    verifyJwt(oneLineToken(broken), {secret})
    const missing = await runCli(['cluster-token', '--project', 'nope/prisma.yml'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
    verifyJwt(oneLineToken(missing), {secret})
    const withoutSecret = await runCli(['cluster-token'], {cwd: dir})
    assert.equal(withoutSecret.code, 1)
    assert.equal(withoutSecret.stdout, '')
    assert.match(withoutSecret.stderr, /prisma\.yml/)
  })

  test('no credential: exit 1, nothing on stdout, the message names PRISMA_MANAGEMENT_API_SECRET and how to set it', async () => {
    for (const cwd of [await tempDir(), await writeTree(project())]) {
      const result = await runCli(['cluster-token'], {cwd})
      assert.equal(result.code, 1)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /PRISMA_MANAGEMENT_API_SECRET/)
      assert.match(result.stderr, /export PRISMA_MANAGEMENT_API_SECRET=/)
      assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace')
    }
  })

  test('an explicitly empty secret is an error', async () => {
    const result = await runCli(['cluster-token'], {env: {PRISMA_MANAGEMENT_API_SECRET: ''}})
    assert.equal(result.code, 1)
    assert.match(result.stderr, /PRISMA_MANAGEMENT_API_SECRET is set but empty/)
  })

  test('--json: token, algorithm, grants and expiry', async () => {
    const result = await runCli(['cluster-token', '--json', '--expires-in', '12h'], {env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
    assert.equal(result.code, 0, result.stderr)
    const document = JSON.parse(result.stdout)
    const {payload} = verifyJwt(document.token, {secret})
    assert.equal(document.algorithm, 'HS256')
    assert.deepEqual(document.grants, [{action: '*', target: '*/*'}])
    assert.equal(document.expiresInSeconds, 43_200)
    assert.equal(document.expiresAt, new Date((payload.exp as number) * 1000).toISOString())
    assert.equal(document.credential, 'HS256 with PRISMA_MANAGEMENT_API_SECRET')
    assertNoSecret(result)
  })

  test('--target, --action and --expires-in shape the claims', async () => {
    const result = await runCli(['cluster-token', '--target', 'svc/dev', '--action', 'deploy', '--expires-in', '30m'], {
      env: {PRISMA_MANAGEMENT_API_SECRET: secret},
    })
    const {payload} = verifyJwt(oneLineToken(result), {secret})
    assert.deepEqual(payload.grants, [{action: 'deploy', target: 'svc/dev'}])
    assert.equal((payload.exp as number) - (payload.iat as number), 1800)
  })

  test('bad flag values are errors (a bad duration a usage error, exit 2) and no token', async () => {
    for (const [code, args] of [
      [2, ['--expires-in', 'soon']],
      [2, ['--expires-in', '0']],
      [1, ['--target', 'svc']],
      [1, ['--target', 'a/b/c']],
      // --action depends on --target (an oclif flag relationship): a usage error
      [2, ['--action', 'deploy']],
    ] as const) {
      const result = await runCli(['cluster-token', ...args], {env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
      assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`)
      assert.equal(result.stdout, '')
      assert.ok(result.stderr.trim().length > 0)
    }
  })

  test('--copy puts the token in the clipboard, prints nothing on stdout', async () => {
    const bin = await tempDir('bin-')
    const clip = join(bin, 'clip-content')
    await writeFile(join(bin, 'xclip'), `#!/bin/sh\ncat > "${clip}"\n`)
    await chmod(join(bin, 'xclip'), 0o755)
    const result = await runCli(['cluster-token', '--copy'], {
      env: {DISPLAY: ':99', PATH: `${bin}:${process.env.PATH}`, PRISMA_MANAGEMENT_API_SECRET: secret, WAYLAND_DISPLAY: undefined},
    })
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /Token copied to clipboard/)
    verifyJwt(await readFile(clip, 'utf8'), {secret})
  })

  test('--copy without any clipboard: a clear error, exit 1', async () => {
    const bin = await tempDir('bin-')
    const result = await runCli(['cluster-token', '--copy'], {
      env: {DISPLAY: undefined, PATH: bin, PRISMA_MANAGEMENT_API_SECRET: secret, WAYLAND_DISPLAY: undefined},
    })
    assert.equal(result.code, 1)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /Could not copy the token: no clipboard/)
    assertNoSecret(result)
  })

  test('DEBUG names the credential and algorithm on stderr, never the value', async () => {
    const result = await runCli(['cluster-token'], {env: {DEBUG: '*', PRISMA_MANAGEMENT_API_SECRET: secret}})
    oneLineToken(result)
    assert.match(result.stderr, /HS256 with PRISMA_MANAGEMENT_API_SECRET/)
    assertNoSecret(result)
  })

  test('a Prisma Cloud server: the cluster token comes from the cloud API with the session key', async () => {
    const sessionKey = 'cloud-session-key-31'
    const cloud = await startCloudServer({
      sessionKeys: {[sessionKey]: {email: 'a@b.c', workspaces: [{clusters: [{endpoint: 'https://my-cluster_team.prisma.sh', name: 'my-cluster'}], slug: 'team'}]}},
    })
    try {
      const cwd = await writeTree(project('https://my-cluster_team.prisma.sh/svc/dev'))
      const result = await runCli(['cluster-token', '--json'], {cwd, env: {CLOUD_API_ENDPOINT: cloud.url, PRISMA_CLOUD_SESSION_KEY: sessionKey}})
      assert.equal(result.code, 0, result.stderr)
      const document = JSON.parse(result.stdout)
      verifyJwt(document.token, {secret: 'cloud-cluster-secret'})
      assert.match(document.credential, /Prisma Cloud cluster token/)
      assert.equal(cloud.requests.at(-1)?.authorization, `Bearer ${sessionKey}`)
      assertNoSecret(result, sessionKey)

      // a self-hosted server on its own domain never goes to the cloud API, even with a session
      const before = cloud.requests.length
      const selfHosted = await runCli(['cluster-token'], {
        cwd: await writeTree(project('https://prisma.example.com/svc/dev')),
        env: {CLOUD_API_ENDPOINT: cloud.url, PRISMA_CLOUD_SESSION_KEY: sessionKey},
      })
      assert.equal(selfHosted.code, 1)
      assert.equal(cloud.requests.length, before)
    } finally {
      await cloud.close()
    }
  })

  describe('legacy clusterSecret in ~/.prisma/config.yml', () => {
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: {format: 'pem', type: 'pkcs1'},
      publicKeyEncoding: {format: 'pem', type: 'spki'},
    })
    const keyLine = rsa.privateKey.split('\n')[1]

    async function homeWithCluster(clusterSecret: string): Promise<string> {
      const home = await tempDir('home-')
      await mkdir(join(home, '.prisma'))
      await writeFile(join(home, '.prisma', 'config.yml'), yaml.dump({clusters: {legacy: {clusterSecret, host: 'http://localhost:4466'}}, other: 1}))
      return home
    }

    test('picked by prisma.yml endpoint: RS256 verifies with the public key', async () => {
      const home = await homeWithCluster(rsa.privateKey)
      const result = await runCli(['cluster-token', '--json'], {cwd: await writeTree(project()), env: {HOME: home}})
      assert.equal(result.code, 0, result.stderr)
      const document = JSON.parse(result.stdout)
      assert.equal(document.algorithm, 'RS256')
      verifyJwt(document.token, {publicKey: rsa.publicKey})
      assertNoSecret(result, keyLine)
    })

    test('picked by PRISMA_MANAGEMENT_API_ENDPOINT without prisma.yml', async () => {
      const home = await homeWithCluster(rsa.privateKey)
      const result = await runCli(['cluster-token'], {env: {HOME: home, PRISMA_MANAGEMENT_API_ENDPOINT: 'http://localhost:4466/svc/dev'}})
      verifyJwt(oneLineToken(result), {publicKey: rsa.publicKey})
    })

    test('the explicit secret still wins over the legacy key', async () => {
      const home = await homeWithCluster(rsa.privateKey)
      const result = await runCli(['cluster-token'], {cwd: await writeTree(project()), env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: secret}})
      verifyJwt(oneLineToken(result), {secret})
    })

    test('a key that cannot sign: a clear error naming the cluster', async () => {
      const short = generateKeyPairSync('rsa', {modulusLength: 1024, privateKeyEncoding: {format: 'pem', type: 'pkcs8'}, publicKeyEncoding: {format: 'pem', type: 'spki'}})
      const home = await homeWithCluster(short.privateKey)
      const result = await runCli(['cluster-token'], {cwd: await writeTree(project()), env: {HOME: home}})
      assert.equal(result.code, 1)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /cluster "legacy"/)
      assert.match(result.stderr, /at least 2048 bits/)
      assertNoSecret(result, short.privateKey.split('\n')[1])
    })

    test('a config.yml that does not parse is reported with file and line and left untouched', async () => {
      const home = await tempDir('home-')
      await mkdir(join(home, '.prisma'))
      const broken = 'clusters:\n  legacy: [\n'
      await writeFile(join(home, '.prisma', 'config.yml'), broken)
      const result = await runCli(['cluster-token'], {cwd: await writeTree(project()), env: {HOME: home}})
      assert.equal(result.code, 1)
      assert.match(result.stderr, /config\.yml is not valid YAML at line \d+/)
      assert.equal(await readFile(join(home, '.prisma', 'config.yml'), 'utf8'), broken)
    })
  })

  describe('used as in the documentation: curl -H "Authorization: Bearer $(prisma cluster-token)" <server>/management', () => {
    let server: ManagementServer
    before(async () => {
      server = await startManagementServer({auth: {mode: 'symmetric', secret}})
    })
    after(() => server.close())

    async function management(token: string | undefined, query: string): Promise<{data?: unknown; errors?: Array<{message: string; code?: number}>}> {
      const response = await fetch(`${server.url}/management`, {
        body: JSON.stringify({query}),
        headers: {'content-type': 'application/json', ...(token ? {authorization: `Bearer ${token}`} : {})},
        method: 'POST',
      })
      return (await response.json()) as {data?: unknown; errors?: Array<{message: string; code?: number}>}
    }

    test('the default token is accepted; a token signed with another secret is not', async () => {
      const token = oneLineToken(await runCli(['cluster-token'], {env: {PRISMA_MANAGEMENT_API_SECRET: secret}}))
      const accepted = await management(token, '{ listProjects { name } }')
      assert.equal(accepted.errors, undefined)
      assert.deepEqual(accepted.data, {listProjects: []})

      const wrong = oneLineToken(await runCli(['cluster-token'], {env: {PRISMA_MANAGEMENT_API_SECRET: 'not-the-secret'}}))
      const refused = await management(wrong, '{ listProjects { name } }')
      assert.equal(refused.errors?.[0]?.code, 3015)
    })

    test('a token scoped with --target does not grant listProjects', async () => {
      const token = oneLineToken(await runCli(['cluster-token', '--target', 'svc/dev'], {env: {PRISMA_MANAGEMENT_API_SECRET: secret}}))
      const refused = await management(token, '{ listProjects { name } }')
      assert.equal(refused.errors?.[0]?.code, 3015)
      assert.match(refused.errors?.[0]?.message ?? '', /none satisfied the request/)
    })
  })
})
