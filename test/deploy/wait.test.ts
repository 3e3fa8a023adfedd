import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {nextPollDelay, pollDelay, waitForMigration, type MigrationSource} from '../../src/deploy/wait.js'
import type {MigrationStatus} from '../../src/management-api/types.js'
import {ServerError} from '../../src/http/graphql.js'

function status(revision: number, value: string, extra: Partial<MigrationStatus> = {}): MigrationStatus {
  return {applied: 0, errors: [], revision, rolledBack: 0, status: value, ...extra}
}

/** A source answering migrationStatus from a script and listMigrations from a fixed list, on a fake clock. */
function scripted(statuses: MigrationStatus[], list: MigrationStatus[] = []) {
  const calls: string[] = []
  let clock = 0
  const source: MigrationSource = {
    async listMigrations() {
      calls.push('listMigrations')
      return list
    },
    async migrationStatus() {
      calls.push('migrationStatus')
      return statuses.length > 1 ? statuses.shift()! : statuses[0]
    },
  }
  return {
    calls,
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms
    },
    source,
  }
}

const base = {name: 'svc', requestTimeoutMs: 30_000, revision: 5, stage: 'dev', timeoutMs: 600_000}

describe('waiting for a migration', () => {
  test('success of the deployed revision, with progress', async () => {
    const {calls, now, sleep, source} = scripted([status(5, 'PENDING'), status(5, 'IN_PROGRESS', {applied: 1}), status(5, 'SUCCESS', {applied: 3})])
    const seen: number[] = []
    const result = await waitForMigration(source, {...base, now, onProgress: (m) => seen.push(m.applied), sleep})
    assert.equal(result.kind, 'success')
    assert.deepEqual(seen, [0, 1, 3])
    assert.deepEqual(calls, ['migrationStatus', 'migrationStatus', 'migrationStatus'])
  })

  test('a migration seen rolling back is waited for until the rollback has ended, which the outcome names', async () => {
    for (const final of ['ROLLBACK_SUCCESS', 'ROLLBACK_FAILURE']) {
      // rolling back, then the server falls back to the previous successful revision; listMigrations tells the end
      const {calls, now, sleep, source} = scripted(
        [status(5, 'IN_PROGRESS'), status(5, 'ROLLING_BACK', {errors: ['boom']}), status(5, 'ROLLING_BACK', {errors: ['boom'], rolledBack: 1}), status(4, 'SUCCESS')],
        [status(5, final, {errors: ['boom']}), status(4, 'SUCCESS')],
      )
      const result = await waitForMigration(source, {...base, now, sleep})
      assert.equal(result.kind, 'failed')
      assert.equal(result.migration?.status, final)
      assert.deepEqual(result.migration?.errors, ['boom'])
      assert.deepEqual(calls, ['migrationStatus', 'migrationStatus', 'migrationStatus', 'migrationStatus', 'listMigrations'])
    }
  })

  test('a rollback still running at the bound of the wait is reported as the failure it is', async () => {
    const {now, sleep, source} = scripted([status(5, 'IN_PROGRESS'), status(5, 'ROLLING_BACK', {errors: ['boom']})])
    const result = await waitForMigration(source, {...base, now, sleep, timeoutMs: 2000})
    assert.equal(result.kind, 'failed')
    assert.equal(result.migration?.status, 'ROLLING_BACK')
    assert.deepEqual(result.migration?.errors, ['boom'])
  })

  test('ROLLBACK_SUCCESS and ROLLBACK_FAILURE end the wait (prisma/prisma1#3326)', async () => {
    for (const final of ['ROLLBACK_SUCCESS', 'ROLLBACK_FAILURE']) {
      const {now, sleep, source} = scripted([status(5, final)])
      assert.equal((await waitForMigration(source, {...base, now, sleep})).kind, 'failed')
    }
  })

  test('the server falling back to an older successful revision means ours failed: read listMigrations', async () => {
    const {calls, now, sleep, source} = scripted(
      [status(5, 'PENDING'), status(4, 'SUCCESS', {applied: 2})],
      [status(5, 'ROLLBACK_SUCCESS', {errors: ['java.lang.Exception: step failed']}), status(4, 'SUCCESS')],
    )
    const result = await waitForMigration(source, {...base, now, sleep})
    assert.equal(result.kind, 'failed')
    assert.equal(result.migration?.revision, 5)
    assert.deepEqual(result.migration?.errors, ['java.lang.Exception: step failed'])
    assert.deepEqual(calls, ['migrationStatus', 'migrationStatus', 'listMigrations'])
  })

  test('an older open migration ahead of ours: keep waiting', async () => {
    const {now, sleep, source} = scripted([status(4, 'IN_PROGRESS'), status(4, 'IN_PROGRESS'), status(5, 'SUCCESS')])
    assert.equal((await waitForMigration(source, {...base, now, sleep})).kind, 'success')
  })

  test('a later revision already overtook ours: listMigrations tells how ours ended', async () => {
    const {now, sleep, source} = scripted([status(6, 'PENDING')], [status(6, 'PENDING'), status(5, 'SUCCESS', {applied: 2})])
    const result = await waitForMigration(source, {...base, now, sleep})
    assert.equal(result.kind, 'success')
  })

  test('the overall bound ends the wait with a timeout', async () => {
    const {now, sleep, source} = scripted([status(5, 'IN_PROGRESS', {applied: 1})])
    const result = await waitForMigration(source, {...base, now, sleep, timeoutMs: 5000})
    assert.equal(result.kind, 'timeout')
    assert.equal(result.migration?.applied, 1)
    assert.ok(now() <= 5000)
  })

  test('requests are bounded by what is left of the overall bound', async () => {
    const bounds: number[] = []
    let clock = 0
    const source: MigrationSource = {
      async listMigrations() {
        return []
      },
      async migrationStatus(_name, _stage, options) {
        bounds.push(options?.timeoutMs ?? -1)
        return status(5, 'PENDING')
      },
    }
    await waitForMigration(source, {
      ...base,
      now: () => clock,
      requestTimeoutMs: 30_000,
      sleep: async (ms) => {
        clock += ms
      },
      timeoutMs: 2000,
    })
    assert.equal(bounds[0], 2000)
    assert.ok(bounds.every((bound) => bound <= 2000 && bound > 0))
  })

  test('polls fast at first, then about once a second', () => {
    assert.ok(pollDelay(0) < 200)
    assert.ok(pollDelay(3) < pollDelay(5))
    assert.equal(pollDelay(20), 1000)
  })

  test('polls are timed by the pace the server shows, within 25 ms and 1 s, never more than a third of the wait so far', () => {
    // 3 of 10 steps in 300 ms since the migration was first seen running: 6.5 steps of 100 ms to go
    const threeOfTen = {first: {applied: 0, at: 0}, progress: {applied: 3, at: 300}, poll: 3, progressed: true, totalSteps: 10}
    assert.equal(nextPollDelay({...threeOfTen, now: 300, waitedMs: 5000}), 650)
    // counted from when the third step was seen, not from this poll
    assert.equal(nextPollDelay({...threeOfTen, now: 500, waitedMs: 5000}), 450)
    assert.equal(nextPollDelay({...threeOfTen, now: 300, waitedMs: 600}), 200)
    assert.equal(nextPollDelay({first: {applied: 0, at: 0}, progress: {applied: 9, at: 90}, now: 90, poll: 3, progressed: true, totalSteps: 10, waitedMs: 400}), 25)
    assert.equal(nextPollDelay({first: {applied: 0, at: 0}, progress: {applied: 1, at: 5000}, now: 5000, poll: 3, progressed: true, totalSteps: 10, waitedMs: 9000}), 1000)
    // no new step since the last poll: half as long as the step has run (within the ceiling)
    const stalled = {first: {applied: 0, at: 0}, progress: {applied: 9, at: 90}, now: 490, poll: 9, progressed: false, totalSteps: 10}
    assert.equal(nextPollDelay({...stalled, waitedMs: 4000}), 200)
    assert.equal(nextPollDelay({...stalled, waitedMs: 450}), 150)
    assert.equal(nextPollDelay({now: 0, poll: 0, progressed: true, waitedMs: 0}), pollDelay(0))
  })

  /** A migration on the fake clock: PENDING until `start`, then one step per `stepMs`, SUCCESS after the last. */
  function paced(o: {start: number; stepMs: number; steps: number; stepMsOf?: (step: number) => number}) {
    let clock = 0
    const polls: number[] = []
    const endOf = (step: number) => o.start + Array.from({length: step}, (_, index) => o.stepMsOf?.(index) ?? o.stepMs).reduce((a, b) => a + b, 0)
    const source: MigrationSource = {
      async listMigrations() {
        return []
      },
      async migrationStatus() {
        clock += 5 // the request's round trip
        polls.push(clock)
        if (clock < o.start) return status(5, 'PENDING')
        let applied = 0
        while (applied < o.steps && endOf(applied + 1) <= clock) applied++
        return status(5, applied === o.steps ? 'SUCCESS' : 'IN_PROGRESS', {applied})
      },
    }
    const options = {...base, now: () => clock, sleep: async (ms: number) => void (clock += ms), totalSteps: o.steps}
    return {end: endOf(o.steps), polls, run: () => waitForMigration(source, options)}
  }

  test('the last poll comes soon after a migration of a few hundred ms ends', async () => {
    for (const shape of [{start: 30, stepMs: 30, steps: 9}, {start: 0, stepMs: 100, steps: 3}, {start: 10, stepMs: 12, steps: 40}]) {
      const migration = paced(shape)
      assert.equal((await migration.run()).kind, 'success')
      const last = migration.polls.at(-1)!
      assert.ok(last - migration.end <= 40, `${JSON.stringify(shape)}: ended at ${migration.end}, last poll at ${last} (polls ${migration.polls.join(', ')})`)
      assert.ok(migration.polls.length <= 8, `${JSON.stringify(shape)}: ${migration.polls.length} polls`)
    }
  })

  test('a long migration is polled about once a second, and a long step is not polled every few ms', async () => {
    const long = paced({start: 0, stepMs: 200, steps: 100})
    assert.equal((await long.run()).kind, 'success')
    // about 20 at the pace of the steps (up to 1 s apart), and about 10 more in the first 3 s, which are polled at most a
    // third of the wait apart
    assert.ok(long.polls.length <= 35, `${long.polls.length} polls for 20 s`)
    assert.ok(long.polls.at(-1)! - long.end <= 1000)

    const stalled = paced({start: 0, stepMs: 10, stepMsOf: (step) => (step === 9 ? 60_000 : 10), steps: 10})
    assert.equal((await stalled.run()).kind, 'success')
    assert.ok(stalled.polls.length <= 80, `${stalled.polls.length} polls for a 60 s step`)
  })

  test('an abort stops the wait with its reason', async () => {
    const controller = new AbortController()
    const source: MigrationSource = {
      async listMigrations() {
        return []
      },
      async migrationStatus() {
        controller.abort(new Error('interrupted by the user'))
        return status(5, 'PENDING')
      },
    }
    await assert.rejects(waitForMigration(source, {...base, signal: controller.signal}), /interrupted by the user/)
  })

  test('a poll that times out is repeated while the overall bound allows', async () => {
    let clock = 0
    let polls = 0
    const source: MigrationSource = {
      async listMigrations() {
        return []
      },
      async migrationStatus() {
        polls++
        if (polls === 1) {
          clock += 30_000
          throw new ServerError('The server at u did not answer within 30 s.', {kind: 'timeout', url: 'u'})
        }

        return status(5, 'SUCCESS')
      },
    }
    const result = await waitForMigration(source, {...base, now: () => clock, sleep: async (ms) => void (clock += ms)})
    assert.equal(result.kind, 'success')
    assert.equal(polls, 2)
  })
})
