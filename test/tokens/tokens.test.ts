import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {describe, test} from 'node:test'

import fc from 'fast-check'

import {UserError} from '../../src/errors.js'
import {
  checkGrantTarget,
  decodeJwtUnverified,
  signHs256,
  signManagementToken,
  signRs256,
  signServiceToken,
} from '../../src/tokens/index.js'
import {parseDuration} from '../../src/duration.js'
import {verifyJwt} from './verifier.js'

function rsaPair(bits: number) {
  return generateKeyPairSync('rsa', {
    modulusLength: bits,
    privateKeyEncoding: {format: 'pem', type: 'pkcs8'},
    publicKeyEncoding: {format: 'pem', type: 'spki'},
  })
}

describe('management tokens', () => {
  test('HS256: header, default grants, one hour, verified independently', () => {
    const now = 1_700_000_000
    const token = signManagementToken({algorithm: 'HS256', secret: 's3cr3t'}, {now}).token
    const {header, payload} = verifyJwt(token, {secret: 's3cr3t'}, now)
    assert.deepEqual(header, {alg: 'HS256', typ: 'JWT'})
    assert.deepEqual(payload, {exp: now + 3600, grants: [{action: '*', target: '*/*'}], iat: now})
    // claim order as the original: grants, iat, exp
    assert.deepEqual(Object.keys(payload), ['grants', 'iat', 'exp'])
    assert.throws(() => verifyJwt(token, {secret: 'other'}, now), /invalid signature/)
  })

  test('HS256 with the original five-year lifetime equals the original exp arithmetic', () => {
    const now = 1_600_000_000
    const token = signManagementToken({algorithm: 'HS256', secret: 'x'}, {expiresInSeconds: parseDuration('5y', '--expires-in') / 1000, now}).token
    assert.equal(verifyJwt(token, {secret: 'x'}, now).payload.exp, now + 157_788_000)
  })

  test('default iat is the current time', () => {
    const before = Math.floor(Date.now() / 1000)
    const {payload} = verifyJwt(signManagementToken({algorithm: 'HS256', secret: 'x'}).token, {secret: 'x'})
    const after = Math.floor(Date.now() / 1000)
    assert.ok((payload.iat as number) >= before && (payload.iat as number) <= after)
    assert.equal((payload.exp as number) - (payload.iat as number), 3600)
  })

  test('scoped grants are carried exactly', () => {
    const grants = [
      {action: 'deploy', target: 'svc/dev'},
      {action: '*', target: 'ws~svc/*'},
    ]
    const signed = signManagementToken({algorithm: 'HS256', secret: 'k'}, {grants, now: 100, expiresInSeconds: 60})
    const {token} = signed
    assert.deepEqual(signed.claims, {exp: 160, grants, iat: 100})
    const {payload} = verifyJwt(token, {secret: 'k'}, 100)
    assert.deepEqual(payload.grants, [
      {target: 'svc/dev', action: 'deploy'},
      {target: 'ws~svc/*', action: '*'},
    ])
    assert.equal(payload.exp, 160)
  })

  for (const bits of [2048, 4096]) {
    test(`RS256 with a ${bits}-bit key verifies with the public key`, () => {
      const {privateKey, publicKey} = rsaPair(bits)
      const now = 1_700_000_000
      const token = signManagementToken({algorithm: 'RS256', cluster: 'local', privateKey}, {now}).token
      const {header, payload} = verifyJwt(token, {publicKey}, now)
      assert.deepEqual(header, {alg: 'RS256', typ: 'JWT'})
      assert.deepEqual(payload, {exp: now + 3600, grants: [{action: '*', target: '*/*'}], iat: now})
      const other = rsaPair(2048)
      assert.throws(() => verifyJwt(token, {publicKey: other.publicKey}, now), /invalid signature/)
    })
  }

  test('RS256 accepts a PKCS#1 ("BEGIN RSA PRIVATE KEY") key', () => {
    const {privateKey, publicKey} = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: {format: 'pem', type: 'pkcs1'},
      publicKeyEncoding: {format: 'pem', type: 'spki'},
    })
    assert.match(privateKey, /BEGIN RSA PRIVATE KEY/)
    verifyJwt(signRs256({exp: 2_000_000_000, grants: []}, privateKey, 'cluster "legacy"'), {publicKey}, 1)
  })

  test('keys that cannot sign RS256 are UserErrors naming the cluster, never showing the key', () => {
    const ec = generateKeyPairSync('ec', {namedCurve: 'P-256', privateKeyEncoding: {format: 'pem', type: 'pkcs8'}, publicKeyEncoding: {format: 'pem', type: 'spki'}})
    const ed = generateKeyPairSync('ed25519', {privateKeyEncoding: {format: 'pem', type: 'pkcs8'}, publicKeyEncoding: {format: 'pem', type: 'spki'}})
    const short = rsaPair(1024)
    const cases: Array<[string, RegExp]> = [
      ['not a key at all', /not a PEM private key/],
      ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', /could not be read/],
      [ec.privateKey, /EC key; RS256 needs an RSA private key/],
      [ed.privateKey, /ED25519 key/],
      [short.privateKey, /1024 bits; RS256 needs at least 2048/],
    ]
    for (const [key, message] of cases) {
      assert.throws(
        () => signManagementToken({algorithm: 'RS256', cluster: 'old-cluster', privateKey: key}).token,
        (error: unknown) => {
          assert.ok(error instanceof UserError)
          assert.match(error.message, message)
          assert.match(error.message, /cluster "old-cluster"/)
          const body = key.split('\n').find((line) => line.length > 20 && !line.startsWith('-----'))
          if (body) assert.ok(!error.message.includes(body), 'the key must not appear in the message')
          return true
        },
      )
    }
  })

  test('an empty HS256 secret is refused', () => {
    assert.throws(() => signHs256({}, ''), UserError)
  })

  test('HS256 signatures verify for arbitrary secrets and payload text (property)', () => {
    fc.assert(
      fc.property(fc.string({minLength: 1}), fc.string(), fc.integer({min: 1, max: 10 ** 8}), (secret, target, life) => {
        const token = signManagementToken({algorithm: 'HS256', secret}, {expiresInSeconds: life, grants: [{action: '*', target}], now: 10}).token
        const {payload} = verifyJwt(token, {secret}, 10)
        assert.deepEqual(payload.grants, [{action: '*', target}])
        assert.equal(payload.exp, 10 + life)
      }),
      {numRuns: 200},
    )
  })
})

describe('service tokens', () => {
  test('claims of the original: data.service svc@stage, roles admin, 7 days', () => {
    const now = 1_700_000_000
    const signed = signServiceToken({now, secret: 'mysecret', service: 'svc', stage: 'dev'})
    const {header, payload} = verifyJwt(signed.token, {secret: 'mysecret'}, now)
    assert.deepEqual(header, {alg: 'HS256', typ: 'JWT'})
    assert.deepEqual(payload, {data: {roles: ['admin'], service: 'svc@dev'}, exp: now + 604_800, iat: now})
    // the signer hands back what it signed, so nobody decodes a token the tool has just made
    assert.deepEqual(signed.claims, payload)
    assert.equal(signed.algorithm, 'HS256')
  })

  test('custom lifetime', () => {
    const {token} = signServiceToken({expiresInSeconds: 90, now: 50, secret: 'a', service: 's', stage: 't'})
    assert.equal(verifyJwt(token, {secret: 'a'}, 50).payload.exp, 140)
  })
})

describe('grant targets and decoding', () => {
  test('valid and invalid targets', () => {
    for (const ok of ['svc/dev', '*/*', 'svc/*', 'ws~svc/prod']) assert.equal(checkGrantTarget(ok), ok)
    for (const bad of ['svc', 'a/b/c', '/dev', 'svc/', '', 'a b/c']) assert.throws(() => checkGrantTarget(bad), UserError)
  })

  test('decodeJwtUnverified reads header and payload', () => {
    const token = signHs256({a: 1}, 'k')
    assert.deepEqual(decodeJwtUnverified(token), {header: {alg: 'HS256', typ: 'JWT'}, payload: {a: 1}})
    assert.equal(decodeJwtUnverified('nope'), undefined)
    assert.equal(decodeJwtUnverified('a.b.c'), undefined)
  })
})
