// Generated prisma.yml files (plausible lines, mangled lines and raw bytes): loading returns a project or throws a
// UserError, never anything else.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {test} from 'node:test'

import fc from 'fast-check'

import {UserError} from '../../src/errors.js'
import {loadProject} from '../../src/project/index.js'
import {tempDir, writeTree} from '../helpers/cli.js'

const lines = [
  'endpoint: http://localhost:4466/app/dev',
  'endpoint: ${env:PRISMA_ENDPOINT}',
  "endpoint: ${env:MISSING, 'http://localhost:4466'}",
  'endpoint: https://eu1.prisma.sh/ws/svc/dev',
  'endpoint: ${self:custom.a}',
  'datamodel: datamodel.prisma',
  'datamodel: [datamodel.prisma, missing.prisma]',
  'datamodel:',
  '  - datamodel.prisma',
  'secret: ${env:SECRET}, other',
  'secret: 123',
  'custom:',
  '  a: ${self:custom.b}',
  '  b: ${self:custom.a}',
  '  c: &anchor {x: 1}',
  '  d: *anchor',
  'subscriptions:',
  '  s:',
  '    query: q.graphql',
  '    webhook: {url: http://x, headers: {A: b}}',
  '    webhook: ${opt:hook}',
  'hooks:',
  '  post-deploy: [echo, 1]',
  'seed: {run: node seed.js}',
  'generate: [{generator: a, output: b}]',
  'databaseType: document',
  '\tendpoint: x',
  'types: a',
  '---',
  '"unclosed',
  '[1, 2',
  '${foo}: ${bar}',
  'x: !!binary aGk=',
  '- item',
]

const text = fc.oneof(
  fc.array(fc.constantFrom(...lines), {maxLength: 10}).map((chosen) => chosen.join('\n')),
  fc.array(fc.oneof(fc.constantFrom(...lines), fc.string({maxLength: 20})), {maxLength: 8}).map((chosen) => chosen.join('\n')),
  fc.uint8Array({maxLength: 200}).map((bytes) => Buffer.from(bytes)),
)

test('generated prisma.yml files load or fail with a UserError', async () => {
  const dir = await writeTree({'datamodel.prisma': 'type A { id: ID! @id }\n', 'q.graphql': 'subscription { a { node { id } } }\n'})
  const cwd = await tempDir('fuzz-cwd-')
  await fc.assert(
    fc.asyncProperty(text, async (content) => {
      await writeFile(join(dir, 'prisma.yml'), content)
      try {
        const project = await loadProject({cwd, project: join(dir, 'prisma.yml'), env: {SECRET: 's'}, options: {hook: 'http://hook'}})
        assert.equal(project.file, join(dir, 'prisma.yml'))
        assert.ok(Array.isArray(project.secrets) && Array.isArray(project.warnings))
      } catch (error) {
        assert.ok(error instanceof UserError, `${JSON.stringify(String(content))} threw ${String(error)}`)
        assert.ok(error.message.length > 0)
      }
    }),
    {numRuns: 400},
  )
})
