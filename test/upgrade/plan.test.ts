/**
 * The pure part of prisma upgrade (src/upgrade): how a datamodel becomes a layout and the files' text, checked
 * against the layout spec's rules without a database.
 */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {generatedRelationName as serverRelationName} from '../stand-in/datamodel.js'
import {buildLayout, generatedRelationName} from '../../src/upgrade/layout.js'
import {DatamodelProblems, planUpgrade, projectId, readDatamodel} from '../../src/upgrade/index.js'

const read = (text: string, connector: 'postgres' | 'mysql' = 'postgres') => readDatamodel(text, {connector, source: 'datamodel.prisma'})

describe('src/upgrade', () => {
  test('relation names are generated and cut at 54 characters as the server does', () => {
    const pairs: Array<[string, string]> = [
      ['Post', 'User'],
      ['VeryLongTypeNameForTheFirstSideOfARelation', 'AnotherQuiteLongTypeNameOnTheOtherSide'],
      ['A'.repeat(40), 'B'.repeat(40)],
      ['Short', 'X'.repeat(60)],
    ]
    for (const [a, b] of pairs) {
      const [first, second] = [a, b].sort()
      assert.equal(generatedRelationName(first, second), serverRelationName(first, second), `${a}/${b}`)
    }
  })

  test('the project id: $ on PostgreSQL, @ on MySQL, the workspace and defaults', () => {
    assert.equal(projectId({connector: 'postgres', service: 'shop', stage: 'dev'}), 'shop$dev')
    assert.equal(projectId({connector: 'mysql', service: 'shop', stage: 'dev'}), 'shop@dev')
    assert.equal(projectId({connector: 'postgres', service: 'shop', stage: 'dev', workspace: 'team'}), 'team~shop$dev')
    assert.equal(projectId({connector: 'postgres', service: '', stage: ''}), 'default$default')
  })

  test('datamodel version: 1.1 directives decide; link: alone does not', async () => {
    assert.equal((await read('type User {\n  id: ID! @id\n}\n')).version, '1.1')
    assert.equal((await read('type User {\n  id: ID! @unique\n  p: Profile @relation(link: INLINE)\n}\ntype Profile {\n  id: ID! @unique\n  u: User\n}\n')).version, '1.0')
  })

  test('side A is the type that sorts first, a self relation\'s field that sorts first; inline on the single side', async () => {
    const datamodel = await read(`type User {
  id: ID! @id
  posts: [Post]
  zFollows: [User] @relation(name: "Follows")
  aFollowers: [User] @relation(name: "Follows")
}
type Post {
  id: ID! @id
  author: User
}
`)
    const layout = buildLayout(datamodel, 'postgres')
    const posts = layout.relations.find((relation) => relation.name === 'PostToUser')!
    assert.equal(posts.a.model, 'Post')
    assert.deepEqual(posts.storage, {column: 'author', holder: 'A', kind: 'inline'})
    const follows = layout.relations.find((relation) => relation.name === 'Follows')!
    assert.equal(follows.a.field, 'aFollowers')
    assert.deepEqual(follows.storage, {idColumn: false, kind: 'table', table: '_Follows'})
  })

  test('MySQL: text types, prefix uniques, char ids; the upgraded schema has native enums', async () => {
    const datamodel = await read('enum Role {\n  A\n  B\n}\ntype User {\n  id: ID! @id\n  email: String! @unique\n  role: Role\n  data: Json\n}\n', 'mysql')
    const plan = planUpgrade({connector: 'mysql', datamodel, service: 'shop', source: 'datamodel.prisma', stage: 'dev'})
    const schema = plan.files.find((file) => file.name === 'schema.prisma')!.text
    assert.match(schema, /email +String @db\.MediumText @unique\(length: 191\)/)
    assert.match(schema, /role +String\? @db\.VarChar\(191\)/)
    assert.match(schema, /id +String @id @default\(cuid\(\)\) @db\.Char\(25\)/)
    const upgraded = plan.files.find((file) => file.name === 'schema.upgraded.prisma')!.text
    assert.match(upgraded, /enum Role \{\n {2}A\n {2}B\n\}/)
    assert.match(upgraded, /role +Role\?/)
    assert.match(upgraded, /data +Json\?/)
  })

  test('problems the server would refuse are all reported at once (a datamodel 1.0 here: no @id needed)', async () => {
    await assert.rejects(
      read('type user {\n  Name: String\n  tags: [String]\n  ref: Ghost\n}\n'),
      (error: unknown) => error instanceof DatamodelProblems && error.problems.length === 3,
    )
  })
})
