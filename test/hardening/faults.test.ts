// Every fault of the deploy issue and more, against the local stand-ins: each ends with the right exit code and a
// clear message, no stack trace, and no process of the CLI left running. The normal use of every command runs too,
// as a baseline for the same checks.
import assert from 'node:assert/strict'
import {after, describe, test} from 'node:test'

import {assertCleanFailure, findLeaks} from './checks.js'
import {makeSecrets, scenarios} from './scenarios.js'

const secrets = makeSecrets()
const survived = {command: 0, fault: 0}
after(() => {
  const faults = scenarios.filter((scenario) => scenario.kind === 'fault').length
  process.stdout.write(`# faults: ${faults} tried, ${survived.fault} survived (right exit code, clear message, no stack trace, nothing left running); ${survived.command} normal command runs checked alike\n`)
})

describe('faults against the stand-ins: clear message, right exit code, nothing left running', {concurrency: 3}, () => {
  test('covers the faults of the deploy issue and the hardening issue', () => {
    assert.ok(scenarios.filter((scenario) => scenario.kind === 'fault').length >= 20)
  })

  for (const scenario of scenarios) {
    test(`${scenario.kind}: ${scenario.name}`, async () => {
      const {printedToken, result} = await scenario.run(secrets, {})
      const context = `exit ${result.code} signal ${result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
      assert.equal(result.signal, null, context)
      assert.equal(result.code, scenario.exit, context)
      assert.equal(result.leftover, false, `a process of the CLI was still running after it exited\n${context}`)
      if (scenario.stderr) assert.match(result.stderr, scenario.stderr, context)
      if (scenario.stdout) assert.match(result.stdout, scenario.stdout, context)
      if (scenario.exit !== 0) assertCleanFailure(result, {context})
      else assert.doesNotMatch(result.stderr, /Unexpected error|\n\s+at .+:\d+:\d+/, context)
      assert.deepEqual(findLeaks(result, secrets, printedToken), [], `no secret in the output\n${context}`)
      survived[scenario.kind] += 1
    })
  }
})
