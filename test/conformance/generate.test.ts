/**
 * Conformance of `prisma generate`: for each datamodel of test/generate/datamodels.ts and all five generators, the
 * original `prisma1 generate` and this tool write identical file trees (compared byte for byte) and print the same
 * transcript; the same with `--endpoint` and after `prisma deploy` with generate:. The test projects live in a folder
 * whose node_modules is the original CLI's, so both tools find the same prisma-client-lib 1.34.
 */
import assert from 'node:assert/strict'
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {runCli} from '../helpers/cli.js'
import {allGenerators, datamodelCases, projectsRoot, writeProject} from '../generate/datamodels.js'
import {neutralTranscript, readTree} from '../generate/tree.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {ensureOriginalCli, runOriginal} from './original-cli.js'

// the 200-type datamodel takes the original several minutes for the five generators on a busy machine
const timeoutMs = 1_800_000
let root: string

before(async () => {
  await ensureOriginalCli()
  root = projectsRoot('prisma-generate-conformance-')
})
after(() => rmSync(root, {force: true, recursive: true}))

/** prisma.yml variants: a literal endpoint without secret, and endpoint and secret from the environment. */
const embeddings = [
  {endpoint: 'http://localhost:4466/generate/dev', extra: undefined},
  {endpoint: '${env:PRISMA_ENDPOINT}', extra: 'secret: ${env:PRISMA_SECRET}'},
]

async function bothGenerate(name: string, options: Parameters<typeof writeProject>[2], args: string[] = [], env: Record<string, string> = {}) {
  const original = writeProject(join(root, 'original'), name, options)
  const ours = writeProject(join(root, 'ours'), name, options)
  const [theirs, mine] = await Promise.all([
    runOriginal(['generate', ...args], {cwd: original, env, timeoutMs}),
    runCli(['generate', ...args], {cwd: ours, env, timeoutMs}),
  ])
  assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
  assert.equal(mine.code, 0, mine.stdout + mine.stderr)
  return {mine, original, ours, theirs}
}

describe('prisma generate writes what prisma1 generate writes', () => {
  for (const [index, datamodel] of datamodelCases.entries()) {
    // The original formats a client of 200 types for minutes (prettier); there the TypeScript client and the schema
    // stand for the clients, whose generators share that code path, so that CI stays within its time.
    const large = datamodel.name.startsWith('large-')
    const generators = large ? [allGenerators[0], allGenerators[4]] : allGenerators
    test(`${datamodel.name}: ${large ? 'typescript-client and graphql-schema' : 'all five generators'}`, {timeout: timeoutMs}, async () => {
      const embedding = embeddings[index % embeddings.length]
      const {mine, original, ours, theirs} = await bothGenerate(
        datamodel.name,
        {databaseType: datamodel.databaseType, datamodel: datamodel.datamodel, endpoint: embedding.endpoint, extra: embedding.extra, generate: generators},
        [],
        {PRISMA_ENDPOINT: 'http://localhost:4466/generate/dev', PRISMA_SECRET: 'not-embedded'},
      )
      const expected = readTree(join(original, 'generated'))
      const allFiles = ['flow/index.js', 'flow/prisma-schema.js', 'go/prisma.go', 'js/index.d.ts', 'js/index.js', 'js/prisma-schema.js', 'prisma.graphql', 'ts/index.ts', 'ts/prisma-schema.ts']
      assert.deepEqual(Object.keys(expected).sort(), large ? ['prisma.graphql', 'ts/index.ts', 'ts/prisma-schema.ts'] : allFiles)
      assert.deepEqual(readTree(join(ours, 'generated')), expected)
      assert.equal(neutralTranscript(mine.stdout, ours), neutralTranscript(theirs.stdout, original))
      // the endpoint and secret keep their ${env:...} form in the generated code
      if (embedding.extra) assert.match(expected['ts/index.ts'], /process\.env\["PRISMA_SECRET"\]/)
    })
  }
})

describe('generate --endpoint and deploy with generate:, against the stand-in', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({migrationStepMs: 1})
  })
  after(() => server.close())

  for (const datamodel of datamodelCases.filter((entry) => ['demo', 'everything-relational'].includes(entry.name))) {
    test(`${datamodel.name}: deploy with generate: writes the same clients`, {timeout: timeoutMs}, async () => {
      const generate = [allGenerators[0], allGenerators[1], allGenerators[4]]
      const options = (side: string) => ({
        databaseType: datamodel.databaseType,
        datamodel: datamodel.datamodel,
        endpoint: `${server.url}/${datamodel.name}-${side}/dev`,
        generate,
      })
      const original = writeProject(join(root, 'deploy-original'), datamodel.name, options('original'))
      const ours = writeProject(join(root, 'deploy-ours'), datamodel.name, options('ours'))
      const theirs = await runOriginal(['deploy'], {cwd: original, timeoutMs})
      assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
      const mine = await runCli(['deploy'], {cwd: ours, timeoutMs})
      assert.equal(mine.code, 0, mine.stdout + mine.stderr)
      // the endpoint differs by the service name only; the rest byte for byte
      const expected = readTree(join(original, 'generated'))
      const actual = readTree(join(ours, 'generated'))
      assert.equal(Object.keys(expected).length, 6)
      for (const [file, content] of Object.entries(expected)) {
        assert.equal(actual[file], content.split(`${datamodel.name}-original`).join(`${datamodel.name}-ours`), file)
      }
      const savingLines = (text: string, dir: string) => neutralTranscript(text, dir).split('\n').filter((line) => line.startsWith('Saving '))
      // deploy's task lines, the generation's among them, are on stderr here (README, Output); the original printed
      // them on stdout
      assert.equal(savingLines(mine.stderr, ours).length, 3)
      assert.deepEqual(savingLines(mine.stderr, ours), savingLines(theirs.stdout, original))
      assert.match(mine.stderr, /\nGenerating schema\.\.\. \d+m?s\nSaving Prisma Client \(TypeScript\) at /)

      // --endpoint: the schema of the deployed service, as the original downloads and prints it (graphql-schema only:
      // the stand-in's service schema is a small subset, without the CRUD types the client generators expect)
      for (const [side, folder] of [['original', 'deploy-original'], ['ours', 'deploy-ours']]) {
        writeProject(join(root, folder), datamodel.name, {...options(side), generate: [allGenerators[4]]})
      }
      const [endpointTheirs, endpointMine] = await Promise.all([
        runOriginal(['generate', '--endpoint'], {cwd: original, timeoutMs}),
        runCli(['generate', '--endpoint'], {cwd: ours, timeoutMs}),
      ])
      assert.equal(endpointTheirs.code, 0, endpointTheirs.stdout + endpointTheirs.stderr)
      assert.equal(endpointMine.code, 0, endpointMine.stdout + endpointMine.stderr)
      assert.match(endpointMine.stdout, /\nDownloading schema\.\.\. /)
      const expectedSchema = readTree(join(original, 'generated'))
      const actualSchema = readTree(join(ours, 'generated'))
      assert.match(expectedSchema['prisma.graphql'], /^# THIS FILE HAS BEEN AUTO-GENERATED/)
      for (const [file, content] of Object.entries(expectedSchema)) {
        assert.equal(actualSchema[file], content.split(`${datamodel.name}-original`).join(`${datamodel.name}-ours`), file)
      }
    })
  }
})
