/**
 * Every GraphQL document the tool sends to a Management API is valid against the stand-in's schema of the servers it
 * is meant for, so that a typo in a query cannot pass silently (the stand-in's schema is the server's).
 */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {parse, validate} from 'graphql'
import * as documents from '../../src/management-api/documents.js'
import {managementSchema} from './management-server.js'

function problems(profile: '1.34' | 'pre-1.5', document: string): string[] {
  return validate(managementSchema(profile), parse(document)).map((e) => e.message)
}

describe('client documents against the stand-in schema', () => {
  const fixed = Object.entries(documents).filter(([, value]) => typeof value === 'string') as Array<[string, string]>

  test('there are documents to check', () => {
    assert.ok(fixed.length >= 5, `found ${fixed.map(([name]) => name).join(', ')}`)
  })

  for (const profile of ['1.34', 'pre-1.5'] as const) {
    test(`fixed documents are valid on a ${profile} server`, () => {
      for (const [name, document] of fixed) assert.deepEqual(problems(profile, document), [], name)
    })
  }

  test('the deploy mutation for a 1.34 server (with and without noMigration)', () => {
    for (const noMigration of [false, true]) {
      const document = documents.deployMutation({force: true, noMigration, payloadSteps: true, relationManifestations: true})
      assert.deepEqual(problems('1.34', document), [])
    }
  })

  test('the deploy mutation for 1.5-1.24 and pre-1.5 servers', () => {
    assert.deepEqual(problems('1.34', documents.deployMutation({force: true, noMigration: false, payloadSteps: false, relationManifestations: false})), [])
    assert.deepEqual(problems('pre-1.5', documents.deployMutation({force: false, noMigration: false, payloadSteps: false, relationManifestations: false})), [])
  })

  test('a 1.34 document is rejected by a pre-1.5 server (the check can fail)', () => {
    const document = documents.deployMutation({force: true, noMigration: true, payloadSteps: true, relationManifestations: true})
    assert.ok(problems('pre-1.5', document).length > 0)
  })
})
