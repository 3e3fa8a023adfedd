// Start-up budget without timing anything: which modules `--version` and `--help` load.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {repoRoot, tempDir} from '../helpers/cli.js'
import {heavyModulesIn, networkBuiltins, packageOf, projectModulesIn, recorderUrl, runRecordingModules} from './modules.js'

// Every command of src/commands; one missing from oclif.manifest.json fails below (oclif would load command modules
// to find it).
const commandIds = (await readdir(join(repoRoot, 'src', 'commands')))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.replace(/\.ts$/, ''))

// The runner bin/cli.js starts: oclif, and nothing of the project but the line that hands oclif over.
const runner = [join(repoRoot, 'src', 'oclif-runtime.ts')]
// `prisma help deploy` runs the help command (src/commands/help.ts and what it imports: the base command, the errors
// and the Io every command gets, with its progress writer), never deploy's module.
const helpCommand = [
  ...runner,
  ...['src/commands/help.ts', 'src/base-command.ts', 'src/errors.ts', 'src/actions/io.ts', 'src/output/progress.ts'].map((path) => join(repoRoot, path)),
]

const cases: {args: string[]; env?: Record<string, string>; allow?: string[]}[] = [
  {args: ['--version']},
  // DEBUG (matching nothing) sends --version through oclif instead of the shortcut in bin/run.js.
  {args: ['--version'], env: {DEBUG: 'nothing-matches-this'}, allow: runner},
  {args: ['--help'], allow: runner},
  {args: [], allow: runner},
  // every command's help comes from the manifest: no command module, no library a command needs
  ...commandIds.map((id) => ({args: [id, '--help'], allow: runner})),
  {args: ['help', 'deploy'], allow: helpCommand},
  {args: ['help'], allow: helpCommand},
]

describe('modules loaded at start-up', () => {
  for (const {args, env, allow = []} of cases) {
    const name = `prisma ${args.join(' ')}${env ? ' (through oclif)' : ''}`.trimEnd()
    test(`${name} loads no GraphQL, prompt, JWT, YAML, config-store or HTTP-client library, no command module`, async () => {
      const result = await runRecordingModules(args, {env})
      assert.equal(result.code, 0, result.stderr)
      assert.ok(result.modules.some((path) => path.endsWith(join('bin', 'run.js'))), 'the module recorder did not record the entry point')
      assert.deepEqual(heavyModulesIn(result.modules), [], `${name} should load none of these (import them lazily where needed)`)
      assert.deepEqual(
        projectModulesIn(result.modules).filter((path) => !allow.includes(path)),
        [],
        `${name} should not load any module of the project: commands are listed from oclif.manifest.json (run npm run manifest)`,
      )
      assert.deepEqual(
        result.modules.filter((path) => packageOf(path) === 'semver'),
        [],
        `${name} should not run oclif's Node version check (the whole semver package); bin/run.js switches it off`,
      )
      assert.deepEqual(
        result.modules.filter((path) => networkBuiltins.includes(path)),
        [],
        `${name} should not load Node's network modules (no update check, no telemetry)`,
      )
    })
  }

  test('prisma --version is answered without loading oclif, with the line oclif prints', async () => {
    const fast = await runRecordingModules(['--version'])
    const throughOclif = await runRecordingModules(['--version'], {env: {DEBUG: 'nothing-matches-this'}})
    assert.equal(fast.code, 0)
    assert.equal(throughOclif.code, 0)
    assert.deepEqual(
      fast.modules.filter((path) => packageOf(path) !== undefined),
      [],
      'prisma --version should load no package (bin/run.js answers it)',
    )
    assert.ok(throughOclif.modules.some((path) => packageOf(path) === '@oclif/core'), 'with DEBUG set, --version goes through oclif')
    assert.equal(fast.stdout, throughOclif.stdout)
    assert.equal(fast.stderr, '')
  })

  test('the recorder sees ES modules and CommonJS modules imported later (so the checks above can fail)', async () => {
    const log = join(await tempDir('prisma-modules-'), 'modules.txt')
    const script = "await import('js-yaml'); await import('@inquirer/input'); (await import('node:module')).createRequire(import.meta.url)('semver')"
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: {...process.env, NODE_OPTIONS: `--import=${recorderUrl}`, RECORD_MODULES_TO: log},
    })
    assert.equal(child.status, 0, String(child.stderr))
    const modules = (await readFile(log, 'utf8')).split('\n').filter(Boolean)
    const found = heavyModulesIn(modules).join('\n')
    assert.match(found, /YAML library js-yaml/)
    assert.match(found, /prompt library @inquirer\/input/)
    assert.match(found, /prompt library @inquirer\/core/)
    assert.ok(modules.some((path) => packageOf(path) === 'semver'), 'a CommonJS module loaded through require() is recorded')
  })
})
