import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {pollDelay, waitForMigration, type MigrationSource} from '../../src/deploy/wait.js'
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

  test('errors while rolling back end the wait as a failure', async () => {
    const {now, sleep, source} = scripted([status(5, 'IN_PROGRESS'), status(5, 'ROLLING_BACK', {errors: ['boom']})])
    const result = await waitForMigration(source, {...base, now, sleep})
    assert.equal(result.kind, 'failed')
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
