import assert from 'node:assert/strict'
import {mkdir, readFile, stat, writeFile, chmod} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import yaml from 'js-yaml'

import {UserError} from '../../src/errors.js'
import {openGlobalConfig} from '../../src/global-config/index.js'
import {tempDir} from '../helpers/cli.js'

async function homeWith(text?: string): Promise<{home: string; file: string}> {
  const home = await tempDir('home-')
  const file = join(home, '.prisma', 'config.yml')
  if (text !== undefined) {
    await mkdir(join(home, '.prisma'), {recursive: true})
    await writeFile(file, text)
  }

  return {file, home}
}

describe('~/.prisma/config.yml', () => {
  test('a missing file reads as empty; opening creates the folder 0700 and no file', async () => {
    const {file, home} = await homeWith()
    const config = await openGlobalConfig({home})
    assert.equal(config.file, file)
    assert.equal(config.cloudSessionKey, undefined)
    assert.deepEqual(config.clusters, {})
    assert.equal((await stat(join(home, '.prisma'))).mode & 0o777, 0o700)
    await assert.rejects(stat(file), {code: 'ENOENT'})
  })

  test('storing a key creates the file with mode 0600 and only that key', async () => {
    const {file, home} = await homeWith()
    const config = await openGlobalConfig({home})
    await config.setCloudSessionKey('  key-1  ')
    assert.equal((await stat(file)).mode & 0o777, 0o600)
    assert.deepEqual(yaml.load(await readFile(file, 'utf8')), {cloudSessionKey: 'key-1'})
    assert.equal(config.cloudSessionKey, 'key-1')
  })

  test('an existing world-readable file becomes 0600 when written', async () => {
    const {file, home} = await homeWith('cloudSessionKey: old\n')
    await chmod(file, 0o644)
    await (await openGlobalConfig({home})).setCloudSessionKey('new')
    assert.equal((await stat(file)).mode & 0o777, 0o600)
  })

  test('unknown keys and legacy clusters are preserved through set and delete; nothing is added', async () => {
    const original = {
      clusters: {local: {clusterSecret: 'PEM', host: 'http://localhost:4466'}},
      'prisma-1.0': {nested: [1, 2, {deep: true}]},
      somethingElse: 'kept',
    }
    const {file, home} = await homeWith(yaml.dump(original))
    const config = await openGlobalConfig({home})
    assert.deepEqual(config.clusters, {local: {clusterSecret: 'PEM', host: 'http://localhost:4466'}})
    await config.setCloudSessionKey('abc')
    assert.deepEqual(yaml.load(await readFile(file, 'utf8')), {...original, cloudSessionKey: 'abc'})
    assert.equal(await config.deleteCloudSessionKey(), true)
    const text = await readFile(file, 'utf8')
    assert.deepEqual(yaml.load(text), original)
    assert.ok(!text.includes('__internal__'))
  })

  test('deleting when there is no key changes nothing and creates no file', async () => {
    const {file, home} = await homeWith()
    assert.equal(await (await openGlobalConfig({home})).deleteCloudSessionKey(), false)
    await assert.rejects(stat(file), {code: 'ENOENT'})
  })

  test('writes re-read the file: a key another process added meanwhile is kept', async () => {
    const {file, home} = await homeWith('a: 1\n')
    const config = await openGlobalConfig({home})
    await writeFile(file, 'a: 1\nb: 2\n')
    await config.setCloudSessionKey('k')
    assert.deepEqual(yaml.load(await readFile(file, 'utf8')), {a: 1, b: 2, cloudSessionKey: 'k'})
  })

  for (const [name, text, pattern] of [
    ['unclosed flow sequence', 'cloudSessionKey: abc\nclusters: [\n', /not valid YAML at line \d+, column \d+/],
    ['bad indentation', 'clusters:\n  local:\n    host: a\n   bad: b\n', /not valid YAML at line 4/],
    ['a list at the top', '- a\n- b\n', /holds a list instead of a mapping/],
    ['a scalar at the top', 'just text\n', /holds a string instead of a mapping/],
  ] as const) {
    test(`a file that does not parse (${name}) is an error naming the file, and is never overwritten`, async () => {
      const {file, home} = await homeWith(text)
      await assert.rejects(openGlobalConfig({home}), (error: unknown) => {
        assert.ok(error instanceof UserError)
        assert.match(error.message, pattern)
        assert.ok(error.message.includes(file), error.message)
        return true
      })
      assert.equal(await readFile(file, 'utf8'), text)
    })
  }

  test('a file that breaks after opening is not overwritten either', async () => {
    const {file, home} = await homeWith('cloudSessionKey: a\n')
    const config = await openGlobalConfig({home})
    await writeFile(file, 'x: [\n')
    await assert.rejects(config.setCloudSessionKey('b'), /not valid YAML at line/)
    await assert.rejects(config.deleteCloudSessionKey(), /not valid YAML at line/)
    assert.equal(await readFile(file, 'utf8'), 'x: [\n')
  })

  test('${env:NAME} references are resolved for reading and kept in the file', async () => {
    const text = 'cloudSessionKey: ${env:MY_KEY}\nclusters:\n  legacy:\n    host: ${env:HOST}\n    clusterSecret: s\n'
    const {file, home} = await homeWith(text)
    const config = await openGlobalConfig({env: {HOST: 'http://h:1', MY_KEY: 'from-env'}, home})
    assert.equal(config.cloudSessionKey, 'from-env')
    assert.deepEqual(config.clusters.legacy, {clusterSecret: 's', host: 'http://h:1'})
    await config.deleteCloudSessionKey()
    assert.deepEqual(yaml.load(await readFile(file, 'utf8')), {clusters: {legacy: {clusterSecret: 's', host: '${env:HOST}'}}})
  })

  test('an empty session key is refused', async () => {
    const {home} = await homeWith()
    await assert.rejects((await openGlobalConfig({home})).setCloudSessionKey('  '), UserError)
  })
})
