import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import fc from 'fast-check'

import {UserError} from '../../src/errors.js'
import {parseEndpoint} from '../../src/project/index.js'
import {repoRoot} from '../helpers/cli.js'

type Row = [string, string, string, string, string | null, boolean, boolean, boolean, string, string, string]
const table = JSON.parse(await readFile(join(repoRoot, 'fixtures', 'endpoints.json'), 'utf8')) as {rows: Row[]}

describe('parseEndpoint: the table of fixtures/endpoints.json', () => {
  test('covers at least 25 endpoints', () => assert.ok(table.rows.length >= 25))
  for (const [endpoint, serverUrl, service, stage, workspace, local, shared, isPrivate, clusterName, managementName, httpUrl] of table.rows) {
    test(endpoint, () => {
      const parsed = parseEndpoint(endpoint, 'test')
      assert.deepEqual(parsed, {
        url: endpoint.trim(),
        serverUrl,
        service,
        stage,
        workspace,
        local,
        shared,
        private: isPrivate,
        clusterName,
        managementName,
        managementUrl: `${serverUrl}/management`,
        httpUrl,
        wsUrl: httpUrl.replace(/^http/, 'ws'),
      })
    })
  }
})

describe('parseEndpoint: derived service URLs (Cluster.getApiEndpoint snapshots)', () => {
  const cases: Array<[string, string]> = [
    ['http://localhost:4466', 'http://localhost:4466'],
    ['http://localhost:4466/dev', 'http://localhost:4466/dev'],
    ['http://localhost:4466/default/dev', 'http://localhost:4466/default/dev'],
    ['https://eu1.prisma.sh/workspace/default/dev', 'https://eu1.prisma.sh/workspace/default/dev'],
  ]
  for (const [endpoint, httpUrl] of cases) {
    test(endpoint, () => {
      const parsed = parseEndpoint(endpoint)
      assert.equal(parsed.httpUrl, httpUrl)
      assert.equal(parsed.managementUrl, `${parsed.serverUrl}/management`)
    })
  }
  test('https becomes wss', () => {
    assert.equal(parseEndpoint('https://prisma.example.com/shop/prod').wsUrl, 'wss://prisma.example.com/shop/prod')
  })
})

describe('parseEndpoint: rejected endpoints name their source and the fix', () => {
  const rejected: Array<[string, RegExp]> = [
    ['localhost:4466/svc/dev', /is not a valid endpoint\. It must start with http:\/\/ or https:\/\//],
    ['ftp://localhost:4466/svc/dev', /must start with http:\/\/ or https:\/\//],
    ['ws://localhost:4466/svc/dev', /must start with http:\/\/ or https:\/\//],
    ['//localhost:4466', /must start with http/],
    ['', /is empty/],
    ['   ', /is empty/],
    ['http://local host:4466/svc', /contains whitespace/],
    ['http://localhost:4466/svc\tdev', /contains whitespace/],
    ['http://', /not a valid URL|no host name/],
    ['http://localhost:99999/svc/dev', /is not a valid URL/],
    ['http://[::1/svc', /is not a valid URL/],
    ['http://exämple.com/svc/dev', /host name with non-ASCII characters.*punycode/],
    ['http://localhost:4466/sérvice/dev', /contains non-ASCII characters/],
    ['https://eu1.prisma.sh/svc/dev', /points to a demo cluster, but is missing the workspace slug/],
    ['https://us1.prisma.sh', /missing the workspace slug/],
    [`http://localhost:4466/${'a'.repeat(3000)}`, /longer than 2048 characters/],
  ]
  for (const [endpoint, message] of rejected) {
    test(JSON.stringify(endpoint.slice(0, 60)), () => {
      assert.throws(
        () => parseEndpoint(endpoint, '/app/prisma.yml'),
        (error: unknown) => {
          assert.ok(error instanceof UserError)
          assert.match(error.message, message)
          assert.match(error.message, /\/app\/prisma\.yml/)
          return true
        },
      )
    })
  }
  test('a non-string endpoint is a UserError, not a crash', () => {
    assert.throws(() => parseEndpoint(4466 as unknown as string, 'PRISMA_MANAGEMENT_API_ENDPOINT'), UserError)
  })
})

describe('parseEndpoint: properties over generated input', () => {
  const segment = fc.stringMatching(/^[a-zA-Z0-9_-]{0,12}$/)
  const host = fc.constantFrom('localhost', '127.0.0.1', 'prisma', 'eu1.prisma.sh', 'us1.prisma.sh', 'a_b.prisma.sh', 'example.com', 'x_y.example.org', '[::1]', '10.0.0.1')
  const endpoint = fc.record({
    scheme: fc.constantFrom('http', 'https', 'HTTP'),
    host,
    port: fc.option(fc.integer({min: 1, max: 65535}), {nil: undefined}),
    path: fc.array(segment, {maxLength: 5}),
    trailing: fc.boolean(),
  })

  test('well-formed endpoints parse consistently', () => {
    fc.assert(
      fc.property(endpoint, ({scheme, host, port, path, trailing}) => {
        const url = `${scheme}://${host}${port ? `:${port}` : ''}${path.length > 0 ? `/${path.join('/')}` : ''}${trailing ? '/' : ''}`
        let parsed
        try {
          parsed = parseEndpoint(url)
        } catch (error) {
          assert.ok(error instanceof UserError, String(error))
          assert.ok(/eu1|us1/.test(host), `only workspace-less demo endpoints are refused: ${url}: ${(error as Error).message}`)
          return
        }
        assert.equal(parsed.url, url)
        assert.ok(parsed.httpUrl.startsWith(parsed.serverUrl))
        assert.equal(parsed.wsUrl, parsed.httpUrl.replace(/^http/, 'ws'))
        assert.equal(parsed.managementUrl, `${parsed.serverUrl}/management`)
        assert.equal([parsed.local, parsed.shared, parsed.private].filter(Boolean).length <= 1, true)
        if (parsed.shared) assert.equal(parsed.managementName, `${parsed.workspace}~${parsed.service}`)
        else assert.equal(parsed.managementName, parsed.service)
        assert.equal(new URL(parsed.serverUrl).origin, parsed.serverUrl)
      }),
      {numRuns: 3000},
    )
  })

  test('arbitrary text either parses or throws a UserError', () => {
    const text = fc.oneof(
      fc.string({maxLength: 80}),
      fc.string({unit: 'binary', maxLength: 40}),
      fc.string({maxLength: 60}).map((s) => `http://${s}`),
      fc.string({maxLength: 60}).map((s) => `https://localhost:4466/${s}`),
      fc.webUrl({withQueryParameters: true, withFragments: true}),
    )
    fc.assert(
      fc.property(text, (input) => {
        try {
          const parsed = parseEndpoint(input, 'generated')
          assert.match(parsed.serverUrl, /^https?:\/\//)
          assert.equal(typeof parsed.service, 'string')
          assert.equal(typeof parsed.stage, 'string')
        } catch (error) {
          assert.ok(error instanceof UserError, `${JSON.stringify(input)} threw ${String(error)}`)
          assert.ok(error.message.includes('generated'))
        }
      }),
      {numRuns: 5000},
    )
  })
})
