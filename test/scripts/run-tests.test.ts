// The test runner's module-test list is derived from the files by its rule: this checks the rule's verdicts on
// files of each kind, so that a change to the rule cannot quietly move a CLI test into `npm run test:unit`.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {join} from 'node:path'
import {test} from 'node:test'

import {repoRoot} from '../helpers/cli.js'

const list = (...args: string[]) =>
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'run-tests.mjs'), '--list', ...args], {cwd: repoRoot, encoding: 'utf8'}).trim().split('\n')

test('--unit lists the module tests: in-process ones in, those that spawn, serve or need a build out', () => {
  const unit = list('--unit')
  for (const file of ['test/deploy/flow.test.ts', 'test/wizard/endpoint-wizard.test.ts', 'test/project/load.test.ts', 'test/tokens/tokens.test.ts']) {
    assert.ok(unit.includes(file), `${file} is a module test`)
  }
  for (const file of ['test/commands/deploy.test.ts', 'test/wizard/deploy-wizard.pty.test.ts', 'test/management-api/probe.test.ts', 'test/generate/server-schema.test.ts', 'test/startup/dependencies.test.ts', 'test/scripts/run-tests.test.ts']) {
    assert.ok(!unit.includes(file), `${file} is not a module test`)
  }
  assert.ok(unit.length > 15 && unit.length < list().length)
})

test('the conformance suite is listed only with --conformance', () => {
  assert.ok(!list().some((file) => file.startsWith('test/conformance/')))
  assert.ok(list('--conformance').some((file) => file.startsWith('test/conformance/')))
})
