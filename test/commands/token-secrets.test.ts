// The secret-never-printed property across the token and account commands, with DEBUG on (except where the key is
// on the command line): no management secret,
// service secret, private key or session key appears on stdout or stderr, whatever the command does.
import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, test} from 'node:test'

import yaml from 'js-yaml'

import {runCli, tempDir, writeTree} from '../helpers/cli.js'
import {startCloudServer, type CloudServer} from '../stand-in/cloud-api.js'

const managementSecret = 'MGMT-secret-value-0001'
const serviceSecret = 'SERVICE-secret-value-0002'
const sessionKey = 'SESSION-key-value-0003'
const wrongKey = 'WRONG-key-value-0004'
const rsa = generateKeyPairSync('rsa', {modulusLength: 2048, privateKeyEncoding: {format: 'pem', type: 'pkcs8'}, publicKeyEncoding: {format: 'pem', type: 'spki'}})
const keyLines = rsa.privateKey.split('\n').filter((line) => line.length > 30)

let cloud: CloudServer
before(async () => {
  cloud = await startCloudServer({sessionKeys: {[sessionKey]: {email: 'who@example.com', workspaces: []}}})
})
after(() => cloud.close())

test('no secret value is ever printed by cluster-token, token, login or logout (DEBUG on)', async () => {
  const home = await tempDir('home-')
  await mkdir(join(home, '.prisma'))
  await writeFile(
    join(home, '.prisma', 'config.yml'),
    yaml.dump({cloudSessionKey: sessionKey, clusters: {legacy: {clusterSecret: rsa.privateKey, host: 'http://localhost:4466'}}}),
  )
  const cwd = await writeTree({
    '.env': `SERVICE_SECRET=${serviceSecret}\n`,
    'datamodel.prisma': 'type User {\n  id: ID! @id\n}\n',
    'prisma.yml': 'endpoint: http://localhost:4466/svc/dev\ndatamodel: datamodel.prisma\nsecret: ${env:SERVICE_SECRET}\n',
  })
  const base = {CLOUD_API_ENDPOINT: cloud.url, DEBUG: '*', HOME: home}
  const runs = [
    await runCli(['cluster-token'], {cwd, env: {...base, PRISMA_MANAGEMENT_API_SECRET: managementSecret}}),
    await runCli(['cluster-token', '--json'], {cwd, env: base}),
    await runCli(['cluster-token', '--copy'], {cwd, env: {...base, DISPLAY: undefined, PATH: await tempDir('bin-'), PRISMA_MANAGEMENT_API_SECRET: managementSecret}}),
    await runCli(['token'], {cwd, env: base}),
    await runCli(['token', '--json'], {cwd, env: base}),
    await runCli(['login'], {cwd, env: base}),
    // without DEBUG here: oclif's own debug output echoes the command line, where the user put the key
    await runCli(['login', '--key', wrongKey], {cwd, env: {...base, DEBUG: undefined}}),
    await runCli(['login', '--key', sessionKey], {cwd, env: {...base, DEBUG: undefined}}),
    await runCli(['logout'], {cwd, env: {...base, PRISMA_CLOUD_SESSION_KEY: sessionKey}}),
  ]
  assert.deepEqual(
    runs.map((run) => run.code),
    [0, 0, 1, 0, 0, 0, 1, 0, 0],
    runs.map((run) => run.stderr).join('\n---\n'),
  )
  for (const run of runs) {
    for (const value of [managementSecret, serviceSecret, sessionKey, wrongKey, ...keyLines]) {
      assert.ok(!run.stdout.includes(value), `stdout shows a secret: ${run.stdout}`)
      assert.ok(!run.stderr.includes(value), `stderr shows a secret: ${run.stderr}`)
    }
  }

  // DEBUG says which credential was used
  assert.match(runs[0].stderr, /HS256 with PRISMA_MANAGEMENT_API_SECRET/)
  assert.match(runs[1].stderr, /RS256 with the clusterSecret of cluster "legacy"/)
})
