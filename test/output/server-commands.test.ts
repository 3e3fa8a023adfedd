// The texts of the server commands: the original's table layout, the delete answer rule, the migrations listing.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {colorsFor} from '../../src/output/colors.js'
import {formatMigrations} from '../../src/output/migrations.js'
import {confirms} from '../../src/actions/shared.js'
import {formatServiceList, linkNotes} from '../../src/output/services.js'
import {formatTable} from '../../src/output/table.js'
import type {MigrationHistory} from '../../src/actions/migrations.js'

const noColors = colorsFor({}, {})

describe('formatTable', () => {
  test('columns as wide as their widest cell or header, two spaces apart, a rule per header, no trailing spaces', () => {
    assert.equal(
      formatTable(['Service Name', 'Stage', 'Server'], [['my-service', 'dev', 'prisma-eu1'], ['other', 'staging', 'my-private-cluster']]),
      'Service Name  Stage    Server\n────────────  ───────  ──────────────────\nmy-service    dev      prisma-eu1\nother         staging  my-private-cluster',
    )
  })

  test('an empty last cell leaves no trailing spaces; no rows gives header and rule', () => {
    assert.equal(formatTable(['A', 'B'], [['x', '']]), 'A  B\n─  ─\nx')
    assert.equal(formatTable(['A'], []), 'A\n─')
  })

  test('list: the original\'s line for no services', () => {
    assert.equal(formatServiceList({services: []}), 'No deployed service found')
  })
})

describe('delete confirmation', () => {
  test('only an answer starting with y (any case, spaces around) deletes', () => {
    for (const answer of ['y', 'Y', 'yes', ' YES ', 'yep']) assert.equal(confirms(answer), true, answer)
    for (const answer of ['', 'n', 'no', 'N', 'x', 'ok', 'sure']) assert.equal(confirms(answer), false, answer)
  })
})

describe('admin and playground notes', () => {
  const link = {browserUrl: 'u?token=t', secured: true, service: 's', stage: 'd', url: 'u'}
  test('a secured Prisma Admin opened in the browser: the token went with it; not opened, it says how to add the token', () => {
    assert.deepEqual(linkNotes(link, 'admin', true), ['The browser got the address with a service token (valid for one day).'])
    assert.match(linkNotes(link, 'admin', false).join('\n'), /\?token=<token>.*prisma token\.\nNo browser was opened/s)
    assert.deepEqual(linkNotes({...link, secured: false}, 'playground', true), [])
  })
})

describe('formatMigrations', () => {
  const history: MigrationHistory = {
    current: 4,
    migrations: [
      {applied: 0, current: false, errors: [], finishedAt: null, revision: 5, rolledBack: 0, startedAt: null, status: 'PENDING', steps: 1},
      {applied: 1, current: true, errors: [], finishedAt: null, revision: 4, rolledBack: 0, startedAt: '2026-01-02T03:04:05.678Z', status: 'IN_PROGRESS', steps: 3},
      {
        applied: 1,
        current: false,
        errors: ['java.lang.RuntimeException: boom\n\tat a.b(C.scala:1)', 'second failure'],
        finishedAt: '2026-01-01T00:00:01.000Z',
        revision: 3,
        rolledBack: 1,
        startedAt: '2026-01-01T00:00:00.000Z',
        status: 'ROLLBACK_SUCCESS',
        steps: 2,
      },
    ],
    server: 'local',
    service: 'app',
    stage: 'dev',
    total: 7,
  }

  test('the table, the marked migration, first error lines and how many are shown', () => {
    assert.equal(
      formatMigrations(history, noColors),
      [
        'Migrations of service `app`, stage `dev` on server `local`, newest first:',
        '',
        'Revision  Status            Steps  Started                   Finished',
        '────────  ────────────────  ─────  ────────────────────────  ────────────────────────',
        '5         PENDING           0/1    -                         -',
        '4 *       IN_PROGRESS       1/3    2026-01-02T03:04:05.678Z  -',
        '3         ROLLBACK_SUCCESS  1/2    2026-01-01T00:00:00.000Z  2026-01-01T00:00:01.000Z',
        '',
        '* The server is working on revision 4 (IN_PROGRESS, 1 of 3 steps applied). Until it has finished, deploys to this stage are refused as "deployment in progress" (code 4008).',
        '',
        'Errors of revision 3 (ROLLBACK_SUCCESS):',
        '  java.lang.RuntimeException: boom',
        '  second failure',
        '',
        '3 of 7 migrations shown (--limit).',
      ].join('\n'),
    )
  })

  test('the migration the server works on is older than those shown: said in words', () => {
    const newest = {...history, current: 2, migrations: history.migrations.slice(0, 1)}
    assert.match(formatMigrations(newest, noColors), /The server is working on revision 2, which is not among those shown\./)
  })
})
