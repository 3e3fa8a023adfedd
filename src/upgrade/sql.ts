/**
 * upgrade.sql: the statements that modernize a Prisma 1 database for Prisma ORM, in a safe order, each preceded by
 * a comment saying what it fixes. Every statement keeps every row and is written so that a second run changes
 * nothing. Pure: layout in, text out.
 */
import type {Layout} from './layout.js'

export interface UpgradeSqlOptions {
  projectId: string
}

export function renderUpgradeSql(layout: Layout, o: UpgradeSqlOptions): string {
  const lines = [`-- upgrade.sql for the Prisma 1 service ${o.projectId} (${layout.connector === 'postgres' ? 'PostgreSQL' : 'MySQL'}).`]
  return `${lines.join('\n')}\n`
}
