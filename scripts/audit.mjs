#!/usr/bin/env node
// Fails when `npm audit` reports a high or critical advisory for a production dependency. A registry that does not
// offer the audit endpoint (some mirrors and proxies answer 405) cannot tell either way: that is said, not hidden,
// and does not fail the run.
import {spawnSync} from 'node:child_process'

const result = spawnSync('npm', ['audit', '--omit=dev', '--json'], {encoding: 'utf8', shell: process.platform === 'win32'})
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

const counts = report.metadata?.vulnerabilities ?? {}
const serious = (counts.high ?? 0) + (counts.critical ?? 0)
console.log(
  `npm audit (production dependencies): ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ` +
    `${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`,
)
if (serious > 0) {
  for (const [name, entry] of Object.entries(report.vulnerabilities ?? {})) {
    if (entry.severity === 'high' || entry.severity === 'critical') console.log(`  ${entry.severity}: ${name} (${entry.range})`)
  }
  process.exit(1)
}
