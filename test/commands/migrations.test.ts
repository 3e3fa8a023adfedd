// prisma migrations through the built binary: the history of a stage, the migration the server is working on,
// failed migrations, --limit, and deploy's 4008 message pointing here.
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'

import {runCli, writeTree} from '../helpers/cli.js'
import {addStage, deployTypes, userTypes} from '../services/stand-in-setup.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'

const withEmail = 'type User {\n  id: ID! @id\n  name: String!\n  email: String\n}\n'
const withAge = 'type User {\n  id: ID! @id\n  name: String!\n  email: String\n  age: Int\n}\n'

async function projectFor(endpoint: string, datamodel = userTypes): Promise<string> {
  return writeTree({'datamodel.prisma': datamodel, 'prisma.yml': `endpoint: ${endpoint}\ndatamodel: datamodel.prisma\n`})
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  assert.ok(condition(), `timed out waiting for ${what}`)
}

describe('prisma migrations', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 2})
    await addStage(server, {name: 'app', stage: 'dev', types: userTypes})
    await until(() => server.project('app', 'dev')?.datamodel === userTypes, 'revision 2 to be applied')
  })
  after(() => server.close())

  test('the migrations newest first with status, steps and times; nothing open', async () => {
    const result = await runCli(['migrations'], {cwd: await projectFor(`${server.url}/app/dev`)})
    assert.equal(result.code, 0, result.stderr)
    const lines = result.stdout.split('\n')
    assert.equal(lines[0], 'Migrations of service `app`, stage `dev` on server `local`, newest first:')
    assert.match(lines[2], /^Revision {2}Status {3}Steps {2}Started {19}Finished$/)
    assert.match(lines[4], /^2 {9}SUCCESS {2}3\/3 {4}\d{4}-\d\d-\d\dT[\d:.]+Z {2}\d{4}-\d\d-\d\dT[\d:.]+Z$/)
    assert.match(lines[5], /^1 {9}SUCCESS {2}0\/0 {4}- {25}-$/)
    assert.doesNotMatch(result.stdout, /working on/)
  })

  test('a held migration: marked as the one the server is working on; --json names it', async () => {
    server.holdMigrations(true)
    try {
      await deployTypes(server, {name: 'app', stage: 'dev', types: withEmail})
      const dir = await projectFor(`${server.url}/app/dev`)
      const result = await runCli(['migrations'], {cwd: dir})
      assert.equal(result.code, 0, result.stderr)
      // an added field: UpdateModel and CreateField
      assert.match(result.stdout, /\n3 \* +PENDING +0\/2 +- +-\n/)
      assert.match(result.stdout, /\* The server is working on revision 3 \(PENDING, 0 of 2 steps applied\)\. .*deployment in progress.*4008/)
      const json = await runCli(['migrations', '--json'], {cwd: dir})
      const document = JSON.parse(json.stdout)
      assert.equal(document.current, 3)
      assert.deepEqual(
        document.migrations.map((migration: {revision: number; current: boolean; status: string}) => [migration.revision, migration.status, migration.current]),
        [
          [3, 'PENDING', true],
          [2, 'SUCCESS', false],
          [1, 'SUCCESS', false],
        ],
      )

      // the deploy refused meanwhile points to this command
      const refused = await runCli(['deploy'], {cwd: await projectFor(`${server.url}/app/dev`, withAge)})
      assert.equal(refused.code, 1)
      assert.match(refused.stderr, /4008.*prisma migrations shows what the server is working on/s)
    } finally {
      server.holdMigrations(false)
    }

    await until(() => server.project('app', 'dev')?.datamodel === withEmail, 'revision 3 to be applied')
  })

  test('a failed migration: its status and the first line of each error; --json keeps the whole errors', async () => {
    server.failNextMigration(['java.sql.SQLException: column "age" cannot be added\n\tat com.prisma.Migrator.apply(Migrator.scala:42)'])
    await deployTypes(server, {name: 'app', stage: 'dev', types: withAge})
    await until(() => (server.project('app', 'dev')?.revision ?? 0) >= 4, 'revision 4')
    const dir = await projectFor(`${server.url}/app/dev`)
    let document: {migrations: Array<{revision: number; status: string; errors: string[]}>} = {migrations: []}
    // the stand-in rolls back in the background; ask until it has finished
    for (let attempt = 0; attempt < 20; attempt++) {
      document = JSON.parse((await runCli(['migrations', '--json', '--limit', '1'], {cwd: dir})).stdout)
      if (document.migrations[0].status === 'ROLLBACK_SUCCESS') break
    }

    assert.equal(document.migrations.length, 1)
    assert.equal(document.migrations[0].revision, 4)
    assert.equal(document.migrations[0].status, 'ROLLBACK_SUCCESS')
    assert.match(document.migrations[0].errors[0], /\n\tat com\.prisma\.Migrator/)
    const result = await runCli(['migrations', '--limit', '2'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Errors of revision 4 \(ROLLBACK_SUCCESS\):\n {2}java\.sql\.SQLException: column "age" cannot be added\n/)
    assert.doesNotMatch(result.stdout, /Migrator\.scala/)
    assert.match(result.stdout, /2 of 4 migrations shown \(--limit\)\./)
  })

  test('an unknown stage: NOT_FOUND, exit 1; --limit 0 is a usage error', async () => {
    const result = await runCli(['migrations', '--json'], {cwd: await projectFor(`${server.url}/app/nope`)})
    assert.equal(result.code, 1)
    assert.equal(JSON.parse(result.stdout).code, 'NOT_FOUND')
    assert.match(result.stderr, /No service with name 'app' and stage 'nope' found/)
    const usage = await runCli(['migrations', '--limit', '0'], {cwd: await projectFor(`${server.url}/app/dev`)})
    assert.equal(usage.code, 2)
  })

  test('a server with a secret: the token comes from PRISMA_MANAGEMENT_API_SECRET (environment or -e file); without it the advice names the variable', async () => {
    const secret = 'migrations-s3cr3t'
    const guarded = await startManagementServer({auth: {mode: 'symmetric', secret}, migrationStepMs: 2})
    try {
      await addStage(guarded, {name: 'app', stage: 'dev', secret})
      const dir = await projectFor(`${guarded.url}/app/dev`)
      const refused = await runCli(['migrations'], {cwd: dir})
      assert.equal(refused.code, 1)
      assert.match(refused.stderr, /PRISMA_MANAGEMENT_API_SECRET/)
      const listed = await runCli(['migrations', '--json'], {cwd: dir, env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
      assert.equal(listed.code, 0, listed.stderr)
      assert.equal(JSON.parse(listed.stdout).total, 1)
      // the secret may come from the file given with -e
      await writeTree({'secret.env': `PRISMA_MANAGEMENT_API_SECRET=${secret}\n`}, dir)
      const fromFile = await runCli(['migrations', '-e', 'secret.env'], {cwd: dir})
      assert.equal(fromFile.code, 0, fromFile.stderr)
      assert.match(fromFile.stdout, /^1 +SUCCESS/m)
      assert.ok(!fromFile.stdout.includes(secret) && !fromFile.stderr.includes(secret))
    } finally {
      await guarded.close()
    }
  })
})
