import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import fc from 'fast-check'

import {UserError} from '../../src/errors.js'
import {resolveVariables} from '../../src/project/index.js'

const file = '/app/prisma.yml'
const env = {A: 'aval', PORT: '4466', EMPTY: ''}

function resolve(document: unknown, options: Record<string, unknown> = {}, environment: Record<string, string> = env) {
  return resolveVariables(document, {file, env: environment, options})
}

const notFound = (declaration: string, kind = 'environment variable') =>
  `[WARNING] in ${file}: A valid ${kind} to satisfy the declaration '${declaration}' could not be found.`
const nonString = (variable: string) =>
  `[WARNING] in ${file}: Trying to populate non string value into a string for variable ${variable}. Please make sure the value of the property is a string.`

describe('resolveVariables: the verified table of the spec (§1.4)', () => {
  const rows: Array<[string, unknown, string[]]> = [
    ['${env:A}', 'aval', []],
    ['http://localhost:${env:PORT}/svc/dev', 'http://localhost:4466/svc/dev', []],
    ['${env:MISSING}', undefined, [notFound('env:MISSING')]],
    ['http://${env:MISSING}/x', 'http://${env:MISSING}/x', [notFound('env:MISSING'), nonString('${env:MISSING}')]],
    ['${env:MISSING, "http://fallback:4466"}', 'http://fallback:4466', []],
    ["${env:EMPTY, 'fallback'}", '', []],
    ["${env:MISSING, 'hello world'}", 'helloworld', []],
    ['${ env:A }', 'aval', []],
    ['${env:A}${env:PORT}', 'aval4466', []],
    ["${'literal'}", 'literal', []],
    ['${env:MISSING, env:ALSO_MISSING}', undefined, [notFound('env:MISSING,env:ALSO_MISSING')]],
    ['${opt:stage}', undefined, [notFound('opt:stage', 'option')]],
    ['no variables here', 'no variables here', []],
    ['${not a variable because of the braces {}', '${not a variable because of the braces {}', []],
    ['$${env:A}}', '$aval}', []],
  ]
  for (const [value, expected, warnings] of rows) {
    test(value, () => {
      const result = resolve({key: value})
      assert.deepEqual(result.value, expected === undefined ? {} : {key: expected})
      assert.deepEqual(result.warnings, warnings)
    })
  }

  test('${self:custom.n} keeps the number type; inside a string it is stringified', () => {
    const {value, warnings} = resolve({custom: {n: 5}, whole: '${self:custom.n}', inside: 'pre-${self:custom.n}'})
    assert.deepEqual(value, {custom: {n: 5}, whole: 5, inside: 'pre-5'})
    assert.deepEqual(warnings, [])
  })

  test('${opt:stage} reads the options', () => {
    assert.deepEqual(resolve({endpoint: 'http://localhost:4466/svc/${opt:stage}'}, {stage: 'prod'}).value, {
      endpoint: 'http://localhost:4466/svc/prod',
    })
  })

  test('an option that is a boolean keeps its type as a whole value', () => {
    assert.deepEqual(resolve({flag: '${opt:force}'}, {force: true}).value, {flag: true})
  })

  test('a self reference to a mapping returns the resolved mapping', () => {
    const {value} = resolve({custom: {seed: {run: 'node ${env:A}.js'}}, seed: '${self:custom.seed}'})
    assert.deepEqual((value as Record<string, unknown>).seed, {run: 'node aval.js'})
  })

  test('a boolean inside a string is left as text with a warning', () => {
    const {value, warnings} = resolve({custom: {f: true}, s: 'x-${self:custom.f}'})
    assert.equal((value as Record<string, unknown>).s, 'x-${self:custom.f}')
    assert.deepEqual(warnings, [nonString('${self:custom.f}')])
  })

  test('lists are resolved item by item; unresolved whole items become undefined', () => {
    const {value} = resolve({datamodel: ['${env:A}.prisma', '${env:MISSING}']})
    assert.deepEqual(value, {datamodel: ['aval.prisma', undefined]})
  })

  test('the input document is not changed', () => {
    const document = {a: '${env:A}', list: ['${env:PORT}']}
    resolve(document)
    assert.deepEqual(document, {a: '${env:A}', list: ['${env:PORT}']})
  })

  test('values that produce variables are resolved again', () => {
    const {value} = resolve({custom: {name: 'A'}, v: '${env:${self:custom.name}}', w: '${env:NEXT}'}, {}, {A: 'aval', NEXT: '${env:A}'})
    assert.deepEqual(value, {custom: {name: 'A'}, v: 'aval', w: 'aval'})
  })

  test('a self path through a value that is itself a variable', () => {
    const {value} = resolve({custom: {a: '${self:custom.b}', b: {c: 'deep'}}, v: '${self:custom.a.c}'})
    assert.equal((value as Record<string, unknown>).v, 'deep')
  })

  test('self references do not reach into the prototype', () => {
    const {value, warnings} = resolve({v: '${self:constructor}', w: '${env:toString}'})
    assert.deepEqual(value, {})
    assert.equal(warnings.length, 2)
  })
})

describe('resolveVariables: errors instead of loops and crashes', () => {
  const errors: Array<[string, Record<string, unknown>, RegExp, Record<string, string>?]> = [
    ['a direct self cycle', {a: '${self:a}'}, /cycle: \$\{self:a\} → \$\{self:a\}/],
    ['a two-step cycle', {a: '${self:b}', b: 'x${self:a}'}, /cycle: \$\{self:b\} → \$\{self:a\} → \$\{self:b\}/],
    ['a cycle through a mapping', {a: {b: '${self:a}'}}, /cycle/],
    ['a cycle inside fallbacks', {a: "${env:MISSING, self:a, 'x'}"}, /cycle/],
    ['an unknown source', {a: '${foo}'}, /Invalid variable reference syntax for variable foo in \/app\/prisma\.yml/],
    ['an unknown source among fallbacks', {a: "${env:A, foo, 'x'}"}, /Invalid variable reference syntax for variable foo \(in \$\{env:A,foo,'x'\}\)/],
    ['an empty env name', {a: '${env:}'}, /Invalid variable reference syntax/],
    ['an empty self path', {a: '${self:}'}, /Invalid variable reference syntax/],
    ['an environment variable that refers to itself', {a: '${env:LOOP}'}, /expand into themselves/, {LOOP: '${env:LOOP}'}],
    ['environment variables that refer to each other', {a: '${env:P}'}, /expand into themselves/, {P: '${env:Q}', Q: '${env:P}'}],
    ['an environment variable that grows', {a: '${env:G}'}, /grows beyond|nested more than/, {G: 'x${env:G}'}],
  ]
  for (const [name, document, message, environment] of errors) {
    test(name, () => {
      assert.throws(
        () => resolve(document, {}, environment ?? env),
        (error: unknown) => error instanceof UserError && message.test(error.message),
      )
    })
  }
})

describe('resolveVariables: properties over generated documents', () => {
  const name = fc.constantFrom('A', 'PORT', 'EMPTY', 'MISSING', 'a', 'b', 'custom.x', 'custom', 'list.0', 'LOOP', 'X')
  const source = fc.oneof(
    name.map((n) => `env:${n}`),
    name.map((n) => `opt:${n}`),
    name.map((n) => `self:${n}`),
    fc.stringMatching(/^[a-z ]{0,6}$/).map((s) => `'${s}'`),
    fc.stringMatching(/^[ ~:a-zA-Z0-9._'",\-/()]{1,10}$/),
  )
  const variable = fc.array(source, {minLength: 1, maxLength: 3}).map((sources) => `\${${sources.join(', ')}}`)
  const text = fc.array(fc.oneof(variable, fc.stringMatching(/^[a-z/:${}]{0,5}$/)), {maxLength: 4}).map((parts) => parts.join(''))
  const leaf = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null))
  const document = fc.letrec((tie) => ({
    node: fc.oneof({depthSize: 'small'}, leaf, fc.array(tie('node'), {maxLength: 3}), fc.dictionary(fc.constantFrom('a', 'b', 'x', '0'), tie('node'), {maxKeys: 3})),
  })).node
  const root = fc.record({a: document, b: document, custom: fc.record({x: document}), list: fc.array(document, {maxLength: 2})})
  const environment = fc.record({
    A: fc.constant('aval'),
    LOOP: fc.constantFrom('${env:LOOP}', '${self:a}', 'x${env:X}', 'plain'),
    X: fc.constantFrom('${env:A}', '${env:LOOP}', 'x'),
  })

  test('resolving only returns a value or throws a UserError', () => {
    fc.assert(
      fc.property(root, environment, fc.dictionary(name, text, {maxKeys: 2}), (doc, environmentValues, options) => {
        try {
          const {value, warnings} = resolveVariables(doc, {file, env: environmentValues, options, maxStringLength: 10_000})
          assert.ok(value !== null && typeof value === 'object')
          for (const warning of warnings) assert.ok(warning.startsWith(`[WARNING] in ${file}: `))
        } catch (error) {
          assert.ok(error instanceof UserError, `threw ${String(error)} for ${JSON.stringify(doc)}`)
          assert.ok(error.message.includes(file))
        }
      }),
      {numRuns: 3000},
    )
  })
})
