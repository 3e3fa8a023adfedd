// The output policy (README, "Output"), command by command: what a script may capture goes to stdout; task lines,
// notices and warnings go to stderr; under --json stdout holds the one JSON document and nothing else. generate and
// delete are the exceptions README names: their transcript is the original's stdout.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {dataProject, shopSeed} from '../data/fixtures.js'
import {repoRoot, runCli, type CliResult} from '../helpers/cli.js'
import {startCloudServer, type CloudServer} from '../stand-in/cloud-api.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'

const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}

/** A task line as the progress writer prints it: `<text>...`, `<text>... ✔`, `<text>... 12ms`, `<text>... (1/3)`. */
const taskLine = /^\S.*\.\.\.( \S+)?$/m
/** The warning of a prisma.yml with an empty secret entry; every command that reads prisma.yml for a stage shows it. */
const warning = /\[WARNING\] in .*prisma\.yml: secret contains empty entries/

interface Case {
  args: string[]
  /** A line of the human result that must be on stdout. */
  result?: RegExp
  /** A task line that must be on stderr. */
  progress?: RegExp
  /** Whether prisma.yml's warnings are shown (commands that open a stage). */
  warns?: boolean
  env?: () => Record<string, string>
  /** generate, delete: the original's transcript, on stdout for a person (README names the exception), on stderr under --json. */
  transcript?: RegExp
  /** A command run before each run of this one (an import needs an empty stage). */
  before?: string[]
}

describe('output policy: stdout for results, stderr for progress and notices, --json alone on stdout', () => {
  let server: ManagementServer
  let cloud: CloudServer
  let dir: string
  before(async () => {
    server = await startManagementServer({migrationStepMs: 2})
    cloud = await startCloudServer({sessionKeys: {'policy-key': {email: 'policy@example.com', name: 'Policy'}}})
    dir = await dataProject(`${server.url}/policy/dev`, 'secret: policy-secret,,\nseed:\n  import: seed.graphql\ngenerate:\n  - generator: graphql-schema\n    output: ./generated/schema.graphql\n', {
      'seed.graphql': shopSeed,
    })
  })
  after(async () => {
    await server.close()
    await cloud.close()
  })

  const cloudEnv = () => ({CLOUD_API_ENDPOINT: cloud.url})
  // in the order a user would run them; delete comes last
  const cases: Record<string, Case> = {
    deploy: {args: ['deploy'], progress: /Deploying service `policy`/, result: /Your Prisma endpoint is live/, warns: true},
    generate: {args: ['generate'], transcript: /Downloading schema\.\.\. |Generating schema\.\.\. /, warns: true},
    seed: {args: ['seed', '--reset'], progress: /Seeding based on seed\.graphql/, result: /^Seeded policy@dev/m, warns: true},
    export: {args: ['export', '-p', 'policy.zip', '--force'], progress: /Downloading nodes/, result: /^Exported service policy@dev/m, warns: true},
    import: {args: ['import', '--data', 'policy.zip'], before: ['reset', '--force'], progress: /Validating data/, result: /^Imported policy\.zip/m, warns: true},
    reset: {args: ['reset', '--force'], progress: /Resetting policy@dev/, result: /^Deleted all data of policy@dev/m, warns: true},
    info: {args: ['info'], result: /^Service Name: policy/m, warns: true},
    list: {args: ['list'], result: /policy +dev +local/, warns: true},
    migrations: {args: ['migrations'], result: /\d/, warns: true},
    admin: {args: ['admin'], env: () => ({BROWSER: 'none'}), result: /^Opening Prisma Admin/m, warns: true},
    playground: {args: ['playground'], env: () => ({BROWSER: 'none'}), result: /^Opening GraphQL Playground/m, warns: true},
    token: {args: ['token'], result: /^[\w-]+\.[\w-]+\.[\w-]+$/m},
    'cluster-token': {args: ['cluster-token'], env: () => ({PRISMA_MANAGEMENT_API_SECRET: 'policy-management-secret'}), result: /^[\w-]+\.[\w-]+\.[\w-]+$/m},
    login: {args: ['login', '--key', 'policy-key'], env: cloudEnv, result: /Successfully signed in|Authenticated with/},
    account: {args: ['account'], env: () => ({...cloudEnv(), PRISMA_CLOUD_SESSION_KEY: 'policy-key'}), result: /^Email: policy@example\.com/m},
    logout: {args: ['logout'], result: /logged out/},
    upgrade: {args: ['upgrade', '--connector', 'postgres', '--out', 'prisma-orm', '--force'], result: /^Set DATABASE_URL=postgresql:/m, warns: true},
    delete: {args: ['delete', '--force'], transcript: /Deleting service .* from local\.\.\. /, warns: true},
  }

  test('every command of the manifest has a case', () => {
    const ids = Object.keys(manifest.commands).filter((id) => id !== 'help')
    assert.deepEqual(ids.filter((id) => !(id in cases)), [])
  })

  test('each command, for a person and under --json', async () => {
    const failures: string[] = []
    for (const [id, c] of Object.entries(cases)) {
      // the human run first: deploy then creates the stage and shows its endpoints
      for (const [kind, args] of [['human', c.args], ['json', [...c.args, '--json']]] as Array<['human' | 'json', string[]]>) {
        if (c.before) assert.equal((await runCli(c.before, {cwd: dir})).code, 0, c.before.join(' '))
        const result = await runCli(args, {cwd: dir, env: c.env?.()})
        const say = (problem: string) => failures.push(`${args.join(' ')}: ${problem}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`)
        if (id === 'delete' && kind === 'json') {
          // the human run deleted the stage: an error document, alone on stdout
          check(result, say, {json: true})
          continue
        }

        if (result.code !== 0) {
          say(`exit ${result.code}`)
          continue
        }

        check(result, say, {json: kind === 'json', transcript: Boolean(c.transcript)})
        if (c.warns) {
          if (!warning.test(result.stderr)) say("prisma.yml's warning is not on stderr")
        }

        if (c.transcript && !c.transcript.test(kind === 'human' ? result.stdout : result.stderr)) say('the transcript is not where README says')
        if (kind === 'human') {
          if (c.result && !c.result.test(result.stdout)) say(`the result ${c.result} is not on stdout`)
          if (c.progress && !c.progress.test(result.stderr)) say(`the task line ${c.progress} is not on stderr`)
        }
      }
    }

    assert.deepEqual(failures, [])
  })
})

function check(result: CliResult, say: (problem: string) => void, o: {json: boolean; transcript?: boolean}): void {
  if (warning.test(result.stdout)) say("prisma.yml's warning is on stdout")
  if (o.json) {
    try {
      JSON.parse(result.stdout)
    } catch {
      say('stdout is not exactly one JSON document')
    }

    return
  }

  if (!o.transcript && taskLine.test(result.stdout)) say(`a task line is on stdout: ${result.stdout.match(taskLine)?.[0]}`)
}
