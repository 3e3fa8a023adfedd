/**
 * prisma upgrade as a user runs it (the built CLI): the files and the output, --json, --out and --force, the
 * datamodel and connector of the server with --from-server (the stand-in), and every kind of bad input: one
 * paragraph, exit 1, nothing written.
 */
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {noStack, runCli, writeTree} from '../helpers/cli.js'
import {type ManagementServer, startManagementServer} from '../stand-in/management-server.js'

const DATAMODEL = `type User {
  id: ID! @id
  email: String! @unique
  tags: [String] @scalarList(strategy: RELATION)
  posts: [Post]
}
type Post {
  id: ID! @id
  title: String!
  author: User!
}
`

async function project(datamodel = DATAMODEL, yml = 'endpoint: http://localhost:4466/shop/dev\ndatamodel: datamodel.prisma\n'): Promise<string> {
  return writeTree({'datamodel.prisma': datamodel, 'prisma.yml': yml})
}

/** Exit 1, one paragraph on stderr matching `message`, no stack, and no output folder. */
function refused(result: {code: number | null; stderr: string; stdout: string}, message: RegExp, dir: string): void {
  assert.equal(result.code, 1, result.stderr)
  assert.match(result.stderr, message)
  noStack(result.stderr)
  const paragraphs = result.stderr.trim().split(/\n\s*\n/)
  assert.equal(paragraphs.length, 1, `one paragraph:\n${result.stderr}`)
  assert.equal(existsSync(join(dir, 'prisma-orm')), false, 'nothing written')
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.includes('prisma-upgrade')),
    [],
    'no staging folder left behind',
  )
}

describe('prisma upgrade', () => {
  test('writes the four files beside prisma.yml and prints the URL shape', async () => {
    const dir = await project()
    const result = await runCli(['upgrade', '--connector', 'postgres'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(readdirSync(join(dir, 'prisma-orm')).sort(), ['prisma.config.ts', 'schema.prisma', 'schema.upgraded.prisma', 'upgrade.sql'])
    assert.match(result.stdout, /DATABASE_URL=postgresql:\/\/USER:PASSWORD@HOST:5432\/prisma\?schema=shop%24dev/)
    assert.match(result.stdout, /\{schema: 'shop\$dev'\}/)
    const schema = readFileSync(join(dir, 'prisma-orm', 'schema.prisma'), 'utf8')
    assert.match(schema, /provider = "prisma-client"/)
    assert.match(schema, /authorId +String\? @db\.VarChar\(25\) @map\("author"\)/)
    assert.match(schema, /model User_tags \{/)
    assert.match(readFileSync(join(dir, 'prisma-orm', 'prisma.config.ts'), 'utf8'), /env\('DATABASE_URL'\)/)
    const sql = readFileSync(join(dir, 'prisma-orm', 'upgrade.sql'), 'utf8')
    for (const statement of sql.split('\n\n').slice(1)) assert.match(statement, /^-- /, `every statement has a comment:\n${statement}`)
    assert.match(readFileSync(join(dir, 'prisma-orm', 'schema.upgraded.prisma'), 'utf8'), /tags +String\[\]/)
  })

  test('MySQL: the database service@stage, --out relative to the working directory', async () => {
    const dir = await project()
    const result = await runCli(['upgrade', '--connector', 'mysql', '--out', 'orm'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /DATABASE_URL=mysql:\/\/USER:PASSWORD@HOST:3306\/shop%40dev/)
    assert.match(readFileSync(join(dir, 'orm', 'schema.prisma'), 'utf8'), /provider = "mysql"/)
  })

  test('--json: what was written, the assumptions and every commented construct', async () => {
    const dir = await project()
    const result = await runCli(['upgrade', '--connector', 'postgres', '--json'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    const json = JSON.parse(result.stdout)
    assert.equal(json.connector, 'postgres')
    assert.equal(json.projectId, 'shop$dev')
    assert.equal(json.datamodelVersion, '1.1')
    assert.equal(json.source, 'files')
    assert.equal(json.files.length, 4)
    assert.ok(json.assumptions.length > 0)
    assert.ok(json.notes.some((note: {model: string; field: string}) => note.model === 'Post' && note.field === 'author'))
    assert.ok(json.notes.some((note: {model: string; field: string}) => note.model === 'User' && note.field === 'tags'))
  })

  test('a datamodel 1.0 is read as the servers up to 1.30 laid it out', async () => {
    const dir = await project('type User {\n  id: ID! @unique\n  name: String\n  posts: [Post!]!\n}\ntype Post {\n  id: ID! @unique\n  author: User!\n}\n')
    const result = await runCli(['upgrade', '--connector', 'postgres', '--json'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).datamodelVersion, '1.0')
    const schema = readFileSync(join(dir, 'prisma-orm', 'schema.prisma'), 'utf8')
    assert.match(schema, /model PostToUser_link \{/)
    assert.match(schema, /createdAt +DateTime @default\(now\(\)\)/)
    assert.match(readFileSync(join(dir, 'prisma-orm', 'upgrade.sql'), 'utf8'), /DROP TABLE IF EXISTS "shop\$dev"\."_RelayId";/)
  })

  test('a folder that is not empty needs --force, which keeps the other files', async () => {
    const dir = await project()
    mkdirSync(join(dir, 'prisma-orm'))
    writeFileSync(join(dir, 'prisma-orm', 'notes.txt'), 'mine\n')
    const refusedRun = await runCli(['upgrade', '--connector', 'postgres'], {cwd: dir})
    assert.equal(refusedRun.code, 1)
    assert.match(refusedRun.stderr, /is not empty .*--force/)
    assert.deepEqual(readdirSync(join(dir, 'prisma-orm')), ['notes.txt'])
    const forced = await runCli(['upgrade', '--connector', 'postgres', '--force'], {cwd: dir})
    assert.equal(forced.code, 0, forced.stderr)
    assert.equal(readdirSync(join(dir, 'prisma-orm')).length, 5)
    assert.equal(readFileSync(join(dir, 'prisma-orm', 'notes.txt'), 'utf8'), 'mine\n')
  })

  describe('bad input: one paragraph, exit 1, nothing written', () => {
    test('a datamodel that is not SDL', async () => {
      const dir = await project('type User {\n  id: ID! @id\n  name String\n}\n')
      refused(await runCli(['upgrade', '--connector', 'postgres'], {cwd: dir}), /datamodel\.prisma .*not valid SDL \(line 3\)/, dir)
    })

    test('a datamodel the server would have refused', async () => {
      const dir = await project('type User {\n  id: ID! @id\n  tags: [String]\n}\ntype Post {\n  title: String\n}\n')
      const result = await runCli(['upgrade', '--connector', 'postgres'], {cwd: dir})
      refused(result, /has 2 problems: .*field tags .*@scalarList\(strategy: RELATION\).*type Post: every type needs a field marked @id.*would have refused/, dir)
    })

    test('an unknown type and an ambiguous relation', async () => {
      const dir = await project('type User {\n  id: ID! @id\n  a: Post\n  b: Post\n  c: Thing\n}\ntype Post {\n  id: ID! @id\n}\n')
      refused(await runCli(['upgrade', '--connector', 'mysql'], {cwd: dir}), /the type Thing is neither.*several relation fields of type Post/, dir)
    })

    test('a UUID id on MySQL', async () => {
      const dir = await project('type User {\n  id: UUID! @id\n}\n')
      refused(await runCli(['upgrade', '--connector', 'mysql'], {cwd: dir}), /an id is of type ID or Int on MySQL/, dir)
    })

    test('an unknown connector', async () => {
      const dir = await project()
      refused(await runCli(['upgrade', '--connector', 'oracle'], {cwd: dir}), /--connector .*postgres or mysql.*oracle/, dir)
    })

    test('no connector and no way to ask', async () => {
      const dir = await project()
      refused(await runCli(['upgrade'], {cwd: dir}), /Pass --connector postgres or --connector mysql, or --from-server/, dir)
    })

    test('an unwritable --out', async () => {
      const dir = await project()
      writeFileSync(join(dir, 'file'), 'x')
      const result = await runCli(['upgrade', '--connector', 'postgres', '--out', 'file/orm'], {cwd: dir})
      assert.equal(result.code, 1)
      assert.match(result.stderr, /Cannot write into .*file.*writable --out/)
      noStack(result.stderr)
      assert.deepEqual(readdirSync(dir).sort(), ['datamodel.prisma', 'file', 'prisma.yml'])
    })

    test('a database that cannot be reached: the URL without its password', async () => {
      const dir = await project()
      const result = await runCli(['upgrade', '--database-url', 'postgresql://admin:s3cr3t-pw@127.0.0.1:1/prisma'], {cwd: dir})
      // the progress line, then the one paragraph
      refused({...result, stderr: result.stderr.replace(/^Reading the database catalog\n/, '')}, /Cannot read the catalog of schema "shop\$dev" through --database-url \(postgresql:\/\/admin:\*\*\*@127\.0\.0\.1:1\/prisma\)/, dir)
      assert.doesNotMatch(result.stderr + result.stdout, /s3cr3t-pw/)
    })

    test('a MongoDB service', async () => {
      const dir = await project(DATAMODEL, 'endpoint: http://localhost:4466/shop/dev\ndatamodel: datamodel.prisma\ndatabaseType: document\n')
      refused(await runCli(['upgrade', '--connector', 'postgres'], {cwd: dir}), /databaseType: document, a MongoDB service.*PostgreSQL and MySQL layouts only/, dir)
    })

    test('--json: the error document', async () => {
      const dir = await project('type User {\n  name: String\n')
      const result = await runCli(['upgrade', '--connector', 'postgres', '--json'], {cwd: dir})
      assert.equal(result.code, 1)
      assert.equal(JSON.parse(result.stdout).code, 'PROJECT_INVALID')
    })
  })

  describe('--from-server', () => {
    let server: ManagementServer
    before(async () => {
      server = await startManagementServer({connector: 'mysql'})
    })
    after(async () => {
      await server.close()
    })

    test('takes the deployed datamodel and the connector from the server', async () => {
      const dir = await project(DATAMODEL, `endpoint: ${server.url}/shop/dev\ndatamodel: datamodel.prisma\n`)
      const deployed = await runCli(['deploy'], {cwd: dir})
      assert.equal(deployed.code, 0, deployed.stderr)
      // the local file drifts; the server's datamodel decides
      writeFileSync(join(dir, 'datamodel.prisma'), 'type Other {\n  id: ID! @id\n}\n')
      const result = await runCli(['upgrade', '--from-server', '--json'], {cwd: dir})
      assert.equal(result.code, 0, result.stderr)
      const json = JSON.parse(result.stdout)
      assert.equal(json.source, 'server')
      assert.equal(json.connector, 'mysql')
      assert.equal(json.projectId, 'shop@dev')
      const schema = readFileSync(join(dir, 'prisma-orm', 'schema.prisma'), 'utf8')
      assert.match(schema, /model User \{/)
      assert.doesNotMatch(schema, /model Other/)
    })

    test('a stage that is not deployed', async () => {
      const dir = await project(DATAMODEL, `endpoint: ${server.url}/nothing/dev\ndatamodel: datamodel.prisma\n`)
      const result = await runCli(['upgrade', '--from-server'], {cwd: dir})
      assert.equal(result.code, 1)
      noStack(result.stderr)
      assert.equal(existsSync(join(dir, 'prisma-orm')), false)
    })
  })
})
