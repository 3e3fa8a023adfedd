import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {generateKeyPairSync} from 'node:crypto'
import {once} from 'node:events'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
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

test('--version picks the server line: a 1.34.3 stand-in checks tokens as 1.27-1.34.6 did; --public-key needs a version to 1.26', async () => {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'stand-in-key-')), 'key.pem')
  writeFileSync(keyFile, generateKeyPairSync('rsa', {modulusLength: 2048}).publicKey.export({format: 'pem', type: 'spki'}))
  const refused = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--no-cloud', '--public-key', keyFile, '--version', '1.34.12'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  refused.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const [code] = (await once(refused, 'exit')) as [number]
  assert.equal(code, 1)
  assert.match(stderr, /A Prisma 1\.34\.12 server has no RS256 management auth/)

  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--no-cloud', '--secret', 'cli-secret', '--version', '1.34.3'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        const match = /Prisma server stand-in listening on (http:\/\/[\d.:]+)/.exec(output)
        if (match) resolve(match[1])
      })
      child.on('exit', (exit) => reject(new Error(`stand-in exited with ${exit}: ${output}`)))
    })
    assert.equal((await gql(`${url}/management`, '{ listProjects { name } }')).body.errors[0].message, "No 'Authorization' header provided.")
    const withoutExp = jwt({grants: [{target: '*/*', action: '*'}]}, 'cli-secret')
    assert.deepEqual((await gql(`${url}/management`, '{ listProjects { name } }', undefined, withoutExp)).body, {data: {listProjects: []}})
  } finally {
    child.kill('SIGTERM')
    await once(child, 'exit')
  }
})
