// Resumable import through the built CLI: an import stopped at a random point (the process killed, a request that
// never reaches the server, an answer lost after the server stored the values) and run again ends with exactly the
// data of one clean import: nothing twice (nodes, relations, and list values, which the server appends), nothing
// missing. The state lives in the user's state folder and is gone when the import completes.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {binPath, cliEnvironment, runCli, writeTree, type CliResult} from '../helpers/cli.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {type DataFault, startLossyProxy} from '../hardening/data-harness.js'
import {dataProject, deployed} from './fixtures.js'

const users = 8000
const posts = 4000

/** About 6 requests of at most 1 MB: two of nodes, two and one of lists (the second file extends lists of the first), one of relations. */
function dataFiles(): Record<string, string> {
  const ndf = (valueType: string, values: unknown[]) => JSON.stringify({valueType, values})
  const userNodes = Array.from({length: users}, (_, index) => ({_typeName: 'User', age: index % 90, email: `u${index}@example.com`, id: `u${index}`, name: `User ${index} ${'n'.repeat(150)}`}))
  const postNodes = Array.from({length: posts}, (_, index) => ({_typeName: 'Post', id: `p${index}`, title: `Post ${index}`}))
  const tags = Array.from({length: users}, (_, index) => ({_typeName: 'User', id: `u${index}`, tags: Array.from({length: 10}, (_, tag) => `tag-${tag}-${index % 7}`)}))
  const moreTags = Array.from({length: 2000}, (_, index) => ({_typeName: 'User', id: `u${index}`, tags: ['again', `x${index}`]}))
  const relations = Array.from({length: posts}, (_, index) => [{_typeName: 'Post', fieldName: 'author', id: `p${index}`}, {_typeName: 'User', fieldName: 'posts', id: `u${index % users}`}])
  return {
    'data/lists/000001.json': ndf('lists', tags),
    'data/lists/000002.json': ndf('lists', moreTags),
    'data/nodes/000001.json': ndf('nodes', userNodes),
    'data/nodes/000002.json': ndf('nodes', postNodes),
    'data/relations/000001.json': ndf('relations', relations),
  }
}

/** Runs the CLI and SIGKILLs it once `ready` says so (polled every 5 ms). */
async function killWhen(args: string[], cwd: string, env: Record<string, string>, ready: () => boolean): Promise<CliResult> {
  const environment = (await cliEnvironment(env)).env
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {cwd, env: environment})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const poll = setInterval(() => {
      if (ready()) {
        clearInterval(poll)
        child.kill('SIGKILL')
      }
    }, 5)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearInterval(poll)
      resolve({code, signal, stderr, stdout})
    })
  })
}

describe('resumable import', {concurrency: 1}, () => {
  let server: ManagementServer
  let clean: ReturnType<ManagementServer['data']>
  let requestsOfOneImport = 0
  before(async () => {
    server = await startManagementServer({migrationStepMs: 1, recordRequests: false})
    const dir = await deployed(await dataProject(`${server.url}/resume/clean`, '', dataFiles()))
    const result = await runCli(['import', '--data', 'data', '--json'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    requestsOfOneImport = JSON.parse(result.stdout).chunksSent
    assert.ok(requestsOfOneImport >= 5, `the data makes several requests (${requestsOfOneImport})`)
    clean = server.data('resume', 'clean')
    assert.equal(clean.nodes.length, users + posts)
  })
  after(() => server.close())

  const stateFiles = (home: string) => {
    const folder = join(home, '.local', 'state', 'prisma1-cli', 'imports')
    return existsSync(folder) ? readdirSync(folder) : []
  }

  /**
   * One trial: a first run that stops as `stop` makes it, then the same command again, through the same proxy (the
   * state is keyed by the endpoint). The stage must end equal to the clean import.
   */
  async function trial(stage: string, stop: {fault?: DataFault; at: number} | {killAfter: number; delayMs: number}): Promise<void> {
    let armed = true
    const proxy = await startLossyProxy(server.url, ({path, index}) => {
      if (!armed || !('fault' in stop) || !path.endsWith('/import')) return undefined
      return index === stop.at ? stop.fault : undefined
    })
    try {
      const home = await writeTree({})
      const dir = await deployed(await dataProject(`${proxy.url}/resume/${stage}`, '', dataFiles()))
      const env = {HOME: home}
      const importsSeen = () => proxy.counts.get(`/resume/${stage}/import`) ?? 0
      let first: CliResult
      if ('killAfter' in stop) {
        let reachedAt = 0
        first = await killWhen(['import', '--data', 'data'], dir, env, () => {
          if (importsSeen() < stop.killAfter) return false
          reachedAt ||= Date.now()
          return Date.now() - reachedAt >= stop.delayMs
        })
      } else {
        first = await runCli(['import', '--data', 'data'], {cwd: dir, env})
      }

      const context = `${stage} ${JSON.stringify(stop)}\n--- first run: exit ${first.code} ${first.signal}\n${first.stderr}`
      if ('fault' in stop) {
        assert.equal(first.code, 1, context)
        assert.match(first.stderr, /failed: .*\n.*had been imported before it; run the same command again to continue/, context)
      } else if (first.code !== null) {
        // the import finished before the kill landed: nothing to resume
        assert.equal(first.code, 0, context)
      }

      armed = false
      if ('killAfter' in stop && first.code === null && importsSeen() >= requestsOfOneImport && stateFiles(home).length === 0) {
        // every request was answered and the state removed before the kill landed (the process was ending): the
        // import is complete, and there is nothing left to resume
        assert.deepEqual(server.data('resume', stage), clean, `the stage holds exactly one clean import\n${context}`)
        return
      }

      const second = await runCli(['import', '--data', 'data', '--json'], {cwd: dir, env})
      const both = `${context}\n--- second run: exit ${second.code}\n${second.stderr}`
      assert.equal(second.code, 0, both)
      const document = JSON.parse(second.stdout)
      if (first.code !== 0) {
        assert.match(second.stderr, /Resuming the import of data: the server accepted \d+ of \d+ requests \(\d+ values\) before; they are skipped\./, both)
        assert.ok(document.chunksSkipped > 0 || 'killAfter' in stop, both)
      }

      assert.deepEqual(stateFiles(home), [], 'the state is removed when the import completes')
      const data = server.data('resume', stage)
      assert.equal(data.nodes.length, clean.nodes.length, both)
      assert.deepEqual(data, clean, `the stage holds exactly one clean import\n${both}`)
    } finally {
      await proxy.close()
    }
  }

  test('an answer lost after the server stored a nodes request: settled, nothing twice', () => trial('lostnodes', {at: 1, fault: 'lose-answer'}))
  test('an answer lost after the server stored a lists request (lists append): settled exactly', () => trial('lostlists', {at: 2, fault: 'lose-answer'}))
  test('an answer lost for the lists request that extends lists already extended', () => trial('lostlists2', {at: 4, fault: 'lose-answer'}))
  test('a lists request that never reached the server', () => trial('droplists', {at: 3, fault: 'drop-request'}))
  test('an answer lost after the server stored the relations', () => trial('lostrelations', {at: 5, fault: 'lose-answer'}))
  test('the connection dropped before the first request', () => trial('dropfirst', {at: 0, fault: 'drop-request'}))

  test('the process killed at random points, twice', async () => {
    for (let run = 0; run < 2; run++) {
      const killAfter = 1 + Math.floor(Math.random() * (requestsOfOneImport - 1))
      await trial(`killed${run}`, {delayMs: Math.floor(Math.random() * 40), killAfter})
    }
  })

  test('--no-resume starts over, and the state of the stopped import is dropped', async () => {
    const proxy = await startLossyProxy(server.url, ({path, index}) => (path.endsWith('/import') && index === 2 ? 'lose-answer' : undefined))
    try {
      const home = await writeTree({})
      const dir = await deployed(await dataProject(`${proxy.url}/resume/fresh`, '', dataFiles()))
      const first = await runCli(['import', '--data', 'data'], {cwd: dir, env: {HOME: home}})
      assert.equal(first.code, 1, first.stderr)
      assert.equal(stateFiles(home).length, 1, 'a stopped import leaves its state')
      assert.equal((await runCli(['reset', '--force'], {cwd: dir, env: {HOME: home}})).code, 0)
      const again = await runCli(['import', '--data', 'data', '--no-resume', '--json'], {cwd: dir, env: {HOME: home}})
      assert.equal(again.code, 0, again.stderr)
      assert.doesNotMatch(again.stderr, /Resuming/)
      assert.equal(JSON.parse(again.stdout).chunksSent, requestsOfOneImport)
      assert.deepEqual(stateFiles(home), [])
      assert.deepEqual(server.data('resume', 'fresh'), clean)
    } finally {
      await proxy.close()
    }
  })
})
