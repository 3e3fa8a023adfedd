import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {describeDuration, formatDuration, parseDuration} from '../src/duration.js'
import {ExitCode, UserError} from '../src/errors.js'

describe('durations', () => {
  const cases: Array<[string, number]> = [
    ['30m', 1800],
    ['12h', 43_200],
    ['7d', 604_800],
    ['2w', 1_209_600],
    ['5y', 157_788_000],
    ['3600', 3600],
    ['90s', 90],
    ['1.5h', 5400],
    [' 10 minutes ', 600],
    ['1D', 86_400],
    ['10min', 600],
    ['45sec', 45],
  ]
  for (const [text, seconds] of cases) {
    test(`${JSON.stringify(text)} is ${seconds} s`, () => assert.equal(parseDuration(text, '--expires-in'), seconds * 1000))
  }

  test('milliseconds', () => {
    assert.equal(parseDuration('500ms', '--timeout'), 500)
    assert.equal(parseDuration('1.5s', '--timeout'), 1500)
  })

  for (const junk of ['', 'abc', '10x', '-5m', '0', '0h', '1e3', 'm', '5 y y', '1000y']) {
    test(`${JSON.stringify(junk)} is a UserError naming the flag`, () => {
      assert.throws(
        () => parseDuration(junk, '--expires-in'),
        (error: unknown) => error instanceof UserError && /--expires-in must be a duration/.test(error.message),
      )
    })
  }

  test('a bad flag is a usage error (exit 2), a bad environment variable exit 1', () => {
    assert.throws(() => parseDuration('soon', '--timeout'), (error: unknown) => (error as UserError).exitCode === ExitCode.usage)
    assert.throws(
      () => parseDuration('soon', 'PRISMA_REQUEST_TIMEOUT', 'env'),
      (error: unknown) => error instanceof UserError && error.exitCode === ExitCode.failure && /PRISMA_REQUEST_TIMEOUT/.test(error.message),
    )
  })

  test('formatDuration renders the shortest exact unit', () => {
    assert.equal(formatDuration(3_600_000), '1h')
    assert.equal(formatDuration(604_800_000), '1w')
    assert.equal(formatDuration(90_000), '90s')
    assert.equal(formatDuration(157_788_000_000), '5y')
    assert.equal(formatDuration(300_000), '5m')
    assert.equal(formatDuration(1500), '1500ms')
  })

  test('formatDuration and parseDuration round-trip', () => {
    for (const ms of [500, 1000, 90_000, 3_600_000, 86_400_000, 604_800_000, 157_788_000_000]) {
      assert.equal(parseDuration(formatDuration(ms), 'x'), ms)
    }
  })

  test('describeDuration words a duration for messages', () => {
    assert.equal(describeDuration(600_000), '10 min')
    assert.equal(describeDuration(30_000), '30 s')
    assert.equal(describeDuration(90_000), '90 s')
    assert.equal(describeDuration(1500), '1.5 s')
    assert.equal(describeDuration(500), '500 ms')
  })
})
