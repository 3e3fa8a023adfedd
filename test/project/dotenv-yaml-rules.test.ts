// The original CLI's reading rules for .env (dotenv 4) and prisma.yml scalars (js-yaml 3), without the original
// installed; test/conformance/project-files.test.ts checks the same against the original's loader itself.
import assert from 'node:assert/strict'
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {loadEnvironment, parseDotenv} from '../../src/project/env-file.js'
import {parseYaml} from '../../src/project/yaml.js'

describe('.env lines', () => {
  const cases: Array<[string, string | undefined]> = [
    ['S=abc#123', 'abc#123'],
    ['S=#abc', '#abc'],
    ['S=value # comment', 'value # comment'],
    ['S="  padded  "', 'padded'],
    ['S=`tick`', '`tick`'],
    ['S="a\\nb"', 'a\nb'],
    ["S='a\\nb'", 'a\\nb'],
    ['S="quoted" trailing', 'quoted" trailing'],
    ['S=', ''],
    ['export S=exported', 'exported'],
    ['# S=commented', undefined],
    ['S=a\rb', undefined],
  ]
  for (const [line, expected] of cases) {
    test(JSON.stringify(line), () => {
      assert.equal(parseDotenv(`${line}\n`).get('S'), expected)
    })
  }

  test('a multi-line quoted value keeps its first line; a later line for the same name wins', () => {
    const parsed = parseDotenv('S="first\nsecond"\nT=1\nT=2\r\n')
    assert.equal(parsed.get('S'), 'first')
    assert.equal(parsed.get('T'), '2')
    assert.equal(parsed.size, 2)
  })
})

describe('merging .env into the environment', () => {
  test('set variables win, empty ones take the file value, __proto__ is a plain variable; the input is not changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prisma-dotenv-'))
    await writeFile(join(dir, '.env'), 'SET=file\nEMPTY=file\nNEW=file\n__proto__=file\n')
    const env = {SET: 'env', EMPTY: ''}
    const merged = await loadEnvironment({cwd: dir, env})
    assert.deepEqual({...merged}, {SET: 'env', EMPTY: 'file', NEW: 'file', ['__proto__']: 'file'})
    assert.equal(Object.getPrototypeOf(merged), Object.prototype)
    assert.deepEqual(env, {SET: 'env', EMPTY: ''})
  })
})

describe('prisma.yml scalars as js-yaml 3 typed them', () => {
  const cases: Array<[string, unknown]> = [
    ['0o17', '0o17'],
    ['08', '08'],
    ['1_000', 1000],
    ['12:30:45', 45045],
    ['1:20', 80],
    ['017', 15],
    ['0x1F', 31],
    ['1:20.5', 80.5],
    ['1_', '1_'],
    ['yes', 'yes'],
    ["'1:20'", '1:20'],
  ]
  for (const [text, expected] of cases) {
    test(text, async () => {
      assert.deepEqual(await parseYaml(`v: ${text}\n`, 'prisma.yml'), {v: expected})
    })
  }

  test('tabs: a leading tab is not indentation; after spaces it starts a nested block at its column', async () => {
    assert.deepEqual(await parseYaml('a: 1\n\tb: 2\n', 'prisma.yml'), {a: 1, b: 2})
    assert.deepEqual(await parseYaml('a:\n \tb: 2\n  c: 3\n', 'prisma.yml'), {a: {b: 2, c: 3}})
    assert.deepEqual(await parseYaml('a: |\n  \tx\n  y\n', 'prisma.yml'), {a: '\tx\ny\n'})
  })
})
