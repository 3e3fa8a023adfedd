/**
 * Datamodels for the generate tests, the conformance suite and the benchmark: the demo service, the project
 * fixtures, a relational one with every scalar, enum, relation kind and directive, a document one, and a large one.
 */
import {mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {repoRoot} from '../helpers/cli.js'

export interface DatamodelCase {
  name: string
  datamodel: string
  databaseType?: 'relational' | 'document'
}

const fixture = (path: string) => readFileSync(join(repoRoot, 'fixtures', path), 'utf8')

export const everythingRelational = `enum Role {
  ADMIN
  EDITOR
  READER
}

enum Status {
  DRAFT
  PUBLISHED
}

type User @db(name: "users") {
  id: ID! @id
  createdAt: DateTime! @createdAt
  updatedAt: DateTime! @updatedAt
  email: String! @unique
  name: String @db(name: "full_name")
  age: Int
  score: Float! @default(value: 0.5)
  active: Boolean! @default(value: true)
  role: Role! @default(value: READER)
  roles: [Role!]! @scalarList(strategy: RELATION)
  tags: [String!]! @scalarList(strategy: RELATION)
  settings: Json
  birthday: DateTime
  profile: Profile @relation(link: INLINE)
  posts: [Post!]! @relation(name: "PostAuthor", onDelete: CASCADE)
  reviewed: [Post!]! @relation(name: "PostReviewer")
  friends: [User!]! @relation(name: "Friends")
  mentor: User @relation(name: "Mentorship")
  groups: [Group!]! @relation(link: TABLE)
}

type Profile {
  id: ID! @id
  bio: String
  user: User!
}

type Post {
  id: ID! @id
  title: String!
  status: Status!
  views: Int! @default(value: 0)
  author: User! @relation(name: "PostAuthor")
  reviewer: User @relation(name: "PostReviewer")
  comments: [Comment!]!
}

type Comment {
  id: ID! @id
  text: String!
  post: Post!
}

type Group {
  id: Int! @id(strategy: SEQUENCE) @sequence(name: "group_seq", initialValue: 1, allocationSize: 10)
  name: String! @unique
  members: [User!]!
}
`

export const documentModel = `type User {
  id: ID! @id
  email: String! @unique
  name: String
  address: Address
  tags: [String!]!
  posts: [Post!]! @relation(link: INLINE)
  createdAt: DateTime! @createdAt
}

type Address @embedded {
  street: String!
  city: String!
  geo: Geo
}

type Geo @embedded {
  lat: Float!
  lng: Float!
}

type Post {
  id: ID! @id
  title: String!
  published: Boolean! @default(value: false)
  kind: Kind
  meta: Json
}

enum Kind {
  NEWS
  STORY
}
`

/** `count` types in chains of relations, with scalars, enums and unique fields: a large real-world-like datamodel. */
export function largeDatamodel(count: number): string {
  const parts = ['enum Level {\n  LOW\n  MEDIUM\n  HIGH\n}\n']
  for (let index = 0; index < count; index++) {
    const next = `Type${(index + 1) % count}`
    parts.push(
      [
        `type Type${index} {`,
        '  id: ID! @id',
        `  key${index}: String! @unique`,
        '  title: String',
        '  amount: Int',
        '  ratio: Float',
        '  flag: Boolean! @default(value: false)',
        '  level: Level',
        '  at: DateTime',
        `  next: ${next} @relation(name: "Link${index}")`,
        index % 3 === 0 ? `  many: [${next}!]! @relation(name: "Many${index}")` : '',
        '}',
        '',
      ]
        .filter((line) => line !== '')
        .join('\n') + '\n',
    )
  }
  return parts.join('\n')
}

export const datamodelCases: DatamodelCase[] = [
  {datamodel: fixture('demo/datamodel.prisma'), name: 'demo'},
  {datamodel: fixture('demo/datamodel.v2.prisma'), name: 'demo-v2'},
  {datamodel: fixture('projects/minimal-local/datamodel.prisma'), name: 'minimal-local'},
  {datamodel: fixture('projects/endpoint-variable-object/datamodel.prisma'), name: 'endpoint-variable-object'},
  {datamodel: fixture('projects/seed-generate-and-flags/datamodel.prisma'), name: 'seed-generate-and-flags'},
  {datamodel: everythingRelational, name: 'everything-relational'},
  {databaseType: 'document', datamodel: documentModel, name: 'document'},
  {datamodel: largeDatamodel(200), name: 'large-200'},
]

export const allGenerators = [
  {generator: 'typescript-client', output: './generated/ts/'},
  {generator: 'javascript-client', output: './generated/js'},
  {generator: 'flow-client', output: './generated/flow/'},
  {generator: 'go-client', output: 'generated/go'},
  {generator: 'graphql-schema', output: './generated/prisma.graphql'},
]

/** The prisma-client-lib of the original CLI's installation, which test projects resolve through a symlink. */
export const originalNodeModules = join(repoRoot, '.cache', 'prisma1', 'node_modules')

/**
 * A folder whose node_modules is the original CLI's (so prisma-client-lib 1.34 resolves from projects inside it).
 * Projects made with `writeProject` go into it.
 */
export function projectsRoot(prefix = 'prisma-generate-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix))
  symlinkSync(originalNodeModules, join(root, 'node_modules'))
  return root
}

export function writeProject(
  root: string,
  name: string,
  options: {datamodel: string; databaseType?: string; generate: Array<{generator: string; output: string}>; endpoint?: string; extra?: string},
): string {
  const dir = join(root, name)
  mkdirSync(dir, {recursive: true})
  const lines = [
    ...(options.endpoint === undefined ? [] : [`endpoint: ${options.endpoint}`]),
    'datamodel: datamodel.prisma',
    ...(options.databaseType ? [`databaseType: ${options.databaseType}`] : []),
    ...(options.extra ? [options.extra] : []),
    'generate:',
    ...options.generate.flatMap((entry) => [`  - generator: ${entry.generator}`, `    output: ${entry.output}`]),
  ]
  writeFileSync(join(dir, 'prisma.yml'), `${lines.join('\n')}\n`)
  writeFileSync(join(dir, 'datamodel.prisma'), options.datamodel)
  return dir
}
