import assert from 'node:assert/strict'
import {createServer as createHttpServer} from 'node:http'
import {createServer, type AddressInfo} from 'node:net'
import {describe, test} from 'node:test'

import {probeCloudApi, probeServer, unreachableReason} from '../../src/management-api/probe.js'
import {startCloudServer} from '../stand-in/cloud-api.js'
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

  test('a server before 1.8 (no serverInfo) is told by its listProjects; a GraphQL server without either is not Prisma', async () => {
    // answers as sangria does: an unknown field is a validation error without a code (HTTP 200)
    const fake = (fields: string[]) =>
      createHttpServer((request, response) => {
        let body = ''
        request.on('data', (chunk: Buffer) => (body += chunk.toString()))
        request.on('end', () => {
          const {query} = JSON.parse(body) as {query: string}
          const field = ['serverInfo', 'listProjects'].find((name) => query.includes(name))!
          const answer = fields.includes(field)
            ? {data: {listProjects: []}}
            : {errors: [{message: `Cannot query field '${field}' on type 'Query'. (line 1, column 3):`, locations: [{line: 1, column: 3}]}]}
          response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(answer))
        })
      })
    for (const [fields, expected] of [
      [['listProjects'], {needsAuth: false, reachable: true}],
      [[], {error: 'it does not answer like a Prisma server', needsAuth: false, reachable: false}],
    ] as const) {
      const server = fake([...fields])
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      try {
        assert.deepEqual(await probeServer(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), expected)
      } finally {
        await new Promise((resolve) => server.close(resolve))
      }
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

describe('probeCloudApi', () => {
  async function listening(server: ReturnType<typeof createServer> | ReturnType<typeof createHttpServer>): Promise<string> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  test('the cloud stand-in answers; switched off, the same address does not', async () => {
    const cloud = await startCloudServer()
    assert.deepEqual(await probeCloudApi(cloud.url), {answered: true})
    assert.deepEqual(cloud.requests.map((request) => request.fields), [['__typename']])
    await cloud.close()
    // (this process may still hold a kept-alive connection, which the closed server resets)
    assert.match((await probeCloudApi(cloud.url)).error ?? 'answered', /^(connection refused|ECONNRESET)$/)
  })

  test('a GraphQL error is an answer; an HTML page or an HTTP error is not', async () => {
    for (const [status, type, body, answered] of [
      [200, 'application/json', '{"errors":[{"message":"Unknown field"}]}', true],
      [404, 'text/html', '<html>gone</html>', false],
      [502, 'application/json', '{}', false],
    ] as const) {
      const server = createHttpServer((_request, response) => response.writeHead(status, {'content-type': type}).end(body))
      try {
        assert.equal((await probeCloudApi(await listening(server))).answered, answered, `HTTP ${status} ${body}`)
      } finally {
        await new Promise((resolve) => server.close(resolve))
      }
    }
  })

  test('an API that accepts the connection and never answers is given up after a second', async () => {
    const sockets: Array<{destroy(): void}> = []
    const server = createServer((socket) => void sockets.push(socket))
    const url = await listening(server)
    try {
      const started = Date.now()
      assert.deepEqual(await probeCloudApi(url), {answered: false, error: 'no answer within 1 s'})
      const elapsed = Date.now() - started
      assert.ok(elapsed >= 900 && elapsed < 3000, `${elapsed} ms`)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
