import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {fileURLToPath} from 'node:url'
import {test} from 'node:test'
import {gql, jwt, now} from './test-helpers.js'

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))

test('the stand-in runs from the command line, prints its addresses and serves until stopped', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--secret', 'cli-secret', '--version', '1.34.9'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    let output = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (/Cloud API stand-in listening on/.test(output)) {
          const match = /Prisma server stand-in listening on (http:\/\/[\d.:]+)/.exec(output)
          if (match) resolve(match[1])
        }
      })
      child.on('exit', (code) => reject(new Error(`stand-in exited with ${code}: ${output}`)))
    })
    assert.match(output, /Management API: http:\/\/127\.0\.0\.1:\d+\/management/)
    const info = await gql(`${url}/management`, '{ serverInfo { version } }')
    assert.equal(info.body.data.serverInfo.version, '1.34.9')
    assert.equal((await gql(`${url}/management`, '{ listProjects { name } }')).body.errors[0].code, 3015)
    const token = jwt({grants: [{target: '*/*', action: '*'}], exp: now() + 60}, 'cli-secret')
    assert.deepEqual((await gql(`${url}/management`, '{ listProjects { name } }', undefined, token)).body, {data: {listProjects: []}})
    const cloudUrl = /Cloud API stand-in listening on (http:\/\/[\d.:]+)/.exec(output)?.[1]
    assert.ok(cloudUrl, 'the cloud API stand-in is started too')
  } finally {
    child.kill('SIGTERM')
    await once(child, 'exit')
  }
})
