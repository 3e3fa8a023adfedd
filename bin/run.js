#!/usr/bin/env -S node --
// ("--" ends node's own options: Node 20 otherwise reads an --env-file given to the command itself and exits
// with "node: <file>: not found" before this script runs.)
// `prisma --version` is answered here without loading oclif whenever the answer is certain to be the line oclif
// prints (config.userAgent: no hooks or plugins that could run first, no DEBUG output expected, not WSL, where
// oclif reports the platform as "wsl"). Everything else goes to oclif, which finds commands through the committed
// oclif.manifest.json, so no command module is loaded to list or find commands.
import {readFileSync} from 'node:fs'
import module from 'node:module'
import {arch, platform, release} from 'node:os'

const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const versionFlags = ['--version', ...(pjson.oclif?.additionalVersionFlags ?? [])]

if (versionFlags.includes(process.argv[2]) && !pjson.oclif?.hooks && !pjson.oclif?.plugins && !process.env.DEBUG && !maybeWsl()) {
  process.stdout.write(`${pjson.name}/${pjson.version} ${platform()}-${arch() === 'ia32' ? 'x86' : arch()} node-${process.version}\n`)
} else {
  // Node >= 22.1 keeps compiled code of the modules loaded below on disk between runs.
  module.enableCompileCache?.()
  const {execute} = await import('@oclif/core/execute')
  await execute({dir: import.meta.url})
}

function maybeWsl() {
  if (platform() !== 'linux') return false
  if (release().toLowerCase().includes('microsoft')) return true
  try {
    return readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')
  } catch {
    return false
  }
}
