// The token commands' domain calls as modules: the document comes from what the signer signed.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {issueClusterToken, issueServiceToken} from '../../src/auth/issue-token.js'
import {UserError} from '../../src/errors.js'
import {tempDir, writeTree} from '../helpers/cli.js'
import {verifyJwt} from '../tokens/verifier.js'

describe('issuing tokens', () => {
  test('cluster token: grants, lifetime and times in the document are those in the token', async () => {
    const cwd = await tempDir()
    const {document, notices} = await issueClusterToken({
      action: 'deploy',
      cwd,
      env: {HOME: cwd, PRISMA_MANAGEMENT_API_SECRET: 'issue-secret'},
      expiresInMs: 30 * 60_000,
      target: 'svc/dev',
    })
    assert.deepEqual(notices, [])
    const {payload} = verifyJwt(document.token!, {secret: 'issue-secret'})
    assert.deepEqual(
      {exp: document.exp, grants: document.grants, iat: document.iat},
      {exp: payload.exp, grants: payload.grants, iat: payload.iat},
    )
    assert.equal(document.expiresInSeconds, 1800)
    assert.equal(document.expiresAt, new Date((payload.exp as number) * 1000).toISOString())
    assert.equal(document.credential, 'HS256 with PRISMA_MANAGEMENT_API_SECRET')
  })

  test('no credential: NO_CREDENTIAL naming why and how to set the secret', async () => {
    const cwd = await tempDir()
    await assert.rejects(
      issueClusterToken({cwd, env: {HOME: cwd}}),
      (error: unknown) =>
        error instanceof UserError &&
        error.code === 'NO_CREDENTIAL' &&
        /^Cannot create a Management API token: PRISMA_MANAGEMENT_API_SECRET is not set and no endpoint is known\. Set PRISMA_MANAGEMENT_API_SECRET/.test(error.message),
    )
  })

  test('service token: service, lifetime and times from the signed claims; a missing prisma.yml is PROJECT_INVALID', async () => {
    const cwd = await writeTree({'datamodel.prisma': 'type A {\n  id: ID! @id\n}\n', 'prisma.yml': 'endpoint: http://localhost:4466/svc/prod\ndatamodel: datamodel.prisma\nsecret: s1\n'})
    const {document} = await issueServiceToken({cwd, env: {HOME: cwd}, expiresInMs: 3_600_000})
    const {payload} = verifyJwt(document.token!, {secret: 's1'})
    assert.equal(document.service, 'svc@prod')
    assert.equal(document.issuedAt, new Date((payload.iat as number) * 1000).toISOString())
    assert.equal(document.expiresInSeconds, 3600)
    await assert.rejects(
      issueServiceToken({cwd: await tempDir(), env: {}}),
      (error: unknown) => error instanceof UserError && error.code === 'PROJECT_INVALID',
    )
  })
})
