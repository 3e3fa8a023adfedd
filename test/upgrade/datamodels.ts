/**
 * Datamodels whose Prisma 1 databases the upgrade tests build: the fixtures, the datamodels of the generate and data
 * conformance suites, and one per construct of the layout spec (both datamodel versions, every scalar type, enums,
 * Json, scalar lists, 1-1/1-n/m-n, inline and table relations, named, self and one-sided relations, @db names,
 * sequence, Int and UUID ids).
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {shopModel} from '../data/fixtures.js'
import {everythingRelational} from '../generate/datamodels.js'
import {repoRoot} from '../helpers/cli.js'
import type {CaseResult} from './harness.js'

export interface DatamodelFixture {
  name: string
  datamodel: string
  /** The connectors the case runs on (default both). */
  connectors?: Array<'postgres' | 'mysql'>
  /** The datamodel the database was first deployed with, when it differs (a 1.0 database redeployed with 1.1). */
  databaseDatamodel?: string
  /** Relation tables whose A column references the type that sorts second, as after a rename. */
  swapped?: string[]
  /** Extra arguments of prisma upgrade; DATABASE_URL stands for the URL of the case's database. */
  args?: string[]
  /** More assertions on the files written. */
  check?: (result: CaseResult, kind: 'postgres' | 'mysql') => void
}

const fixture = (path: string) => readFileSync(join(repoRoot, 'fixtures', path), 'utf8')

/** The datamodel of the data conformance suite (test/conformance/data-original.test.ts). */
const dataConformance = `type User {
  id: ID! @id
  email: String! @unique
  name: String
  role: Role @default(value: READER)
  tags: [String] @scalarList(strategy: RELATION)
  posts: [Post]
  groups: [Group]
  createdAt: DateTime! @createdAt
}
enum Role { READER WRITER }
type Post {
  id: ID! @id
  title: String!
  published: Boolean! @default(value: false)
  author: User! @relation(link: INLINE)
}
type Group {
  id: ID! @id
  name: String! @unique
  members: [User]
}
`

export const datamodels: DatamodelFixture[] = [
  {datamodel: fixture('demo/datamodel.prisma'), name: 'fixture demo'},
  {datamodel: fixture('demo/datamodel.v2.prisma'), name: 'fixture demo v2'},
  {datamodel: fixture('projects/minimal-local/datamodel.prisma'), name: 'fixture minimal-local', connectors: ['mysql']},
  {datamodel: fixture('projects/endpoint-variable-object/datamodel.prisma'), name: 'fixture id only', connectors: ['postgres']},
  {datamodel: everythingRelational, name: 'generate suite: everything relational'},
  {datamodel: shopModel, name: 'data suite: shop'},
  {datamodel: dataConformance, name: 'data conformance suite'},
  {
    name: '1.1 every scalar type, defaults, uniques',
    datamodel: `type Thing {
  id: ID! @id
  text: String!
  maybeText: String
  code: String! @unique
  count: Int!
  maybeCount: Int @unique
  ratio: Float!
  maybeRatio: Float
  flag: Boolean!
  maybeFlag: Boolean
  at: DateTime!
  maybeAt: DateTime
  data: Json!
  maybeData: Json
  greeting: String! @default(value: "hello \\"world\\"")
  answer: Int! @default(value: 42)
  share: Float! @default(value: 0.5)
  active: Boolean! @default(value: true)
  since: DateTime @default(value: "2019-01-01T00:00:00.000Z")
  settings: Json @default(value: "{\\"theme\\":\\"dark\\"}")
  createdAt: DateTime! @createdAt
  updatedAt: DateTime! @updatedAt
}
`,
  },
  {
    name: '1.1 enums and Json',
    datamodel: `enum Color {
  RED
  GREEN
  DARK_BLUE
}
enum Size {
  S
  M
  L
}
type Shirt {
  id: ID! @id
  color: Color!
  size: Size @default(value: M)
  colors: [Color] @scalarList(strategy: RELATION)
  meta: Json
  metas: [Json] @scalarList(strategy: RELATION)
}
`,
  },
  {
    name: '1.1 scalar lists of every type',
    datamodel: `type Bag {
  id: ID! @id
  words: [String] @scalarList(strategy: RELATION)
  numbers: [Int!]! @scalarList(strategy: RELATION)
  ratios: [Float] @scalarList(strategy: RELATION)
  flags: [Boolean] @scalarList(strategy: RELATION)
  dates: [DateTime] @scalarList(strategy: RELATION)
  label: String
}
`,
  },
  {
    name: '1.1 one-to-one inline (both sides, link on either side)',
    datamodel: `type User {
  id: ID! @id
  name: String!
  profile: Profile @relation(link: INLINE)
  account: Account
}
type Profile {
  id: ID! @id
  bio: String
  user: User!
}
type Account {
  id: ID! @id
  number: Int!
  owner: User! @relation(link: INLINE)
}
`,
  },
  {
    name: '1.1 relations kept in tables (link: TABLE on 1-1 and 1-n)',
    datamodel: `type User {
  id: ID! @id
  name: String!
  settings: Settings @relation(link: TABLE, name: "SettingsOnUser")
  posts: [Post] @relation(link: TABLE)
}
type Settings {
  id: ID! @id
  theme: String
  user: User! @relation(name: "SettingsOnUser")
}
type Post {
  id: ID! @id
  title: String!
  author: User
}
`,
  },
  {
    name: '1.1 one-to-many inline, named and unnamed, several between two types',
    datamodel: `type Author {
  id: ID! @id
  name: String!
  written: [Book] @relation(name: "WrittenBy")
  edited: [Book] @relation(name: "EditedBy")
  reviews: [Review]
}
type Book {
  id: ID! @id
  title: String!
  writer: Author! @relation(name: "WrittenBy")
  editor: Author @relation(name: "EditedBy")
}
type Review {
  id: ID! @id
  stars: Int!
  author: Author
}
`,
  },
  {
    name: '1.1 many-to-many, named and unnamed, both type orders',
    datamodel: `type Zebra {
  id: ID! @id
  name: String!
  apples: [Apple] @relation(name: "AppleToZebra")
  friends: [Apple] @relation(name: "ZebraFriends")
}
type Apple {
  id: ID! @id
  kind: String
  zebras: [Zebra] @relation(name: "AppleToZebra")
  friendOf: [Zebra] @relation(name: "ZebraFriends")
}
`,
  },
  {
    name: '1.1 self relations: lone single, lone list, 1-n pair, m-n pair',
    datamodel: `type Person {
  id: ID! @id
  name: String!
  bestFriend: Person @relation(name: "BestFriend")
  knows: [Person] @relation(name: "Knows")
  parent: Person @relation(name: "Family")
  children: [Person] @relation(name: "Family")
  following: [Person] @relation(name: "Follows")
  followers: [Person] @relation(name: "Follows")
}
`,
  },
  {
    name: '1.1 @db names on types, fields, relation columns and lists',
    datamodel: `type Message @db(name: "Post") {
  id: ID! @id @db(name: "message_id")
  slug: String! @db(name: "title") @unique
  tags: [String] @scalarList(strategy: RELATION) @db(name: "labels")
  sender: Person
  categories: [Category]
}
type Person @db(name: "people") {
  id: ID! @id
  nickName: String @db(name: "friendlyName")
  messages: [Message]
}
type Category {
  id: ID! @id
  name: String!
  messages: [Message]
}
`,
  },
  {
    name: '1.1 Int ids: AUTO, SEQUENCE, NONE, with relations and lists',
    datamodel: `type Home {
  id: Int! @id
  address: String!
  rooms: [Room]
  owners: [Owner]
  notes: [String] @scalarList(strategy: RELATION)
}
type Room {
  id: Int! @id(strategy: SEQUENCE) @sequence(name: "room_seq", initialValue: 100, allocationSize: 1)
  name: String!
  home: Home
}
type Owner {
  id: ID! @id
  name: String
  homes: [Home]
}
type Ticket {
  id: Int! @id(strategy: NONE)
  code: String!
}
`,
  },
  {
    name: '1.1 UUID ids',
    connectors: ['postgres'],
    datamodel: `type Device {
  id: UUID! @id
  serial: String! @unique
  readings: [Reading]
  tags: [String] @scalarList(strategy: RELATION)
}
type Reading {
  id: ID! @id
  value: Float!
  device: Device
}
type Group {
  id: UUID! @id
  devices: [Device]
}
`,
  },
  {
    name: '1.1 one-sided relations (no back field)',
    datamodel: `type User {
  id: ID! @id
  name: String!
}
type Post {
  id: ID! @id
  title: String!
  author: User @relation(name: "PostAuthor")
  likedBy: [User] @relation(name: "PostLikes")
}
type Comment {
  id: ID! @id
  text: String
  post: Post
  mentions: [User]
}
`,
  },
  {
    name: '1.1 generated relation names cut at 54 characters',
    datamodel: `type VeryLongTypeNameForTheFirstSideOfARelation {
  id: ID! @id
  others: [AnotherQuiteLongTypeNameOnTheOtherSide]
}
type AnotherQuiteLongTypeNameOnTheOtherSide {
  id: ID! @id
  label: String
  firsts: [VeryLongTypeNameForTheFirstSideOfARelation]
}
`,
  },
  {
    name: '1.0 types, hidden and declared timestamps, relations in tables with ids',
    datamodel: `type User {
  id: ID! @unique
  email: String! @unique
  name: String
  createdAt: DateTime!
  posts: [Post!]!
  profile: Profile
  groups: [Group!]!
}
type Post {
  id: ID! @unique
  title: String!
  updatedAt: DateTime!
  author: User!
}
type Profile {
  id: ID! @unique
  bio: String
  user: User! @relation(link: INLINE)
}
type Group {
  id: ID! @unique
  name: String!
  members: [User!]!
}
`,
  },
  {
    name: '1.0 scalar lists, enums, Json, every scalar',
    datamodel: `enum Role {
  ADMIN
  USER
}
type Account {
  id: ID! @unique
  role: Role! @default(value: USER)
  roles: [Role!]!
  tags: [String!]!
  scores: [Int!]!
  settings: Json
  ratio: Float
  active: Boolean! @default(value: true)
  birthday: DateTime
}
`,
  },
  {
    name: '1.0 self relations and named relations',
    datamodel: `type Member {
  id: ID! @unique
  name: String!
  invitedBy: Member @relation(name: "Invitation")
  invited: [Member!]! @relation(name: "Invitation")
  friends: [Member!]! @relation(name: "Friends")
  mentor: Member @relation(name: "Mentor")
}
`,
  },
  {
    name: '1.0 types without an id field',
    datamodel: `type Note {
  text: String!
  book: Book
}
type Book {
  id: ID! @unique
  title: String!
  notes: [Note!]!
}
`,
  },
  {
    name: 'a 1.0 database redeployed with datamodel 1.1, read with --database-url',
    databaseDatamodel: `type User {
  id: ID! @unique
  name: String
  posts: [Post!]!
  groups: [Group!]!
}
type Post {
  id: ID! @unique
  title: String!
  author: User
}
type Group {
  id: ID! @unique
  name: String
  users: [User!]!
}
`,
    datamodel: `type User {
  id: ID! @id
  name: String
  createdAt: DateTime! @createdAt
  updatedAt: DateTime! @updatedAt
  posts: [Post] @relation(link: TABLE)
  groups: [Group]
}
type Post {
  id: ID! @id
  title: String!
  author: User
  createdAt: DateTime! @createdAt
  updatedAt: DateTime! @updatedAt
}
type Group {
  id: ID! @id
  name: String
  users: [User]
  createdAt: DateTime! @createdAt
  updatedAt: DateTime! @updatedAt
}
`,
    args: ['--database-url', 'DATABASE_URL'],
    check(result, kind) {
      assert.equal(result.json.catalogRead, true)
      // the catalog shows the link id columns and _RelayId of the 1.0 layout
      assert.match(result.schema, /model PostToUser_link \{\n(.*\n)*? +id +String @id @default\(cuid\(\)\) @db\.Char\(25\)/)
      assert.match(result.schema, /model GroupToUser_link \{/)
      assert.match(result.upgradeSql, kind === 'postgres' ? /DROP TABLE IF EXISTS "[^"]+"\."_RelayId";/ : /DROP TABLE IF EXISTS `_RelayId`;/)
      assert.match(result.upgradeSql, kind === 'postgres' ? /ALTER TABLE "[^"]+"\."_GroupToUser" DROP COLUMN IF EXISTS "id";/ : /DROP PRIMARY KEY, DROP COLUMN `id`/)
      assert.doesNotMatch(result.schema, /Assumed/)
      assert.match(result.schema, /Read from the database[^\n]*\n(\/\/ - .*\n)*\/\/ - _RelayId: /)
      assert.ok((result.json.findings as string[]).some((line) => line.startsWith('_PostToUser: its relation table still has the `id` column')))
    },
  },
  {
    name: 'a relation table whose column A kept its type after a rename, read with --database-url',
    // Apple was renamed to Zoo after _Farm was created: column A still references it, though Zebra now sorts first
    swapped: ['Farm'],
    datamodel: `type Zoo {
  id: ID! @id
  name: String
  zebras: [Zebra] @relation(name: "Farm")
}
type Zebra {
  id: ID! @id
  stripes: Int
  zoos: [Zoo] @relation(name: "Farm")
}
`,
    args: ['--database-url', 'DATABASE_URL'],
    check(result) {
      assert.match(result.schema, /model Farm_link \{\n(.*\n)*? +A +String @db\.(VarChar|Char)\(25\)\n(.*\n)*? +zoo +Zoo @relation\("Farm_A"/)
      assert.match(result.upgradedSchema, /model Farm_link \{/)
      assert.deepEqual(result.json.findings, ['_Farm: its column A references Zoo (the model was renamed after the table was created).'])
    },
  },
]
