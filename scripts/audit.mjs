#!/usr/bin/env node
// Fails when `npm audit` reports a high or critical advisory for a library that ships: the package has no
// dependencies of its own, the libraries it runs on are bundled into dist/ by the build (run it first), and
// dist/bundle-meta.json names them. Advisories of development tools are listed, not fatal. A registry that does not
// offer the audit endpoint (some mirrors and proxies answer 405) cannot tell either way: that is said, not hidden,
// and does not fail the run.
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'

let bundled
try {
  const {inputs} = JSON.parse(readFileSync(new URL('../dist/bundle-meta.json', import.meta.url), 'utf8'))
  bundled = new Set(Object.keys(inputs).map((input) => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1]).filter(Boolean))
} catch (error) {
  console.error(`dist/bundle-meta.json cannot be read (${error.message}): run npm run build before npm run audit.`)
  process.exit(1)
}

const result = spawnSync('npm', ['audit', '--json'], {encoding: 'utf8', shell: process.platform === 'win32'})
let report
try {
  report = JSON.parse(result.stdout)
} catch {
  console.error(`npm audit gave no report (exit ${result.status}):\n${result.stderr}`)
  process.exit(1)
}

if (report.error || report.statusCode) {
  const reason = report.message ?? report.error?.summary ?? 'unknown error'
  console.log(`npm audit: the registry's audit endpoint is not available here (${reason}); no advisories checked.`)
  process.exit(0)
}

const vulnerabilities = Object.entries(report.vulnerabilities ?? {})
const count = (shipped, severity) => vulnerabilities.filter(([name, entry]) => bundled.has(name) === shipped && entry.severity === severity).length
for (const shipped of [true, false]) {
  const label = shipped ? 'libraries in the bundle' : 'development tools'
  console.log(`npm audit (${label}): ${['critical', 'high', 'moderate', 'low'].map((severity) => `${count(shipped, severity)} ${severity}`).join(', ')}`)
}
const serious = vulnerabilities.filter(([name, entry]) => bundled.has(name) && (entry.severity === 'high' || entry.severity === 'critical'))
for (const [name, entry] of serious) console.log(`  ${entry.severity}: ${name} (${entry.range})`)
if (serious.length > 0) process.exit(1)
