#!/usr/bin/env node
// Runs the module tests and an end-to-end set on other Node versions than the one CI installs (default: 22 and 24),
// each with the Node binary of the npm package node-<platform>-<arch>@<major>, fetched once into .cache/nodes/<major>
// (or PRISMA_NODES_DIR/<major>). The end-to-end set drives the built CLI on that Node: the demo's deploys, generate,
// an export/import round trip, the endpoint wizard in a pseudo-terminal and cluster-token. Needs `npm run build`.
// Ends with one line per version and exits 1 when any step failed.
//
//   node scripts/other-nodes.mjs [22 24]
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const majors = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['22', '24']
const nodesDir = process.env.PRISMA_NODES_DIR || join(root, '.cache', 'nodes')

const endToEnd = [
  'test/commands/generate.test.ts',
  'test/commands/export-import.test.ts',
  'test/wizard/deploy-wizard.pty.test.ts',
  'test/commands/cluster-token.test.ts',
]

/** The node binary of `major`, from the npm package that carries it (downloaded on first use). */
function nodeBinary(major) {
  const dir = join(nodesDir, major)
  const binary = join(dir, 'package', 'bin', 'node')
  if (!existsSync(binary)) {
    mkdirSync(dir, {recursive: true})
    const name = `node-${process.platform}-${process.arch}@${major}`
    console.error(`Fetching ${name} into ${dir} ...`)
    const packed = JSON.parse(execFileSync('npm', ['pack', name, '--json', '--pack-destination', dir], {cwd: dir, encoding: 'utf8'}))
    const tarball = join(dir, packed[0].filename)
    execFileSync('tar', ['-xzf', tarball, '-C', dir, 'package/bin/node'])
    rmSync(tarball)
  }
  const version = execFileSync(binary, ['--version'], {encoding: 'utf8'}).trim()
  if (!version.startsWith(`v${major}.`)) throw new Error(`${binary} is ${version}, not Node ${major}`)
  return {binary, version}
}

function step(binary, args) {
  console.log(`\n$ node ${args.join(' ')}`)
  return spawnSync(binary, args, {cwd: root, stdio: 'inherit'}).status === 0
}

if (!existsSync(join(root, 'dist', 'commands', 'deploy.js'))) {
  console.error('The CLI is not built: run `npm run build` first.')
  process.exit(1)
}

const results = []
for (const major of majors) {
  const {binary, version} = nodeBinary(major)
  console.log(`\n== Node ${version} (${binary})`)
  const failed = [
    ['module tests', ['scripts/run-tests.mjs', '--unit']],
    ['end-to-end tests', ['scripts/run-tests.mjs', ...endToEnd]],
    ['the demo', ['--import', 'tsx', 'scripts/demo.ts']],
  ]
    .filter(([, args]) => !step(binary, args))
    .map(([name]) => name)
  results.push({failed, version})
}

console.log('')
for (const {failed, version} of results) console.log(`Node ${version}: ${failed.length === 0 ? 'passed' : `failed: ${failed.join(', ')}`}`)
process.exit(results.some((result) => result.failed.length > 0) ? 1 : 0)
