import assert from 'node:assert/strict'
import {chmod, lstat, readFile, readdir, readlink, stat, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import fc from 'fast-check'
import yaml from 'js-yaml'

import {UserError} from '../../src/errors.js'
import {replaceEndpoint, writeEndpoint, writeFileAtomic} from '../../src/project/endpoint-rewrite.js'
import {repoRoot, tempDir} from '../helpers/cli.js'

interface Case {
  name: string
  description: string
  endpoint: string
  previous?: string
}

const fixtures = join(repoRoot, 'fixtures', 'rewrite')
const {cases} = JSON.parse(await readFile(join(fixtures, 'cases.json'), 'utf8')) as {cases: Case[]}

describe('endpoint rewrite: real-world prisma.yml files, byte for byte', () => {
  test('the fixture table has at least 10 files', () => {
    assert.ok(cases.length >= 10)
  })

  for (const fixture of cases) {
    test(`${fixture.name}: ${fixture.description}`, async () => {
      const input = await readFile(join(fixtures, fixture.name, 'prisma.yml'))
      const expected = await readFile(join(fixtures, fixture.name, 'expected.yml'))

      const pure = replaceEndpoint(input.toString('utf8'), fixture.endpoint)
      assert.deepEqual(Buffer.from(pure.text, 'utf8'), expected)
      assert.equal(pure.previous, fixture.previous)
      if (fixture.previous !== undefined) assert.equal(pure.action, 'replaced')

      const dir = await tempDir('rewrite-')
      const file = join(dir, 'prisma.yml')
      await writeFile(file, input)
      const written = await writeEndpoint(file, fixture.endpoint)
      assert.deepEqual(await readFile(file), expected)
      assert.equal(written.previous, fixture.previous)
      assert.deepEqual(await readdir(dir), ['prisma.yml'], 'no temporary file is left behind')

      const parsed = yaml.load(expected.toString('utf8')) as Record<string, unknown>
      assert.equal(parsed.endpoint, fixture.endpoint)
    })
  }
})

describe('endpoint rewrite: values that need care', () => {
  test('a value is quoted when YAML would misread it plain', () => {
    const {text} = replaceEndpoint('datamodel: d\n', 'http://host/a #b')
    assert.equal(text, 'datamodel: d\nendpoint: "http://host/a #b"\n')
    assert.equal((yaml.load(text) as {endpoint: string}).endpoint, 'http://host/a #b')
  })

  test('a single quote inside a single-quoted value is doubled', () => {
    const {text, previous} = replaceEndpoint("endpoint: 'http://it''s/old'\n", "http://it's/new")
    assert.equal(text, "endpoint: 'http://it''s/new'\n")
    assert.equal(previous, "http://it's/old")
  })

  test('a byte order mark stays in front of the first key', () => {
    const {text, previous} = replaceEndpoint('\uFEFFendpoint: http://old\ndatamodel: d\n', 'http://x/s/t')
    assert.equal(text, '\uFEFFendpoint: http://x/s/t\ndatamodel: d\n')
    assert.equal(previous, 'http://old')
  })

  test('a block scalar value becomes a one-line value', () => {
    const {text, previous} = replaceEndpoint('endpoint: >-\n  http://localhost:4466/a/b\ndatamodel: d\n', 'http://x/s/t')
    assert.equal(text, 'endpoint: http://x/s/t\ndatamodel: d\n')
    assert.equal(previous, 'http://localhost:4466/a/b')
  })

  test('an endpoint given as a variable is reported as the previous value', () => {
    const {text, previous} = replaceEndpoint('endpoint: ${env:PRISMA_ENDPOINT}\ndatamodel: d\n', 'http://x/s/t')
    assert.equal(text, 'endpoint: http://x/s/t\ndatamodel: d\n')
    assert.equal(previous, '${env:PRISMA_ENDPOINT}')
  })

  test('only the value of the top-level key changes (property)', () => {
    // self-contained chunks of real prisma.yml files, some of which mention endpoint in comments or nested keys
    const chunks = [
      'datamodel: datamodel.prisma',
      'secret: s3cret',
      '# endpoint: old',
      '',
      '#',
      'generate:\n  - generator: javascript-client\n    output: ./generated',
      'custom:\n  endpoint: nested',
      'seed:\n  run: node seed.js',
      "hooks:\n  post-deploy:\n    - 'echo endpoint: done'",
    ]
    // each key at most once, in any order, split around the endpoint line
    const layout = fc.shuffledSubarray(chunks).chain((picked) =>
      fc.nat({max: picked.length}).map((cut) => [picked.slice(0, cut), picked.slice(cut)] as const),
    )
    const url = fc.webUrl({withQueryParameters: true, withFragments: true})
    fc.assert(
      fc.property(layout, url, url, ([before, after], old, next) => {
        const head = before.map((part) => `${part}\n`).join('')
        const tail = after.map((part) => `${part}\n`).join('')
        const result = replaceEndpoint(`${head}endpoint: ${old}\n${tail}`, next)
        const line = needsQuoting(next) ? `endpoint: ${JSON.stringify(next)}` : `endpoint: ${next}`
        assert.equal(result.text, `${head}${line}\n${tail}`)
        assert.equal(result.previous, old)
        assert.equal((yaml.load(result.text) as {endpoint: string}).endpoint, next)
      }),
    )
  })
})

function needsQuoting(url: string): boolean {
  return /[\s#]|: |:$/.test(url)
}

describe('endpoint rewrite: writing the file', () => {
  test('keeps the permission bits of the original file', async () => {
    const dir = await tempDir('rewrite-mode-')
    const file = join(dir, 'prisma.yml')
    await writeFile(file, 'datamodel: d\n')
    await chmod(file, 0o600)
    await writeEndpoint(file, 'http://localhost:4466/a/b')
    assert.equal((await stat(file)).mode & 0o777, 0o600)
    await chmod(file, 0o664)
    await writeEndpoint(file, 'http://localhost:4466/a/c')
    assert.equal((await stat(file)).mode & 0o777, 0o664)
  })

  test('follows a symbolic link and keeps the link', async () => {
    const dir = await tempDir('rewrite-link-')
    await writeFile(join(dir, 'real.yml'), 'endpoint: http://old\ndatamodel: d\n')
    await symlink('real.yml', join(dir, 'prisma.yml'))
    const written = await writeEndpoint(join(dir, 'prisma.yml'), 'http://localhost:4466/s/t')
    assert.equal(written.previous, 'http://old')
    assert.ok((await lstat(join(dir, 'prisma.yml'))).isSymbolicLink())
    assert.equal(await readlink(join(dir, 'prisma.yml')), 'real.yml')
    assert.equal(await readFile(join(dir, 'real.yml'), 'utf8'), 'endpoint: http://localhost:4466/s/t\ndatamodel: d\n')
  })

  test('a layout it cannot edit safely is refused and the file is left as it was', async () => {
    const dir = await tempDir('rewrite-flow-')
    const file = join(dir, 'prisma.yml')
    const original = '{endpoint: http://old, datamodel: d}\n'
    await writeFile(file, original)
    await assert.rejects(writeEndpoint(file, 'http://localhost:4466/s/t'), (error: unknown) => {
      assert.ok(error instanceof UserError)
      assert.match(error.message, /prisma\.yml/)
      assert.match(error.message, /endpoint: <url>/)
      return true
    })
    assert.equal(await readFile(file, 'utf8'), original)
    assert.deepEqual(await readdir(dir), ['prisma.yml'])
  })

  test('a file that cannot be read or written is a UserError naming it and the fix', async () => {
    const dir = await tempDir('rewrite-dir-')
    await assert.rejects(writeEndpoint(dir, 'http://localhost:4466/s/t'), (error: unknown) => {
      assert.ok(error instanceof UserError)
      assert.ok(error.message.includes(dir))
      assert.match(error.message, /EISDIR/)
      assert.match(error.message, /endpoint: http:\/\/localhost:4466\/s\/t/)
      return true
    })
  })

  test('a quoted value spanning lines is refused rather than damaged', () => {
    assert.throws(() => replaceEndpoint('endpoint: "http://a\n  b"\n', 'http://x'), UserError)
  })

  test('a failed write leaves the original and no temporary file', async () => {
    const dir = await tempDir('rewrite-fail-')
    const file = join(dir, 'prisma.yml')
    await writeFile(file, 'datamodel: d\n')
    // a directory where the file should be makes the final rename fail after the temporary file was written
    const {mkdir} = await import('node:fs/promises')
    const blocked = join(dir, 'blocked')
    await mkdir(join(blocked, 'inner'), {recursive: true})
    await assert.rejects(writeFileAtomic(blocked, 'x'))
    assert.deepEqual((await readdir(dir)).sort(), ['blocked', 'prisma.yml'])
    assert.equal(await readFile(file, 'utf8'), 'datamodel: d\n')
  })
})
