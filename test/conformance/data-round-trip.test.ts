/**
 * Data round trips between this tool and the ORIGINAL prisma1@1.34.12 CLI, on the stand-in: data seeded by this tool
 * and exported by the original is imported by this tool into a fresh stage and exported again by this tool; and the
 * reverse (seeded by the original, exported by this tool, imported and exported by the original). Both exports of a
 * direction hold the same data.
 */
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {runCli} from '../helpers/cli.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {canonical, dataProject, deployed, shopSeed, zipContents, zipValues} from '../data/fixtures.js'
import {ensureOriginalCli, runOriginal} from './original-cli.js'

before(async () => {
  await ensureOriginalCli()
})

describe('data round trips with the original CLI', () => {
  let server: ManagementServer
  before(async () => {
    // small pages, so that both sides deal with several files per kind
    server = await startManagementServer({exportPageLimit: 400, migrationStepMs: 2})
  })
  after(() => server.close())

  const seedYml = 'secret: round-trip\nseed:\n  import: seed.graphql\n'
  const moreUsers = Array.from({length: 12}, (_, index) => `mutation u${index} { createUser(data: {email: "u${index}@example.com", age: ${index}, tags: {set: ["t${index}"]}, posts: {create: [{title: "P${index}"}]}}) { id } }`).join('\n')

  test('seeded by this tool, exported by the original, imported and exported by this tool: same data', async () => {
    const source = await deployed(await dataProject(`${server.url}/ours/a`, seedYml, {'seed.graphql': `${shopSeed}\n${moreUsers}\n`}))
    const seeded = await runCli(['seed'], {cwd: source})
    assert.equal(seeded.code, 0, seeded.stderr)
    const original = await runOriginal(['export', '-p', 'original.zip'], {cwd: source})
    assert.equal(original.code, 0, original.stdout + original.stderr)
    const originalZip = join(source, 'original.zip')
    assert.ok(Object.keys(await zipContents(originalZip)).includes('nodes/000002.json'), 'the original wrote several node files')
    assert.deepEqual(canonical(await zipValues(originalZip)), canonical(server.data('ours', 'a')))

    const target = await deployed(await dataProject(`${server.url}/ours/b`, 'secret: other\n'))
    const imported = await runCli(['import', '--data', originalZip], {cwd: target})
    assert.equal(imported.code, 0, imported.stderr)
    const exported = await runCli(['export', '-p', 'ours.zip'], {cwd: target})
    assert.equal(exported.code, 0, exported.stderr)
    assert.deepEqual(canonical(await zipValues(join(target, 'ours.zip'))), canonical(await zipValues(originalZip)))
  })

  test('seeded by the original, exported by this tool, imported and exported by the original: same data', async () => {
    // the original sends operations without their fragments, so its seed file has none
    const plainSeed = shopSeed.replace('...UserId', 'id email').replace(/fragment UserId[^\n]*\n/, '')
    const source = await deployed(await dataProject(`${server.url}/theirs/a`, seedYml, {'seed.graphql': `${plainSeed}\n${moreUsers}\n`}))
    const seeded = await runOriginal(['seed'], {cwd: source})
    assert.equal(seeded.code, 0, seeded.stdout + seeded.stderr)
    assert.equal(server.data('theirs', 'a').nodes.length, 14 + 14)
    const exported = await runCli(['export', '-p', 'ours.zip'], {cwd: source})
    assert.equal(exported.code, 0, exported.stderr)
    const ourZip = join(source, 'ours.zip')

    const target = await deployed(await dataProject(`${server.url}/theirs/b`, 'secret: other\n'))
    const imported = await runOriginal(['import', '--data', ourZip], {cwd: target})
    assert.equal(imported.code, 0, imported.stdout + imported.stderr)
    assert.doesNotMatch(imported.stdout, /Uncaught exception/, imported.stdout)
    const again = await runOriginal(['export', '-p', 'original.zip'], {cwd: target})
    assert.equal(again.code, 0, again.stdout + again.stderr)
    assert.deepEqual(canonical(await zipValues(join(target, 'original.zip'))), canonical(await zipValues(ourZip)))
    assert.deepEqual(canonical(server.data('theirs', 'b')), canonical(server.data('theirs', 'a')))
  })
})
