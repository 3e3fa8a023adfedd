#!/usr/bin/env node
// Runs the test files under test/ with Node's own test runner (TypeScript through tsx) and ends with one
// summary line: "N passed, N failed, N skipped". Arguments narrow the run to files whose path contains them.
import {spawn} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const includeConformance = process.argv.includes('--conformance')

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
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort()
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
