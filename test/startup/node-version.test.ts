// An older Node gets one line naming the version the tool needs (package.json engines), not a stack trace.
import assert from 'node:assert/strict'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {test} from 'node:test'

import {repoRoot, runCli, tempDir} from '../helpers/cli.js'

const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {engines: {node: string}}

/** A preload that makes the process report another Node version, as an old Node would. */
async function pretendNode(version: string): Promise<string> {
  const dir = await tempDir('prisma-node-version-')
  const file = join(dir, 'pretend.mjs')
  await writeFile(
    file,
    `Object.defineProperty(process, 'versions', {value: {...process.versions, node: ${JSON.stringify(version)}}})\n`,
  )
  return pathToFileURL(file).href
}

test('engines names the Node version the code needs', () => {
  assert.equal(pkg.engines.node, '>=20.3.0')
})

for (const version of ['18.19.0', '20.2.0', '16.20.2']) {
  test(`Node ${version}: one line naming the needed version, exit 1`, async () => {
    const result = await runCli(['deploy'], {env: {NODE_OPTIONS: `--import=${await pretendNode(version)}`}})
    assert.equal(result.code, 1)
    assert.equal(result.stdout, '')
    assert.equal(
      result.stderr,
      `prisma1-cli needs Node.js 20.3 or newer; this is Node.js ${version}. Install a current Node.js (https://nodejs.org) and run the command again.\n`,
    )
  })
}

test('Node 20.3.0 passes the check', async () => {
  const result = await runCli(['--version'], {env: {NODE_OPTIONS: `--import=${await pretendNode('20.3.0')}`}})
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /^prisma1-cli\/\S+ /)
})
