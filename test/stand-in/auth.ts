/**
 * Management API authentication as Prisma 1.34.7+ does it (jwt-scala verification texts, grant rules:
 * deploy/server/auth/SymmetricManagementAuth.scala, ManagementAuth.scala), as 1.27–1.34.6 did it (the Rust library
 * libs/jwt-native-rs: src/lib.rs, src/grant.rs, over jsonwebtoken 5.0.1), and the service API's token check. JWTs
 * are verified with node:crypto.
 */
import {createHmac, createPublicKey, timingSafeEqual, verify as cryptoVerify, type KeyObject} from 'node:crypto'

import type {TokenCheck} from './server-lines.js'

export type AuthMode = {mode: 'none'} | {mode: 'symmetric'; secret: string} | {mode: 'asymmetric'; publicKey: string}

export class AuthError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message)
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/

function decodeBase64Url(part: string): string {
  for (const ch of part) {
    if (!/[A-Za-z0-9_=-]/.test(ch)) throw new Error(`Illegal base64 character ${ch.charCodeAt(0).toString(16)}`)
  }
  if (!BASE64URL.test(part)) throw new Error('Input byte array has wrong 4-byte ending unit')
  return Buffer.from(part, 'base64url').toString('utf8')
}

function javaInstant(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}

interface DecodeOptions {
  algorithm: 'HS256' | 'RS256'
  key: string | KeyObject
  nowSeconds?: number
}

/** jwt-scala 0.14 style decoding: returns the payload text or throws with the library's reason text. */
export function decodeJwt(token: string, options: DecodeOptions): string {
  const parts = token.split('.')
  // Java's split drops trailing empty strings, so "a.b." has 2 parts.
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  if (parts.length < 2 || parts.length > 3) {
    throw new Error(`Expected token [${token}] to be composed of 2 or 3 parts separated by dots.`)
  }
  const headerText = decodeBase64Url(parts[0])
  const payloadText = decodeBase64Url(parts[1])
  const signature = parts[2] ?? ''
  if (signature === '') throw new Error('No signature found inside the token while trying to verify it with a key.')
  let alg: unknown
  try {
    alg = (JSON.parse(headerText) as {alg?: unknown}).alg
  } catch {
    alg = undefined
  }
  if (typeof alg !== 'string' || alg === 'none' || alg === '') {
    throw new Error('No algorithm found inside the token header while having a key to sign or verify it.')
  }
  const known = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512']
  if (!known.includes(alg)) throw new Error(`The algorithm [${alg}] is not currently supported.`)
  const signingInput = `${parts[0]}.${parts[1]}`
  let valid = false
  if (alg === options.algorithm) {
    let sig: Buffer
    try {
      sig = Buffer.from(signature, 'base64url')
    } catch {
      sig = Buffer.alloc(0)
    }
    if (alg === 'HS256') {
      const expected = createHmac('sha256', options.key as string).update(signingInput).digest()
      valid = expected.length === sig.length && timingSafeEqual(expected, sig)
    } else {
      try {
        const key = typeof options.key === 'string' ? createPublicKey(options.key) : options.key
        valid = cryptoVerify('RSA-SHA256', Buffer.from(signingInput), key, sig)
      } catch {
        valid = false
      }
    }
  }
  if (!valid) throw new Error('Invalid signature for this token or wrong algorithm.')
  const now = options.nowSeconds ?? Date.now() / 1000
  const exp = /"exp" *: *([0-9]+)/.exec(payloadText)
  if (exp && now >= Number(exp[1])) throw new Error(`The token is expired since ${javaInstant(Number(exp[1]))}`)
  const nbf = /"nbf" *: *([0-9]+)/.exec(payloadText)
  if (nbf && Number(nbf[1]) > now) throw new Error(`The token will only be valid after ${javaInstant(Number(nbf[1]))}`)
  return payloadText
}

function javaSplitSlash(target: string): string[] {
  if (target === '') return ['']
  const parts = target.split('/')
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

const INVALID = 'Authentication token is invalid: '

/**
 * Checks the Authorization header for an operation on (name, stage). Resolves when allowed, throws AuthError (3015)
 * otherwise. Mode 'none' allows everything.
 */
export function checkManagementAuth(auth: AuthMode, header: string | undefined, name: string, stage: string, tokenCheck: TokenCheck = 'jwt-scala'): void {
  if (auth.mode === 'none') return
  if (tokenCheck === 'jwt-native-rs' && auth.mode === 'symmetric') {
    checkNativeRs(auth.secret, header, name, stage)
    return
  }
  if (header === undefined) throw new AuthError(`${INVALID}'Authorization' header not provided`, 3015)
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : header
  let payloadText: string
  try {
    payloadText =
      auth.mode === 'symmetric'
        ? decodeJwt(token, {algorithm: 'HS256', key: auth.secret})
        : decodeJwt(token, {algorithm: 'RS256', key: auth.publicKey})
  } catch (error) {
    throw new AuthError(`${INVALID}Token can't be decoded: ${(error as Error).message}`, 3015)
  }
  let payload: unknown
  try {
    payload = JSON.parse(payloadText)
  } catch {
    // The server fails with an internal error here.
    throw new Error('token payload is not JSON')
  }
  const data = payload as {grants?: unknown; exp?: unknown}
  const grantsOk =
    Array.isArray(data.grants) &&
    data.grants.every((g) => g && typeof g === 'object' && typeof (g as {target?: unknown}).target === 'string' && typeof (g as {action?: unknown}).action === 'string')
  if (!grantsOk || typeof data.exp !== 'number' || !Number.isInteger(data.exp)) {
    throw new AuthError(`${INVALID}Failed to parse token data`, 3015)
  }
  if (data.exp * 1000 < Date.now()) throw new AuthError('Authentication token is expired', 3016)
  const grants = data.grants as Array<{target: string; action: string}>
  for (const grant of grants) {
    const parts = javaSplitSlash(grant.target)
    if (parts.length !== 2) throw new AuthError(`${INVALID}Contained invalid grant 'Vector(${parts.join(', ')})'`, 3015)
    const [service, grantStage] = parts
    if (service === '' || grantStage === '') {
      throw new AuthError(`${INVALID}Both service and stage must be defined in grant 'TokenGrant(${grant.target},${grant.action})'`, 3015)
    }
    if ((service === '*' || service === name) && (grantStage === '*' || grantStage === stage)) return
  }
  throw new AuthError(`${INVALID}Token contained ${grants.length} grants but none satisfied the request.`, 3015)
}

/**
 * Service API: any HS256 token signed with one of the secrets and valid exp/nbf passes; no secrets = open. 1.27–1.34.6
 * checked service tokens with libs/jwt-native-rs too (PrismaProdDependencies.scala `auth = JnaAuth(Algorithm.HS256)`),
 * which also refuses a future `iat`.
 */
export function checkServiceToken(secrets: string[], header: string | undefined, tokenCheck: TokenCheck = 'jwt-scala'): boolean {
  if (secrets.length === 0) return true
  if (!header) return false
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : header
  for (const secret of secrets) {
    try {
      if (tokenCheck === 'jwt-native-rs') {
        const claims = decodeNativeRs(token, secret)
        const now = Math.floor(Date.now() / 1000)
        if ((claims.exp !== undefined && claims.exp < now) || (claims.iat !== undefined && claims.iat > now) || (claims.nbf !== undefined && claims.nbf > now)) return false
      } else decodeJwt(token, {algorithm: 'HS256', key: secret})
      return true
    } catch {
      // try the next secret
    }
  }
  return false
}

/** Signs an HS256 JWT (service tokens for generateProjectToken). */
export function signHs256(payload: object, secret: string): string {
  const header = Buffer.from(JSON.stringify({typ: 'JWT', alg: 'HS256'})).toString('base64url')
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
  const sig = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url')
  return `${header}.${body}.${sig}`
}

// -- 1.27–1.34.6: libs/jwt-native-rs (jsonwebtoken 5.0.1 decoding, then validate_claims and Grant::fulfills) --------

/** What jsonwebtoken 5.0.1 calls a base64 error (base64 0.9, URL_SAFE_NO_PAD), or the decoded bytes. */
function rustBase64(part: string): Buffer {
  for (let i = 0; i < part.length; i++) {
    if (!/[A-Za-z0-9_-]/.test(part[i])) throw new Error(`base64 error: Invalid byte ${part.charCodeAt(i)}, offset ${i}.`)
  }
  if (part.length % 4 === 1) throw new Error('base64 error: Encoded text cannot have a 6-bit remainder.')
  return Buffer.from(part, 'base64url')
}

/** serde_json's reading of a JWT part (approximate positions: the end of the text). */
function rustJson(bytes: Buffer): Record<string, unknown> {
  const text = bytes.toString('utf8')
  const at = ` at line 1 column ${text.length}`
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new Error(`JSON error: expected value${at}`)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`JSON error: invalid type: ${rustKind(value)}, expected struct${at}`)
  return value as Record<string, unknown>
}

function rustKind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'sequence'
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`
  if (typeof value === 'boolean') return `boolean \`${value}\``
  if (typeof value === 'number') return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``
  return 'map'
}

const RUST_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512']

interface NativeGrant {
  target: string
  action: string
}

/** Claims { iat, nbf, exp: Option<i64>, grants: Option<Vec<Grant>> } as serde reads them. */
function rustClaims(payload: Record<string, unknown>, length: number): {iat?: number; nbf?: number; exp?: number; grants?: NativeGrant[]} {
  const at = ` at line 1 column ${length}`
  const claims: {iat?: number; nbf?: number; exp?: number; grants?: NativeGrant[]} = {}
  for (const key of ['iat', 'nbf', 'exp'] as const) {
    const value = payload[key]
    if (value === undefined || value === null) continue
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`JSON error: invalid type: ${rustKind(value)}, expected i64${at}`)
    claims[key] = value
  }
  const grants = payload.grants
  if (grants !== undefined && grants !== null) {
    if (!Array.isArray(grants)) throw new Error(`JSON error: invalid type: ${rustKind(grants)}, expected a sequence${at}`)
    claims.grants = grants.map((grant: unknown) => {
      if (!grant || typeof grant !== 'object' || Array.isArray(grant)) throw new Error(`JSON error: invalid type: ${rustKind(grant)}, expected struct Grant${at}`)
      const {target, action} = grant as {target?: unknown; action?: unknown}
      for (const [field, value] of [['target', target], ['action', action]] as const) {
        if (value === undefined) throw new Error(`JSON error: missing field \`${field}\`${at}`)
        if (typeof value !== 'string') throw new Error(`JSON error: invalid type: ${rustKind(value)}, expected a string${at}`)
      }
      return {target: target as string, action: action as string}
    })
  }
  return claims
}

/** jsonwebtoken 5.0.1 `decode` with Validation { validate_exp: false, ..default } (algorithms [HS256]). */
function decodeNativeRs(token: string, secret: string): {iat?: number; nbf?: number; exp?: number; grants?: NativeGrant[]} {
  const last = token.lastIndexOf('.')
  if (last < 0) throw new Error('invalid token')
  const signature = token.slice(last + 1)
  const signingInput = token.slice(0, last)
  const middle = signingInput.lastIndexOf('.')
  if (middle < 0) throw new Error('invalid token')
  const claimsPart = signingInput.slice(middle + 1)
  const header = rustJson(rustBase64(signingInput.slice(0, middle)))
  const alg = header.alg
  if (alg === undefined) throw new Error('JSON error: missing field `alg` at line 1 column 1')
  if (typeof alg !== 'string' || !RUST_ALGORITHMS.includes(alg)) {
    throw new Error(`JSON error: unknown variant \`${String(alg)}\`, expected one of ${RUST_ALGORITHMS.map((a) => `\`${a}\``).join(', ')} at line 1 column 1`)
  }
  let valid = false
  if (alg.startsWith('HS')) {
    const expected = createHmac(`sha${alg.slice(2)}`, secret).update(signingInput).digest('base64url')
    valid = expected === signature
  } else {
    rustBase64(signature)
    valid = false // the secret is no RSA public key (DER): ring's verification fails
  }
  if (!valid) throw new Error('invalid signature')
  if (alg !== 'HS256') throw new Error("algorithms don't match")
  const bytes = rustBase64(claimsPart)
  return rustClaims(rustJson(bytes), bytes.toString('utf8').length)
}

function rustGrant(grant: NativeGrant): string {
  return `Grant { target: ${JSON.stringify(grant.target)}, action: ${JSON.stringify(grant.action)} }`
}

function serviceAndStage(grant: NativeGrant): [string, string] {
  const parts = grant.target.split('/')
  if (parts.length !== 2) throw new AuthError(`Invalid grant target: ${grant.target}, expected format <service name>/<stage>`, 3015)
  return [parts[0], parts[1]]
}

function checkNativeRs(secret: string, header: string | undefined, name: string, stage: string): void {
  // libs/jwt-native/.../Auth.scala extractToken and JnaAuth.scala (errors are capitalized), SchemaBuilder.verifyAuthOrThrow
  if (header === undefined) throw new AuthError("No 'Authorization' header provided.", 3015)
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : header
  let claims
  try {
    claims = decodeNativeRs(token, secret)
  } catch (error) {
    const message = (error as Error).message
    throw new AuthError(message.charAt(0).toUpperCase() + message.slice(1), 3015)
  }
  const now = Math.floor(Date.now() / 1000)
  if (claims.exp !== undefined && claims.exp < now) throw new AuthError('Token is expired.', 3015)
  if (claims.iat !== undefined && claims.iat > now) throw new AuthError('Token is issued in the future (iat).', 3015)
  if (claims.nbf !== undefined && claims.nbf > now) throw new AuthError('Token is not yet valid (nbf in the future).', 3015)
  const required: NativeGrant = {target: `${name}/${stage}`, action: '*'}
  const [requiredService, requiredStage] = serviceAndStage(required)
  for (const grant of claims.grants ?? []) {
    const [service, grantStage] = serviceAndStage(grant)
    const fulfills =
      (service === '*' || service === requiredService) &&
      (grantStage === '*' || grantStage === requiredStage) &&
      (grant.action === '*' || grant.action === required.action)
    if (fulfills) return
  }
  const got = claims.grants === undefined ? 'None' : `Some([${claims.grants.map(rustGrant).join(', ')}])`
  throw new AuthError(`Token grants do not satisfy the request. Got: ${got} Required: Some(${rustGrant(required)})`, 3015)
}
