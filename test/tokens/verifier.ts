// An independent JWT verifier for the tests: written against RFC 7515/7519 with node:crypto only, sharing no code
// with src/tokens. It checks the header, the signature and the time claims.
import {createHmac, createPublicKey, timingSafeEqual, verify, type KeyLike} from 'node:crypto'

export interface Verified {
  header: Record<string, unknown>
  payload: Record<string, unknown>
}

function decodePart(part: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) throw new Error(`not base64url: ${part}`)
  return JSON.parse(Buffer.from(part.replaceAll('-', '+').replaceAll('_', '/'), 'base64').toString('utf8'))
}

export function verifyJwt(token: string, key: {secret: string} | {publicKey: KeyLike}, now = Math.floor(Date.now() / 1000)): Verified {
  const parts = token.split('.')
  if (parts.length !== 3) throw new Error('a JWS has three parts')
  const [head, body, signature] = parts
  const header = decodePart(head)
  const payload = decodePart(body)
  const signed = Buffer.from(`${head}.${body}`, 'ascii')
  const given = Buffer.from(signature.replaceAll('-', '+').replaceAll('_', '/'), 'base64')
  if ('secret' in key) {
    if (header.alg !== 'HS256') throw new Error(`unexpected alg ${String(header.alg)}`)
    const expected = createHmac('sha256', Buffer.from(key.secret, 'utf8')).update(signed).digest()
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new Error('invalid signature')
  } else {
    if (header.alg !== 'RS256') throw new Error(`unexpected alg ${String(header.alg)}`)
    const publicKey = typeof key.publicKey === 'string' ? createPublicKey(key.publicKey) : key.publicKey
    if (!verify('RSA-SHA256', signed, publicKey, given)) throw new Error('invalid signature')
  }

  if (typeof payload.exp !== 'number' || !Number.isInteger(payload.exp)) throw new Error('exp missing or not an integer')
  if (payload.exp <= now) throw new Error('expired')
  return {header, payload}
}
