import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {runDeploy, type DeployDeps, type DeployRequest} from '../../src/deploy/flow.js'
import {GenerateError} from '../../src/errors.js'
import {ServerError} from '../../src/http/graphql.js'
import type {ServerFeatures} from '../../src/management-api/features.js'
import type {DeployPayload, MigrationStatus} from '../../src/management-api/types.js'
import {colorsFor} from '../../src/output/colors.js'
import {renderDeployEvent} from '../../src/output/deploy.js'
import {plainProgress} from '../../src/output/progress.js'

/** What a 1.34 server supports. */
const latestFeatures: ServerFeatures = {force: true, noMigration: true, payloadSteps: true, relationManifestations: true}

const request: DeployRequest = {
  hooks: [],
  requestTimeoutMs: 30_000,
  secrets: null,
  subscriptions: [],
  target: {httpUrl: 'http://h/svc/dev', name: 'svc', serverName: 'local', service: 'svc', stage: 'dev', wsUrl: 'ws://h/svc/dev'},
  timeoutMs: 60_000,
  types: 'type User { id: ID! @id }',
}

function fake(options: {exists?: boolean; payload?: DeployPayload; addProject?: () => Promise<void>; noMigration?: boolean}) {
  const calls: string[] = []
  let out = ''
  const deps: DeployDeps = {
    client: {
      async addProject() {
        calls.push('addProject')
        await options.addProject?.()
      },
      async deploy() {
        calls.push('deploy')
        return options.payload ?? {errors: [], migration: null, steps: [], warnings: []}
      },
      async listMigrations() {
        calls.push('listMigrations')
        return []
      },
      async migrationStatus(): Promise<MigrationStatus> {
        calls.push('migrationStatus')
        return {applied: 1, errors: [], revision: 2, rolledBack: 0, status: 'SUCCESS'}
      },
      async probe() {
        calls.push('probe')
        return {exists: options.exists ?? true, features: {...latestFeatures, noMigration: options.noMigration ?? true}, version: '1.34.12'}
      },
    },
    colors: colorsFor({}, {}),
    progress: plainProgress((text) => (out += text)),
    report: (event) => renderDeployEvent(event, colorsFor({}, {}), (text) => (out += text)),
    async runHook(command) {
      calls.push(`hook:${command}`)
      return {code: 0, command, signal: null, stderr: '', stdout: ''}
    },
    sleep: async () => {},
  }
  return {calls, deps, output: () => out}
}

describe('the deploy flow', () => {
  test('a stage created by someone else since the probe (4005) is deployed to all the same', async () => {
    const {calls, deps, output} = fake({
      addProject: async () => {
        throw new ServerError("Service with name 'svc' and stage 'dev' already exists", {errors: [{code: 4005, message: 'exists'}], kind: 'graphql', url: 'u'})
      },
      exists: false,
    })
    const outcome = await runDeploy(request, deps)
    assert.equal(outcome.status, 'up-to-date')
    assert.equal(outcome.created, false)
    assert.deepEqual(calls, ['probe', 'addProject', 'deploy'])
    assert.match(output(), /Creating stage dev for service svc\.\.\. already there/)
  })

  test('--no-migrate on a server without it stops before anything is sent', async () => {
    const {calls, deps} = fake({noMigration: false})
    await assert.rejects(runDeploy({...request, noMigrate: true}, deps), /supported in Prisma 1\.26 and above/)
    assert.deepEqual(calls, ['probe'])
  })

  test('refused deploys run no hooks, wait for nothing and print no endpoints', async () => {
    const {calls, deps, output} = fake({
      payload: {errors: [], migration: null, steps: [{name: 'Post', type: 'DeleteModel'}], warnings: [{description: 'Data loss.', type: 'Post'}]},
    })
    const outcome = await runDeploy({...request, hooks: ['echo hi']}, deps)
    assert.equal(outcome.status, 'warnings')
    assert.equal(outcome.exitCode, 1)
    assert.deepEqual(calls, ['probe', 'deploy'])
    assert.doesNotMatch(output(), /endpoint is live/)
  })

  const applied: DeployPayload = {errors: [], migration: {revision: 2, steps: [{type: 'CreateModel'}]}, steps: [{name: 'User', type: 'CreateModel'}], warnings: []}
  const generateEntries = [{generator: 'typescript-client', output: './generated'}]
  const generated = [{files: ['/p/generated/index.ts'], generator: 'typescript-client' as const, output: '/p/generated'}]

  test('a deploy with a migration waits, runs hooks, generates, then prints endpoints', async () => {
    const {calls, deps, output} = fake({payload: applied})
    deps.generate = async () => {
      calls.push('generate')
      return {generated, notGenerated: [], schemaSource: 'datamodel'}
    }
    const outcome = await runDeploy({...request, generate: generateEntries, hooks: ['echo hi']}, deps)
    assert.equal(outcome.status, 'deployed')
    assert.equal(outcome.revision, 2)
    assert.deepEqual(outcome.generated, generated)
    assert.deepEqual(calls, ['probe', 'deploy', 'migrationStatus', 'hook:echo hi', 'generate'])
    assert.match(output(), /Applying changes\.\.\. \(1\/1\)/)
    assert.doesNotMatch(output(), /executed twice/)
    assert.match(output(), /HTTP: {2}http:\/\/h\/svc\/dev/)
  })

  test('a hook calling prisma generate gets the twice-generated warning; --skip-hooks and --no-generate are heeded', async () => {
    const {calls, deps, output} = fake({payload: applied})
    deps.generate = async () => {
      calls.push('generate')
      return {generated, notGenerated: [], schemaSource: 'datamodel'}
    }
    await runDeploy({...request, generate: generateEntries, hooks: ['npx prisma1 generate']}, deps)
    assert.match(output(), /Warning: The `prisma1 generate` command was executed twice\. Since Prisma 1\.31/)
    assert.deepEqual(calls.slice(-2), ['hook:npx prisma1 generate', 'generate'])

    const skipped = fake({payload: applied})
    skipped.deps.generate = deps.generate
    await runDeploy({...request, generate: generateEntries, hooks: ['npx prisma1 generate'], skipHooks: true}, skipped.deps)
    assert.doesNotMatch(skipped.output(), /executed twice/)

    const off = fake({payload: applied})
    let ran = false
    off.deps.generate = async () => {
      ran = true
      return {generated, notGenerated: [], schemaSource: 'datamodel'}
    }
    const outcome = await runDeploy({...request, generate: generateEntries, noGenerate: true}, off.deps)
    assert.equal(ran, false)
    assert.equal(outcome.generated, undefined)
  })

  test('nothing changed: no generation, one line on how to regenerate', async () => {
    const {deps, output} = fake({})
    let ran = false
    deps.generate = async () => {
      ran = true
      return {generated, notGenerated: [], schemaSource: 'datamodel'}
    }
    const outcome = await runDeploy({...request, generate: generateEntries}, deps)
    assert.equal(outcome.status, 'up-to-date')
    assert.equal(ran, false)
    assert.match(output(), /The Prisma client was not regenerated, since the service did not change\. Run `prisma generate` to regenerate it\./)
  })

  test('a generation that fails after the deploy is reported; the deploy stands and the endpoints are printed', async () => {
    const {deps, output} = fake({payload: applied})
    deps.generate = async () => {
      throw new GenerateError('The output /p/generated of the typescript-client generator is a file.')
    }
    const outcome = await runDeploy({...request, generate: generateEntries}, deps)
    assert.equal(outcome.status, 'generate-failed')
    assert.equal(outcome.exitCode, 1)
    assert.equal(outcome.revision, 2)
    assert.match(outcome.message ?? '', /The deploy succeeded and stays deployed \(revision 2\), but generating the clients of prisma\.yml failed: The output \/p\/generated/)
    assert.match(output(), /endpoint is live/)
  })
})
