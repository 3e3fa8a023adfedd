// `prisma cluster-token` runs in shell loops: with PRISMA_MANAGEMENT_API_SECRET set it needs no server, so its
// path loads no network module and none of the libraries only other commands need.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {test} from 'node:test'

import {tempDir} from '../helpers/cli.js'
import {heavyModulesIn, networkBuiltins, packageOf, runRecordingModules} from './modules.js'

test('prisma cluster-token with PRISMA_MANAGEMENT_API_SECRET loads no network module, GraphQL, prompt or JWT library', async () => {
  const cwd = await tempDir('prisma-empty-')
  const result = await runRecordingModules(['cluster-token'], {cwd, env: {PRISMA_MANAGEMENT_API_SECRET: 'a-management-secret'}})
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/, 'prints one token')
  assert.ok(result.modules.some((path) => path.endsWith(join('dist', 'commands', 'cluster-token.js'))), 'the recorder saw the command')
  const heavy = heavyModulesIn(result.modules).filter((found) => /^(GraphQL|prompt|JWT|HTTP client)/.test(found))
  assert.deepEqual(heavy, [], 'cluster-token should import these only on the paths that need them')
  assert.deepEqual(
    result.modules.filter((path) => networkBuiltins.includes(path)),
    [],
    'cluster-token with the secret in the environment should not touch the network',
  )
  assert.ok(!result.modules.some((path) => packageOf(path) === 'semver'), "oclif's engine check (semver) is skipped")
  // the libraries @oclif/core requires at start but uses only on rare paths (scripts/build.mjs) stay unread
  assert.deepEqual(result.modules.filter((path) => path.includes(join('dist', 'lazy'))), [], 'no file of dist/lazy/ is read')
  for (const library of ['ejs', 'minimatch', 'tinyglobby', 'lilconfig', 'cli-spinners', 'wrap-ansi', 'string-width', 'clean-stack']) {
    assert.ok(!result.modules.some((path) => packageOf(path) === library), `${library} is not loaded`)
  }
  assert.ok(result.modules.includes('env:OCLIF_DISABLE_ENGINE_WARNING=(unset)'), 'the environment the command sees is unchanged')
})
