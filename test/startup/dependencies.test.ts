// The production install budget: at most 80 packages (the package itself included), computed from
// package-lock.json the way npm installs `--omit=dev`: dependencies, optional dependencies and required peers.
// The libraries the CLI runs on are bundled into dist/ by the build, so today that install is the package alone.
import assert from 'node:assert/strict'
import {lstatSync, readdirSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {test} from 'node:test'

import {type LockEntry, productionClosure, resolveLockKey} from '../../scripts/lockfile.js'
import {repoRoot} from '../helpers/cli.js'

const budget = 80
const budgetMb = 20

function productionTree(packages: Record<string, LockEntry>): Map<string, string[]> {
  // each installed package → the direct production dependencies of the root that pull it in
  const reachedFrom = new Map<string, string[]>()
  for (const direct of Object.keys(packages[''].dependencies ?? {})) {
    const start = resolveLockKey(packages, '', direct)
    assert.ok(start, `${direct} is not in package-lock.json: run npm install`)
    for (const key of productionClosure(packages, start)) reachedFrom.set(key, [...(reachedFrom.get(key) ?? []), direct])
  }
  return reachedFrom
}

test(`a production install stays within ${budget} packages`, async () => {
  const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as {packages: Record<string, LockEntry>}
  const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {dependencies?: Record<string, string>}
  assert.deepEqual(Object.keys(lock.packages[''].dependencies ?? {}).sort(), Object.keys(pkg.dependencies ?? {}).sort(), 'package-lock.json is out of date: run npm install')

  const tree = productionTree(lock.packages)
  for (const key of tree.keys()) assert.ok(!key.includes('undefined'), key)
  const installed = tree.size + 1 // the package itself
  const perDirect = Object.keys(pkg.dependencies ?? {})
    .map((direct) => `${direct}: ${[...tree.values()].filter((from) => from.includes(direct)).length}`)
    .join(', ')
  assert.ok(installed <= budget, `a production install has ${installed} packages (budget ${budget}); packages pulled in per dependency: ${perDirect}`)
})

test('the libraries of the design are in the bundle (dist/), each from the version package-lock.json names', async () => {
  const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as {packages: Record<string, LockEntry & {version?: string}>}
  const meta = JSON.parse(await readFile(join(repoRoot, 'dist', 'bundle-meta.json'), 'utf8')) as {inputs: Record<string, unknown>}
  const bundled = new Set(Object.keys(meta.inputs).map((input) => input.match(/^(node_modules\/(?:@[^/]+\/)?[^/]+)\//)?.[1]).filter(Boolean))
  for (const library of ['@oclif/core', '@inquirer/input', '@inquirer/password', '@inquirer/select', 'chalk', 'graphql', 'js-yaml']) {
    assert.ok(bundled.has(`node_modules/${library}`), `${library} is not in the bundle`)
    assert.ok(lock.packages[`node_modules/${library}`]?.version, `${library} is not in package-lock.json`)
  }
  // development tools never end up in what ships
  for (const tool of ['typescript', 'esbuild', 'eslint', 'tsx', 'jsonwebtoken', 'oclif']) assert.ok(!bundled.has(`node_modules/${tool}`), tool)
})

test('no package is both a production dependency and a development dependency', async () => {
  const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
    devDependencies?: Record<string, string>
  }
  const both = Object.keys(pkg.dependencies ?? {}).filter((name) => name in (pkg.devDependencies ?? {}))
  assert.deepEqual(both, [])
})

/** Disk use of a package folder (nested node_modules excluded: those are packages of their own), in 4 kB blocks. */
function diskBytes(dir: string): number {
  const block = 4096
  let total = 0
  const walk = (path: string, top: boolean) => {
    const stat = lstatSync(path)
    total += Math.max(block, Math.ceil(stat.size / block) * block)
    if (stat.isDirectory()) for (const entry of readdirSync(path)) if (!(top && entry === 'node_modules')) walk(join(path, entry), false)
  }
  walk(dir, true)
  return total
}

test(`a production install stays within ${budgetMb} MB on disk`, async () => {
  const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as {packages: Record<string, LockEntry>}
  const tree = productionTree(lock.packages)
  const sizes = [...tree.keys()].map((key) => ({key, bytes: diskBytes(join(repoRoot, key))}))
  // the package itself: what `files` publishes (the build record dist/bundle-meta.json counted too, for simplicity)
  const own = ['package.json', 'oclif.manifest.json', 'bin', 'dist'].reduce((sum, entry) => sum + diskBytes(join(repoRoot, entry)), 0)
  const totalMb = (sizes.reduce((sum, {bytes}) => sum + bytes, 0) + own) / 1024 / 1024
  const largest = sizes
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5)
    .map(({key, bytes}) => `${key.replace(/^.*node_modules\//, '')} ${(bytes / 1024 / 1024).toFixed(1)} MB`)
    .join(', ')
  assert.ok(totalMb <= budgetMb, `a production install takes about ${totalMb.toFixed(1)} MB on disk (budget ${budgetMb}); largest: ${largest}`)
  assert.ok(totalMb > 1, 'the estimate counts real files')
})
