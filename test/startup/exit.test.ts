// The process ends as soon as the command is done, by itself, but never before a slow reader has all of its output.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {test} from 'node:test'

import {project} from '../deploy/fixtures.js'
import {binPath, cliEnvironment, repoRoot, runCli, tempDir} from '../helpers/cli.js'
import {startCloudServer} from '../stand-in/cloud-api.js'
import {startManagementServer} from '../stand-in/management-server.js'

const sessionKey = 'exit-session-key-51f0'

test('a large --json document reaches a reader that starts reading late, whole', async (t) => {
  const server = await startManagementServer({migrationStepMs: 1})
  t.after(() => server.close())
  const dir = await project(`${server.url}/svc/dev`)
  // the service exists with a small datamodel; the dry run of the large one lists every step
  assert.equal((await runCli(['deploy'], {cwd: dir})).code, 0)
  const types = Array.from({length: 1500}, (_, index) => `type Model${index} {\n  id: ID! @id\n  title: String!\n}\n`).join('\n')
  await writeFile(join(dir, 'datamodel.prisma'), types)
  const {env} = await cliEnvironment()
  const child = spawn(process.execPath, [binPath, 'deploy', '--dry-run', '--json'], {cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe']})
  // nothing is read until the pipe has long been full (64 kB): the CLI must wait for the reader, not exit
  child.stdout.pause()
  const chunks: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  await new Promise((resolve) => setTimeout(resolve, 1500))
  child.stdout.resume()
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const text = Buffer.concat(chunks).toString('utf8')
  assert.ok(text.length > 200_000, `only ${text.length} bytes`)
  const document = JSON.parse(text) as {status: string; steps: unknown[]}
  assert.equal(document.status, 'dry-run')
  assert.ok(document.steps.length >= 3000)
  assert.equal(code, 0)
})

// Every command ends because nothing is left open (no process.exit after the command): a connection kept alive, a
// timer, a listener on stdin would hold the process. The server keeps idle connections for two minutes, so a client
// that leaves its connection in use would hold the process far beyond the bound.
test('each command ends by itself, promptly, with nothing left open', async (t) => {
  const server = await startManagementServer({keepAliveMs: 120_000, migrationStepMs: 1})
  const cloud = await startCloudServer({sessionKeys: {[sessionKey]: {email: 'ada@example.com', name: 'Ada', workspaces: [{slug: 'ada'}]}}})
  t.after(() => Promise.all([server.close(), cloud.close()]))
  const dir = await project(`${server.url}/leaks/dev`, undefined, 'secret: a-service-secret\nseed:\n  import: seed.graphql\ngenerate:\n  - generator: graphql-schema\n    output: ./generated/prisma.graphql\n', {
    'seed.graphql': 'mutation { createUser(data: {name: "Ada"}) { id } }\n',
  })
  const probe = pathToFileURL(join(repoRoot, 'test', 'startup', 'exit-probe.mjs')).href
  const home = await tempDir('home-')
  const env = {CLOUD_API_ENDPOINT: cloud.url, HOME: home, NODE_OPTIONS: `--import ${probe}`, PRISMA_MANAGEMENT_API_SECRET: 'a-management-secret'}
  const runs = [
    ['--version'],
    ['--help'],
    ['deploy', '--help'],
    ['deploy'],
    ['deploy'],
    ['info'],
    ['list'],
    ['migrations'],
    ['token'],
    ['cluster-token'],
    ['generate'],
    ['seed', '--reset'],
    ['export', '-p', 'data.zip'],
    ['reset', '--force'],
    ['import', '--data', 'data.zip'],
    ['login', '--key', sessionKey],
    ['account'],
    ['logout'],
    ['delete', '--force'],
  ]
  for (const args of runs) {
    const started = Date.now()
    const result = await runCli(args, {cwd: dir, env, timeoutMs: 60_000})
    const took = Date.now() - started
    const name = `prisma ${args.join(' ')}`
    assert.equal(result.code, 0, `${name}: ${result.stderr}`)
    assert.equal(result.signal, null, name)
    assert.doesNotMatch(result.stderr, /\[exit-probe\]/, `${name} was ended by process.exit`)
    assert.ok(took < 10_000, `${name} took ${took} ms to end`)
  }
})
