/**
 * Export and import of a type whose id field is not named `id` (`accountId: ID! @id`), with the ORIGINAL
 * prisma1@1.34.12 and this tool against the same stand-in. A 1.34 server exports such a node with both `id` and
 * `accountId` (BulkExport.prismaNodeToExportNode), and its import reads the id from `id` but then checks every key,
 * `id` included, as a field of the model (BulkImport.convertToImportNode, GCValueJsonFormatter.readModelAwareGcValue):
 * the export does not import back into a Prisma 1 server, whichever CLI sends it. Both CLIs write the same files and
 * meet the same refusal; the data of the lists and relations files still goes back.
 */
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {canonical, dataProject, deployed, zipValues} from '../data/fixtures.js'
import {runCli} from '../helpers/cli.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {ensureOriginalCli, runOriginal} from './original-cli.js'

const DATAMODEL = 'type Account {\n  accountId: ID! @id\n  name: String!\n  tags: [String] @scalarList(strategy: RELATION)\n}\n'
const SEED = Array.from({length: 5}, (_, index) => `mutation a${index} { createAccount(data: {name: "a${index}", tags: {set: ["t${index}"]}}) { accountId } }`).join('\n')

before(async () => {
  await ensureOriginalCli()
})

describe('a type with a custom-named id field: export with the original and this tool', () => {
  let server: ManagementServer
  let source: string
  before(async () => {
    server = await startManagementServer({exportPageLimit: 300, migrationStepMs: 2})
    source = await deployed(await dataProject(`${server.url}/accounts/a`, 'seed:\n  import: seed.graphql\n', {'seed.graphql': SEED}, DATAMODEL))
    const seeded = await runCli(['seed'], {cwd: source})
    assert.equal(seeded.code, 0, seeded.stderr)
  })
  after(() => server.close())

  test('both write the same files; each node carries id and accountId', async () => {
    const original = await runOriginal(['export', '-p', 'original.zip'], {cwd: source})
    assert.equal(original.code, 0, original.stdout + original.stderr)
    const ours = await runCli(['export', '-p', 'ours.zip'], {cwd: source})
    assert.equal(ours.code, 0, ours.stderr)
    const originalData = await zipValues(join(source, 'original.zip'))
    assert.deepEqual(canonical(await zipValues(join(source, 'ours.zip'))), canonical(originalData))
    assert.equal(originalData.nodes.length, 5)
    for (const node of originalData.nodes as Array<Record<string, unknown>>) {
      assert.deepEqual(Object.keys(node), ['_typeName', 'id', 'accountId', 'name'])
      assert.equal(node.id, node.accountId)
    }
  })

  test('importing the export is refused per node by the server, for the original and this tool alike', async () => {
    const zip = join(source, 'original.zip')
    const forOriginal = await deployed(await dataProject(`${server.url}/accounts/original`, '', {}, DATAMODEL))
    const original = await runOriginal(['import', '--data', zip], {cwd: forOriginal})
    assert.match(original.stdout + original.stderr, /The model Account with id \w+ has an unknown field 'id' in field list\./)
    const forOurs = await deployed(await dataProject(`${server.url}/accounts/ours`, '', {}, DATAMODEL))
    const ours = await runCli(['import', '--data', zip], {cwd: forOurs})
    assert.equal(ours.code, 1, ours.stdout + ours.stderr)
    assert.match(ours.stdout + ours.stderr, /The model Account with id \w+ has an unknown field 'id' in field list\./)
    assert.match(ours.stderr, /cannot import nodes of a type whose id field is not named `id`/)
    // no node went in, on either stage
    assert.equal(server.data('accounts', 'original').nodes.length, 0)
    assert.equal(server.data('accounts', 'ours').nodes.length, 0)
  })
})
