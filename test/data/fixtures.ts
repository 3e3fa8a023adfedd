// Shared pieces of the data command tests: a datamodel with scalars, a scalar list and relations, project folders
// deployed to a stand-in, and reading a zip back.
import assert from 'node:assert/strict'

import {ZipReader} from '../../src/data/zip.js'
import {runCli, writeTree} from '../helpers/cli.js'

export const shopModel = `type User {
  id: ID! @id
  email: String! @unique
  name: String
  age: Int
  tags: [String] @scalarList(strategy: RELATION)
  posts: [Post!]! @relation(name: "UserPosts")
}

type Post {
  id: ID! @id
  title: String!
  author: User! @relation(name: "UserPosts")
}
`

export const shopSeed = `# two users, one with posts
mutation first {
  createUser(data: {email: "a@example.com", name: "A", tags: {set: ["x", "y"]}, posts: {create: [{title: "T1"}, {title: "T2"}]}}) {
    ...UserId
  }
}

mutation {
  createUser(data: {email: "b@example.com", age: 7}) { id }
}

fragment UserId on User { id email }
`

/** A project folder for `<server>/<service>/<stage>`; `extra` is appended to prisma.yml. */
export async function dataProject(url: string, extra = '', files: Record<string, string> = {}, datamodel = shopModel): Promise<string> {
  return writeTree({'datamodel.prisma': datamodel, 'prisma.yml': `endpoint: ${url}\ndatamodel: datamodel.prisma\n${extra}`, ...files})
}

/** Deploys the project in `dir` (without seeding) and checks that it worked. */
export async function deployed(dir: string): Promise<string> {
  const result = await runCli(['deploy', '--no-seed'], {cwd: dir})
  assert.equal(result.code, 0, result.stderr + result.stdout)
  return dir
}

/** The NDF files of a zip, name → parsed JSON. */
export async function zipContents(path: string): Promise<Record<string, {valueType: string; values: unknown[]}>> {
  const zip = await ZipReader.open(path)
  const out: Record<string, {valueType: string; values: unknown[]}> = {}
  for (const entry of zip.entries) if (!entry.directory) out[entry.name] = JSON.parse((await zip.read(entry)).toString('utf8'))
  await zip.close()
  return out
}

/** All values of a zip by kind, in file order. */
export async function zipValues(path: string): Promise<{nodes: unknown[]; lists: unknown[]; relations: unknown[]}> {
  const contents = await zipContents(path)
  const values = {lists: [] as unknown[], nodes: [] as unknown[], relations: [] as unknown[]}
  for (const name of Object.keys(contents).sort()) values[contents[name].valueType as keyof typeof values].push(...contents[name].values)
  return values
}

/** Order-free form of stage data, for comparing two exports. */
export function canonical(data: {nodes: unknown[]; lists: unknown[]; relations: unknown[]}): {nodes: string[]; lists: string[]; relations: string[]} {
  const sorted = (values: unknown[]) => values.map((value) => JSON.stringify(sortKeys(value))).sort()
  const relation = (value: unknown) => (Array.isArray(value) ? [...value].map((side) => JSON.stringify(sortKeys(side))).sort() : value)
  return {lists: sorted(data.lists), nodes: sorted(data.nodes), relations: sorted(data.relations.map(relation))}
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]))
  return value
}

export {freePort} from '../helpers/cli.js'
