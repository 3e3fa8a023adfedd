/**
 * Waiting for a deployed migration: polled adaptively, bounded overall, and checked against the revision that was
 * deployed. Once the server reports steps applied, the next poll is timed for when the rest should be done at the
 * pace seen so far (between 25 ms and 1 s away, and never more than a third of the wait so far), so the last poll
 * comes soon after the migration ends; before that, polls come quickly at first and then about once a second. Results are checked against the revision, because a 1.34 server's migrationStatus falls back to the
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
  /** Steps of the migration (from the deploy's answer), for timing the polls by the server's pace. */
  totalSteps?: number
  now?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** Poll intervals while the server shows no pace yet: quick for the common fast migration, then about once a second. */
export function pollDelay(poll: number): number {
  const schedule = [50, 50, 75, 100, 150, 250, 400, 600, 800]
  return schedule[poll] ?? 1000
}

export interface Observation {
  /** Milliseconds on the wait's clock. */
  at: number
  applied: number
}

/**
 * When to poll next. Once steps of the migration were seen applied (from `first`, the first observation of it
 * running, to `progress`, the poll that first saw the latest count): when the remaining steps should be done at
 * that pace, counted from when the latest step was seen. Without a pace: by the schedule of pollDelay. A poll that
 * saw no new step waits at least half as long as the step has been running. Never more than a third of the wait so
 * far (at least 50 ms, at most 1 s), so that the last poll comes at most a third later than the migration's end
 * however wrong an estimate is.
 */
export function nextPollDelay(o: {
  first?: Observation
  progress?: Observation
  /** This poll's time, on the clock of the observations. */
  now: number
  totalSteps?: number
  poll: number
  progressed: boolean
  waitedMs: number
}): number {
  const {first, progress, totalSteps} = o
  let delay = pollDelay(o.poll)
  if (first && progress && totalSteps && progress.applied > first.applied && progress.applied < totalSteps) {
    const perStep = (progress.at - first.at) / (progress.applied - first.applied)
    // the latest step ended, on average, half a step before it was seen
    delay = progress.at + (totalSteps - progress.applied - 0.5) * perStep - o.now
  }

  // no new step since the last poll: this step runs longer than the pace said, so the wait grows with how long it
  // has run (half of it), and a long step is not polled every few ms
  if (!o.progressed) delay = Math.max(delay, (progress ? o.now - progress.at : o.waitedMs) / 2)
  const ceiling = Math.min(1000, Math.max(50, o.waitedMs / 3))
  return Math.round(Math.min(ceiling, Math.max(25, delay)))
}

export async function waitForMigration(source: MigrationSource, options: WaitOptions): Promise<WaitResult> {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? defaultSleep
  const started = now()
  const deadline = started + options.timeoutMs
  let last: MigrationStatus | undefined
  // progress of our revision, for the pace: the first observation once it runs, and the first to see the latest count
  let first: Observation | undefined
  let progress: Observation | undefined
  let progressed = false
  for (let poll = 0; ; poll++) {
    const left = deadline - now()
    if (left <= 0) return timedOut(last)
    const requestOptions = {signal: options.signal, timeoutMs: Math.max(1, Math.min(options.requestTimeoutMs, left))}
    if (options.signal?.aborted) throw options.signal.reason
    let status: MigrationStatus
    try {
      status = await source.migrationStatus(options.name, options.stage, requestOptions)
    } catch (error) {
      if (options.signal?.aborted) throw error
      if (deadline - now() <= 0) return timedOut(last)
      // one slow answer while the server is busy migrating is no reason to give up before the overall bound
      if (error instanceof ServerError && error.kind === 'timeout') continue
      throw error
    }

    if (status.revision === options.revision) {
      progressed = last === undefined || last.revision !== status.revision || status.applied > last.applied || status.status !== last.status
      last = status
      if (progress === undefined || status.applied !== progress.applied) progress = {applied: status.applied, at: now()}
      if (status.status !== 'PENDING') first ??= progress
      options.onProgress?.(status)
      if (status.status === 'SUCCESS' && status.errors.length === 0) return {kind: 'success', migration: status}
      if (finalStatuses.has(status.status)) return {kind: 'failed', migration: status}
      // Errors appear as the server starts rolling back. The wait goes on until the rollback has ended, so that the
      // outcome says whether it succeeded (ROLLBACK_SUCCESS) or left the database as it was (ROLLBACK_FAILURE).
      if (status.errors.length > 0 && status.status !== 'ROLLING_BACK') return {kind: 'failed', migration: status}
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
    if (remaining <= 0) return timedOut(last)
    const at = now()
    const delay = nextPollDelay({first, now: at, poll, progress, progressed, totalSteps: options.totalSteps, waitedMs: at - started})
    progressed = false
    await sleep(Math.min(delay, remaining), options.signal)
  }
}

/** The end of the wait at its bound: a migration seen failing (still rolling back) is reported as failed. */
function timedOut(last: MigrationStatus | undefined): WaitResult {
  return last && last.errors.length > 0 ? {kind: 'failed', migration: last} : {kind: 'timeout', migration: last}
}

function isOpen(status: string): boolean {
  return status === 'PENDING' || status === 'IN_PROGRESS' || status === 'ROLLING_BACK'
}
