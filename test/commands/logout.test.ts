import assert from 'node:assert/strict'
import {mkdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import yaml from 'js-yaml'

import {runCli, tempDir} from '../helpers/cli.js'

async function homeWith(text?: string): Promise<{home: string; file: string}> {
  const home = await tempDir('home-')
  const file = join(home, '.prisma', 'config.yml')
  if (text !== undefined) {
    await mkdir(join(home, '.prisma'))
    await writeFile(file, text)
  }

  return {file, home}
}

describe('prisma logout', () => {
  test('removes cloudSessionKey and nothing else', async () => {
    const original = {clusters: {legacy: {clusterSecret: 'x', host: 'http://localhost:4466'}}, custom: ['a', 'b']}
    const {file, home} = await homeWith(yaml.dump({...original, cloudSessionKey: 'secret-session-key'}))
    const result = await runCli(['logout'], {env: {HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'You have been successfully logged out.\n')
    assert.deepEqual(yaml.load(await readFile(file, 'utf8')), original)
    assert.equal((await stat(file)).mode & 0o777, 0o600)
    assert.ok(!result.stdout.includes('secret-session-key') && !result.stderr.includes('secret-session-key'))
  })

  test('harmless when not logged in: same message, no file created', async () => {
    const {file, home} = await homeWith()
    const result = await runCli(['logout'], {env: {HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'You have been successfully logged out.\n')
    await assert.rejects(stat(file), {code: 'ENOENT'})
  })

  test('a config.yml that does not parse: exit 1 naming the file and line, file untouched', async () => {
    const broken = 'cloudSessionKey: abc\n  bad: indentation\n'
    const {file, home} = await homeWith(broken)
    const result = await runCli(['logout'], {env: {HOME: home}})
    assert.equal(result.code, 1)
    assert.ok(result.stderr.includes(file), result.stderr)
    assert.match(result.stderr, /line \d+/)
    assert.equal(await readFile(file, 'utf8'), broken)
  })

  test('says that PRISMA_CLOUD_SESSION_KEY in the environment keeps working', async () => {
    const {home} = await homeWith('cloudSessionKey: k\n')
    const result = await runCli(['logout'], {env: {HOME: home, PRISMA_CLOUD_SESSION_KEY: 'env-session-key'}})
    assert.equal(result.code, 0)
    assert.match(result.stderr, /PRISMA_CLOUD_SESSION_KEY is still set/)
    assert.ok(!result.stderr.includes('env-session-key'))
  })
})
