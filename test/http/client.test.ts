// The one request path that the Management, service and cloud clients share: the same throttling advice after the
// retries, the same redaction of the token, whichever client sends.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {fetchAccount} from '../../src/cloud-api/index.js'
import {ServiceClient} from '../../src/data/service.js'
import {ManagementClient} from '../../src/management-api/client.js'
import {scriptedServer} from './servers.js'

const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzZWNyZXQiOjF9.c2lnbmF0dXJlLXZhbHVl'

/** Sends one request with each client to a server at `url` (`/management`, the service and the cloud API). */
function eachClient(url: string): Array<[string, Promise<unknown>]> {
  return [
    ['management', new ManagementClient({env: {}, serverName: 'local', token, url: `${url}/management`}).listProjects()],
    ['service', new ServiceClient({env: {}, service: 's', stage: 'd', token, url: `${url}/s/d`}).operation('{ users { id } }', 'users')],
    ['cloud', fetchAccount({env: {CLOUD_API_ENDPOINT: url}, sessionKey: token})],
  ]
}

async function messages(requests: Array<[string, Promise<unknown>]>): Promise<Record<string, string>> {
  const settled = await Promise.allSettled(requests.map(([, request]) => request))
  return Object.fromEntries(
    settled.map((result, index) => {
      assert.equal(result.status, 'rejected', requests[index][0])
      return [requests[index][0], ((result as PromiseRejectedResult).reason as Error).message.replace(/\/(management|s\/d) /, ' ')]
    }),
  )
}

describe('one request path for every client', () => {
  test('a server that keeps throttling (1004) gets the same advice from each client, after the same retries', async (t) => {
    const server = await scriptedServer(() => ({body: {errors: [{code: 1004, message: 'There are too many concurrent queries for this service.'}]}}))
    t.after(() => server.close())
    const found = await messages(eachClient(server.url))
    assert.equal(server.sent.length, 15, 'five attempts each')
    const advice = `The server at ${server.url} is throttling requests ("There are too many concurrent queries for this service.", code 1004) and kept refusing after several retries with backoff. Wait a moment and try again.`
    assert.deepEqual(found, {cloud: advice, management: advice, service: advice})
  })

  test('the token sent never comes back in a message, whichever client sent it', async (t) => {
    const server = await scriptedServer(() => ({body: {errors: [{message: `Something went wrong with ${token} and eyJx.eyJy.zz`}]}}))
    t.after(() => server.close())
    const found = await messages(eachClient(server.url))
    assert.deepEqual(found, {
      cloud: 'Something went wrong with [token] and [token]',
      management: 'Something went wrong with [token] and [token]',
      service: 'Something went wrong with [token] and [token]',
    })
    assert.ok(server.sent.every((entry) => entry.authorization === `Bearer ${token}`))
  })
})
