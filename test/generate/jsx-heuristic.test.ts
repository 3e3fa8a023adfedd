// The linear JSX heuristic answers exactly as prettier's regular expression does.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import fc from 'fast-check'

import {probablyJsx, withLinearJsxHeuristic} from '../../src/generate/jsx-heuristic.js'

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

  test('only that pattern is replaced, only during the render', () => {
    const seen = withLinearJsxHeuristic(() => {
      const replaced = new RegExp(['(^[^"\'`]*</)', '|', '(^[^/]{2}.*/>)'].join(''), 'm')
      const other = new RegExp('a+', 'g')
      return {called: RegExp('b').test('b'), other: other instanceof RegExp && other.flags === 'g', replaced: replaced.test('<a></a>')}
    })
    assert.deepEqual(seen, {called: true, other: true, replaced: true})
    assert.equal(new RegExp(['(^[^"\'`]*</)', '|', '(^[^/]{2}.*/>)'].join(''), 'm') instanceof RegExp, true)
  })
})
