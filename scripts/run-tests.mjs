#!/usr/bin/env node
// Runs the test files under test/ with Node's own test runner (TypeScript through tsx) and ends with one
// summary line: "N passed, N failed, N skipped". Arguments narrow the run to files whose path contains them;
// --unit runs the module tests only (see moduleTest below), --conformance adds test/conformance. Before the tests,
// it installs the original CLI into .cache/prisma1 when a selected file loads packages from there (the generate
// tests take prisma-client-lib 1.34 from it), so that `npm test` passes on a fresh clone by itself.
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const includeConformance = process.argv.includes('--conformance')
const unitOnly = process.argv.includes('--unit')

// Module tests call src/ (and the stand-in's pure modules) in the test process: they neither spawn the CLI or any
// other process, nor start a server or a pseudo-terminal, nor read the build, so they need no build and together
// take under a minute, for the edit-test loop. The list is derived from each file's own text by this rule, so it
// cannot drift from the files: a file that names one of these is not a module test, nor is the long fuzzing of
// test/hardening or the conformance suite. The full suite (npm test, CI) runs module tests too.
const outsideTheProcess = new RegExp(
  [
    String.raw`\b(runCli|binPath|cliEnvironment|spawn|spawnSync|execFile|execFileSync|execSync|fork|fakeBrowser|freePort)\b`,
    String.raw`\b(startManagementServer|startCloudServer|startServer|startProxy|createServer|listen|dataProject)\b`,
    String.raw`\b(originalNodeModules|projectsRoot|dist)\b`,
    String.raw`helpers/pty|/original-cli|stand-in-setup|startup/modules|\./modules|\./harness|\./scenarios`,
  ].join('|'),
)
const notModuleFolders = ['test/hardening/', 'test/conformance/', 'test/startup/']

/** Whether a test file (path relative to the root, with /) is a module test by the rule above. */
function moduleTest(file, source) {
  return !notModuleFolders.some((folder) => file.startsWith(folder)) && !outsideTheProcess.test(source)
}

// Tests that load the original CLI's packages from .cache/prisma1 (test/conformance/original-cli.ts installs it).
const usesOriginal = /\b(originalNodeModules|projectsRoot|ensureOriginalCli)\b|\/original-cli\.js/

function findTests(dir) {
  const found = []
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name === 'conformance' && !includeConformance) continue
      found.push(...findTests(path))
    } else if (entry.name.endsWith('.test.ts')) {
      found.push(relative(root, path).split(sep).join('/'))
    }
  }
  return found
}

const sources = new Map(findTests(join(root, 'test')).map((file) => [file, readFileSync(join(root, file), 'utf8')]))
const files = [...sources.keys()]
  .filter((file) => !unitOnly || moduleTest(file, sources.get(file)))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort()
if (process.argv.includes('--list')) {
  console.log(files.join('\n'))
  process.exit(0)
}
if (files.length === 0) {
  console.error('No test files matched.')
  process.exit(1)
}

// One install before the tests, rather than one per test file racing for the same folder.
if (files.some((file) => usesOriginal.test(sources.get(file)))) {
  const loader = join(root, 'test', 'conformance', 'original-cli.ts')
  if (!existsSync(join(root, '.cache', 'prisma1', 'node_modules', 'prisma1', 'dist', 'index.js'))) {
    console.error('Installing the original CLI into .cache/prisma1 for the tests that load its packages (once; about a minute)...')
  }
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `await (await import(${JSON.stringify(pathToFileURL(loader).href)})).ensureOriginalCli()`], {
    cwd: root,
    stdio: 'inherit',
  })
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
