// What every failure of the CLI must look like: an exit code, a short readable message on stderr, no stack trace,
// no internal error names, nothing that looks like a crash. Shared by the hardening tests.
import assert from 'node:assert/strict'

import type {CliResult} from '../helpers/cli.js'

const stackLine = /^\s+at (?:.+ \()?(?:file:\/\/|node:|\/|[A-Za-z]:\\).*:\d+(?::\d+)?\)?\s*$/m
// (a Node error code in parentheses after a readable sentence is fine: it helps searching)
const internalNames = /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|AssertionError|UnhandledPromiseRejection)\b|^\s*\(?ERR_[A-Z_]{3,}/m
const crashWords = /Unexpected error|undefined is not|Cannot read propert|is not a function|\[object Object\]|Maximum call stack/

export function assertCleanFailure(result: CliResult, o: {usage?: boolean; context?: string; maxLength?: number; stdoutEmpty?: boolean} = {}): void {
  const context = o.context ?? `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
  const stderr = result.stderr.trim()
  assert.ok(stderr.length > 0, `a failure says something on stderr\n${context}`)
  assert.doesNotMatch(result.stderr, stackLine, `no stack trace\n${context}`)
  assert.doesNotMatch(result.stdout, stackLine, `no stack trace on stdout\n${context}`)
  assert.doesNotMatch(result.stderr, crashWords, `no crash\n${context}`)
  if (!o.usage) {
    assert.doesNotMatch(result.stderr, internalNames, `no internal error names\n${context}`)
    assert.ok(stderr.length <= (o.maxLength ?? 2500), `one short message, not ${stderr.length} characters\n${context}`)
  }

  if (o.stdoutEmpty) assert.equal(result.stdout, '', `nothing on stdout\n${context}`)
}

export interface KnownSecrets {
  managementSecret: string
  wrongManagementSecret: string
  serviceSecret: string
  sessionKey: string
  privateKeyPem: string
}

const jwtShape = /eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}/g

/**
 * Every place a secret shows in a run's output: the management secrets, the service secret, the session key, the
 * private key (whole, or any line of its base64 body) and any JWT-shaped string. `printedToken` is the token a token
 * command was asked to print: it may appear on stdout (and only there).
 */
export function findLeaks(result: {stdout: string; stderr: string}, secrets: KnownSecrets, printedToken?: string): string[] {
  const hits: string[] = []
  const keyLines = secrets.privateKeyPem
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('-----'))
  const named: Array<[string, string]> = [
    ['management secret', secrets.managementSecret],
    ['wrong management secret', secrets.wrongManagementSecret],
    ['service secret', secrets.serviceSecret],
    ['cloud session key', secrets.sessionKey],
    ['private key header', '-----BEGIN RSA PRIVATE KEY-----'],
    ...keyLines.map((line, index): [string, string] => [`private key line ${index + 1}`, line]),
  ]
  for (const [stream, raw] of [['stdout', result.stdout], ['stderr', result.stderr]] as const) {
    const text = stream === 'stdout' && printedToken ? raw.split(printedToken).join('<printed token>') : raw
    for (const [what, value] of named) {
      if (value.length >= 8 && text.includes(value)) hits.push(`${what} on ${stream}`)
    }

    // also the secrets in the encodings a careless log line would use
    for (const [what, value] of named.slice(0, 4)) {
      for (const encoded of [Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url'), encodeURIComponent(value)]) {
        if (encoded !== value && encoded.length >= 12 && text.includes(encoded)) hits.push(`${what} (encoded) on ${stream}`)
      }
    }

    for (const match of text.matchAll(jwtShape)) hits.push(`a JWT on ${stream}: ${match[0].slice(0, 24)}…`)
  }

  return hits
}
