// Runs every real-world project under fixtures/projects/<case>/ through loadProject. Each case folder holds the
// project files and a case.json: the inputs (cwd, project, envFile, env, options, requireDatamodel) and either the
// expected parts of the result ("expect") or the texts the error message must contain ("error"). "<dir>" stands for
// the case folder.
import assert from 'node:assert/strict'
import {chmod, mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {UserError} from '../../src/errors.js'
import {loadProject, NOT_FOUND_MESSAGE} from '../../src/project/index.js'
import {repoRoot, tempDir, writeTree} from '../helpers/cli.js'

interface Case {
  description: string
  cwd?: string
  project?: string
  envFile?: string
  env?: Record<string, string>
  options?: Record<string, unknown>
  requireDatamodel?: boolean
  expect?: Record<string, unknown>
  error?: string[]
}

const casesDir = join(repoRoot, 'fixtures', 'projects')

function fill(value: unknown, dir: string): unknown {
  if (typeof value === 'string') return value.split('<dir>').join(dir)
  if (Array.isArray(value)) return value.map((item) => fill(item, dir))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, dir)]))
  }
  return value
}

/** Every key of `expected` must match in `actual`; lists must match in full; "<absent>" means undefined. */
function assertMatches(actual: unknown, expected: unknown, path: string): void {
  if (expected === '<absent>') {
    assert.equal(actual, undefined, `${path} should be absent`)
  } else if (expected === null) {
    assert.equal(actual, null, path)
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path} should be a list`)
    assert.equal(actual.length, expected.length, `${path} length: ${JSON.stringify(actual)}`)
    expected.forEach((item, index) => assertMatches(actual[index], item, `${path}[${index}]`))
  } else if (typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${path} should be an object, got ${JSON.stringify(actual)}`)
    for (const [key, item] of Object.entries(expected)) {
      assertMatches((actual as Record<string, unknown>)[key], item, `${path}.${key}`)
    }
  } else {
    assert.equal(actual, expected, path)
  }
}

const names = (await readdir(casesDir, {withFileTypes: true})).filter((entry) => entry.isDirectory()).map((entry) => entry.name)

describe('loadProject on fixtures/projects', () => {
  test('there are at least 30 cases', () => {
    assert.ok(names.length >= 30, `only ${names.length} cases`)
  })

  for (const name of names.sort()) {
    const dir = join(casesDir, name)
    test(name, async () => {
      const spec = JSON.parse(await readFile(join(dir, 'case.json'), 'utf8')) as Case
      assert.ok((spec.expect === undefined) !== (spec.error === undefined), 'a case has either expect or error')
      const load = () =>
        loadProject({
          cwd: join(dir, spec.cwd ?? '.'),
          project: spec.project,
          envFile: spec.envFile,
          env: spec.env ?? {},
          options: spec.options,
          requireDatamodel: spec.requireDatamodel,
        })
      if (spec.error) {
        await assert.rejects(load, (error: unknown) => {
          assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`)
          for (const text of fill(spec.error, dir) as string[]) {
            assert.ok(error.message.includes(text), `message lacks ${JSON.stringify(text)}:\n${error.message}`)
          }
          return true
        })
      } else {
        const project = await load()
        assertMatches(project, fill(spec.expect, dir), 'project')
        assert.equal('custom' in project.definition, false, 'custom is removed from the definition')
      }
    })
  }
})

describe('loadProject on generated projects', () => {
  test('no prisma.yml anywhere up the tree', async (t) => {
    const dir = await tempDir('no-project-')
    if (existsSync('/tmp/prisma.yml') || existsSync('/prisma.yml')) return t.skip('a prisma.yml exists above the temporary folder')
    await assert.rejects(loadProject({cwd: dir, env: {}}), (error: unknown) => {
      assert.ok(error instanceof UserError)
      assert.equal(error.message, NOT_FOUND_MESSAGE)
      assert.match(error.message, /^Couldn’t find `prisma.yml` file. Are you in the right directory\?/)
      return true
    })
  })

  test('an unreadable prisma.yml is a clear error', async (t) => {
    if (process.getuid?.() === 0) return t.skip('root reads every file')
    const dir = await writeTree({'prisma.yml': 'datamodel: datamodel.prisma\n'})
    await chmod(join(dir, 'prisma.yml'), 0o000)
    await assert.rejects(loadProject({cwd: dir, env: {}}), /prisma\.yml cannot be read: permission denied/)
  })

  test('a huge prisma.yml is refused before parsing', async () => {
    const dir = await tempDir('huge-')
    await writeFile(join(dir, 'prisma.yml'), `datamodel: datamodel.prisma\n# ${'x'.repeat(11 * 1024 * 1024)}\n`)
    await assert.rejects(loadProject({cwd: dir, env: {}}), /is too large \(\d+ bytes; the limit is 10485760\)/)
  })

  test('an --env-file that is a folder is an error', async () => {
    const dir = await writeTree({'prisma.yml': 'datamodel: datamodel.prisma\n', 'datamodel.prisma': 'type A { id: ID! @id }\n'})
    await mkdir(join(dir, 'envs'))
    await assert.rejects(loadProject({cwd: dir, envFile: 'envs', env: {}}), /--env-file path '.*envs' is a directory/)
  })

  test('process.env is never changed', async () => {
    const dir = await writeTree({
      'prisma.yml': 'endpoint: ${env:LOADER_TEST_ENDPOINT}\n',
      '.env': 'LOADER_TEST_ENDPOINT=http://localhost:4466/a/b\n',
    })
    const project = await loadProject({cwd: dir, env: {...process.env}})
    assert.equal(project.endpoint?.service, 'a')
    assert.equal(process.env.LOADER_TEST_ENDPOINT, undefined)
  })

  test('a billion-laughs document of aliases resolves without blowing up', async () => {
    const lines = ['custom:', '  l0: &l0 ["${env:X}", "${env:X}"]']
    for (let i = 1; i <= 30; i++) lines.push(`  l${i}: &l${i} [*l${i - 1}, *l${i - 1}, *l${i - 1}]`)
    lines.push('endpoint: http://localhost:4466/app/${env:X}')
    const dir = await writeTree({'prisma.yml': `${lines.join('\n')}\n`})
    const project = await loadProject({cwd: dir, env: {X: 'dev'}})
    assert.equal(project.endpoint?.stage, 'dev')
  })

  test('self references that double in size at each level are stopped with an error', async () => {
    const lines = ['custom:', '  v0: xxxxxxxxxxxxxxxx']
    for (let i = 1; i <= 40; i++) lines.push(`  v${i}: \${self:custom.v${i - 1}}\${self:custom.v${i - 1}}`)
    const dir = await writeTree({'prisma.yml': `${lines.join('\n')}\n`})
    await assert.rejects(loadProject({cwd: dir, env: {}}), /grows beyond \d+ characters/)
  })
})
