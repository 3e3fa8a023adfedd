// The linear JSX heuristic answers exactly as prettier's regular expression does.
import assert from 'node:assert/strict'
import {realpathSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import fc from 'fast-check'

import {preloadLinearTypeScriptParser, probablyJsx} from '../../src/generate/jsx-heuristic.js'
import {originalNodeModules} from './datamodels.js'

const heuristic = new RegExp(['(^[^"\'`]*</)', '|', '(^[^/]{2}.*/>)'].join(''), 'm')
const alphabet = fc.constantFrom('<', '/', '>', '"', "'", '`', '\n', '\r', '\u2028', 'a', ' ', 'x')

describe('the JSX heuristic of prettier, in one pass', () => {
  test('agrees with the regular expression on any text of its critical characters', () => {
    fc.assert(
      fc.property(fc.array(alphabet, {maxLength: 40}).map((chars) => chars.join('')), (text) => {
        assert.equal(probablyJsx(text), heuristic.test(text), JSON.stringify(text))
      }),
      {numRuns: 20_000},
    )
  })

  test('examples', () => {
    for (const [text, expected] of [
      ['const a = <div></div>', true],
      ['const a = "</"', false],
      ['ab />', true],
      ['//>', false],
      ['x\n/a/>', true],
      ['/x\n/a/>', false],
      ['', false],
    ] as const) {
      assert.equal(probablyJsx(text), expected, text)
      assert.equal(heuristic.test(text), expected, text)
    }
  })

  test("prettier's TypeScript parser is loaded with the linear heuristic, and formats as before", () => {
    const prettierDir = realpathSync(join(originalNodeModules, 'prettier'))
    const file = join(prettierDir, 'parser-typescript.js')
    const require = createRequire(file)
    const source = 'const a = <T>(x: T) => x\nexport const b = {c: "</"}\n'
    const plain = (require('./index.js') as {format(text: string, o: object): string}).format(source, {parser: 'typescript'})
    delete require.cache[file]
    delete require.cache[join(prettierDir, 'index.js')]

    preloadLinearTypeScriptParser(prettierDir)
    const loaded = require.cache[file]
    assert.ok(loaded?.loaded, 'the parser is in the module cache')
    const parse = (loaded.exports as {parsers: {typescript: {parse: () => unknown}}}).parsers.typescript.parse
    assert.match(String(parse), /__probablyJsx\(\w+\)/, 'the heuristic is the linear one')
    assert.doesNotMatch(String(parse), /new RegExp/)
    const prettier = require('./index.js') as {format(text: string, o: object): string}
    assert.equal(require('./parser-typescript.js'), loaded.exports, "prettier's require finds the edited parser")
    assert.equal(prettier.format(source, {parser: 'typescript'}), plain)
    assert.equal(RegExp, globalThis.RegExp)
  })
})
