// Secrets never reach the output: every command and every fault of scenarios.ts runs with DEBUG=* and known
// secrets (management secret, a legacy private key, a cloud session key, a service secret), and stdout and stderr
// are scanned for them and for anything shaped like a JWT. Only the token a token command printed may appear, on
// its own stdout.
import assert from 'node:assert/strict'
import {after, describe, test} from 'node:test'

import {join} from 'node:path'

import {tempDir, writeTree} from '../helpers/cli.js'
import {keys, spawnPty} from '../helpers/pty.js'
import {startManagementServer} from '../stand-in/management-server.js'
import {verifyJwt} from '../tokens/verifier.js'
import {findLeaks} from './checks.js'
import {makeSecrets, scenarios} from './scenarios.js'

const secrets = makeSecrets()
let scanned = 0
let hits = 0

describe('no secret in any output, DEBUG=* included', {concurrency: 3}, () => {
  test('the scan finds every kind of secret it looks for', () => {
    const keyLine = secrets.privateKeyPem.split('\n')[3]
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJncmFudHMiOltdfQ.c2lnbmF0dXJlLXZhbHVl'
    for (const [text, what] of [
      [`token: ${secrets.managementSecret}`, 'management secret'],
      [`key=${secrets.sessionKey}`, 'cloud session key'],
      [`  ${keyLine}\n`, 'private key line 3'],
      [secrets.serviceSecret, 'service secret'],
      [Buffer.from(secrets.managementSecret).toString('base64'), 'management secret (encoded)'],
      [`Authorization: Bearer ${jwt}`, 'a JWT'],
    ]) {
      assert.ok(findLeaks({stderr: text, stdout: ''}, secrets).some((hit) => hit.startsWith(what)), what)
    }

    assert.deepEqual(findLeaks({stderr: '', stdout: `${jwt}\n`}, secrets, jwt), [], 'the printed token may be on stdout')
    assert.notDeepEqual(findLeaks({stderr: `${jwt}\n`, stdout: ''}, secrets, jwt), [], 'but not on stderr')
  })

  for (const scenario of scenarios) {
    test(`${scenario.kind}: ${scenario.name}`, async () => {
      const {printedToken, printedTokenKey, result} = await scenario.run(secrets, {DEBUG: '*'})
      assert.equal(result.code, scenario.exit, `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`)
      if (printedToken) {
        assert.ok(printedTokenKey, 'a scenario that prints a token names the key it verifies with')
        verifyJwt(printedToken, printedTokenKey)
      }
      if (scenario.name.startsWith('deploy (management secret')) assert.match(result.stderr, /management token: HS256/, 'DEBUG output is on')
      const leaks = findLeaks(result, secrets, printedToken)
      scanned += 1
      hits += leaks.length
      assert.deepEqual(leaks, [], `--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`)
    })
  }

  test('the endpoint wizard on a terminal with DEBUG=*: the typed management secret and the token stay hidden', async () => {
    const server = await startManagementServer({auth: {mode: 'symmetric', secret: secrets.managementSecret}, migrationStepMs: 5})
    try {
      const dir = join(await tempDir('secrets-wizard-'), 'secure-app')
      await writeTree({'datamodel.prisma': 'type User {\n  id: ID! @id\n}\n', 'prisma.yml': `datamodel: datamodel.prisma\nsecret: ${secrets.serviceSecret}\n`}, dir)
      const session = await spawnPty(['deploy'], {cwd: dir, env: {DEBUG: '*', PRISMA_CLOUD_SESSION_KEY: secrets.sessionKey, PRISMA_LOCAL_SERVER_URL: server.url}})
      await session.waitFor('Use other server')
      session.write(keys.enter)
      await session.waitFor('Enter the management API secret')
      session.type(secrets.managementSecret)
      await session.waitFor('Choose a name for your service')
      session.write(keys.enter)
      await session.waitFor('Choose a name for your stage')
      session.write(keys.enter)
      const exit = await session.exit
      const transcript = session.transcript()
      assert.equal(exit.code, 0, transcript)
      assert.match(transcript, /Your Prisma endpoint is live/)
      assert.match(transcript, /management token: HS256/, 'DEBUG output is on')
      const leaks = findLeaks({stderr: '', stdout: transcript}, secrets)
      scanned += 1
      hits += leaks.length
      assert.deepEqual(leaks, [], transcript)
    } finally {
      await server.close()
    }
  })

  after(() => {
    process.stdout.write(`# secrets: ${scanned} runs with DEBUG=* scanned, ${hits} secrets found in output\n`)
  })
})
