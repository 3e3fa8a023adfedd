// The one test of processes sharing ~/.prisma/config.yml: 50 at once, mixing writers (login --key, logout) and
// readers (cluster-token signing with the legacy key stored in the same file). Every process succeeds, every reader
// gets a valid token, the file parses at every moment a reader could look at it, keeps mode 0600 and every key the
// tool does not know, and no temporary file is left.
import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {test} from 'node:test'

import yaml from 'js-yaml'

import {tempDir, writeTree} from '../helpers/cli.js'
import {verifyJwt} from '../tokens/verifier.js'
import {assertCleanFailure} from './checks.js'
import {freePort, mapLimit, runTracked} from './harness.js'

test('50 concurrent login --key, logout and cluster-token processes: config.yml always parses, 0600, unknown keys kept', async () => {
  const {privateKey, publicKey} = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: {format: 'pem', type: 'pkcs1'},
    publicKeyEncoding: {format: 'pem', type: 'spki'},
  })
  const home = await tempDir('concurrent-home-')
  const dir = join(home, '.prisma')
  await mkdir(dir, {mode: 0o700})
  const server = 'http://127.0.0.1:4466'
  const unknown = {
    clusters: {legacy: {clusterSecret: privateKey, host: server}, other: {host: 'http://other.invalid:4466'}},
    'prisma-1.0': {nested: {list: [1, 'two', {three: 3}], value: 42}},
    zz: 'kept as it was',
  }
  const file = join(dir, 'config.yml')
  await writeFile(file, yaml.dump({...unknown, cloudSessionKey: 'initial-key'}), {mode: 0o600})
  const project = await writeTree({'datamodel.prisma': 'type User {\n  id: ID! @id\n}\n', 'prisma.yml': `endpoint: ${server}/svc/dev\ndatamodel: datamodel.prisma\n`})
  const cloud = `http://127.0.0.1:${await freePort()}` // refuses connections: login --key stores the key unverified

  // a reader of our own, looking at the file as often as it can while the processes run, and after each one ends
  let looking = true
  let looks = 0
  const torn: string[] = []
  const look = async () => {
    try {
      const text = await readFile(file, 'utf8')
      const data = yaml.load(text) as Record<string, unknown>
      if (!data || typeof data !== 'object' || (data as {zz?: unknown}).zz !== unknown.zz) torn.push(text.slice(0, 200))
      const mode = (await stat(file)).mode & 0o777
      if (mode !== 0o600) torn.push(`mode ${mode.toString(8)}`)
      looks += 1
    } catch (error) {
      torn.push(String(error))
    }
  }

  const watcher = (async () => {
    while (looking) {
      await look()
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
  })()

  const keys = Array.from({length: 20}, (_, index) => `session-key-${index}`)
  const jobs = Array.from({length: 50}, (_, index) => {
    if (index % 5 < 2) return {args: ['login', '--key', keys[(index >> 1) % keys.length]], kind: 'login'}
    if (index % 5 === 2) return {args: ['logout'], kind: 'logout'}
    return {args: ['cluster-token'], kind: 'read'}
  })
  const results = await mapLimit(jobs, 50, async (job) => {
    const result = await runTracked(job.args, {cwd: project, env: {CLOUD_API_ENDPOINT: cloud, HOME: home}, timeoutMs: 180_000})
    await look()
    return result
  })
  looking = false
  await watcher

  for (const [index, result] of results.entries()) {
    const context = `${jobs[index].args.join(' ')}: exit ${result.code}\n${result.stderr}`
    assert.equal(result.code, 0, context)
    assert.equal(result.leftover, false, context)
    if (jobs[index].kind === 'read') {
      // the legacy key was read whole: the token verifies with its public key
      assert.doesNotThrow(() => verifyJwt(result.stdout.trim(), {publicKey}), context)
    }
  }

  assert.deepEqual(torn, [], 'every look at config.yml found a whole file with mode 0600')
  assert.ok(looks >= 50, `the watcher looked ${looks} times`)
  const data = yaml.load(await readFile(file, 'utf8')) as Record<string, unknown>
  const {cloudSessionKey, ...rest} = data
  assert.deepEqual(rest, unknown)
  assert.ok(cloudSessionKey === undefined || keys.includes(cloudSessionKey as string), String(cloudSessionKey))
  assert.equal((await stat(file)).mode & 0o777, 0o600)
  assert.deepEqual(await readdir(dir), ['config.yml'], 'no temporary file left')
  process.stdout.write(`# concurrency: 50 processes (20 login --key, 10 logout, 20 cluster-token), config.yml looked at ${looks} times, intact\n`)
})

test('login and logout meeting a config.yml that does not parse: exit 1 naming it, the file untouched', async () => {
  const home = await tempDir('concurrent-home-')
  await mkdir(join(home, '.prisma'), {mode: 0o700})
  await writeFile(join(home, '.prisma', 'config.yml'), 'cloudSessionKey: "unterminated\n', {mode: 0o600})
  const before = await readFile(join(home, '.prisma', 'config.yml'), 'utf8')
  const results = await mapLimit(Array.from({length: 8}, (_, index) => index), 8, (index) =>
    runTracked(index % 2 ? ['logout'] : ['login', '--key', `k${index}`], {env: {CLOUD_API_ENDPOINT: 'http://127.0.0.1:9', HOME: home}}),
  )
  for (const result of results) {
    assert.equal(result.code, 1, result.stderr)
    assertCleanFailure(result)
    assert.match(result.stderr, /config\.yml/)
  }

  assert.equal(await readFile(join(home, '.prisma', 'config.yml'), 'utf8'), before)
})
