import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {ServerError, isConnectionReset, isThrottled, retryDelay, withRetry} from '../../src/http/graphql.js'

const throttled = () =>
  new ServerError('There are too many concurrent queries for this service.', {
    errors: [{code: 1004, message: 'There are too many concurrent queries for this service.'}],
    kind: 'graphql',
    url: 'http://x/svc/dev',
  })

describe('retries', () => {
  test('backoff doubles up to the ceiling, with jitter in the upper half', () => {
    assert.equal(retryDelay(1, 100, 1000, () => 0), 50)
    assert.equal(retryDelay(1, 100, 1000, () => 1), 100)
    assert.equal(retryDelay(3, 100, 1000, () => 1), 400)
    assert.equal(retryDelay(10, 100, 1000, () => 1), 1000)
    assert.equal(retryDelay(10, 100, 1000, () => 0), 500)
  })

  test('retries throttling and resets, bounded, and rethrows the last error', async () => {
    const delays: number[] = []
    let attempts = 0
    await assert.rejects(
      withRetry(
        async () => {
          attempts++
          throw throttled()
        },
        {retries: 3, sleep: async (ms) => void delays.push(ms)},
      ),
      /too many concurrent queries/,
    )
    assert.equal(attempts, 4)
    assert.equal(delays.length, 3)

    const value = await withRetry(
      async (attempt) => {
        if (attempt === 0) throw new ServerError('reset', {kind: 'unreachable', networkCode: 'ECONNRESET', url: 'http://x'})
        return 'ok'
      },
      {sleep: async () => {}},
    )
    assert.equal(value, 'ok')
  })

  test('other errors are not retried', async () => {
    let attempts = 0
    await assert.rejects(
      withRetry(async () => {
        attempts++
        throw new ServerError('refused', {kind: 'unreachable', networkCode: 'ECONNREFUSED', url: 'http://x'})
      }),
    )
    assert.equal(attempts, 1)
  })

  test('classification', () => {
    assert.equal(isThrottled(throttled()), true)
    assert.equal(isConnectionReset(new ServerError('x', {kind: 'unreachable', networkCode: 'UND_ERR_SOCKET', url: 'http://x'})), true)
    assert.equal(isConnectionReset(new ServerError('x', {kind: 'timeout', url: 'http://x'})), false)
  })
})
