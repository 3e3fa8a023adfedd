/**
 * `prisma migrations`: the migrations of the service stage, newest first, and which one the server is working on.
 * The server applies one migration at a time in revision order, so that is the oldest one still open; until it has
 * finished, every deploy is refused with "deployment in progress" (4008).
 */
import {openStage, serviceNotFound, type StageOptions} from './stage.js'
import type {MigrationRecord} from '../management-api/types.js'

/** Statuses of a migration the server has not finished with. */
export const openStatuses: ReadonlySet<string> = new Set(['PENDING', 'IN_PROGRESS', 'ROLLING_BACK'])

export interface ListedMigration extends MigrationRecord {
  /** The migration the server is working on (or will start next). */
  current: boolean
}

export interface MigrationHistory {
  service: string
  stage: string
  server: string
  /** How many migrations the stage has in all (the list may be shorter: --limit). */
  total: number
  /** Revision of the migration the server is working on, or null when none is open. */
  current: number | null
  /** Newest first. */
  migrations: ListedMigration[]
}

export async function migrations(o: StageOptions & {limit?: number}): Promise<MigrationHistory> {
  const stage = await openStage(o)
  const {endpoint} = stage
  const client = await stage.managementClient()
  const all = [...(await client.migrationHistory(endpoint.managementName, endpoint.stage))].sort((a, b) => b.revision - a.revision)
  // every stage has at least the migration of its creation; an empty list means there is no such stage
  if (all.length === 0) throw serviceNotFound(endpoint)
  const open = all.filter((migration) => openStatuses.has(migration.status))
  const current = open.length === 0 ? null : Math.min(...open.map((migration) => migration.revision))
  const shown = o.limit === undefined ? all : all.slice(0, o.limit)
  return {
    current,
    migrations: shown.map((migration) => ({...migration, current: migration.revision === current})),
    server: endpoint.clusterName,
    service: endpoint.service,
    stage: endpoint.stage,
    total: all.length,
  }
}
