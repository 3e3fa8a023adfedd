import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {runCli, tempDir, writeTree} from '../helpers/cli.js'
import {verifyJwt} from '../tokens/verifier.js'

const datamodel = {'datamodel.prisma': 'type User {\n  id: ID! @id\n}\n'}

describe('prisma token', () => {
  test('signs HS256 with the first secret: data.service svc@stage, roles admin, 7 days; one line on stdout', async () => {
    const dir = await writeTree({
      ...datamodel,
      'prisma.yml': 'endpoint: http://localhost:4466/my-svc/prod\ndatamodel: datamodel.prisma\nsecret: first-secret-1, second-secret-2\n',
    })
    const result = await runCli(['token'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/)
    assert.equal(result.stderr, '')
    const {header, payload} = verifyJwt(result.stdout.trim(), {secret: 'first-secret-1'})
    assert.equal(header.alg, 'HS256')
    assert.deepEqual(payload.data, {roles: ['admin'], service: 'my-svc@prod'})
    assert.equal((payload.exp as number) - (payload.iat as number), 604_800)
    for (const value of ['first-secret-1', 'second-secret-2']) {
      assert.ok(!result.stdout.includes(value) && !result.stderr.includes(value))
    }
  })

  test('workspace endpoints still use service@stage', async () => {
    const dir = await writeTree({...datamodel, 'prisma.yml': 'endpoint: http://localhost:4466/ws/svc/dev\ndatamodel: datamodel.prisma\nsecret: s\n'})
    const result = await runCli(['token'], {cwd: dir})
    assert.deepEqual(verifyJwt(result.stdout.trim(), {secret: 's'}).payload.data, {roles: ['admin'], service: 'svc@dev'})
  })

  test('--expires-in, --json and a secret from the env file', async () => {
    const dir = await writeTree({
      ...datamodel,
      'config/prod.env': 'SERVICE_SECRET=from-env-file-secret\n',
      'prisma.yml': 'endpoint: http://localhost:4466/svc/dev\ndatamodel: datamodel.prisma\nsecret: ${env:SERVICE_SECRET}\n',
    })
    const result = await runCli(['token', '--json', '--expires-in', '1h', '--env-file', 'config/prod.env'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    const document = JSON.parse(result.stdout)
    const {payload} = verifyJwt(document.token, {secret: 'from-env-file-secret'})
    assert.equal((payload.exp as number) - (payload.iat as number), 3600)
    assert.equal(document.service, 'svc@dev')
    assert.equal(document.expiresInSeconds, 3600)
    assert.ok(!result.stdout.includes('from-env-file-secret') && !result.stderr.includes('from-env-file-secret'))
  })

  test('--project points at prisma.yml elsewhere', async () => {
    const dir = await writeTree({...datamodel, 'prisma.yml': 'endpoint: http://localhost:4466/svc/dev\ndatamodel: datamodel.prisma\nsecret: p\n'})
    const result = await runCli(['token', '--project', `${dir}/prisma.yml`], {cwd: await tempDir()})
    verifyJwt(result.stdout.trim(), {secret: 'p'})
  })

  test('no secret in prisma.yml: a clear message, exit 1, nothing on stdout', async () => {
    const dir = await writeTree({...datamodel, 'prisma.yml': 'endpoint: http://localhost:4466/svc/dev\ndatamodel: datamodel.prisma\n'})
    const result = await runCli(['token'], {cwd: dir})
    assert.equal(result.code, 1)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /There is no secret set in .*prisma\.yml/)
  })

  test('no prisma.yml: exit 1 with the not-found message', async () => {
    const result = await runCli(['token'], {cwd: await tempDir()})
    assert.equal(result.code, 1)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /find `prisma\.yml`/)
  })

  test('a junk --expires-in is a usage error (exit 2)', async () => {
    const dir = await writeTree({...datamodel, 'prisma.yml': 'endpoint: http://localhost:4466/svc/dev\ndatamodel: datamodel.prisma\nsecret: s\n'})
    const result = await runCli(['token', '--expires-in', 'forever'], {cwd: dir})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /--expires-in must be a duration/)
  })
})
