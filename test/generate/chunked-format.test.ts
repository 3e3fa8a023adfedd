// Formatting a generated client piece by piece gives the text prettier gives for the whole file, byte for byte:
// the cutting on its own, and each client generator of prisma-client-lib 1.34 (from the original's installation)
// over the datamodels of the tests, formatted both ways.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {formatInPieces, topLevelPieces} from '../../src/generate/chunked-format.js'
import {loadClientModules, type ClientGenerator, type GeneratorClass} from '../../src/generate/libraries.js'
import {datamodelCases, originalNodeModules} from './datamodels.js'

describe('cutting a file into top-level pieces', () => {
  test('cuts before a statement that follows a blank line, and nowhere else', () => {
    const code = [
      '// header',
      'import {a} from "a"',
      '',
      'export interface A {',
      '  x: string',
      '',
      'export: number',
      '}',
      '',
      '',
      '/**',
      ' * Types',
      '*/',
      '',
      'export type B =',
      '',
      '  | "b"',
      '',
      'export const c = `',
      '',
      'export {',
      '${`',
      '',
      'type D = 1',
      '`}`',
      '',
      'type E = 2;',
      '',
    ].join('\n')
    const pieces = topLevelPieces(code)
    assert.deepEqual(pieces?.map((piece) => piece.split('\n')[0]), ['// header', 'export interface A {', '/**', 'export type B =', 'export const c = `', 'type E = 2;'])
    assert.equal(pieces?.join(''), code)
  })

  test('an operator at the end of a line, or a line that does not start a statement, is never cut after', () => {
    assert.equal(topLevelPieces('export type A = B |\n\nexport type C = D\n')?.length, 1)
    assert.equal(topLevelPieces('const a = b\n\n(c)\n')?.length, 1)
    assert.equal(topLevelPieces('const a = b\n\nconst c = d\n')?.length, 2)
  })

  test('an unterminated string, comment or template, or unbalanced brackets: not cut at all', () => {
    for (const code of ['const a = "x\n\nexport const b = 1\n', 'const a = `x\n\nexport const b = 1\n', '/* x\n\nexport const b = 1\n', 'f(\n\nexport const b = 1\n', 'f())\n\nexport const b = 1\n']) {
      assert.equal(topLevelPieces(code), undefined, code)
      assert.equal(formatInPieces(code, (text) => `<${text}>`), `<${code}>`)
    }
  })

  test('a piece that does not format sends the whole file to the formatter, which reports it', () => {
    const calls: string[] = []
    const format = (text: string) => {
      calls.push(text)
      if (text.includes('bad')) throw new Error('SyntaxError')
      return text
    }
    assert.throws(() => formatInPieces('const a = 1\n\nconst bad = 2\n', format), /SyntaxError/)
    assert.deepEqual(calls, ['const a = 1\n\n', 'const bad = 2\n', 'const a = 1\n\nconst bad = 2\n'])
  })
})

describe('prisma-client-lib clients formatted piece by piece', () => {
  const modules = loadClientModules(originalNodeModules, ['typescript-client'])
  const options = {endpoint: '`${process.env["PRISMA_ENDPOINT"]}`', secret: '`${process.env["PRISMA_SECRET"]}`'}
  const renders: Array<[string, (generator: ClientGenerator) => string, GeneratorClass]> = [
    ['typescript-client', (generator) => generator.render(options), modules.generators.typescript],
    ['typescript definitions', (generator) => generator.render(options), modules.generators.typescriptDefinitions],
    ['javascript-client', (generator) => generator.renderJavascript(options), modules.generators.javascript],
    ['flow-client', (generator) => generator.render(options), modules.generators.flow],
  ]

  // the richest of the datamodels (the one-call formatting takes seconds each)
  for (const datamodel of datamodelCases.filter((entry) => ['demo', 'everything-relational', 'document'].includes(entry.name))) {
    test(`${datamodel.name}: the same text as one prettier call`, () => {
      const databaseType = datamodel.databaseType === 'document' ? modules.databaseTypes.mongo : modules.databaseTypes.postgres
      const schema = modules.graphql.buildSchema(modules.generateSchemaString(datamodel.datamodel, databaseType))
      const internalTypes = modules.parseInternalTypes(datamodel.datamodel, databaseType).types
      for (const [name, render, Generator] of renders) {
        const whole = render(new Generator({internalTypes, schema}))
        const generator = new Generator({internalTypes, schema})
        const format = generator.format!.bind(generator)
        let pieces = 0
        generator.format = (code, formatOptions) =>
          formatInPieces(code, (piece) => {
            pieces++
            return format(piece, formatOptions)
          })
        assert.equal(render(generator), whole, name)
        if (name !== 'javascript-client') assert.ok(pieces > 10, `${name} is formatted in ${pieces} pieces`)
      }
    })
  }
})
