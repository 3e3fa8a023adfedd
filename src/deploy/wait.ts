/**
 * Waiting for a deployed migration: polled adaptively (fast at first, then about once a second), bounded overall,
 * and checked against the revision that was deployed, because a 1.34 server's migrationStatus falls back to the
 * newest successful revision once a failed migration has rolled back.
 */
import {ServerError} from '../http/graphql.js'
import {sleep as defaultSleep} from '../time.js'
import {finalStatuses, type MigrationStatus} from '../management-api/types.js'

export interface MigrationSource {
  migrationStatus(name: string, stage: string, options?: {timeoutMs?: number; signal?: AbortSignal}): Promise<MigrationStatus>
  listMigrations(name: string, stage: string, options?: {timeoutMs?: number; signal?: AbortSignal}): Promise<MigrationStatus[]>
}

export type WaitResult =
  | {kind: 'success'; migration: MigrationStatus}
  | {kind: 'failed'; migration: MigrationStatus}
  | {kind: 'timeout'; migration?: MigrationStatus}

export interface WaitOptions {
  name: string
  stage: string
  revision: number
  /** Overall bound in milliseconds. */
  timeoutMs: number
  /** Bound of each request (shortened to what is left of the overall bound). */
  requestTimeoutMs: number
  signal?: AbortSignal
  onProgress?: (migration: MigrationStatus) => void
  now?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** Poll intervals: quick for the common fast migration, then about once a second. */
export function pollDelay(poll: number): number {
  const schedule = [100, 150, 250, 400, 600, 800]
  return schedule[poll] ?? 1000
}

export async function waitForMigration(source: MigrationSource, options: WaitOptions): Promise<WaitResult> {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? defaultSleep
  const deadline = now() + options.timeoutMs
  let last: MigrationStatus | undefined
  for (let poll = 0; ; poll++) {
    const left = deadline - now()
    if (left <= 0) return {kind: 'timeout', migration: last}
    const requestOptions = {signal: options.signal, timeoutMs: Math.max(1, Math.min(options.requestTimeoutMs, left))}
    if (options.signal?.aborted) throw options.signal.reason
    let status: MigrationStatus
    try {
      status = await source.migrationStatus(options.name, options.stage, requestOptions)
    } catch (error) {
      if (options.signal?.aborted) throw error
      if (deadline - now() <= 0) return {kind: 'timeout', migration: last}
      // one slow answer while the server is busy migrating is no reason to give up before the overall bound
      if (error instanceof ServerError && error.kind === 'timeout') continue
      throw error
    }

    if (status.revision === options.revision) {
      last = status
      options.onProgress?.(status)
      if (status.status === 'SUCCESS' && status.errors.length === 0) return {kind: 'success', migration: status}
      if (finalStatuses.has(status.status)) return {kind: 'failed', migration: status}
      // errors appear while the server is still rolling back; it will end in ROLLBACK_*: report them now
      if (status.errors.length > 0) return {kind: 'failed', migration: status}
    } else if (status.revision > options.revision || !isOpen(status.status)) {
      // Not our revision, and no older migration in line before ours: ours has ended (or a later deploy
      // overtook it). Only the list of migrations says how.
      const mine = (await source.listMigrations(options.name, options.stage, requestOptions)).find(
        (migration) => migration.revision === options.revision,
      )
      if (mine && mine.status === 'SUCCESS') return {kind: 'success', migration: mine}
      if (mine && (finalStatuses.has(mine.status) || mine.errors.length > 0)) return {kind: 'failed', migration: mine}
      if (!mine) {
        return {
          kind: 'failed',
          migration: {applied: 0, errors: [], revision: options.revision, rolledBack: 0, status: 'UNKNOWN'},
        }
      }

      last = mine
      options.onProgress?.(mine)
    }
    // else: an older migration is still open and ours waits behind it

    const remaining = deadline - now()
    if (remaining <= 0) return {kind: 'timeout', migration: last}
    await sleep(Math.min(pollDelay(poll), remaining), options.signal)
  }
}

function isOpen(status: string): boolean {
  return status === 'PENDING' || status === 'IN_PROGRESS' || status === 'ROLLING_BACK'
}
