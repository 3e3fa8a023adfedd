// Property-based tests (fast-check) over thousands of generated inputs, beyond the properties in test/project:
// the whole prisma.yml loader on generated and mutated files on disk, the YAML parser on arbitrary text, the variable
// resolver on adversarial documents, the endpoint parser on mutated endpoints, and the endpoint rewrite on generated
// files. Each only ever returns a result or the project's own UserError; the rewrite keeps every other line.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'

import fc from 'fast-check'
import yaml from 'js-yaml'

import {UserError} from '../../src/errors.js'
import {replaceEndpoint, writeEndpoint} from '../../src/project/endpoint-rewrite.js'
import {loadProject, parseEndpoint, parseYaml, resolveVariables} from '../../src/project/index.js'
import {repoRoot, tempDir} from '../helpers/cli.js'

const runs: Record<string, number> = {}
after(() => {
  const total = Object.values(runs).reduce((sum, count) => sum + count, 0)
  const parts = Object.entries(runs).map(([name, count]) => `${name} ${count}`)
  process.stdout.write(`# fuzz: ${total} generated inputs (${parts.join(', ')}), all returned a result or a UserError\n`)
})

function counted<T, R extends void | Promise<void>>(name: string, check: (value: T) => R): (value: T) => R {
  return (value: T) => {
    runs[name] = (runs[name] ?? 0) + 1
    return check(value)
  }
}

function expectUserError(error: unknown, input: unknown): UserError {
  assert.ok(error instanceof UserError, `threw ${(error as Error)?.stack ?? String(error)}\nfor ${JSON.stringify(input)?.slice(0, 500)}`)
  assert.ok(error.message.trim().length > 0)
  return error
}

// ---------- generators of prisma.yml text ----------

const urlText = fc.oneof(
  fc.constantFrom('http://localhost:4466', 'http://localhost:4466/svc/dev', 'https://eu1.prisma.sh/ws/svc/dev', 'https://eu1.prisma.sh/svc', 'http://127.0.0.1:1/a/b/c/d'),
  fc.webUrl({withFragments: true, withQueryParameters: true}),
  fc.string({maxLength: 30}),
)
const variable = fc
  .tuple(fc.constantFrom('env:', 'opt:', 'self:', 'file:', ''), fc.constantFrom('A', 'MISSING', 'custom.x', 'custom', 'endpoint', 'secret', 'datamodel', "'lit'", 'x.y.z', ''))
  .map(([kind, name]) => `\${${kind}${name}}`)
const scalar = fc.oneof(
  urlText,
  variable,
  fc.integer().map(String),
  fc.double({noNaN: false}).map(String),
  fc.constantFrom('true', 'false', 'null', '~', 'yes', 'no', '0x1F', '.inf', '2001-12-14', '""', "''", '[]', '{}', '*ref', '&ref x', '!!str x', '!!binary aGVsbG8=', '|', '>-', '? x', '- x'),
  fc.string({maxLength: 20}),
)
const knownKey = fc.constantFrom('endpoint', 'datamodel', 'secret', 'disableAuth', 'subscriptions', 'hooks', 'seed', 'generate', 'databaseType', 'custom')
const anyKey = fc.oneof(knownKey, knownKey, fc.constantFrom('service', 'stage', 'stages', 'types', 'cluster', '"quoted"', 'endpoint ', '<<', '? complex'), fc.string({maxLength: 8}))
const indent = fc.constantFrom('', '  ', '    ', '\t', ' ')
const line = fc.oneof(
  fc.tuple(anyKey, scalar).map(([key, value]) => `${key}: ${value}`),
  fc.tuple(indent, anyKey, scalar).map(([pad, key, value]) => `${pad}${key}: ${value}`),
  fc.tuple(indent, scalar).map(([pad, value]) => `${pad}- ${value}`),
  fc.string({maxLength: 30}).map((text) => `# ${text}`),
  fc.constantFrom('', '---', '...', 'datamodel: datamodel.prisma', 'datamodel:\n  - datamodel.prisma\n  - datamodel.prisma', 'subscriptions:\n  s:\n    query: q.graphql\n    webhook: http://x'),
)
const generatedYaml = fc
  .tuple(fc.array(line, {maxLength: 12}), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, lineBreak, finalBreak]) => lines.join(lineBreak) + (finalBreak ? lineBreak : ''))

/** Real project files from fixtures/projects, the seeds of the mutations. */
const seeds = ['minimal-local', 'subscriptions', 'hooks-list', 'env-variables', 'self-references', 'yaml-anchors-and-merge', 'secret-list', 'datamodel-list']
  .map((name) => {
    try {
      return readFileSync(join(repoRoot, 'fixtures', 'projects', name, 'prisma.yml'), 'utf8')
    } catch {
      return undefined
    }
  })
  .filter((text): text is string => text !== undefined)
if (seeds.length === 0) seeds.push('endpoint: http://localhost:4466/svc/dev\ndatamodel: datamodel.prisma\nsecret: s\n')

/** A real file with a few random edits: characters inserted, deleted or replaced anywhere. */
const mutatedYaml = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.nat({max: 3}), fc.string({maxLength: 4, unit: fc.constantFrom(':', ' ', '\t', '\n', '-', '#', '{', '[', '"', "'", '$', '}', '&', '*', '!', '|', 'a', '\u0000', 'é')})), {maxLength: 6}),
  )
  .map(([text, edits]) => {
    let result = text
    for (const [at, remove, insert] of edits) {
      const position = result.length === 0 ? 0 : at % result.length
      result = result.slice(0, position) + insert + result.slice(position + remove)
    }
    return result
  })

describe('fuzzing', () => {
  test('loadProject on 1,500 generated and mutated prisma.yml files on disk: a project or a UserError, files unchanged', async () => {
    const dir = await tempDir('fuzz-project-')
    const file = join(dir, 'prisma.yml')
    writeFileSync(join(dir, 'datamodel.prisma'), 'type User {\n  id: ID! @id\n}\n')
    writeFileSync(join(dir, 'q.graphql'), 'subscription { user { node { id } } }\n')
    const env = {A: 'aval', HOME: dir, PRISMA_MANAGEMENT_API_ENDPOINT: 'http://localhost:4466/env/dev'}
    let loaded = 0
    const check = counted('loadProject', async ([text, requireDatamodel]: [string, boolean]) => {
      writeFileSync(file, text)
      const before = createHash('sha256').update(readFileSync(file)).digest('hex')
      try {
        const project = await loadProject({cwd: dir, env, requireDatamodel})
        assert.equal(project.file, file)
        if (project.endpoint) assert.match(project.endpoint.serverUrl, /^https?:\/\//)
        assert.ok(project.secrets.every((secret) => typeof secret === 'string' && secret !== '' && !/\s/.test(secret)))
        loaded += 1
      } catch (error) {
        const userError = expectUserError(error, text)
        assert.match(userError.message, /prisma\.yml|PRISMA_MANAGEMENT_API_ENDPOINT/, 'the message names the file or the setting')
      }

      assert.equal(createHash('sha256').update(readFileSync(file)).digest('hex'), before, 'prisma.yml unchanged')
    })
    await fc.assert(
      fc.asyncProperty(fc.oneof(generatedYaml, mutatedYaml), fc.boolean(), (text, requireDatamodel) => check([text, requireDatamodel])),
      {numRuns: 1500},
    )
    // the generators reach past the parser: a fair share of the files load as projects
    assert.ok(loaded >= 100, `${loaded} of 1500 generated files loaded`)
  })

  test('parseYaml on 3,000 arbitrary texts: a value or a UserError with line and column', async () => {
    const text = fc.oneof(
      fc.string({maxLength: 200}),
      fc.string({maxLength: 100, unit: 'binary'}),
      fc.string({maxLength: 120, unit: fc.constantFrom(':', ' ', '\t', '\n', '-', '#', '{', '}', '[', ']', '"', "'", '&', '*', '!', '|', '>', '?', '%', '@', '`', 'a', '1')}),
      generatedYaml,
    )
    const check = counted('parseYaml', async (input: string) => {
      try {
        await parseYaml(input, '/app/prisma.yml')
      } catch (error) {
        assert.match(expectUserError(error, input).message, /\/app\/prisma\.yml/)
      }
    })
    await fc.assert(fc.asyncProperty(text, (input) => check(input)), {numRuns: 3000})
  })

  test('resolveVariables on 3,000 adversarial documents: a value or a UserError; no variable, no change', () => {
    const name = fc.constantFrom('a', 'b', 'c', 'custom', 'custom.a', 'custom.b', 'list.0', 'deep.x.y', 'A', 'B', 'LOOP', 'NOPE', '__proto__', 'constructor', 'toString')
    const reference = fc.oneof(
      name.map((n) => `self:${n}`),
      name.map((n) => `env:${n}`),
      name.map((n) => `opt:${n}`),
      fc.string({maxLength: 6}).map((text) => `'${text}'`),
      fc.string({maxLength: 8}),
    )
    const expression = fc.array(reference, {minLength: 1, maxLength: 4}).map((parts) => `\${${parts.join(', ')}}`)
    const text = fc
      .array(fc.oneof(expression, expression, fc.constantFrom('${', '}', '$', '${self:', '}}', '${${self:a}}', 'x', ' '), fc.string({maxLength: 4})), {maxLength: 8})
      .map((parts) => parts.join(''))
    const leaf = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.double())
    const node = fc.letrec((tie) => ({
      node: fc.oneof({depthSize: 'small'}, leaf, fc.array(tie('node'), {maxLength: 4}), fc.dictionary(fc.constantFrom('a', 'b', 'c', 'x', 'y', '0'), tie('node'), {maxKeys: 4})),
    })).node
    const document = fc.record({a: node, b: node, c: node, custom: fc.record({a: node, b: node}), deep: fc.record({x: fc.record({y: node})}), list: fc.array(node, {maxLength: 3})})
    const env = fc.record({A: text, B: fc.constantFrom('${env:A}', '${env:B}', '${self:a}', 'plain', ''), LOOP: fc.constantFrom('${env:LOOP}', 'x${env:LOOP}x', '${env:LOOP}${env:LOOP}')})
    const check = counted('resolveVariables', ([doc, environment, options]: [unknown, Record<string, string>, Record<string, unknown>]) => {
      try {
        const {value} = resolveVariables(doc, {env: environment, file: '/app/prisma.yml', options})
        assert.ok(value !== null && typeof value === 'object')
        if (!JSON.stringify(doc).includes('${')) assert.equal(JSON.stringify(value), JSON.stringify(doc), 'a document without variables comes back as it was')
      } catch (error) {
        assert.match(expectUserError(error, doc).message, /\/app\/prisma\.yml/)
      }
    })
    fc.assert(
      fc.property(document, env, fc.dictionary(name, fc.oneof(text, fc.boolean()), {maxKeys: 3}), (doc, environment, options) => check([doc, environment, options])),
      {numRuns: 3000},
    )
  })

  test('parseEndpoint on 5,000 mutated endpoints: an endpoint without odd characters, or a UserError naming the source', () => {
    const table = (JSON.parse(readFileSync(join(repoRoot, 'fixtures', 'endpoints.json'), 'utf8')) as {rows: unknown[][]}).rows.map((row) => String(row[0]))
    const unit = fc.constantFrom('/', ':', '.', '?', '#', '@', '%', '[', ']', ' ', '\t', '\n', '\u0000', '\u00a0', 'é', '名', '\u202e', 'a', '9', '_', '-', '~', '\\')
    const mutated = fc
      .tuple(fc.constantFrom(...table), fc.array(fc.tuple(fc.nat(), fc.nat({max: 2}), fc.string({maxLength: 3, unit})), {maxLength: 4}))
      .map(([text, edits]) => {
        let result = text
        for (const [at, remove, insert] of edits) {
          const position = at % (result.length + 1)
          result = result.slice(0, position) + insert + result.slice(position + remove)
        }
        return result
      })
    const check = counted('parseEndpoint', (input: string) => {
      try {
        const parsed = parseEndpoint(input, 'generated source')
        // eslint-disable-next-line no-control-regex -- control characters are what must not get through
        assert.doesNotMatch(parsed.url, /[\s\u0000-\u001f\u007f-\uffff]/, 'accepted endpoints are plain printable ASCII')
        assert.equal(new URL(parsed.serverUrl).origin, parsed.serverUrl)
        assert.equal(new URL(parsed.managementUrl).origin, parsed.serverUrl)
        assert.ok(!parsed.service.includes('/') && !parsed.stage.includes('/'))
      } catch (error) {
        assert.match(expectUserError(error, input).message, /generated source/)
      }
    })
    fc.assert(fc.property(mutated, check), {numRuns: 5000})
  })

  test('replaceEndpoint on 3,000 generated files: every line but the endpoint kept, in order; the value is the new endpoint', async () => {
    const other = fc.oneof(
      fc.constantFrom(
        'datamodel: datamodel.prisma',
        '# endpoint: http://old/commented',
        '#endpoint: x',
        '',
        '   ',
        'custom:',
        '  endpoint: nested-value',
        '  url: http://x',
        'hooks:',
        '  post-deploy:',
        "    - 'echo endpoint: done'",
        'secret: a,b',
        'seed:',
        '  run: node seed.js',
        'generate:',
        '  - generator: typescript-client',
        '    output: ./generated/',
        'note: |',
        '  endpoint: text inside a block',
        'endpointer: not the key',
        'x-endpoint: no',
      ),
      fc.string({maxLength: 20}).map((text) => `# ${text.replaceAll(/[\r\n]/g, '')}`),
    )
    const value = fc.oneof(
      fc.constantFrom('http://localhost:4466/old/dev', "'http://localhost:4466/old/dev'", '"http://localhost:4466/old/dev"', '', '${env:PRISMA_ENDPOINT}', 'http://old # trailing comment', '~', 'null'),
      fc.webUrl(),
    )
    const file = fc.record({
      after: fc.array(other, {maxLength: 8}),
      before: fc.array(other, {maxLength: 8}),
      endpoint: fc.option(fc.tuple(fc.constantFrom('endpoint:', 'endpoint :', '"endpoint":', "'endpoint':"), value), {nil: undefined}),
      finalBreak: fc.boolean(),
      lineBreak: fc.constantFrom('\n', '\r\n'),
    })
    const url = fc.oneof(fc.webUrl({withFragments: true, withQueryParameters: true}), fc.constantFrom('http://localhost:4466', 'http://127.0.0.1:4466/svc/dev', 'https://x.example.com/a b', 'http://h/#x'))
    const check = counted('replaceEndpoint', ([spec, next]: [typeof file extends fc.Arbitrary<infer T> ? T : never, string]) => {
      const endpointLine = spec.endpoint ? `${spec.endpoint[0]}${spec.endpoint[1] === '' ? '' : ` ${spec.endpoint[1]}`}` : undefined
      // a line indented under the endpoint would continue its value; start what follows at the top level
      const firstContent = spec.after.find((candidate) => candidate.trim() !== '')
      const after = firstContent !== undefined && /^\s/.test(firstContent) ? ['zz: top level again', ...spec.after] : spec.after
      const lines = [...spec.before, ...(endpointLine === undefined ? [] : [endpointLine]), ...after]
      const text = lines.join(spec.lineBreak) + (spec.finalBreak && lines.length > 0 ? spec.lineBreak : '')
      let result
      try {
        result = replaceEndpoint(text, next)
      } catch (error) {
        expectUserError(error, text)
        return
      }

      const outLines = result.text.split(/\r?\n/)
      const inLines = text.split(/\r?\n/)
      const isEndpoint = (candidate: string) => /^(?:endpoint|"endpoint"|'endpoint')[ \t]*:/.test(candidate)
      const keptIn = inLines.filter((candidate) => !isEndpoint(candidate))
      const keptOut = outLines.filter((candidate) => !isEndpoint(candidate))
      // appending may add the final line break the file lacked
      if (keptOut.length === keptIn.length + 1 && keptOut.at(-1) === '' && !text.endsWith('\n')) keptOut.pop()
      if (keptIn.length === keptOut.length + 1 && keptIn.at(-1) === '') keptIn.pop()
      assert.deepEqual(keptOut.filter((candidate) => candidate !== ''), keptIn.filter((candidate) => candidate !== ''), `other lines changed:\n${text}\n---\n${result.text}`)
      assert.equal(outLines.filter(isEndpoint).length, 1, `one endpoint line:\n${result.text}`)
      if (spec.lineBreak === '\r\n' && text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(result.text), 'CRLF kept')
      let parsed: unknown
      try {
        parsed = yaml.load(text)
      } catch {
        return
      }

      let reread: unknown
      try {
        reread = yaml.load(result.text)
      } catch {
        // the text edit broke the YAML (e.g. an indented top level): the writing path must refuse, file untouched
        refusals.push([text, next])
        return
      }

      if (parsed === null || parsed === undefined || (typeof parsed === 'object' && !Array.isArray(parsed))) {
        const afterEdit = reread as Record<string, unknown>
        assert.equal(afterEdit.endpoint, next, `the new value reads back:\n${result.text}`)
        const {endpoint: _old, ...restBefore} = (parsed ?? {}) as Record<string, unknown>
        const {endpoint: _new, ...restAfter} = afterEdit
        assert.deepEqual(restAfter, restBefore)
      }
    })
    const refusals: Array<[string, string]> = []
    fc.assert(fc.property(file, url, (spec, next) => check([spec, next])), {numRuns: 3000})

    // where the text edit alone would break the file, writeEndpoint (the path the CLI uses) refuses and keeps it
    const dir = await tempDir('fuzz-rewrite-')
    const target = join(dir, 'prisma.yml')
    for (const [text, next] of refusals.slice(0, 200)) {
      writeFileSync(target, text)
      await assert.rejects(writeEndpoint(target, next), (error: unknown) => error instanceof UserError && /prisma\.yml/.test(error.message))
      assert.equal(readFileSync(target, 'utf8'), text)
      assert.deepEqual(readdirSync(dir), ['prisma.yml'])
      runs.writeEndpoint = (runs.writeEndpoint ?? 0) + 1
    }
  })
})
