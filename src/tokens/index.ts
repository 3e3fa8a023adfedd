/**
 * JSON Web Tokens for the Management API and for a service's data API, signed with node:crypto (HS256 with a
 * shared secret, RS256 with a legacy PEM private key).
 * Nothing here prints; a key or secret never appears in an error message.
 */
import {createHmac, createPrivateKey, sign as cryptoSign, type KeyObject} from 'node:crypto'

import {CredentialError, FailedError} from '../errors.js'
import {secretInstead} from '../messages.js'

export interface Grant {
  target: string
  action: string
}

export const defaultGrants: readonly Grant[] = Object.freeze([Object.freeze({action: '*', target: '*/*'})])
/** One hour: a token printed by `cluster-token` should not outlive the task it was made for. */
export const defaultManagementTokenSeconds = 60 * 60
/** Seven days, as the original `prisma token`. */
export const defaultServiceTokenSeconds = 7 * 24 * 60 * 60

export type JwtAlgorithm = 'HS256' | 'RS256'

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url')
}

function signingInput(payload: object, alg: JwtAlgorithm): string {
  return `${base64url(JSON.stringify({alg, typ: 'JWT'}))}.${base64url(JSON.stringify(payload))}`
}

/** A compact JWS with `{"alg":"HS256","typ":"JWT"}` over `payload` (serialised as given). */
export function signHs256(payload: object, secret: string): string {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new CredentialError('Cannot sign a token with an empty secret.')
  }

  const input = signingInput(payload, 'HS256')
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

/**
 * A compact JWS with `{"alg":"RS256","typ":"JWT"}`. `keyOwner` names where the key came from (a cluster of
 * ~/.prisma/config.yml) so that an unusable key is reported against it, never by its content.
 */
export function signRs256(payload: object, privateKeyPem: string, keyOwner: string): string {
  const key = rsaSigningKey(privateKeyPem, keyOwner)
  const input = signingInput(payload, 'RS256')
  return `${input}.${cryptoSign('sha256', Buffer.from(input), key).toString('base64url')}`
}

/** Checks a PEM private key for RS256: RSA, at least 2048 bits. */
export function rsaSigningKey(privateKeyPem: string, keyOwner: string): KeyObject {
  const unusable = (problem: string, advice: string, cause?: unknown) =>
    new UnusableKeyError(`the clusterSecret of ${keyOwner} ${problem}`, advice, cause)
  if (typeof privateKeyPem !== 'string' || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKeyPem)) {
    throw unusable(
      'is not a PEM private key ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----")',
      `so no RS256 token can be signed with it. Replace it with the RSA private key that matches the server, or remove it and ${secretInstead}.`,
    )
  }

  let key: KeyObject
  try {
    key = createPrivateKey({format: 'pem', key: privateKeyPem})
  } catch (error) {
    throw unusable(
      `could not be read as a PEM private key (${(error as Error).message.split('\n')[0]})`,
      `so no RS256 token can be signed with it. Replace it with an unencrypted RSA private key in PEM format, or remove it and ${secretInstead}.`,
      error,
    )
  }

  if (key.asymmetricKeyType !== 'rsa') {
    throw unusable(
      `is a${key.asymmetricKeyType === 'ec' || key.asymmetricKeyType === 'ed25519' ? 'n' : ''} ${(key.asymmetricKeyType ?? 'unknown').toUpperCase()} key; RS256 needs an RSA private key`,
      `Replace it with the RSA private key that matches the server, or remove it and ${secretInstead}.`,
    )
  }

  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < 2048) {
    throw unusable(
      `is an RSA key of ${bits} bits; RS256 needs at least 2048 bits`,
      `Generate a new key (openssl genrsa 2048) and configure the server with its public key, or ${secretInstead}.`,
    )
  }

  return key
}

/** A legacy key that cannot sign RS256: `problem` says why in words (never the key), the message adds the fix. */
export class UnusableKeyError extends CredentialError {
  constructor(
    readonly problem: string,
    advice: string,
    cause?: unknown,
  ) {
    // the advice either continues the sentence ("so no RS256 token ...") or starts a new one
    const text = `${problem.charAt(0).toUpperCase()}${problem.slice(1)}${advice.startsWith('so ') ? ', ' : '. '}${advice}`
    super(text, {cause})
  }
}

/** A grant target must be `<service>/<stage>`: two non-empty segments, each a name or `*`. */
export function checkGrantTarget(target: string): string {
  const parts = target.split('/')
  if (parts.length !== 2 || parts.some((part) => part.trim() === '' || /\s/.test(part))) {
    throw new FailedError(
      `"${target}" is not a valid grant target. Use <service>/<stage> (for example my-service/dev, my-service/* or ` +
        '*/*); for a service in a workspace the service part is <workspace>~<service>.',
    )
  }

  return target
}

export type ManagementCredential =
  | {algorithm: 'HS256'; secret: string}
  | {algorithm: 'RS256'; cluster: string; privateKey: string}

export interface SignOptions {
  expiresInSeconds?: number
  /** Seconds since the epoch; default now. */
  now?: number
}

/** A token with what was signed into it, so that nobody has to decode a token the tool has just made. */
export interface SignedToken<Claims, Algorithm extends JwtAlgorithm = JwtAlgorithm> {
  token: string
  algorithm: Algorithm
  claims: Claims
}

export interface ManagementClaims {
  grants: Grant[]
  iat: number
  exp: number
}

export interface ServiceClaims {
  data: {service: string; roles: string[]}
  iat: number
  exp: number
}

function nowSeconds(now?: number): number {
  return now ?? Math.floor(Date.now() / 1000)
}

/** A Management API token: `{grants, iat, exp}`, default grant `*∕*` for any action, default lifetime one hour. */
export function signManagementToken(
  credential: ManagementCredential,
  options: SignOptions & {grants?: Grant[]} = {},
): SignedToken<ManagementClaims> {
  const iat = nowSeconds(options.now)
  // the original's claim order: grants, iat, exp
  const claims: ManagementClaims = {
    grants: (options.grants ?? defaultGrants).map(({target, action}) => ({target, action})),
    iat,
    exp: iat + (options.expiresInSeconds ?? defaultManagementTokenSeconds),
  }
  const token =
    credential.algorithm === 'HS256'
      ? signHs256(claims, credential.secret)
      : signRs256(claims, credential.privateKey, `cluster "${credential.cluster}" in ~/.prisma/config.yml`)
  return {algorithm: credential.algorithm, claims, token}
}

/** A service token for the data API: `{data: {service: "svc@stage", roles: ["admin"]}, iat, exp}`, HS256. */
export function signServiceToken(o: SignOptions & {secret: string; service: string; stage: string}): SignedToken<ServiceClaims, 'HS256'> {
  const iat = nowSeconds(o.now)
  const claims: ServiceClaims = {
    data: {service: `${o.service}@${o.stage}`, roles: ['admin']},
    iat,
    exp: iat + (o.expiresInSeconds ?? defaultServiceTokenSeconds),
  }
  return {algorithm: 'HS256', claims, token: signHs256(claims, o.secret)}
}

/** Header and payload of a JWT, read WITHOUT checking the signature (for display and expiry checks only). */
export function decodeJwtUnverified(token: string): {header: Record<string, unknown>; payload: Record<string, unknown>} | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'))
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    if (!header || typeof header !== 'object' || !payload || typeof payload !== 'object') return undefined
    return {header, payload}
  } catch {
    return undefined
  }
}
