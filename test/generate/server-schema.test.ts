// The SDL printer of a service's introspection: byte for byte what graphql 14's printSchema prints (the form
// prisma-generate-schema writes) and what the original's `generate --endpoint` writes (its own printSchema module,
// given the same introspection).
import assert from 'node:assert/strict'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {printIntrospection, type Introspection} from '../../src/generate/server-schema.js'
import {datamodelCases, originalNodeModules} from './datamodels.js'

const require = createRequire(join(originalNodeModules, 'prisma-cli-core', 'package.json'))
const graphql = require('graphql') as {buildSchema(sdl: string): unknown; introspectionFromSchema(schema: unknown): Introspection}
const generateSchema = require('prisma-generate-schema') as {default(datamodel: string, databaseType: string): string}
const originalPrinter = require('./dist/commands/deploy/printSchema.js') as {
  fetchAndPrintSchema(client: {introspect(): Promise<Introspection>}, service: string, stage: string): Promise<string>
}

function introspect(sdl: string): Introspection {
  return graphql.introspectionFromSchema(graphql.buildSchema(sdl))
}

describe('printing a service schema from its introspection', () => {
  for (const datamodel of datamodelCases.filter((entry) => entry.name !== 'large-200')) {
    test(`${datamodel.name}: the plain form is graphql 14's printSchema; the grouped form is the original's`, async () => {
      const sdl = generateSchema.default(datamodel.datamodel, datamodel.databaseType === 'document' ? 'mongo' : 'postgres')
      // as a real Prisma server's schema: model types implement Node, and some fields carry descriptions
      const variants = [
        sdl,
        sdl
          .replace(/^type (\w+) \{\n {2}id: ID!/gm, 'type $1 implements Node {\n  id: ID!')
          .replace(/^type Query \{\n/m, 'type Query {\n  """The first field"""\n')
          .replace('  node(id: ID!): Node\n', '\n  """Fetches an object given its ID"""\n  node(id: ID!): Node\n')
          .replace('  count: Int!\n', '  """\n  How many there are; a long description that goes on past seventy characters\n  """\n  count: Int!\n'),
      ]
      for (const variant of variants) {
        const introspection = introspect(variant)
        const printed = printIntrospection(introspection)
        assert.equal(printed.plain, variant)
        assert.equal(printed.grouped, await originalPrinter.fetchAndPrintSchema({introspect: async () => introspection}, 's', 'dev'))
      }
      assert.match(printIntrospection(introspect(variants[1])).grouped, /# Model Types/)
    })
  }
})
