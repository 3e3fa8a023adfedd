/**
 * upgrade.sql: the statements that modernize a Prisma 1 database for Prisma ORM, in a safe order, each preceded by
 * a comment saying what it fixes. Every statement keeps every row, and each is guarded (IF NOT EXISTS, a catalog
 * check, or a type change to the type it already has) so that a second run changes nothing. Pure: layout in, text out.
 *
 * PostgreSQL names the schema `service$stage` in every statement; on MySQL the file runs inside the database
 * `service@stage` (unqualified names, guarded statements through PREPARE).
 */
import type {ColumnLayout, Layout, ModelLayout, RelationLayout} from './layout.js'
import {movesInline, upgradedInline} from './prisma-schema.js'

export interface UpgradeSqlOptions {
  projectId: string
}

interface Statement {
  comment: string
  sql: string
}

const CUID = 30

export function renderUpgradeSql(layout: Layout, o: UpgradeSqlOptions): string {
  const statements = layout.connector === 'postgres' ? postgres(layout, o.projectId) : mysql(layout)
  const where = layout.connector === 'postgres' ? `the PostgreSQL schema "${o.projectId}"` : `the MySQL database \`${o.projectId}\` (run it with that database selected)`
  const header = [
    `-- upgrade.sql for the Prisma 1 service ${o.projectId}: modernizes ${where} for Prisma ORM.`,
    '-- Run it once the Prisma 1 server no longer serves this database (see README, "Moving to Prisma ORM"); afterwards',
    '-- use schema.upgraded.prisma. Take a backup first (prisma export, and a database dump).',
    '-- Every statement keeps every row; running the file a second time changes nothing.',
    '',
  ]
  if (statements.length === 0) return `${header.join('\n')}\n-- Nothing to change: the database already has the layout Prisma ORM expects.\n`
  // a statement without SQL is a note: something the file leaves as it is, and why
  const body = statements.map((statement) => (statement.sql === '' ? `-- ${statement.comment}` : `-- ${statement.comment}\n${statement.sql}`))
  return `${header.join('\n')}\n${body.join('\n\n')}\n`
}

function model(layout: Layout, name: string): ModelLayout {
  return layout.models.find((item) => item.name === name)!
}

interface CuidColumn {
  table: string
  column: string
  nullable: boolean
  why: string
  /** The foreign key on this column: the id it references and its delete rule. */
  references?: {table: string; column: string; onDelete: 'SET NULL' | 'CASCADE'}
  /**
   * MySQL only, for relation tables that upgrade.sql turns into a column: the table's keys are only dropped (the
   * table goes), and the new column exists from the second run on (its key must come off while the ids change).
   */
  mode?: 'dropOnly' | 'ifExists'
}

/** Every column that holds a CUID (`ID`) id, with its table, nullability and foreign key. */
function cuidColumns(layout: Layout): CuidColumn[] {
  const columns: CuidColumn[] = []
  const idOf = (name: string) => {
    const target = model(layout, name)
    return {column: target.id.column, table: target.table}
  }
  const cuid = (name: string) => model(layout, name).id.type === 'ID'
  for (const item of layout.models) {
    if (item.id.type === 'ID') columns.push({column: item.id.column, nullable: false, table: item.table, why: 'id'})
    for (const column of item.columns) if (column.type === 'ID') columns.push({column: column.column, nullable: !column.required, table: item.table, why: 'ID field'})
  }
  for (const relation of layout.relations) {
    const storage = relation.storage
    if (storage.kind === 'inline') {
      const holder = storage.holder === 'A' ? relation.a : relation.b
      const other = storage.holder === 'A' ? relation.b : relation.a
      if (cuid(other.model)) {
        columns.push({
          column: storage.column,
          nullable: true,
          references: {...idOf(other.model), onDelete: 'SET NULL'},
          table: model(layout, holder.model).table,
          why: 'foreign key',
        })
      }
    } else if (movesInline(relation)) {
      if (layout.connector === 'mysql') {
        for (const [letter, side] of [
          ['A', relation.a],
          ['B', relation.b],
        ] as const) {
          if (cuid(side.model)) columns.push({column: letter, mode: 'dropOnly', nullable: false, references: {...idOf(side.model), onDelete: 'CASCADE'}, table: storage.table, why: 'relation table'})
        }
        const {holder: letter, column} = upgradedInline(relation)
        const other = letter === 'A' ? relation.b : relation.a
        if (cuid(other.model)) {
          const holderTable = model(layout, (letter === 'A' ? relation.a : relation.b).model).table
          columns.push({column, mode: 'ifExists', nullable: true, references: {...idOf(other.model), onDelete: 'SET NULL'}, table: holderTable, why: 'foreign key'})
        }
      }
    } else {
      for (const [letter, side] of [
        ['A', relation.a],
        ['B', relation.b],
      ] as const) {
        if (cuid(side.model)) columns.push({column: letter, nullable: false, references: {...idOf(side.model), onDelete: 'CASCADE'}, table: storage.table, why: 'relation table'})
      }
    }
  }
  for (const list of layout.lists) {
    if (cuid(list.model) && layout.connector === 'mysql') {
      columns.push({column: 'nodeId', nullable: false, references: {...idOf(list.model), onDelete: 'CASCADE'}, table: list.table, why: 'scalar list'})
    }
  }
  return columns
}

/** The inline relations that are 1-1 (a back field that is no list): their column must be unique for Prisma ORM. */
function oneToOneInline(layout: Layout): Array<{table: string; column: string; relation: string}> {
  const found: Array<{table: string; column: string; relation: string}> = []
  for (const relation of layout.relations) {
    const storage = relation.storage
    if (storage.kind !== 'inline') continue
    const holder = model(layout, (storage.holder === 'A' ? relation.a : relation.b).model)
    const other = storage.holder === 'A' ? relation.b : relation.a
    if (other.field === undefined || other.list) continue
    found.push({column: storage.column, relation: relation.name, table: holder.table})
  }
  return found
}

function pgLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

function defaultSql(column: ColumnLayout, layout: Layout): string | undefined {
  const value = column.default
  if (column.createdAt || (column.updatedAt && column.hidden)) return layout.connector === 'postgres' ? 'CURRENT_TIMESTAMP' : 'CURRENT_TIMESTAMP(3)'
  if (value === undefined) return undefined
  switch (column.type) {
    case 'Boolean':
      return layout.connector === 'postgres' ? String(value.value) : value.value ? '1' : '0'
    case 'Int':
    case 'Float':
      return String(value.value)
    case 'DateTime': {
      const date = new Date(String(value.value))
      return Number.isNaN(date.getTime()) ? undefined : pgLiteral(date.toISOString().replace('T', ' ').replace('Z', ''))
    }
    default:
      return pgLiteral(String(value.value))
  }
}

function postgres(layout: Layout, schema: string): Statement[] {
  const q = (name: string) => `"${name.replaceAll('"', '""')}"`
  const t = (table: string) => `${q(schema)}.${q(table)}`
  const regclass = (table: string) => pgLiteral(t(table))
  const out: Statement[] = []

  // 1. CUID columns: Prisma ORM's cuid() is not guaranteed to fit in 25 characters
  for (const column of cuidColumns(layout)) {
    out.push({
      comment: `${column.table}.${column.column} (${column.why}): varchar(25) -> varchar(${CUID}), room for the ids Prisma ORM's cuid() generates.`,
      sql: `ALTER TABLE ${t(column.table)} ALTER COLUMN ${q(column.column)} TYPE varchar(${CUID});`,
    })
  }

  // 2. enum types, then the columns that hold their values
  for (const item of layout.enums) {
    if (!usesEnum(layout, item.name)) continue
    out.push({
      comment: `enum ${item.name}: a native enum type (Prisma 1 stored the values as text).`,
      sql: `DO $$ BEGIN CREATE TYPE ${t(item.name)} AS ENUM (${item.values.map(pgLiteral).join(', ')}); EXCEPTION WHEN duplicate_object THEN NULL; END $$;`,
    })
  }
  for (const item of layout.models) {
    for (const column of item.columns) {
      if (column.type === 'enum') {
        out.push({
          comment: `${item.table}.${column.column}: text -> enum ${column.enumName}.`,
          sql: `ALTER TABLE ${t(item.table)} ALTER COLUMN ${q(column.column)} TYPE ${t(column.enumName!)} USING ${q(column.column)}::text::${t(column.enumName!)};`,
        })
      } else if (column.type === 'Json') {
        out.push({
          comment: `${item.table}.${column.column}: text -> jsonb, so that Prisma ORM reads it as Json.`,
          sql: `ALTER TABLE ${t(item.table)} ALTER COLUMN ${q(column.column)} TYPE jsonb USING ${q(column.column)}::text::jsonb;`,
        })
      }
    }
  }

  // 3. defaults the Prisma 1 server applied itself
  for (const item of layout.models) {
    for (const column of item.columns) {
      const value = defaultSql(column, layout)
      if (value === undefined) continue
      const cast = column.type === 'enum' ? `::${t(column.enumName!)}` : column.type === 'Json' ? '::jsonb' : ''
      out.push({
        comment: `${item.table}.${column.column}: the default ${column.createdAt || column.updatedAt ? 'timestamp' : 'value'} into the database (Prisma 1 applied it in the server).`,
        sql: `ALTER TABLE ${t(item.table)} ALTER COLUMN ${q(column.column)} SET DEFAULT ${value}${cast};`,
      })
    }
  }

  // 4. 1-1 and 1-n relations kept in relation tables: a foreign key in the table of the single side
  for (const relation of layout.relations) {
    if (!movesInline(relation)) continue
    const storage = relation.storage as Extract<RelationLayout['storage'], {kind: 'table'}>
    const {holder: letter, column} = upgradedInline(relation)
    const holder = model(layout, (letter === 'A' ? relation.a : relation.b).model)
    const other = model(layout, (letter === 'A' ? relation.b : relation.a).model)
    const otherLetter = letter === 'A' ? 'B' : 'A'
    const type = keyType(other, 'postgres')
    const what = `${holder.name}.${column} (relation ${relation.name})`
    out.push(
      {comment: `${what}: the foreign-key column that replaces the relation table ${storage.table}.`, sql: `ALTER TABLE ${t(holder.table)} ADD COLUMN IF NOT EXISTS ${q(column)} ${type};`},
      {
        comment: `${what}: copy the links from ${storage.table} (a second run finds the table gone).`,
        sql: `DO $$ BEGIN IF to_regclass(${regclass(storage.table)}) IS NOT NULL THEN UPDATE ${t(holder.table)} h SET ${q(column)} = r.${q(otherLetter)} FROM ${t(storage.table)} r WHERE r.${q(letter)} = h.${q(holder.id.column)}; END IF; END $$;`,
      },
      {
        comment: `${what}: the foreign key, ON DELETE SET NULL as for every Prisma 1 inline relation.`,
        sql: `DO $$ BEGIN ALTER TABLE ${t(holder.table)} ADD CONSTRAINT ${q(`${holder.table}_${column}_fkey`)} FOREIGN KEY (${q(column)}) REFERENCES ${t(other.table)} (${q(other.id.column)}) ON DELETE SET NULL; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`,
      },
    )
    if (!relation.a.list && !relation.b.list && relation.a.field !== undefined && relation.b.field !== undefined) {
      out.push({comment: `${what}: unique, a 1-1 relation.`, sql: `CREATE UNIQUE INDEX IF NOT EXISTS ${q(`${holder.table}_${column}_key`)} ON ${t(holder.table)} (${q(column)});`})
    }
    out.push({comment: `${what}: the relation table is no longer read; its links are in ${holder.table}.${column}.`, sql: `DROP TABLE IF EXISTS ${t(storage.table)};`})
  }

  // 5. 1-1 inline relations: unique, as Prisma ORM requires for 1-1
  for (const {column, relation, table} of oneToOneInline(layout)) {
    out.push({
      comment: `${table}.${column}: unique for the 1-1 relation ${relation} (fails, changing nothing, if two rows share a value).`,
      sql: `CREATE UNIQUE INDEX IF NOT EXISTS ${q(`${table}_${column}_key`)} ON ${t(table)} (${q(column)});`,
    })
  }

  // 6. scalar lists: array columns instead of the <Model>_<field> tables
  for (const list of layout.lists) {
    const owner = model(layout, list.model)
    const element =
      list.type === 'enum'
        ? t(list.enumName!)
        : {Boolean: 'boolean', DateTime: 'timestamp(3)', Float: 'numeric(65,30)', ID: `varchar(${CUID})`, Int: 'integer', Json: 'jsonb', String: 'text', UUID: 'uuid'}[list.type]
    const what = `${owner.table}.${list.column} (scalar list)`
    out.push(
      {comment: `${what}: an array column replaces the table ${list.table}.`, sql: `ALTER TABLE ${t(owner.table)} ADD COLUMN IF NOT EXISTS ${q(list.column)} ${element}[];`},
      {
        comment: `${what}: copy the values in the order of position (a second run finds the table gone).`,
        sql:
          `DO $$ BEGIN IF to_regclass(${regclass(list.table)}) IS NOT NULL THEN UPDATE ${t(owner.table)} o SET ${q(list.column)} = l.v FROM ` +
          `(SELECT "nodeId", array_agg("value"::text::${element} ORDER BY "position") AS v FROM ${t(list.table)} GROUP BY "nodeId") l WHERE l."nodeId" = o.${q(owner.id.column)}; END IF; END $$;`,
      },
      {comment: `${what}: rows without values get an empty list.`, sql: `UPDATE ${t(owner.table)} SET ${q(list.column)} = '{}' WHERE ${q(list.column)} IS NULL;`},
      {comment: `${what}: the list table is no longer read.`, sql: `DROP TABLE IF EXISTS ${t(list.table)};`},
    )
  }

  // 7. relation tables of datamodel 1.0: without the `id` column they are Prisma ORM's implicit many-to-many tables
  for (const relation of layout.relations) {
    if (relation.storage.kind !== 'table' || !relation.storage.idColumn || movesInline(relation)) continue
    out.push({
      comment: `${relation.storage.table}: drop the link id column of datamodel 1.0, which Prisma ORM does not fill (breaks a Prisma 1 server that still uses the 1.0 schema).`,
      sql: `ALTER TABLE ${t(relation.storage.table)} DROP COLUMN IF EXISTS "id";`,
    })
  }

  if (layout.relayIdTable) {
    out.push({comment: '_RelayId: the node registry of Prisma 1 servers up to 1.30; nothing reads it any more.', sql: `DROP TABLE IF EXISTS ${t('_RelayId')};`})
  }
  return out
}

function fkName(column: CuidColumn): string {
  return `${column.table}_${column.column}_fkey`.slice(0, 64)
}

function usesEnum(layout: Layout, name: string): boolean {
  return layout.models.some((item) => item.columns.some((column) => column.enumName === name)) || layout.lists.some((list) => list.enumName === name)
}

function keyType(target: ModelLayout, connector: 'postgres' | 'mysql'): string {
  if (target.id.type === 'Int') return connector === 'postgres' ? 'integer' : 'int'
  if (target.id.type === 'UUID') return 'uuid'
  return connector === 'postgres' ? `varchar(${CUID})` : `char(${CUID}) CHARACTER SET utf8 COLLATE utf8_general_ci`
}

function mysql(layout: Layout): Statement[] {
  const q = (name: string) => `\`${name.replaceAll('`', '``')}\``
  const literal = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
  /** A statement run only when `condition` (a SELECT of a count) holds: MySQL has no IF NOT EXISTS for most DDL. */
  const guarded = (condition: string, sql: string) =>
    `SET @prisma_upgrade = IF(${condition}, ${literal(sql)}, 'DO 0');\nPREPARE prisma_upgrade FROM @prisma_upgrade;\nEXECUTE prisma_upgrade;\nDEALLOCATE PREPARE prisma_upgrade;`
  const columnExists = (table: string, column: string) =>
    `(SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${literal(table)} AND COLUMN_NAME = ${literal(column)}) > 0`
  const tableExists = (table: string) => `(SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${literal(table)}) > 0`
  const indexExists = (table: string, index: string) =>
    `(SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${literal(table)} AND INDEX_NAME = ${literal(index)}) > 0`
  const constraintExists = (table: string, name: string) =>
    `(SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${literal(table)} AND CONSTRAINT_NAME = ${literal(name)}) > 0`
  const cuidType = `char(${CUID}) CHARACTER SET utf8 COLLATE utf8_general_ci`
  const text = 'CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
  const out: Statement[] = []

  // 1. CUID columns: MySQL and MariaDB change no column a foreign key uses, so the keys are dropped and re-added
  const cuids = cuidColumns(layout)
  for (const column of cuids.filter((item) => item.references)) {
    out.push({
      comment: `${column.table}.${column.column}: its foreign key is dropped while the id columns widen (re-added below as ${fkName(column)}).`,
      sql:
        `SET @prisma_upgrade = (SELECT IFNULL(CONCAT('ALTER TABLE ${q(column.table).replaceAll("'", "''")} DROP FOREIGN KEY \`', MAX(CONSTRAINT_NAME), '\`'), 'DO 0') FROM information_schema.KEY_COLUMN_USAGE ` +
        `WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${literal(column.table)} AND COLUMN_NAME = ${literal(column.column)} AND REFERENCED_TABLE_NAME IS NOT NULL);\n` +
        'PREPARE prisma_upgrade FROM @prisma_upgrade;\nEXECUTE prisma_upgrade;\nDEALLOCATE PREPARE prisma_upgrade;',
    })
  }
  for (const column of cuids.filter((item) => item.mode !== 'dropOnly')) {
    const modify = `ALTER TABLE ${q(column.table)} MODIFY ${q(column.column)} ${cuidType} ${column.nullable ? 'NULL' : 'NOT NULL'}`
    out.push({
      comment: `${column.table}.${column.column} (${column.why}): char(25) -> char(${CUID}), room for the ids Prisma ORM's cuid() generates.`,
      sql: column.mode === 'ifExists' ? guarded(columnExists(column.table, column.column), modify) : `${modify};`,
    })
  }
  for (const column of cuids.filter((item) => item.mode !== 'dropOnly')) {
    const references = column.references
    if (!references) continue
    const name = fkName(column)
    out.push({
      comment: `${column.table}.${column.column}: the foreign key again, ON DELETE ${references.onDelete} as the Prisma 1 server created it.`,
      sql: guarded(
        `${column.mode === 'ifExists' ? `${columnExists(column.table, column.column)} AND ` : ''}NOT ${constraintExists(column.table, name)}`,
        `ALTER TABLE ${q(column.table)} ADD CONSTRAINT ${q(name)} FOREIGN KEY (${q(column.column)}) REFERENCES ${q(references.table)} (${q(references.column)}) ON DELETE ${references.onDelete}`,
      ),
    })
  }

  // 2. enum and JSON column types, and defaults (MODIFY restates the whole column, so type and default go together)
  const columnSql = (column: {type: ColumnLayout['type']; enumName?: string}): string | undefined => {
    if (column.type === 'enum') {
      const values = layout.enums.find((item) => item.name === column.enumName)?.values ?? []
      return `ENUM(${values.map(literal).join(', ')}) ${text}`
    }
    if (column.type === 'Json') return 'JSON'
    return undefined
  }
  for (const item of layout.models) {
    for (const column of item.columns) {
      const type = columnSql(column)
      const value = defaultSql(column, layout)
      const nullable = column.required ? 'NOT NULL' : 'NULL'
      const what = `${item.table}.${column.column}`
      if (type !== undefined) {
        const withDefault = value !== undefined && column.type === 'enum' ? ` DEFAULT ${value}` : ''
        out.push({
          comment: `${what}: ${column.type === 'enum' ? `mediumtext -> ENUM of ${column.enumName}` : 'mediumtext -> JSON, so that Prisma ORM reads it as Json'}${withDefault ? ', with its default' : ''}.`,
          sql: `ALTER TABLE ${q(item.table)} MODIFY ${q(column.column)} ${type} ${nullable}${withDefault};`,
        })
        if (column.type === 'Json' && value !== undefined) {
          out.push({comment: `${what}: the default stays with Prisma Client (JSON columns take no literal default before MySQL 8.0.13).`, sql: ''})
        }
      } else if (value !== undefined) {
        if (column.type === 'String') {
          out.push({comment: `${what}: the default stays with Prisma Client (mediumtext columns take no literal default on MySQL).`, sql: ''})
        } else if (column.createdAt || column.updatedAt) {
          out.push({
            comment: `${what}: the default timestamp into the database (Prisma 1 set it in the server).`,
            sql: `ALTER TABLE ${q(item.table)} MODIFY ${q(column.column)} datetime(3) ${nullable} DEFAULT ${value};`,
          })
        } else {
          out.push({comment: `${what}: the default value into the database (Prisma 1 applied it in the server).`, sql: `ALTER TABLE ${q(item.table)} ALTER COLUMN ${q(column.column)} SET DEFAULT ${value};`})
        }
      }
    }
  }
  for (const list of layout.lists) {
    const type = columnSql(list)
    if (type === undefined) continue
    out.push({comment: `${list.table}.value: the list values as ${list.type === 'enum' ? `ENUM of ${list.enumName}` : 'JSON'}.`, sql: `ALTER TABLE ${q(list.table)} MODIFY ${q('value')} ${type} NOT NULL;`})
  }

  // 3. 1-1 and 1-n relations kept in relation tables: a foreign key in the table of the single side
  for (const relation of layout.relations) {
    if (!movesInline(relation)) continue
    const storage = relation.storage as Extract<RelationLayout['storage'], {kind: 'table'}>
    const {holder: letter, column} = upgradedInline(relation)
    const holder = model(layout, (letter === 'A' ? relation.a : relation.b).model)
    const other = model(layout, (letter === 'A' ? relation.b : relation.a).model)
    const otherLetter = letter === 'A' ? 'B' : 'A'
    const what = `${holder.name}.${column} (relation ${relation.name})`
    const fk = `${holder.table}_${column}_fkey`
    out.push(
      {
        comment: `${what}: the foreign-key column that replaces the relation table ${storage.table}.`,
        sql: guarded(`NOT ${columnExists(holder.table, column)}`, `ALTER TABLE ${q(holder.table)} ADD COLUMN ${q(column)} ${keyType(other, 'mysql')} NULL`),
      },
      {
        comment: `${what}: copy the links from ${storage.table} (a second run finds the table gone).`,
        sql: guarded(
          tableExists(storage.table),
          `UPDATE ${q(holder.table)} h JOIN ${q(storage.table)} r ON r.${q(letter)} = h.${q(holder.id.column)} SET h.${q(column)} = r.${q(otherLetter)}`,
        ),
      },
      {
        comment: `${what}: the foreign key, ON DELETE SET NULL as for every Prisma 1 inline relation.`,
        sql: guarded(
          `NOT ${constraintExists(holder.table, fk)}`,
          `ALTER TABLE ${q(holder.table)} ADD CONSTRAINT ${q(fk)} FOREIGN KEY (${q(column)}) REFERENCES ${q(other.table)} (${q(other.id.column)}) ON DELETE SET NULL`,
        ),
      },
    )
    if (!relation.a.list && !relation.b.list && relation.a.field !== undefined && relation.b.field !== undefined) {
      const index = `${holder.table}_${column}_key`
      out.push({comment: `${what}: unique, a 1-1 relation.`, sql: guarded(`NOT ${indexExists(holder.table, index)}`, `ALTER TABLE ${q(holder.table)} ADD UNIQUE INDEX ${q(index)} (${q(column)})`)})
    }
    out.push({comment: `${what}: the relation table is no longer read; its links are in ${holder.table}.${column}.`, sql: `DROP TABLE IF EXISTS ${q(storage.table)};`})
  }

  // 4. 1-1 inline relations: unique, as Prisma ORM requires for 1-1
  for (const {column, relation, table} of oneToOneInline(layout)) {
    const index = `${table}_${column}_key`
    out.push({
      comment: `${table}.${column}: unique for the 1-1 relation ${relation} (fails, changing nothing, if two rows share a value).`,
      sql: guarded(`NOT ${indexExists(table, index)}`, `ALTER TABLE ${q(table)} ADD UNIQUE INDEX ${q(index)} (${q(column)})`),
    })
  }

  // 5. relation tables of datamodel 1.0 lose the `id` column
  for (const relation of layout.relations) {
    if (relation.storage.kind !== 'table' || !relation.storage.idColumn || movesInline(relation)) continue
    const table = relation.storage.table
    out.push({
      comment: `${table}: drop the link id column of datamodel 1.0, which Prisma ORM does not fill (breaks a Prisma 1 server that still uses the 1.0 schema).`,
      sql: guarded(columnExists(table, 'id'), `ALTER TABLE ${q(table)} DROP PRIMARY KEY, DROP COLUMN ${q('id')}`),
    })
  }

  if (layout.relayIdTable) out.push({comment: '_RelayId: the node registry of Prisma 1 servers up to 1.30; nothing reads it any more.', sql: `DROP TABLE IF EXISTS ${q('_RelayId')};`})
  return out
}
