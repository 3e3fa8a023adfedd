// oclif.manifest.json lets oclif list and find commands without loading their modules; a stale one hides new
// commands and flags. Regenerated into a copy of the package and compared with the committed file.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {cp, readFile, symlink} from 'node:fs/promises'
import {join} from 'node:path'
import {test} from 'node:test'

import {repoRoot, tempDir} from '../helpers/cli.js'

test('oclif.manifest.json is current with the built commands (else run `npm run manifest`)', async () => {
  const copy = await tempDir('prisma-manifest-')
  await cp(join(repoRoot, 'package.json'), join(copy, 'package.json'))
  await cp(join(repoRoot, 'bin'), join(copy, 'bin'), {recursive: true})
  await cp(join(repoRoot, 'dist'), join(copy, 'dist'), {recursive: true})
  await symlink(join(repoRoot, 'node_modules'), join(copy, 'node_modules'), 'junction')

  const generated = spawnSync(process.execPath, [join(copy, 'node_modules', 'oclif', 'bin', 'run.js'), 'manifest'], {
    cwd: copy,
    encoding: 'utf8',
    env: {...process.env, HOME: await tempDir('prisma-home-'), OCLIF_SKIP_NEW_VERSION_CHECK: 'true', DEBUG: ''},
    timeout: 120_000,
  })
  assert.equal(generated.status, 0, `oclif manifest failed: ${generated.stderr}`)

  const fresh = JSON.parse(await readFile(join(copy, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
  const committed = JSON.parse(await readFile(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as typeof fresh
  const stale = [
    ...Object.keys(fresh.commands).filter((id) => !(id in committed.commands)).map((id) => `missing command ${id}`),
    ...Object.keys(committed.commands).filter((id) => !(id in fresh.commands)).map((id) => `command ${id} no longer exists`),
  ]
  assert.deepEqual(stale, [], 'oclif.manifest.json is stale: run `npm run manifest` and commit oclif.manifest.json')
  // Flags, args, descriptions and the rest; key order does not matter.
  assert.deepEqual(committed, fresh, 'oclif.manifest.json is stale: run `npm run manifest` and commit oclif.manifest.json')
})

test('npm run build leaves oclif.manifest.json alone; npm run manifest and prepack write it', async () => {
  const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {scripts: Record<string, string>}
  assert.doesNotMatch(pkg.scripts.build, /manifest/, 'the build must not regenerate the manifest (the test above could not catch staleness)')
  assert.match(pkg.scripts.manifest, /oclif manifest/)
  assert.match(pkg.scripts.prepack, /oclif manifest|npm run manifest/)
})
