// The tests check every token the tool signs with jsonwebtoken, the JWT library Prisma 1 itself signed with, so a
// token passes only if that library accepts its header, signature and expiry.
import assert from 'node:assert/strict'
import type {KeyObject} from 'node:crypto'

import jwt from 'jsonwebtoken'

export interface Verified {
  header: jwt.JwtHeader
  payload: jwt.JwtPayload
}

/**
 * Verifies an HS256 token with the secret or an RS256 token with the public key (PEM or key object), at `now`
 * (seconds; the current time unless given), and returns its header and payload. Every token the tool signs expires.
 */
export function verifyJwt(token: string, key: {secret: string} | {publicKey: KeyObject | string}, now?: number): Verified {
  const [secretOrKey, algorithm] = 'secret' in key ? [key.secret, 'HS256' as const] : [key.publicKey, 'RS256' as const]
  const {header, payload} = jwt.verify(token, secretOrKey, {algorithms: [algorithm], complete: true, clockTimestamp: now})
  assert.ok(typeof payload === 'object', 'the payload is a JSON object')
  assert.ok(Number.isInteger(payload.exp), 'the token has an integer exp')
  return {header, payload}
}
