import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {test} from 'node:test'

import {repoRoot, runCli} from './helpers/cli.js'

test('--version prints the tool version, platform and Node version', async () => {
  const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {name: string; version: string}
  const result = await runCli(['--version'])
  assert.equal(result.code, 0)
  assert.equal(result.stdout.trim(), `${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}`)
  assert.equal(result.stderr, '')
})
