import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import type {MigrationStep} from '../../src/management-api/types.js'
import {colorLevel, colorsFor} from '../../src/output/colors.js'
import {formatEndpoints, formatProblems, hasAdmin, prettyTime} from '../../src/output/deploy.js'
import {plainProgress} from '../../src/output/progress.js'
import {formatFieldType, stepLines} from '../../src/output/steps.js'

const c = colorsFor({}, {})
const formatSteps = (steps: MigrationStep[], colors: typeof c) => [...stepLines(steps, colors)]

describe('step listing', () => {
  test('types grouped by model in order of first appearance, then enums, then relations', () => {
    const steps: MigrationStep[] = [
      {model: 'Post', name: 'title', type: 'DeleteField'},
      {name: 'Old', type: 'DeleteModel'},
      {isList: true, isRequired: false, isUnique: true, model: 'User', name: 'tags', type: 'UpdateField'},
      {enum: 'Role', model: 'Post', name: 'kind', type: 'UpdateField'},
      {name: 'User', type: 'UpdateModel', um_newName: 'Person'},
      {ce_values: ['A', 'B'], name: 'Role', type: 'CreateEnum'},
      {name: 'User', type: 'CreateModel'},
      {cf_isList: false, cf_isRequired: true, cf_typeName: 'ID', model: 'User', name: 'id', type: 'CreateField'},
      {cf_isList: true, cf_isRequired: false, cf_typeName: 'Post', model: 'User', name: 'posts', type: 'CreateField'},
      {cf_isList: false, cf_isRequired: false, cf_typeName: 'Enum', model: 'User', name: 'role', type: 'CreateField'},
      {after: {table: '_PostToUser', type: 'LinkTable'}, leftModel: 'Post', name: 'PostToUser', rightModel: 'User', type: 'CreateRelation'},
      {after: {column: 'author', model: 'Post', type: 'Inline'}, leftModel: 'Post', name: 'Authors', rightModel: 'User', type: 'CreateRelation'},
      {name: 'Legacy', type: 'CreateRelation'},
      {name: 'Gone', type: 'DeleteRelation'},
      {name: 'Color', type: 'UpdateEnum'},
      {name: 'Size', type: 'DeleteEnum'},
      {message: 'Secrets have been updated.', type: 'UpdateSecrets'} as MigrationStep,
    ]
    assert.deepEqual(formatSteps(steps, c), [
      '\n  Post (Type)',
      '  - Deleted field `title`',
      '  ~ Updated field `kind`. It now uses enum Role.',
      '\n  Old (Type)',
      '  - Deleted type `Old`',
      '\n  User (Type)',
      '  ~ Updated field `tags`. It is not required anymore, became a list, became unique.',
      '  + Created type `User`',
      '  + Created field `id` of type `ID!`',
      '  + Created field `posts` of type `[Post!]!`',
      '  + Created field `role` of type `Enum`',
      '\n  Role (Enum)',
      '  + Created enum Role with values `A`, `B`',
      '\n  Color (Enum)',
      '  ~ Updated enum Color',
      '\n  Size (Enum)',
      '  - Deleted enum Size',
      '\n  PostToUser (Relation)',
      '  + Link Table `_PostToUser` between `Post` and `User` has been created',
      '\n  Authors (Relation)',
      '  + Created an inline relation between `Post` and `User` in the column `author` of table `Post`',
      '\n  Legacy (Relation)',
      '\n  Gone (Relation)',
      '  - Deleted relation `Gone`',
    ])
  })

  test('relation updates between link tables and inline relations', () => {
    const lines = formatSteps(
      [
        {before: {table: '_AToB', type: 'LinkTable'}, type: 'UpdateRelation', ur_after: {column: 'b', model: 'A', type: 'Inline'}, ur_name: 'AToB'},
        {before: {column: 'b', model: 'A', type: 'Inline'}, type: 'UpdateRelation', ur_after: {table: '_X', type: 'LinkTable'}, ur_name: 'X', ur_newName: 'Y'},
        {before: {idColumn: 'id', table: '_Z', type: 'LinkTable'}, type: 'UpdateRelation', ur_after: {idColumn: null, table: '_Z', type: 'LinkTable'}, ur_name: 'Z'},
        {type: 'UpdateRelation', ur_name: 'NoManifestations'},
      ],
      c,
    )
    assert.deepEqual(lines, [
      '\n  AToB (Relation)',
      '  - Link Table `_AToB` has been removed',
      '  + Created an inline relation in the column `b` of table `A`',
      '\n  Y (Relation)',
      '  - Removed an inline relation in the column `b` of table `A`',
      '  + Link Table `_X` has been created',
      '\n  Z (Relation)',
      '  - The id column `id` in link table `_Z` has been removed.\n    It was a Prisma legacy column that is not in use anymore.',
    ])
  })

  test('field types', () => {
    assert.equal(formatFieldType('String', true, false), 'String!')
    assert.equal(formatFieldType('String', false, false), 'String')
    assert.equal(formatFieldType('Int', false, true), '[Int!]!')
  })

  test('colours: symbols and names are coloured only when asked for', () => {
    const coloured = colorsFor({isTTY: true}, {})
    const [line] = formatSteps([{name: 'User', type: 'CreateModel'}], coloured).slice(1)
    assert.ok(line.includes('\u001B[32m+\u001B[39m'), JSON.stringify(line))
    assert.ok(line.includes('`\u001B[1mUser\u001B[22m`'))
    assert.ok(!formatSteps([{name: 'User', type: 'CreateModel'}], c).join('').includes('\u001B'))
  })
})

describe('colour level', () => {
  test('NO_COLOR, FORCE_COLOR, pipes and dumb terminals', () => {
    assert.equal(colorLevel({isTTY: true}, {}), 1)
    assert.equal(colorLevel({isTTY: true}, {NO_COLOR: '1'}), 0)
    assert.equal(colorLevel({isTTY: false}, {}), 0)
    assert.equal(colorLevel({isTTY: true}, {TERM: 'dumb'}), 0)
    assert.equal(colorLevel({isTTY: false}, {FORCE_COLOR: '1'}), 1)
    assert.equal(colorLevel({isTTY: true}, {FORCE_COLOR: '0'}), 0)
  })
})

describe('result texts', () => {
  test('errors grouped by type with bold quoted parts', () => {
    const lines = formatProblems(
      [
        {description: 'One field of the type `User` must be marked as the id field with the `@id` directive.', type: 'User'},
        {description: 'Second.', type: 'Post'},
        {description: 'Third.', type: 'User'},
      ],
      'errors',
      c,
    )
    assert.deepEqual(lines, [
      '\nErrors:',
      '\n  User',
      '    ✖ One field of the type `User` must be marked as the id field with the `@id` directive.',
      '    ✖ Third.',
      '\n  Post',
      '    ✖ Second.',
    ])
    const bold = formatProblems([{description: 'a `b` c', type: 'T'}], 'warnings', colorsFor({isTTY: true}, {}))
    assert.ok(bold[2].includes('a `\u001B[1mb\u001B[22m` c'))
  })

  test('warnings use the ! bullet', () => {
    assert.deepEqual(formatProblems([{description: 'Data loss.', type: 'Post'}], 'warnings', c), ['\nWarnings:', '\n  Post', '    ! Data loss.'])
  })

  test('elapsed time as the original prints it', () => {
    assert.equal(prettyTime(412), '412ms')
    assert.equal(prettyTime(1149), '1.1s')
  })

  test('endpoints, with the admin link from server 1.29 on', () => {
    const endpoints = {http: 'http://localhost:4466/svc/dev', ws: 'ws://localhost:4466/svc/dev'}
    assert.equal(
      formatEndpoints(endpoints, '1.34.12'),
      '\nYour Prisma endpoint is live:\n\n  HTTP:  http://localhost:4466/svc/dev\n  WS:    ws://localhost:4466/svc/dev\n\nYou can view & edit your data here:\n\n  Prisma Admin: http://localhost:4466/svc/dev/_admin\n',
    )
    assert.ok(!formatEndpoints(endpoints, '1.28.3').includes('Admin'))
    assert.ok(!formatEndpoints(endpoints, undefined).includes('Admin'))
    assert.equal(hasAdmin('1.29.0-beta'), true)
    assert.equal(hasAdmin('2.0.0'), true)
    assert.equal(hasAdmin('local'), false)
  })
})

describe('plain progress', () => {
  test('reproduces the non-TTY transcript of the original', () => {
    let out = ''
    const progress = plainProgress((text) => (out += text))
    progress.start('Creating stage dev for service svc')
    progress.stop()
    progress.start('Deploying service `svc`')
    progress.stop('412ms')
    progress.log('\nChanges:')
    progress.start('Applying changes', '(0/3)')
    progress.status('(0/3)')
    progress.status('(3/3)')
    progress.stop('1.1s')
    progress.start('Running hook')
    progress.log('output while running')
    assert.equal(
      out,
      '\nCreating stage dev for service svc... ✔\n' +
        '\nDeploying service `svc`... 412ms\n' +
        '\nChanges:\n' +
        '\nApplying changes... (0/3)' +
        '\nApplying changes... (3/3)' +
        '\nApplying changes... 1.1s\n' +
        '\nRunning hook...\noutput while running\n',
    )
  })
})
