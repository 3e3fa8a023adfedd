// scripts/build.mjs edits @oclif/core's sorting of the command list so that a run does not load ICU's collation data.
// These tests check that the edit is in effect and that it changes no order: every id of ours sorts by code units
// as it sorts by collation, in the locales that tailor the Latin alphabet the most.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {test} from 'node:test'
import {pathToFileURL} from 'node:url'

import {repoRoot, runCli, tempDir} from '../helpers/cli.js'

const manifest = JSON.parse(await readFile(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
const ids = Object.keys(manifest.commands)
const recorder = pathToFileURL(join(repoRoot, 'test', 'startup', 'record-collation.mjs')).href

async function comparesByLocale(args: string[], env: Record<string, string> = {}): Promise<{code: number | null; used: string}> {
  const dir = await tempDir('prisma-collation-')
  const log = join(dir, 'collation.txt')
  const result = await runCli(args, {cwd: dir, env: {...env, NODE_OPTIONS: `--import=${recorder}`, RECORD_COLLATION_TO: log}})
  return {code: result.code, used: await readFile(log, 'utf8')}
}

test('every command id sorts by code units as by collation, in locales with their own alphabetical order', () => {
  assert.ok(ids.length >= 10, `the manifest lists the commands (${ids.length})`)
  for (const id of ids) assert.match(id, /^[a-z0-9:-]*$/, `${id} takes the code-unit comparison of the edit`)
  const byCodeUnits = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  for (const locale of ['en', 'de', 'da', 'sv', 'fi', 'lt', 'cs', 'sk', 'hu', 'pl', 'es', 'tr', 'et', 'ja']) {
    const collator = new Intl.Collator(locale)
    assert.deepEqual([...ids].sort((a, b) => collator.compare(a, b)), byCodeUnits, `order under ${locale}`)
  }
})

test('a run of cluster-token and of --help compares no strings by locale', async () => {
  const token = await comparesByLocale(['cluster-token'], {PRISMA_MANAGEMENT_API_SECRET: 'a-management-secret'})
  assert.equal(token.code, 0)
  assert.equal(token.used, 'none', 'cluster-token loaded the collation data')
  const help = await comparesByLocale(['--help'])
  assert.equal(help.code, 0)
  assert.equal(help.used, 'none', '--help loaded the collation data')
})

test('the recorder notices a comparison by locale', async () => {
  const dir = await tempDir('prisma-collation-')
  const log = join(dir, 'collation.txt')
  const child = spawnSync(process.execPath, ['--import', recorder, '-e', "'b'.localeCompare('a')"], {env: {...process.env, RECORD_COLLATION_TO: log}})
  assert.equal(child.status, 0, String(child.stderr))
  assert.equal(await readFile(log, 'utf8'), 'collation')
})
