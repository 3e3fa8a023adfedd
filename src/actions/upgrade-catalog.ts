/**
 * The catalog of a Prisma 1 database for `prisma upgrade --database-url`: the service's tables, their columns and
 * foreign keys. The drivers (pg, mariadb) are loaded here only, with that flag.
 */
import {NotFoundError, ServerUnreachableError} from '../errors.js'
import type {Catalog, CatalogTable, Connector} from '../upgrade/index.js'

export interface ReadCatalogOptions {
  connector: Connector
  url: string
  /** The Postgres schema `service$stage` or the MySQL database `service@stage`. */
  projectId: string
  debug?: (line: string) => void
}

interface Row {
  table_name: string
  column_name: string
  data_type: string
  is_nullable: string
}

interface KeyRow {
  table_name: string
  column_name: string
  referenced_table: string
}

/** Reads the tables, columns and foreign keys of the service; the URL's password never reaches a message. */
export async function readCatalog(o: ReadCatalogOptions): Promise<Catalog> {
  const where = o.connector === 'postgres' ? `schema "${o.projectId}"` : `database "${o.projectId}"`
  let rows: {columns: Row[]; keys: KeyRow[]}
  try {
    rows = o.connector === 'postgres' ? await readPostgres(o) : await readMysql(o)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new ServerUnreachableError(`Cannot read the catalog of ${where} through --database-url (${redact(o.url)}): ${redactAll(message, o.url)}`)
  }
  if (rows.columns.length === 0) {
    throw new NotFoundError(`The database of --database-url (${redact(o.url)}) has no ${where}, or it has no tables: check the URL, the service and the stage of prisma.yml.`)
  }
  const tables = new Map<string, CatalogTable>()
  for (const row of rows.columns) {
    let table = tables.get(row.table_name)
    if (!table) {
      table = {columns: new Map(), foreignKeys: new Map()}
      tables.set(row.table_name, table)
    }
    table.columns.set(row.column_name, {nullable: row.is_nullable === 'YES', type: row.data_type})
  }
  for (const key of rows.keys) tables.get(key.table_name)?.foreignKeys.set(key.column_name, key.referenced_table)
  o.debug?.(`catalog: ${tables.size} tables in ${where}`)
  return {tables}
}

async function readPostgres(o: ReadCatalogOptions): Promise<{columns: Row[]; keys: KeyRow[]}> {
  const {default: pg} = await import('pg')
  const client = new pg.Client({connectionString: o.url, connectionTimeoutMillis: 15_000})
  await client.connect()
  try {
    const columns = await client.query<Row>(
      'SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position',
      [o.projectId],
    )
    const keys = await client.query<KeyRow>(
      `SELECT rel.relname AS table_name, att.attname AS column_name, ref.relname AS referenced_table
         FROM pg_constraint con
         JOIN pg_class rel ON rel.oid = con.conrelid
         JOIN pg_namespace ns ON ns.oid = rel.relnamespace
         JOIN pg_class ref ON ref.oid = con.confrelid
         JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
        WHERE con.contype = 'f' AND ns.nspname = $1`,
      [o.projectId],
    )
    return {columns: columns.rows, keys: keys.rows}
  } finally {
    await client.end().catch(() => {})
  }
}

async function readMysql(o: ReadCatalogOptions): Promise<{columns: Row[]; keys: KeyRow[]}> {
  const mariadb = await import('mariadb')
  const connection = await mariadb.createConnection({...mysqlOptions(o.url), connectTimeout: 15_000})
  try {
    const columns = (await connection.query(
      'SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type, IS_NULLABLE AS is_nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION',
      [o.projectId],
    )) as Row[]
    const keys = (await connection.query(
      'SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, REFERENCED_TABLE_NAME AS referenced_table FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL',
      [o.projectId],
    )) as KeyRow[]
    return {columns: [...columns], keys: [...keys]}
  } finally {
    await connection.end().catch(() => {})
  }
}

function mysqlOptions(url: string): {host: string; port: number; user: string; password: string; database?: string} {
  const parsed = new URL(url)
  return {
    host: parsed.hostname,
    password: decodeURIComponent(parsed.password),
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'an unreadable URL'
  }
}

function redactAll(message: string, url: string): string {
  try {
    const password = decodeURIComponent(new URL(url).password)
    return password ? message.split(password).join('***') : message
  } catch {
    return message
  }
}
