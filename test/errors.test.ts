// The error kinds: each fixes its code and exit code when it is thrown, and nothing changes them afterwards.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {
  AuthError,
  ConfigError,
  CredentialError,
  DataError,
  DeployError,
  type ErrorCode,
  FailedError,
  GenerateError,
  InContextError,
  InterruptedError,
  NeedsTerminalError,
  NotFoundError,
  ProjectError,
  ServerAnswerError,
  TimeoutError,
  UsageError,
  type UserError,
} from '../src/errors.js'
import {ServerError} from '../src/http/graphql.js'

describe('error kinds', () => {
  test('each kind has its code and exit code (the public contract of the error document)', () => {
    const kinds: Array<[UserError, ErrorCode, number]> = [
      [new UsageError('m'), 'USAGE', 2],
      [new ProjectError('m'), 'PROJECT_INVALID', 1],
      [new ConfigError('m'), 'CONFIG_INVALID', 1],
      [new CredentialError('m'), 'NO_CREDENTIAL', 1],
      [new AuthError('m'), 'AUTH_FAILED', 1],
      [new ServerError('m', {kind: 'unreachable', url: 'http://localhost:4466/management'}), 'SERVER_UNREACHABLE', 1],
      [new ServerError('m', {kind: 'graphql', url: 'http://localhost:4466/management'}), 'SERVER_ERROR', 1],
      [new ServerAnswerError('m'), 'SERVER_ERROR', 1],
      [new NeedsTerminalError('m'), 'NEEDS_TERMINAL', 1],
      [new NotFoundError('m'), 'NOT_FOUND', 1],
      [new DeployError('m'), 'DEPLOY_FAILED', 1],
      [new GenerateError('m'), 'GENERATE_FAILED', 1],
      [new DataError('m'), 'DATA_FAILED', 1],
      [new TimeoutError('m'), 'TIMEOUT', 1],
      [new FailedError('m'), 'FAILED', 1],
      [new InterruptedError(), 'INTERRUPTED', 130],
      [new InterruptedError('Stopped.', 'SIGTERM'), 'INTERRUPTED', 143],
    ]
    for (const [error, code, exitCode] of kinds) {
      assert.deepEqual({code: error.code, exitCode: error.exitCode}, {code, exitCode}, error.name)
      assert.equal(error.text, error.message)
    }

    assert.equal(new ProjectError('m').name, 'ProjectError')
  })

  test('code and exit code cannot be changed after the throw', () => {
    const error = new ProjectError('prisma.yml is broken')
    assert.throws(() => {
      ;(error as {code: string}).code = 'FAILED'
    }, TypeError)
    assert.throws(() => {
      ;(error as {exitCode: number}).exitCode = 2
    }, TypeError)
    assert.equal(error.code, 'PROJECT_INVALID')
    assert.equal(error.exitCode, 1)
  })

  test('an error told in the context of a step keeps the kind, exit code and cause of what broke it', () => {
    const cause = new ServerError('Could not connect to the server at http://localhost:4466/svc/dev', {kind: 'unreachable', url: 'http://localhost:4466/svc/dev'})
    const error = new InContextError(`Sending operation 1 of 2 failed: ${cause.text}`, cause, {details: {operationsApplied: 0}})
    assert.equal(error.code, 'SERVER_UNREACHABLE')
    assert.equal(error.exitCode, 1)
    assert.equal(error.cause, cause)
    assert.deepEqual(error.details, {operationsApplied: 0})
    const usage = new InContextError('While reading --target: bad', new UsageError('bad'))
    assert.deepEqual({code: usage.code, exitCode: usage.exitCode}, {code: 'USAGE', exitCode: 2})
  })
})
