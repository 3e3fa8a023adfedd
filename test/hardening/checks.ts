// What every failure of the CLI must look like: an exit code, a short readable message on stderr, no stack trace,
// no internal error names, nothing that looks like a crash. Shared by the hardening tests.
import assert from 'node:assert/strict'

import type {CliResult} from '../helpers/cli.js'

const stackLine = /^\s+at (?:.+ \()?(?:file:\/\/|node:|\/|[A-Za-z]:\\).*:\d+(?::\d+)?\)?\s*$/m
// (a Node error code in parentheses after a readable sentence is fine: it helps searching)
const internalNames = /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|AssertionError|UnhandledPromiseRejection)\b|^\s*\(?ERR_[A-Z_]{3,}/m
const crashWords = /Unexpected error|undefined is not|Cannot read propert|is not a function|\[object Object\]|Maximum call stack/

export function assertCleanFailure(result: CliResult, o: {usage?: boolean; context?: string; maxLength?: number; stdoutEmpty?: boolean} = {}): void {
  const context = o.context ?? `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
  const stderr = result.stderr.trim()
  assert.ok(stderr.length > 0, `a failure says something on stderr\n${context}`)
  assert.doesNotMatch(result.stderr, stackLine, `no stack trace\n${context}`)
  assert.doesNotMatch(result.stdout, stackLine, `no stack trace on stdout\n${context}`)
  assert.doesNotMatch(result.stderr, crashWords, `no crash\n${context}`)
  if (!o.usage) {
    assert.doesNotMatch(result.stderr, internalNames, `no internal error names\n${context}`)
    assert.ok(stderr.length <= (o.maxLength ?? 2500), `one short message, not ${stderr.length} characters\n${context}`)
  }

  if (o.stdoutEmpty) assert.equal(result.stdout, '', `nothing on stdout\n${context}`)
}
