import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {describe, test} from 'node:test'

import {probeServer, unreachableReason} from '../../src/management-api/probe.js'
import {startManagementServer} from '../stand-in/management-server.js'

describe('probeServer', () => {
  test('a server without a secret is reachable and needs no token', async () => {
    const server = await startManagementServer()
    try {
      assert.deepEqual(await probeServer(server.url), {needsAuth: false, reachable: true})
    } finally {
      await server.close()
    }
  })

  test('a server with a secret is reachable and needs a token', async () => {
    const server = await startManagementServer({auth: {mode: 'symmetric', secret: 'probe-secret'}})
    try {
      assert.deepEqual(await probeServer(server.url), {needsAuth: true, reachable: true})
    } finally {
      await server.close()
    }
  })

  test('a closed port is not reachable: connection refused', async () => {
    const socket = createServer()
    await new Promise<void>((resolve) => socket.listen(0, '127.0.0.1', resolve))
    const {port} = socket.address() as {port: number}
    await new Promise((resolve) => socket.close(resolve))
    assert.deepEqual(await probeServer(`http://127.0.0.1:${port}`), {error: 'connection refused', needsAuth: false, reachable: false})
  })

  test('reasons in a few words', () => {
    assert.equal(unreachableReason({kind: 'timeout'}), 'no answer within 5 s')
    assert.equal(unreachableReason({kind: 'http', status: 502}), 'it answered HTTP 502, not like a Prisma server')
    assert.equal(unreachableReason({kind: 'unreachable', networkCode: 'ENOTFOUND'}), 'host not found')
    assert.equal(unreachableReason(new Error('first line\nsecond')), 'first line')
  })
})
