/**
 * One upgrade case end to end: a Prisma 1 database built in a throwaway server, `prisma upgrade` through the built
 * CLI, a real Prisma ORM 7 client generated from schema.prisma reading every model with all its relations, then
 * upgrade.sql applied twice to a copy and the client of schema.upgraded.prisma reading the same graph.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

import {repoRoot, runCli, tempDir} from '../helpers/cli.js'
import {buildP1Database, type Connector, type Graph, normalize, type P1Database, type Query, readGraphBySql} from './p1-database.js'
import type {DatabaseServer} from './servers.js'

const run = promisify(execFile)

/** A folder whose node_modules is this repository's, so generated clients resolve @prisma/client from it. */
export async function clientsRoot(): Promise<string> {
  const root = await tempDir('upgrade-clients-')
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'))
  writeFileSync(join(root, 'package.json'), '{"type": "module", "private": true}\n')
  return root
}

export interface Connection {
  query: Query
  /** Runs a script of several statements. */
  script(sql: string): Promise<void>
  close(): Promise<void>
}

export async function connect(server: DatabaseServer, database: string): Promise<Connection> {
  if (server.kind === 'postgres') {
    const {default: pg} = await import('pg')
    const client = new pg.Client({connectionString: `${server.url}/${encodeURIComponent(database)}`})
    // timestamps as written, not in the test machine's time zone
    client.setTypeParser(1114, (text: string) => text)
    await client.connect()
    return {
      close: () => client.end(),
      query: async (sql) => (await client.query(sql)).rows,
      script: async (sql) => void (await client.query(sql)),
    }
  }
  const mariadb = await import('mariadb')
  const connection = await mariadb.createConnection({
    database,
    dateStrings: true,
    decimalAsNumber: false,
    host: '127.0.0.1',
    multipleStatements: true,
    port: server.port,
    user: 'root',
  })
  return {
    close: () => connection.end(),
    query: async (sql) => [...((await connection.query(sql)) as Array<Record<string, unknown>>)],
    script: async (sql) => void (await connection.query(sql)),
  }
}

/** Creates a database on the server and fills it with the statements. */
export async function createDatabase(server: DatabaseServer, name: string, statements: string[]): Promise<void> {
  const admin = await connect(server, server.kind === 'postgres' ? 'postgres' : 'mysql')
  try {
    if (server.kind === 'postgres') await admin.script(`CREATE DATABASE "${name}"`)
    else await admin.script(`CREATE DATABASE \`${name}\``)
  } finally {
    await admin.close()
  }
  const connection = await connect(server, name)
  try {
    for (const statement of statements) {
      try {
        await connection.script(statement)
      } catch (error) {
        throw new Error(`${statement}\n${(error as Error).message}`)
      }
    }
  } finally {
    await connection.close()
  }
}

const prismaBin = join(repoRoot, 'node_modules', 'prisma', 'build', 'index.js')

/** `prisma generate` of Prisma ORM 7 in `dir` (its prisma.config.ts and schema.prisma); the schema engine is not needed. */
export async function generateClient(dir: string, databaseUrl: string): Promise<void> {
  const env = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    DATABASE_URL: databaseUrl,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
  }
  try {
    // generate validates the schema first
    await run(process.execPath, [prismaBin, 'generate'], {cwd: dir, env})
  } catch (error) {
    const failure = error as {stdout?: string; stderr?: string}
    throw new Error(`prisma generate failed in ${dir}:\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}\n${readFileSync(join(dir, 'schema.prisma'), 'utf8')}`)
  }
}

interface RuntimeField {
  name: string
  kind: 'scalar' | 'object' | 'enum'
  type: string
  relationName?: string
}

type Client = Record<string, {findMany(args: unknown): Promise<Array<Record<string, unknown>>>}> & {
  $disconnect(): Promise<void>
  $queryRawUnsafe(query: string): Promise<unknown>
  _runtimeDataModel: {models: Record<string, {fields: RuntimeField[]}>}
}

/** A client of the generated code in `dir` over `database` (the Postgres schema or MySQL database `schemaOrDatabase`). */
export async function openClient(dir: string, server: DatabaseServer, database: string, schemaOrDatabase: string): Promise<Client> {
  const {PrismaClient} = (await import(pathToFileURL(join(dir, 'generated', 'client', 'client.ts')).href)) as {PrismaClient: new (options: unknown) => Client}
  if (server.kind === 'postgres') {
    const {PrismaPg} = await import('@prisma/adapter-pg')
    return new PrismaClient({adapter: new PrismaPg({connectionString: `${server.url}/${encodeURIComponent(database)}`}, {schema: schemaOrDatabase})})
  }
  const {PrismaMariaDb} = await import('@prisma/adapter-mariadb')
  return new PrismaClient({adapter: new PrismaMariaDb({connectionLimit: 2, database: schemaOrDatabase, host: '127.0.0.1', port: server.port, user: 'root'})})
}

/**
 * Ends a client. The MariaDB adapter's pool opens its connections (up to its limit, 2) in the background and its end()
 * closes only those already open: one still opening would fail later, when the server is stopped, after the test.
 * Two queries at once leave both connections open and idle first.
 */
async function closeClient(client: Client, server: DatabaseServer): Promise<void> {
  if (server.kind === 'mysql') await Promise.all([client.$queryRawUnsafe('SELECT 1'), client.$queryRawUnsafe('SELECT 1')])
  await client.$disconnect()
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)

/** Reads every Prisma 1 type with all its fields through the client, in the graph form of readGraphBySql. */
export async function readGraphByClient(db: P1Database, client: Client): Promise<Graph> {
  const models = client._runtimeDataModel.models
  const graph: Graph = {}
  for (const type of db.types) {
    const model = models[type.name]
    assert.ok(model, `schema.prisma has a model ${type.name}`)
    const fieldOf = (name: string) => {
      const found = model.fields.find((field) => field.name === name)
      assert.ok(found, `model ${type.name} has the field ${name}`)
      return found
    }
    const include: Record<string, unknown> = {}
    for (const field of type.fields.filter((item) => item.relation || item.list)) {
      const prismaField = fieldOf(field.name)
      if (prismaField.kind !== 'object') continue
      const related = models[prismaField.type]
      include[field.name] = related.fields.some((item) => item.name === 'position') ? {orderBy: {position: 'asc'}} : true
    }
    const idName = (name: string) => db.types.find((item) => item.name === name)?.fields.find((field) => field.id)?.name ?? 'id'
    const idField = {name: idName(type.name)}
    const rows = await client[lowerFirst(type.name)].findMany(Object.keys(include).length > 0 ? {include} : {})
    const records: Record<string, Record<string, unknown>> = {}
    for (const row of rows) {
      const record: Record<string, unknown> = {}
      for (const field of type.fields.filter((item) => !item.id)) {
        const value = row[field.name]
        if (field.relation) {
          const prismaField = fieldOf(field.name)
          const related = models[prismaField.type]
          const relatedId = idName(prismaField.type)
          const values = value === null ? [] : Array.isArray(value) ? value : [value]
          const isLink = related.fields.some((item) => item.name === 'A') && related.fields.some((item) => item.name === 'B')
          record[field.name] = values
            .map((item: Record<string, unknown>) => String(isLink ? (prismaField.relationName!.endsWith('_A') ? item.B : item.A) : item[relatedId!]))
            .sort()
        } else if (field.list) {
          const prismaField = fieldOf(field.name)
          const values = (value ?? []) as Array<unknown>
          record[field.name] = values.map((item) => normalize(field, prismaField.kind === 'object' ? (item as Record<string, unknown>).value : item))
        } else {
          record[field.name] = normalize(field, value instanceof Date || value === null || typeof value !== 'object' ? value : field.type === 'Json' ? value : String(value))
        }
      }
      records[String(row[idField.name])] = record
    }
    graph[type.name] = records
  }
  return graph
}

export interface CaseResult {
  schema: string
  upgradeSql: string
  upgradedSchema: string
  json: Record<string, unknown>
}

export interface UpgradeCase {
  name: string
  datamodel: string
  connector: Connector
  /** Extra arguments of `prisma upgrade`. */
  args?: string[]
  /** Stop after schema.prisma (the case is about the unchanged database only). */
  currentOnly?: boolean
  /** The datamodel the database was built from, when not `datamodel`. */
  databaseDatamodel?: string
  /** Relation tables whose A column references the type that sorts second (kept after a rename). */
  swapped?: string[]
}

/** The catalog of a database in a comparable form: columns with types and nullability, indexes, row counts. */
async function snapshot(connection: Connection, kind: Connector, schemaOrDatabase: string): Promise<string> {
  const rows =
    kind === 'postgres'
      ? await connection.query(
          `SELECT c.table_name || '.' || c.column_name || ' ' || c.data_type || ' ' || c.is_nullable || ' ' || coalesce(c.column_default, '') AS line FROM information_schema.columns c WHERE c.table_schema = '${schemaOrDatabase}'
           UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = '${schemaOrDatabase}'
           UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = '${schemaOrDatabase}'::regnamespace ORDER BY 1`,
        )
      : await connection.query(
          `SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ', COALESCE(COLUMN_DEFAULT, '')) AS line FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${schemaOrDatabase}'
           UNION ALL SELECT CONCAT('index ', TABLE_NAME, '.', INDEX_NAME, ' ', COLUMN_NAME, ' ', NON_UNIQUE) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '${schemaOrDatabase}'
           UNION ALL SELECT CONCAT('fk ', TABLE_NAME, '.', CONSTRAINT_NAME, ' ', DELETE_RULE) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '${schemaOrDatabase}' ORDER BY 1`,
        )
  const tables = kind === 'postgres'
    ? await connection.query(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = '${schemaOrDatabase}' ORDER BY 1`)
    : await connection.query(`SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${schemaOrDatabase}' ORDER BY 1`)
  const counts: string[] = []
  for (const {t} of tables) {
    const name = String(t)
    const [{n}] = await connection.query(kind === 'postgres' ? `SELECT count(*) AS n FROM "${schemaOrDatabase}"."${name}"` : `SELECT count(*) AS n FROM \`${name}\``)
    counts.push(`${name}: ${String(n)}`)
  }
  return [...rows.map((row) => String(row.line)), ...counts].join('\n')
}

let counter = 0

/** Runs one case; returns the files written, for assertions of the caller. */
export async function runCase(server: DatabaseServer, root: string, c: UpgradeCase): Promise<CaseResult> {
  counter++
  const service = `case${counter}${process.pid}`
  const projectId = server.kind === 'postgres' ? `${service}$dev` : `${service}@dev`
  const db = buildP1Database(c.databaseDatamodel ?? c.datamodel, server.kind, projectId, {swapped: c.swapped})
  const original = server.kind === 'postgres' ? `${service}_original` : projectId
  const copy = `${service}_upgraded`
  await createDatabase(server, original, db.statements)
  await createDatabase(server, copy, db.statements)

  const project = join(root, service)
  mkdirSync(project, {recursive: true})
  writeFileSync(join(project, 'prisma.yml'), `endpoint: http://localhost:4466/${service}/dev\ndatamodel: datamodel.prisma\n`)
  writeFileSync(join(project, 'datamodel.prisma'), c.datamodel)
  const out = join(project, 'prisma-orm')
  const databaseUrl = server.kind === 'postgres' ? `${server.url}/${encodeURIComponent(original)}` : server.url
  const args = (c.args ?? []).map((arg) => (arg === 'DATABASE_URL' ? databaseUrl : arg))
  const result = await runCli(['upgrade', '--connector', server.kind, '--json', ...args], {cwd: project})
  assert.equal(result.code, 0, `prisma upgrade failed for ${c.name}:\n${result.stderr}\n${result.stdout}`)
  const json = JSON.parse(result.stdout) as Record<string, unknown>

  // What SQL reads of the Prisma 1 layout: the reference for both clients.
  const sqlConnection = await connect(server, original)
  let expected: Graph
  try {
    expected = await readGraphBySql(db, projectId, sqlConnection.query)
  } finally {
    await sqlConnection.close()
  }

  const upgradeSql = readFileSync(join(out, 'upgrade.sql'), 'utf8')
  const upgradedSchema = readFileSync(join(out, 'schema.upgraded.prisma'), 'utf8')
  const upgradedDir = join(project, 'upgraded')
  mkdirSync(upgradedDir)
  cpSync(join(out, 'schema.upgraded.prisma'), join(upgradedDir, 'schema.prisma'))
  cpSync(join(out, 'prisma.config.ts'), join(upgradedDir, 'prisma.config.ts'))
  const copySchema = server.kind === 'postgres' ? projectId : copy

  // The two clients are generated while upgrade.sql runs on the copy, twice: the second run changes nothing.
  const upgradeCopy = async () => {
    const copyConnection = await connect(server, copy)
    try {
      await copyConnection.script(upgradeSql).catch((error: Error) => {
        throw new Error(`upgrade.sql failed for ${c.name}: ${error.message}\n${upgradeSql}`)
      })
      const first = await snapshot(copyConnection, server.kind, copySchema)
      await copyConnection.script(upgradeSql).catch((error: Error) => {
        throw new Error(`upgrade.sql failed on its second run for ${c.name}: ${error.message}`)
      })
      assert.equal(await snapshot(copyConnection, server.kind, copySchema), first, `${c.name}: a second run of upgrade.sql changes nothing`)
    } finally {
      await copyConnection.close()
    }
  }
  const settled = await Promise.allSettled([
    generateClient(out, `${server.url}/${encodeURIComponent(original)}`),
    ...(c.currentOnly ? [] : [generateClient(upgradedDir, `${server.url}/${encodeURIComponent(copy)}`), upgradeCopy()]),
  ])
  const failed = settled.find((outcome) => outcome.status === 'rejected')
  if (failed) throw failed.reason

  // schema.prisma over the unchanged database
  const client = await openClient(out, server, original, projectId)
  try {
    assert.deepEqual(await readGraphByClient(db, client), expected, `${c.name}: Prisma Client over schema.prisma reads what SQL reads`)
  } finally {
    await closeClient(client, server)
  }
  if (c.currentOnly) return {json, schema: readFileSync(join(out, 'schema.prisma'), 'utf8'), upgradeSql, upgradedSchema}

  // schema.upgraded.prisma over the upgraded copy: every row and every link is still there
  const upgradedClient = await openClient(upgradedDir, server, copy, copySchema)
  try {
    assert.deepEqual(await readGraphByClient(db, upgradedClient), expected, `${c.name}: after upgrade.sql, Prisma Client over schema.upgraded.prisma reads every row and link`)
  } finally {
    await closeClient(upgradedClient, server)
  }
  return {json, schema: readFileSync(join(out, 'schema.prisma'), 'utf8'), upgradeSql, upgradedSchema}
}
