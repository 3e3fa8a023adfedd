/**
 * Conformance of deploy's step listing with the steps a 1.34 server sends (MigrationStepsInferrer.scala): adding,
 * removing or changing a field of a model also yields `UpdateModel(name: X, newName: X)`, and a change of a default
 * alone yields `[UpdateModel]` and a migration. The ORIGINAL prisma1@1.34.12 and this tool deploy the same changes to
 * twin stages of one stand-in; their listings must be the same, and both wait for every step of the migration.
 */
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {runCli} from '../helpers/cli.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {ensureOriginalCli, runOriginal, serviceDir} from './original-cli.js'

const V1 = 'type User {\n  id: ID! @id\n  name: String!\n  role: Role @default(value: ADMIN)\n}\nenum Role {\n  ADMIN\n  USER\n}\n'
const V2 = V1.replace('  name: String!\n', '  name: String!\n  email: String @unique\n')
const V3 = V2.replace('role: Role @default(value: ADMIN)', 'role: Role @default(value: USER)')
const V4 = V3.replace('type User {', 'type Person @rename(oldName: "User") {').replace('  name: String!\n', '')
/** Each change with the number of steps the server sends for it. */
const steps = [
  {title: 'an added field: UpdateModel and CreateField', datamodel: V2, total: 2},
  {title: 'a default-only change: UpdateModel alone', datamodel: V3, total: 1},
  {title: 'a removed field of a renamed model: DeleteField and UpdateModel', datamodel: V4, total: 2},
]

/** The listing: from the `Changes:` header up to the next task line (the original) or the endpoints (this tool, whose task lines go to stderr). */
function listing(stdout: string): string {
  const start = stdout.indexOf('\nChanges:')
  assert.ok(start >= 0, `no Changes: in\n${stdout}`)
  const ends = ['\nApplying changes', '\nYour Prisma endpoint'].map((marker) => stdout.indexOf(marker, start)).filter((index) => index >= 0)
  return stdout.slice(start, ends.length > 0 ? Math.min(...ends) : undefined)
}

before(async () => {
  await ensureOriginalCli()
})

describe('UpdateModel steps: the original and this tool list the same changes', () => {
  let server: ManagementServer
  let originalDir: string
  let ourDir: string
  before(async () => {
    server = await startManagementServer({migrationStepMs: 2})
    originalDir = serviceDir({yml: `endpoint: ${server.url}/um/original\ndatamodel: datamodel.prisma\n`, datamodel: V1})
    ourDir = serviceDir({yml: `endpoint: ${server.url}/um/ours\ndatamodel: datamodel.prisma\n`, datamodel: V1})
    assert.equal((await runOriginal(['deploy'], {cwd: originalDir})).code, 0)
    assert.equal((await runCli(['deploy'], {cwd: ourDir})).code, 0)
  })
  after(() => server.close())

  for (const [index, change] of steps.entries()) {
    test(change.title, async () => {
      writeFileSync(join(originalDir, 'datamodel.prisma'), change.datamodel)
      writeFileSync(join(ourDir, 'datamodel.prisma'), change.datamodel)
      const original = await runOriginal(['deploy'], {cwd: originalDir})
      assert.equal(original.code, 0, original.stdout + original.stderr)
      const ours = await runCli(['deploy'], {cwd: ourDir})
      assert.equal(ours.code, 0, ours.stderr)

      assert.equal(listing(ours.stdout), listing(original.stdout))
      // every change here is a migration of the model, so both waited for it and the revisions match
      assert.equal(server.project('um', 'ours')?.revision, index + 3)
      assert.equal(server.project('um', 'original')?.revision, index + 3)
      assert.match(ours.stdout + ours.stderr, new RegExp(`Applying changes\\.\\.\\. \\(\\d/${change.total}\\)`))
    })
  }

  test('a default-only change lists nothing under Changes:, as the original', async () => {
    const datamodel = V4.replace('@default(value: USER)', '@default(value: ADMIN)')
    writeFileSync(join(originalDir, 'datamodel.prisma'), datamodel)
    writeFileSync(join(ourDir, 'datamodel.prisma'), datamodel)
    const original = await runOriginal(['deploy'], {cwd: originalDir})
    const ours = await runCli(['deploy'], {cwd: ourDir})
    assert.equal(original.code, 0, original.stdout + original.stderr)
    assert.equal(ours.code, 0, ours.stderr)
    // the header, then the empty line that ends every listing
    assert.equal(listing(original.stdout), '\nChanges:\n\n')
    assert.equal(listing(ours.stdout), listing(original.stdout))
    assert.match(ours.stdout + ours.stderr, /Applying changes\.\.\. \(\d\/1\)/)
    assert.doesNotMatch(ours.stdout, /already up to date/)
  })
})
