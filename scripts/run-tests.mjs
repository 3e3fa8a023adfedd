#!/usr/bin/env node
// Runs the test files under test/ with Node's own test runner (TypeScript through tsx) and ends with one
// summary line: "N passed, N failed, N skipped". Arguments narrow the run to files whose path contains them;
// --unit runs the module tests only (the list below), --conformance adds test/conformance.
import {spawn} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const includeConformance = process.argv.includes('--conformance')
const unitOnly = process.argv.includes('--unit')

// Module tests: they call src/ (and the stand-in's pure modules) in this process, neither spawn the CLI nor start
// a server, and need no build; together they take under a minute, for the edit-test loop. A test file that
// spawns bin/run.js, opens a pseudo-terminal or starts a stand-in server does not belong here, nor does the long
// fuzzing of test/hardening. The full suite (npm test, CI) runs these too.
const unitTests = [
  'test/deploy/flow.test.ts',
  'test/deploy/hooks.test.ts',
  'test/deploy/output.test.ts',
  'test/deploy/wait.test.ts',
  'test/duration.test.ts',
  'test/global-config/global-config.test.ts',
  'test/lint/import-direction.test.ts',
  'test/management-api/client.test.ts',
  'test/management-api/retry.test.ts',
  'test/output/server-commands.test.ts',
  'test/project/endpoint-rewrite.test.ts',
  'test/project/endpoint.test.ts',
  'test/project/load-fuzz.test.ts',
  'test/project/load.test.ts',
  'test/project/variables.test.ts',
  'test/stand-in/client-documents.test.ts',
  'test/tokens/tokens.test.ts',
  'test/upgrade/plan.test.ts',
  'test/wizard/endpoint-wizard.test.ts',
]

function findTests(dir) {
  const found = []
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name === 'conformance' && !includeConformance) continue
      found.push(...findTests(path))
    } else if (entry.name.endsWith('.test.ts')) {
      found.push(relative(root, path))
    }
  }
  return found
}

const files = findTests(join(root, 'test'))
  .filter((file) => !unitOnly || unitTests.includes(file.split(sep).join('/')))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort()
const missing = unitOnly ? unitTests.filter((file) => !files.some((found) => found.split(sep).join('/') === file)) : []
if (missing.length > 0 && filters.length === 0) {
  console.error(`Listed as module tests but not found: ${missing.join(', ')}`)
  process.exit(1)
}
if (files.length === 0) {
  console.error('No test files matched.')
  process.exit(1)
}

const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=3',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/summary-reporter.mjs',
    '--test-reporter-destination=stdout',
    ...files,
  ],
  {cwd: root, stdio: 'inherit', env: {...process.env, NO_COLOR: '1', FORCE_COLOR: '0'}},
)
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
