// The process ends as soon as the command is done, but never before a slow reader has all of its output.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {test} from 'node:test'

import {project} from '../deploy/fixtures.js'
import {binPath, cliEnvironment, runCli} from '../helpers/cli.js'
import {startManagementServer} from '../stand-in/management-server.js'

test('a large --json document reaches a reader that starts reading late, whole', async (t) => {
  const server = await startManagementServer({migrationStepMs: 1})
  t.after(() => server.close())
  const dir = await project(`${server.url}/svc/dev`)
  // the service exists with a small datamodel; the dry run of the large one lists every step
  assert.equal((await runCli(['deploy'], {cwd: dir})).code, 0)
  const types = Array.from({length: 1500}, (_, index) => `type Model${index} {\n  id: ID! @id\n  title: String!\n}\n`).join('\n')
  await writeFile(join(dir, 'datamodel.prisma'), types)
  const {env} = await cliEnvironment()
  const child = spawn(process.execPath, [binPath, 'deploy', '--dry-run', '--json'], {cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe']})
  // nothing is read until the pipe has long been full (64 kB): the CLI must wait for the reader, not exit
  child.stdout.pause()
  const chunks: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  await new Promise((resolve) => setTimeout(resolve, 1500))
  child.stdout.resume()
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const text = Buffer.concat(chunks).toString('utf8')
  assert.ok(text.length > 200_000, `only ${text.length} bytes`)
  const document = JSON.parse(text) as {status: string; steps: unknown[]}
  assert.equal(document.status, 'dry-run')
  assert.ok(document.steps.length >= 3000)
  assert.equal(code, 0)
})
