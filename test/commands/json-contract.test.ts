// The --json contract every command keeps: one JSON document on stdout, success or failure; human text on stderr.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {repoRoot, runCli, tempDir} from '../helpers/cli.js'

const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, {flags: Record<string, {char?: string}>; hidden?: boolean}>
}
const commandIds = Object.keys(manifest.commands).filter((id) => id !== 'help')
const errorCodes = new Set(
  [...readFileSync(join(repoRoot, 'src', 'errors.ts'), 'utf8').matchAll(/^\s+\| '([A-Z_]+)'$/gm)].map((match) => match[1]),
)

function parseOneDocument(stdout: string): Record<string, unknown> {
  const document: unknown = JSON.parse(stdout)
  assert.equal(typeof document, 'object')
  assert.ok(document !== null && !Array.isArray(document), 'the document is a JSON object')
  return document as Record<string, unknown>
}

function assertErrorDocument(document: Record<string, unknown>, exitCode: number | null) {
  assert.ok(['error', 'interrupted'].includes(document.status as string), `status: ${String(document.status)}`)
  assert.equal(typeof document.message, 'string')
  assert.ok((document.message as string).length > 0)
  assert.equal(document.exitCode, exitCode, 'exitCode in the document is the exit code of the process')
  assert.ok(errorCodes.has(document.code as string), `code ${String(document.code)} is one of src/errors.ts ErrorCode`)
}

describe('--json contract', () => {
  test('every command but help accepts --json', () => {
    assert.ok(commandIds.length >= 5)
    for (const id of commandIds) assert.ok(manifest.commands[id].flags.json, `${id} has --json`)
    assert.ok(errorCodes.size >= 10, 'the error codes are read from src/errors.ts')
  })

  for (const id of commandIds) {
    test(`${id} --json with an unknown flag: an error document with code USAGE, exit 2`, async () => {
      const result = await runCli([...id.split(':'), '--json', '--no-such-flag'], {cwd: await tempDir()})
      assert.equal(result.code, 2, result.stderr)
      const document = parseOneDocument(result.stdout)
      assertErrorDocument(document, 2)
      assert.equal(document.code, 'USAGE')
      assert.match(result.stderr, /no-such-flag/)
    })
  }

  test('cluster-token --json without any credential: NO_CREDENTIAL document, advice on stderr', async () => {
    const result = await runCli(['cluster-token', '--json'], {cwd: await tempDir()})
    assert.equal(result.code, 1)
    const document = parseOneDocument(result.stdout)
    assertErrorDocument(document, 1)
    assert.equal(document.code, 'NO_CREDENTIAL')
    assert.match(result.stderr, /PRISMA_MANAGEMENT_API_SECRET/)
  })

  test('token --json without prisma.yml: PROJECT_INVALID document', async () => {
    const result = await runCli(['token', '--json'], {cwd: await tempDir()})
    assert.equal(result.code, 1)
    const document = parseOneDocument(result.stdout)
    assertErrorDocument(document, 1)
    assert.match(document.message as string, /prisma\.yml/)
  })

  test('deploy -j without prisma.yml: the short form gives the same error document', async () => {
    const result = await runCli(['deploy', '-j'], {cwd: await tempDir()})
    assert.equal(result.code, 1)
    const document = parseOneDocument(result.stdout)
    assertErrorDocument(document, 1)
    assert.equal(document.service, null)
  })

  test('a duration flag that is not a duration: USAGE document naming the flag, exit 2', async () => {
    const result = await runCli(['cluster-token', '--json', '--expires-in', 'soon'], {
      cwd: await tempDir(),
      env: {PRISMA_MANAGEMENT_API_SECRET: 'contract-secret'},
    })
    assert.equal(result.code, 2)
    const document = parseOneDocument(result.stdout)
    assertErrorDocument(document, 2)
    assert.equal(document.code, 'USAGE')
    assert.match(document.message as string, /--expires-in/)
    assert.ok(!result.stdout.includes('contract-secret') && !result.stderr.includes('contract-secret'))
  })
})
