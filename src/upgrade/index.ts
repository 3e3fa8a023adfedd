/**
 * `prisma upgrade` as pure functions: a Prisma 1 datamodel, its connector and its service name in, the text of the
 * files to write out (schema.prisma, prisma.config.ts, upgrade.sql, schema.upgraded.prisma) plus what needed a
 * comment. No I/O here: the action reads the project, the server and the database, and writes the files.
 */
import type {Connector, Datamodel} from './datamodel.js'
import {buildLayout, type Catalog, type Layout} from './layout.js'
import {renderSchema, type SchemaNote} from './prisma-schema.js'
import {renderUpgradeSql} from './sql.js'

export {type Connector, type Datamodel, DatamodelProblems, readDatamodel} from './datamodel.js'
export type {Catalog, CatalogTable, Layout} from './layout.js'
export type {SchemaNote} from './prisma-schema.js'

export interface UpgradeInput {
  datamodel: Datamodel
  connector: Connector
  /** The project id's parts: the Postgres schema `service$stage`, the MySQL database `service@stage`. */
  service: string
  stage: string
  /** Set on the shared demo servers: the project id is `workspace~service`. */
  workspace?: string | null
  /** Where the datamodel came from, for the header ("datamodel.prisma", "the deployed datamodel"). */
  source: string
  /** What the live database shows (--database-url). */
  catalog?: Catalog
  /** Assumptions the caller made (e.g. a default service name), listed with the layout's. */
  assumptions?: string[]
}

export interface UpgradePlan {
  files: {name: string; text: string}[]
  /** `service$stage` (Postgres schema) or `service@stage` (MySQL database). */
  projectId: string
  /** The DATABASE_URL to set, with placeholders for the credentials and host. */
  urlShape: string
  layout: Layout
  assumptions: string[]
  /** What the database's catalog showed beyond the datamodel. */
  findings: string[]
  /** Every construct of schema.prisma that needed a comment. */
  notes: SchemaNote[]
}

/** The project id as the server spells it on this connector. */
export function projectId(o: {connector: Connector; service: string; stage: string; workspace?: string | null}): string {
  const service = o.workspace ? `${o.workspace}~${o.service}` : o.service
  return `${service || 'default'}${o.connector === 'postgres' ? '$' : '@'}${o.stage || 'default'}`
}

export function planUpgrade(input: UpgradeInput): UpgradePlan {
  const layout = buildLayout(input.datamodel, input.connector, input.catalog)
  const id = projectId(input)
  const assumptions = [...(input.assumptions ?? []), ...layout.assumptions]
  const urlShape =
    input.connector === 'postgres'
      ? `postgresql://USER:PASSWORD@HOST:5432/prisma?schema=${encodeURIComponent(id)}`
      : `mysql://USER:PASSWORD@HOST:3306/${encodeURIComponent(id)}`
  const what = input.connector === 'postgres' ? `the PostgreSQL schema "${id}"` : `the MySQL database "${id}"`
  const header = [
    `Prisma ORM schema for the Prisma 1 service ${id}, written by prisma upgrade from ${input.source} (datamodel ${layout.version}).`,
  ]
  const current = renderSchema(layout, {
    header: [
      ...header,
      `It maps onto ${what} exactly as the Prisma 1 server left it: nothing in the database has to change.`,
      'Defaults, cuid() and @updatedAt are applied by Prisma Client, as the Prisma 1 server applied them; they are not in the database.',
      ...(layout.findings.length > 0 ? ['', 'Read from the database (--database-url), beyond what the datamodel says:', ...layout.findings.map((line) => `- ${line}`)] : []),
      ...(assumptions.length > 0 ? ['', 'Assumed (the datamodel alone does not say):', ...assumptions.map((line) => `- ${line}`)] : []),
    ],
    stage: 'current',
  })
  const upgraded = renderSchema(layout, {
    header: [...header, `It matches ${what} after upgrade.sql has run.`],
    stage: 'upgraded',
  })
  const files = [
    {name: 'schema.prisma', text: current.text},
    {name: 'prisma.config.ts', text: configText()},
    {name: 'upgrade.sql', text: renderUpgradeSql(layout, {projectId: id})},
    {name: 'schema.upgraded.prisma', text: upgraded.text},
  ]
  return {assumptions, files, findings: layout.findings, layout, notes: current.notes, projectId: id, urlShape}
}

function configText(): string {
  return [
    '// Prisma ORM configuration: the schema beside this file, the database from DATABASE_URL.',
    "import {defineConfig, env} from 'prisma/config'",
    '',
    'export default defineConfig({',
    "  schema: 'schema.prisma',",
    "  datasource: {url: env('DATABASE_URL')},",
    '})',
    '',
  ].join('\n')
}
