// What the commands that talk to a server (or could) load: requests go through node:http, so neither Node's fetch
// (undici and its WebAssembly parser) nor an HTTP-client package is loaded, and no prompt or GraphQL library
// unless a prompt or a GraphQL parse is needed.
import assert from 'node:assert/strict'
import {test} from 'node:test'

import {project} from '../deploy/fixtures.js'
import {startManagementServer} from '../stand-in/management-server.js'
import {heavyModulesIn, networkBuiltins, runRecordingModules} from './modules.js'

const fetchInternals = 'node:internal/deps/undici/undici'

test('prisma deploy (new, then unchanged) loads node:http, not fetch, and no prompt, GraphQL or HTTP-client library', async (t) => {
  const server = await startManagementServer({migrationStepMs: 2})
  t.after(() => server.close())
  const dir = await project(`${server.url}/svc/dev`)
  for (const run of ['new service', 'unchanged']) {
    const result = await runRecordingModules(['deploy'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.ok(result.modules.includes('node:http'), `${run}: the request went through node:http`)
    assert.ok(!result.modules.includes(fetchInternals), `${run}: Node's fetch (undici) should not be loaded`)
    assert.ok(!result.modules.includes('node:https'), `${run}: an http:// server needs no TLS`)
    const heavy = heavyModulesIn(result.modules).filter((found) => /^(GraphQL|prompt|HTTP client)/.test(found))
    assert.deepEqual(heavy, [], run)
  }
})

test('prisma token loads no network module', async () => {
  const dir = await project('http://localhost:4466/svc/dev', undefined, 'secret: a-service-secret\n')
  const result = await runRecordingModules(['token'], {cwd: dir})
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/)
  assert.deepEqual(result.modules.filter((path) => networkBuiltins.includes(path)), [])
  assert.deepEqual(heavyModulesIn(result.modules).filter((found) => /^(GraphQL|prompt|HTTP client)/.test(found)), [])
})

test('each server command loads a library only where it needs it: GraphQL to seed or import, the config store for the cloud session, no prompt without a terminal', async (t) => {
  const server = await startManagementServer({migrationStepMs: 1})
  t.after(() => server.close())
  const dir = await project(`${server.url}/loads/dev`, undefined, 'seed:\n  import: seed.graphql\n', {
    'seed.graphql': 'mutation { createUser(data: {name: "Ada"}) { id } }\n',
  })
  const kinds = (modules: string[]) => [...new Set(heavyModulesIn(modules).map((found) => found.split(' ')[0]))].sort()
  // [command, the kinds of library it may load (beyond none)]
  const runs: [string[], string[]][] = [
    [['deploy'], ['GraphQL', 'YAML']], // the new stage is seeded from seed.graphql
    [['info'], ['YAML']],
    [['list'], ['YAML']],
    [['migrations'], ['YAML']],
    [['export', '-p', 'data.zip'], ['YAML']],
    [['seed', '--reset'], ['GraphQL', 'YAML']],
    [['reset', '--force'], ['YAML']],
    [['import', '--data', 'data.zip'], ['GraphQL', 'YAML']], // checks the data against the datamodel's types
    [['delete', '--force'], ['YAML']],
    [['logout'], ['YAML', 'config']],
  ]
  for (const [args, allowed] of runs) {
    const result = await runRecordingModules(args, {cwd: dir})
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
    const loaded = kinds(result.modules)
    assert.deepEqual(
      loaded.filter((kind) => !allowed.includes(kind)),
      [],
      `prisma ${args.join(' ')} loaded ${loaded.join(', ')}; it may load only ${allowed.join(', ')}`,
    )
  }
})
