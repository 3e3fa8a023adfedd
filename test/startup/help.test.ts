// Help works from the manifest: the command list, and per-command help in all three spellings.
import assert from 'node:assert/strict'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {repoRoot, runCli} from '../helpers/cli.js'

const manifest = JSON.parse(await readFile(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, {summary?: string; description?: string; hidden?: boolean}>
}
const visible = Object.entries(manifest.commands).filter(([, command]) => !command.hidden)
// Every command of src/commands: one missing from the manifest fails. (`prisma help --help` is not `prisma help
// help`: oclif reads the latter as the help of `help`, so help.ts is left out.)
const commandIds = (await readdir(join(repoRoot, 'src', 'commands')))
  .filter((file) => file.endsWith('.ts') && file !== 'help.ts')
  .map((file) => file.replace(/\.ts$/, ''))

describe('help', () => {
  test('prisma --help lists every command with its summary', async () => {
    const result = await runCli(['--help'], {env: {OCLIF_COLUMNS: '200'}})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /USAGE\n\s+\$ prisma \[COMMAND\]/)
    for (const [id, command] of visible) {
      const summary = (command.summary ?? command.description ?? '').split('\n')[0]
      assert.match(result.stdout, new RegExp(`\\n\\s+${id}\\s+${escape(summary.slice(0, 40))}`), `prisma --help should list ${id}`)
    }
  })

  for (const id of commandIds) {
    test(`prisma help ${id}, prisma ${id} --help and prisma ${id} -h show the same help`, async () => {
      assert.ok(id in manifest.commands, `${id} is missing from oclif.manifest.json (run npm run manifest)`)
      const outputs = []
      for (const args of [['help', id], [id, '--help'], [id, '-h']]) {
        const result = await runCli(args, {env: {OCLIF_COLUMNS: '120'}})
        assert.equal(result.code, 0, `prisma ${args.join(' ')}: ${result.stderr}`)
        assert.equal(result.stderr, '')
        outputs.push(result.stdout)
      }
      assert.match(outputs[0], new RegExp(`USAGE\\n\\s+\\$ prisma ${id}`))
      assert.equal(outputs[1], outputs[0])
      assert.equal(outputs[2], outputs[0])
    })
  }

  test('prisma help <unknown> fails with exit code 2', async () => {
    const result = await runCli(['help', 'no-such-command'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /no-such-command not found/)
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
