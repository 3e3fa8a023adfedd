// The node:http transport behind every request: proxies from the environment it is given (CONNECT tunnels through
// a local proxy, NO_PROXY, credentials), time and size bounds, decompression, connection reuse, retries of resets,
// error messages, and that an idle kept-alive connection never keeps the process alive.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {pathToFileURL} from 'node:url'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {describe, test} from 'node:test'

import {ServerClient} from '../../src/http/client.js'
import {ServerError, isConnectionReset} from '../../src/http/graphql.js'
import type {Env} from '../../src/http/proxy.js'
import {bypassesProxy, proxyFor} from '../../src/http/proxy.js'
import {ManagementClient} from '../../src/management-api/client.js'
import {freePort, repoRoot} from '../helpers/cli.js'
import {json, startProxy, startServer} from './servers.js'

const query = '{ serverInfo { version } }'

/** One GraphQL request through the shared request path, as every client sends it. */
async function requestGraphQL<T>(o: {env: Env; query: string; url: string; token?: string; variables?: Record<string, unknown>; timeoutMs?: number; maxBytes?: number; signal?: AbortSignal}): Promise<T> {
  return new ServerClient({api: 'test', env: o.env, token: o.token}).graphql<T>('test', o)
}
const answerVersion = (_request: unknown, response: Parameters<typeof json>[0]) => json(response, {data: {serverInfo: {version: '1.34.12'}}})

async function failure(promise: Promise<unknown>): Promise<ServerError> {
  const error = await promise.then(
    () => assert.fail('the request should have failed'),
    (error_: unknown) => error_,
  )
  assert.ok(error instanceof ServerError, String(error))
  return error
}

describe('proxy rules', () => {
  const url = (text: string) => new URL(text)
  test('https uses HTTPS_PROXY, else HTTP_PROXY; http uses HTTP_PROXY; lower-case names first', () => {
    assert.equal(proxyFor(url('https://a.example/'), {HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://p:2'})?.host, 's:1')
    assert.equal(proxyFor(url('https://a.example/'), {HTTP_PROXY: 'http://p:2'})?.host, 'p:2')
    assert.equal(proxyFor(url('http://a.example/'), {HTTPS_PROXY: 'http://s:1'}), undefined)
    assert.equal(proxyFor(url('http://a.example/'), {HTTP_PROXY: 'http://P:2', http_proxy: 'http://p:3'})?.host, 'p:3')
    assert.equal(proxyFor(url('http://a.example/'), {HTTP_PROXY: 'proxy.internal:3128'})?.href, 'http://proxy.internal:3128/')
    assert.equal(proxyFor(url('http://a.example/'), {}), undefined)
  })

  test('NO_PROXY: exact hosts, domains with a leading dot or *., ports, * and separators', () => {
    const target = url('https://api.prisma.example:8443/x')
    assert.equal(bypassesProxy(target, ''), false)
    assert.equal(bypassesProxy(target, '*'), true)
    assert.equal(bypassesProxy(target, 'api.prisma.example'), true)
    assert.equal(bypassesProxy(target, 'prisma.example'), false, 'a plain entry matches only that host')
    assert.equal(bypassesProxy(target, '.prisma.example'), true)
    assert.equal(bypassesProxy(target, '*.prisma.example'), true)
    assert.equal(bypassesProxy(target, 'other.example, api.prisma.example:8443'), true)
    assert.equal(bypassesProxy(target, 'api.prisma.example:443'), false)
    assert.equal(bypassesProxy(url('https://api.prisma.example/'), 'x.example api.prisma.example:443'), true)
    assert.equal(bypassesProxy(url('http://[::1]:4466/'), '[::1]'), true)
    assert.equal(proxyFor(target, {HTTPS_PROXY: 'http://p:1', no_proxy: '.example'}), undefined)
  })

  test('a proxy address that is not a URL is a clear error without its credentials', () => {
    assert.throws(() => proxyFor(url('http://a.example/'), {HTTP_PROXY: 'http://user:hunter2@exa mple:1'}), (error: Error) => {
      assert.match(error.message, /is not a URL/)
      assert.doesNotMatch(error.message, /hunter2/)
      return true
    })
  })
})

describe('requests through node:http', () => {
  test('sends the JSON document with the token, answers data and headers, and reuses the connection', async (t) => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, {'content-type': 'application/json', 'throttled-by': 'test'}).end('{"data":{"ok":true}}')
    })
    t.after(() => server.close())
    const lines: string[] = []
    const client = new ServerClient({api: 'management', debug: (line) => lines.push(line), env: {}, token: 'tok'})
    const first = await client.graphql<{ok: boolean}>('serverInfo', {query, url: server.url, variables: {a: 1}})
    assert.deepEqual(first, {ok: true})
    assert.deepEqual(lines, [`management request serverInfo → ${server.url}`, 'request serverInfo was throttled by the server: test'])
    await requestGraphQL({env: {}, query, url: server.url})
    assert.deepEqual(JSON.parse(server.received[0].body), {query, variables: {a: 1}})
    assert.equal(server.received[0].headers.authorization, 'Bearer tok')
    assert.equal(server.received[0].headers['content-type'], 'application/json')
    assert.equal(server.received[1].headers.authorization, undefined)
    assert.equal(server.connections, 1, 'the second request reuses the kept-alive connection')
  })

  test('a gzip-compressed answer is decompressed', async (t) => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, {'content-encoding': 'gzip', 'content-type': 'application/json'}).end(gzipSync('{"data":{"zipped":"yes"}}'))
    })
    t.after(() => server.close())
    assert.deepEqual(await requestGraphQL<{zipped: string}>({env: {}, query, url: server.url}), {zipped: 'yes'})
    assert.match(String(server.received[0].headers['accept-encoding']), /gzip/)
  })

  test('HTTP_PROXY from the given environment: a CONNECT tunnel, one per connection; NO_PROXY goes direct', async (t) => {
    const server = await startServer(answerVersion)
    const proxy = await startProxy()
    t.after(() => Promise.all([server.close(), proxy.close()]))
    const url = `http://prisma-server.example:${server.port}/management`
    const env = {HTTP_PROXY: proxy.url}
    assert.equal(process.env.HTTP_PROXY, undefined, 'the test runs without a proxy in its own environment')
    await requestGraphQL({env, query, url})
    await requestGraphQL({env, query, url})
    assert.deepEqual(proxy.connects.map((entry) => entry.target), [`prisma-server.example:${server.port}`])
    assert.equal(server.received.length, 2)

    await requestGraphQL({env: {...env, NO_PROXY: '127.0.0.1'}, query, url: `${server.url}/management`})
    assert.equal(proxy.connects.length, 1, 'NO_PROXY host not tunnelled')
    assert.equal(server.received.length, 3)
  })

  test('the environment given wins over the process environment', async (t) => {
    const server = await startServer(answerVersion)
    const proxy = await startProxy()
    t.after(() => Promise.all([server.close(), proxy.close()]))
    process.env.HTTP_PROXY = `http://127.0.0.1:${await freePort()}`
    try {
      await requestGraphQL({env: {}, query, url: server.url})
    } finally {
      delete process.env.HTTP_PROXY
    }

    assert.equal(server.received.length, 1)
    assert.deepEqual(proxy.connects, [])
  })

  test('proxy credentials from the proxy address; a 407 says how to give them, never echoing them', async (t) => {
    const server = await startServer(answerVersion)
    const proxy = await startProxy({credentials: 'user:p@ss word'})
    t.after(() => Promise.all([server.close(), proxy.close()]))
    const port = new URL(proxy.url).port
    const url = `http://svc.example:${server.port}/management`
    await requestGraphQL({env: {HTTP_PROXY: `http://user:p%40ss%20word@127.0.0.1:${port}`}, query, url})
    assert.equal(server.received.length, 1)

    const error = await failure(requestGraphQL({env: {HTTP_PROXY: `http://user:wrong-secret@127.0.0.1:${port}`}, query, url}))
    assert.equal(error.kind, 'unreachable')
    assert.match(error.message, /the proxy http:\/\/\*\*\*@127\.0\.0\.1:\d+ refused the connection to svc\.example:\d+ \(HTTP 407\)/)
    assert.match(error.message, /give them in the proxy address/)
    assert.doesNotMatch(error.message, /wrong-secret/)
  })

  test('a proxy that cannot be reached is named as such', async () => {
    const error = await failure(requestGraphQL({env: {HTTP_PROXY: `http://127.0.0.1:${await freePort()}`}, query, url: 'http://svc.example:4466/management'}))
    assert.equal(error.kind, 'unreachable')
    assert.match(error.message, /^Could not reach the server at http:\/\/svc\.example:4466\/management: the proxy http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)\. Check HTTPS_PROXY/)
  })

  test('a refused connection, with the hint for a local server', async () => {
    const url = `http://127.0.0.1:${await freePort()}/management`
    const error = await failure(requestGraphQL({env: {}, query, url}))
    assert.equal(error.networkCode, 'ECONNREFUSED')
    assert.match(error.message, /^Could not connect to the server at http:\/\/127\.0\.0\.1:\d+\/management: the connection was refused\. Is the Prisma server running\?/)
  })

  test('no answer within the bound is a timeout naming the bound', async (t) => {
    const server = await startServer(() => {})
    t.after(() => server.close())
    const error = await failure(requestGraphQL({env: {}, query, timeoutMs: 300, url: server.url}))
    assert.equal(error.kind, 'timeout')
    assert.match(error.message, /did not answer within/)
  })

  test('the caller aborting ends the request with the caller reason', async (t) => {
    const server = await startServer(() => {})
    t.after(() => server.close())
    const controller = new AbortController()
    const pending = requestGraphQL({env: {}, query, signal: controller.signal, url: server.url})
    setTimeout(() => controller.abort(new Error('stopped by the caller')), 50)
    await assert.rejects(pending, /stopped by the caller/)
  })

  test('answers above the size bound are refused: declared, streamed, and after decompression', async (t) => {
    const big = `{"data":{"x":"${'a'.repeat(4000)}"}}`
    const server = await startServer((_request, response, index) => {
      if (index === 0) response.writeHead(200, {'content-type': 'application/json'}).end(big)
      else if (index === 1) {
        response.writeHead(200, {'content-type': 'application/json'})
        response.write(big.slice(0, 2000))
        response.end(big.slice(2000))
      } else response.writeHead(200, {'content-encoding': 'gzip', 'content-type': 'application/json'}).end(gzipSync(big))
    })
    t.after(() => server.close())
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await failure(requestGraphQL({env: {}, maxBytes: 1000, query, url: server.url}))
      assert.equal(error.kind, 'too-large', `answer ${attempt}`)
      assert.match(error.message, /sent a response larger than/)
    }
  })

  test('an HTML page and an HTTP error are explained', async (t) => {
    const server = await startServer((_request, response, index) => {
      if (index === 0) response.writeHead(200, {'content-type': 'text/html'}).end('<html>login</html>')
      else response.writeHead(502).end('Bad gateway')
    })
    t.after(() => server.close())
    assert.match((await failure(requestGraphQL({env: {}, query, url: server.url}))).message, /answered with an HTML page \(HTTP 200\)/)
    const error = await failure(requestGraphQL({env: {}, query, url: server.url}))
    assert.equal(error.status, 502)
    assert.match(error.message, /answered HTTP 502: Bad gateway\. The server had a problem/)
  })

  test('a connection reset is recognised, and an idempotent management request is sent again', async (t) => {
    const server = await startServer((request, response, index) => {
      if (index < 2) response.socket?.destroy()
      else answerVersion(request, response)
    })
    t.after(() => server.close())
    const error = await failure(requestGraphQL({env: {}, query, url: server.url}))
    assert.equal(error.networkCode, 'ECONNRESET')
    assert.ok(isConnectionReset(error))

    const client = new ManagementClient({env: {}, serverName: 'local', url: `${server.url}/management`})
    const data = await client.request<{serverInfo: {version: string}}>('serverInfo', query, {}, {idempotent: true})
    assert.equal(data.serverInfo.version, '1.34.12')
    assert.equal(server.received.length, 3, 'the first reset, then the client: one reset and the retry that was answered')
  })

  test('an idle kept-alive connection does not keep the process alive', async (t) => {
    const server = await startServer(answerVersion, {keepAliveMs: 120_000})
    t.after(() => server.close())
    const client = pathToFileURL(join(repoRoot, 'src', 'http', 'client.ts')).href
    const script = `const {ServerClient} = await import(${JSON.stringify(client)}); await new ServerClient({api: 'test', env: {}}).graphql('a', {query: '{ a }', url: ${JSON.stringify(server.url)}}); console.log('answered')`
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: repoRoot})
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    // the server keeps the connection open far longer than this bound; only a process that ignores it ends in time
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])))
    clearTimeout(killer)
    assert.equal(stdout, 'answered\n')
    assert.deepEqual([code, signal], [0, null])
    assert.equal(server.connections, 1)
  })
})
