/**
 * prisma upgrade against real databases: for each datamodel, a PostgreSQL or MariaDB database in the Prisma 1 layout
 * (built from the layout spec, not by src/upgrade), `prisma upgrade` through the built CLI, a real Prisma ORM 7
 * client reading every model with all its relations over the unchanged database, then upgrade.sql run twice on a
 * copy and the client of schema.upgraded.prisma reading the same rows and links.
 */
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'

import {datamodels} from './datamodels.js'
import {clientsRoot, runCase} from './harness.js'
import {type DatabaseServer, skipUnlessInstalled, startMariadb, startPostgres} from './servers.js'

for (const kind of ['postgres', 'mysql'] as const) {
  const skip = skipUnlessInstalled(kind)
  describe(`prisma upgrade on ${kind === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, {skip}, () => {
    let server: DatabaseServer | undefined
    let root: string
    before(async () => {
      server = kind === 'postgres' ? await startPostgres() : await startMariadb()
      root = await clientsRoot()
    })
    after(async () => {
      await server?.stop()
    })

    for (const model of datamodels.filter((item) => (item.connectors ?? ['postgres', 'mysql']).includes(kind))) {
      test(model.name, {timeout: 180_000}, async () => {
        const result = await runCase(server!, root, {connector: kind, datamodel: model.datamodel, name: model.name})
        assert.match(result.schema, new RegExp(`provider = "${kind === 'postgres' ? 'postgresql' : 'mysql'}"`))
        assert.equal(result.json.connector, kind)
      })
    }
  })
}
