/**
 * The cases of the database tests for one server kind: each datamodel of datamodels.ts whose database that server
 * can hold, run end to end by harness.ts. One test file per kind, so the runner runs the two servers in parallel.
 */
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'

import {datamodels} from './datamodels.js'
import {clientsRoot, runCase} from './harness.js'
import {type DatabaseServer, skipUnlessInstalled, startMariadb, startPostgres} from './servers.js'

export function databaseSuite(kind: 'postgres' | 'mysql'): void {
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
      test(model.name, {timeout: 300_000}, async () => {
        const result = await runCase(server!, root, {args: model.args, connector: kind, databaseDatamodel: model.databaseDatamodel, datamodel: model.datamodel, name: model.name, swapped: model.swapped})
        assert.match(result.schema, new RegExp(`provider = "${kind === 'postgres' ? 'postgresql' : 'mysql'}"`))
        assert.equal(result.json.connector, kind)
        model.check?.(result, kind)
      })
    }
  })
}
