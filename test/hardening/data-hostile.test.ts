// The data and project commands against a hostile server (a proxy in front of the stand-in answering some requests
// as a broken server or proxy would): HTML, an empty body, invalid JSON, a GraphQL error without a message, a 200 MB
// answer, an export cursor that goes backwards, a connection dropped mid-body, an answer that never ends. Each must end
// with exit 1 and one paragraph, leave no partial file, stay within bounded memory, and an import must say how much
// it had sent.
import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {after, before, describe, test} from 'node:test'

import {writeTree} from '../helpers/cli.js'
import {dataProject, deployed, shopModel} from '../data/fixtures.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {assertCleanFailure} from './checks.js'
import {type HostileAnswer, runMeasured, startHostileProxy} from './data-harness.js'

const answers: HostileAnswer[] = ['html', 'empty', 'invalid-json', 'error-without-message', 'huge', 'drop-mid-body', 'never-ends']

interface Target {
  command: string
  args: string[]
  /** The requests the hostile server answers (path, index among requests to that path). */
  hostile: (request: {path: string; index: number; body: string}, service: string) => boolean
  files?: (service: string) => Record<string, string>
  extra?: string
  /** What stderr must say besides the failure (e.g. how much an import had sent). */
  says?: RegExp
  /** 1 unless the command's result does not depend on the server's answer. */
  exit?: number
}

const node = (id: string) => ({_typeName: 'User', email: `${id}@example.com`, id})

const targets: Target[] = [
  {args: ['export', '--path', 'out.zip'], command: 'export', hostile: ({path, index}, service) => path === `/${service}/dev/export` && index >= 1},
  {
    args: ['import', '--data', 'data'],
    command: 'import',
    files: () => ({
      'data/nodes/000001.json': JSON.stringify({valueType: 'nodes', values: [node('a1'), node('a2')]}),
      'data/nodes/000002.json': JSON.stringify({valueType: 'nodes', values: [node('b1')]}),
    }),
    hostile: ({path, index}, service) => path === `/${service}/dev/import` && index >= 1,
    says: /1 of 2 requests \(2 values\) had been imported before it/,
  },
  {
    args: ['seed'],
    command: 'seed',
    extra: 'seed:\n  import: seed.graphql\n',
    files: () => ({'seed.graphql': 'mutation one { createUser(data: {email: "s1@x"}) { id } }\nmutation two { createUser(data: {email: "s2@x"}) { id } }\n'}),
    hostile: ({path, index}, service) => path === `/${service}/dev` && index >= 1,
  },
  {args: ['reset', '--force'], command: 'reset', hostile: ({path}, service) => path === `/${service}/dev/private`},
  {args: ['delete', '--force'], command: 'delete', hostile: ({path, body}) => path === '/management' && body.includes('deleteProject')},
  // info shows what prisma.yml says and asks the server only whether it serves Prisma Admin: a broken answer is
  // reported in one paragraph and the rest is still shown (exit 0)
  {args: ['info'], command: 'info', exit: 0, hostile: () => true, says: /^The server could not be asked whether it serves Prisma Admin: The server at \S+ (answered|sent|closed|did not|returned)/},
  {args: ['list'], command: 'list', hostile: () => true},
  {args: ['migrations'], command: 'migrations', hostile: ({path}) => path === '/management'},
]

describe('data and project commands against a hostile server', {concurrency: 4}, () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({exportPageLimit: 2000, migrationStepMs: 1, recordRequests: false})
  })
  after(() => server.close())

  const cases = [
    // (a GraphQL error to serverInfo is how a server before 1.8 answers: info then shows no Prisma Admin address)
    ...targets.flatMap((target) => answers.filter((answer) => target.command !== 'info' || answer !== 'error-without-message').map((answer) => ({answer, target}))),
    {answer: 'cursor-backwards' as HostileAnswer, target: targets[0]},
  ]
  let serial = 0
  for (const {answer, target} of cases) {
    test(`${target.command} against ${answer}`, async () => {
      const service = `hostile${serial++}`
      await deployed(await dataProject(`${server.url}/${service}/dev`))
      const values = Array.from({length: 100}, (_, index) => node(`e${index}`))
      if (target.command === 'export') assert.deepEqual(server.importData(service, 'dev', {valueType: 'nodes', values}), [])
      const proxy = await startHostileProxy(server.url, (request) => (target.hostile(request, service) ? answer : undefined))
      try {
        const dir = await writeTree({'datamodel.prisma': shopModel, 'prisma.yml': `endpoint: ${proxy.url}/${service}/dev\ndatamodel: datamodel.prisma\n${target.extra ?? ''}`, ...target.files?.(service)})
        const before = readdirSync(dir).sort()
        const result = await runMeasured(target.args, {cwd: dir, env: {PRISMA_REQUEST_TIMEOUT: '3s'}, timeoutMs: 90_000})
        const context = `${target.command} / ${answer}: exit ${result.code}, ${result.peakMb} MB, ${result.wallMs} ms\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
        assert.equal(result.code, target.exit ?? 1, context)
        assertCleanFailure(result, {context})
        // progress lines ("Seeding based on seed.graphql... 1/2") aside, the failure is one paragraph
        const progress = (line: string) => /^[A-Z][^\n]*\.\.\.( ✔| \S+)?$/.test(line.trim())
        const paragraphs = result.stderr.trim().split(/\n\s*\n/).filter((paragraph) => !paragraph.trim().split('\n').every((line) => progress(line)))
        assert.equal(paragraphs.length, 1, `one paragraph\n${context}`)
        if (target.says) assert.match(result.stderr, target.says, context)
        assert.deepEqual(readdirSync(dir).sort(), before, `no file left behind (no partial export)\n${context}`)
        assert.ok(result.peakMb < 250, `peak memory ${result.peakMb} MB\n${context}`)
      } finally {
        await proxy.close()
      }
    })
  }
})

