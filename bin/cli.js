#!/usr/bin/env node
// `prisma --version` is answered here without loading oclif whenever the answer is certain to be the line oclif
// prints (config.userAgent: no hooks or plugins that could run first, no DEBUG output expected, not WSL, where
// oclif reports the platform as "wsl"). Everything else goes to oclif, which finds commands through the committed
// oclif.manifest.json, so no command module is loaded to list or find commands.
import {readFileSync} from 'node:fs'
import module from 'node:module'
import {arch, platform, release} from 'node:os'

const argv = process.argv.slice(2)
// Ctrl-C and SIGTERM end the tool with exit code 130 / 143 wherever they arrive. A command that listens itself
// (deploy and login stop their wait and explain) gets 1.5 s to end through its own clean-up; a file replacement in
// progress (dist/signals.js, sharing this state) is always completed first.
const signals = (globalThis[Symbol.for('prisma1-cli.signals')] ??= {writing: 0})
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  const listener = () => {
    process.exitCode = code
    const exit = () => {
      if (signals.writing > 0) signals.pending = code
      else process.exit(code)
    }

    if (process.listeners(signal).some((other) => other !== listener)) setTimeout(exit, 1500).unref()
    else exit()
  }

  process.on(signal, listener)
}

// `prisma --version | head -c 5`: the reader of stdout may go away early. @oclif/core's command module ignores that
// (EPIPE) and goes on; the answer to --version here comes without that module, so the same rule is set here.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error
})

const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const versionFlags = ['--version', ...(pjson.oclif?.additionalVersionFlags ?? [])]

if (versionFlags.includes(argv[0]) && !pjson.oclif?.hooks && !pjson.oclif?.plugins && !process.env.DEBUG && !maybeWsl()) {
  process.stdout.write(`${pjson.name}/${pjson.version} ${platform()}-${arch() === 'ia32' ? 'x86' : arch()} node-${process.version}\n`)
} else {
  // Node >= 22.1 keeps compiled code of the modules loaded below on disk between runs.
  module.enableCompileCache?.()
  // Under DEBUG a stack trace names the source files (src/…, the libraries' own files) through the bundle's source
  // maps (dist/**/*.map), rather than a position in a chunk.
  if (process.env.DEBUG) process.setSourceMapsEnabled(true)
  // oclif's own DEBUG lines print the command line; `login --key <session key>` must not end up in a debug log.
  if (process.env.DEBUG && process.argv.slice(2).some((arg) => /^(--key|-k)/.test(arg))) process.env.DEBUG += ',-oclif:*'
  // dist/oclif-runtime.js is oclif's runner from the bundle (scripts/build.mjs). Loading it runs @oclif/core's index,
  // which compares the Node version with @oclif/core's own engines (node >= 18) through the semver package. npm
  // already enforces our engines (node >= 20.3) and bin/run.js checks them, so that check is switched off while the
  // runner loads, and the environment is restored for the command and the processes it starts.
  const {execute} = await loadRunnerWithoutEngineCheck()
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

async function loadRunnerWithoutEngineCheck() {
  const before = process.env.OCLIF_DISABLE_ENGINE_WARNING
  process.env.OCLIF_DISABLE_ENGINE_WARNING = 'true'
  try {
    return await import('../dist/oclif-runtime.js')
  } finally {
    if (before === undefined) delete process.env.OCLIF_DISABLE_ENGINE_WARNING
    else process.env.OCLIF_DISABLE_ENGINE_WARNING = before
  }
}
