// The same cause gives the same error from every command that reads prisma.yml: one code, one exit code and one
// message, under --json (the error document on stdout) and without it (one paragraph on stderr, no stack trace).
import assert from 'node:assert/strict'
import {after, before, describe, test} from 'node:test'

import {type CliResult, freePort, noStack, runCli, writeTree} from '../helpers/cli.js'
import {addStage, userTypes} from '../services/stand-in-setup.js'
import {type ManagementServer, startManagementServer} from '../stand-in/management-server.js'

/** Each command that reads prisma.yml, with the flags that keep it from asking or from needing more input. */
const commands = {
  deploy: ['deploy'],
  generate: ['generate'],
  seed: ['seed'],
  reset: ['reset', '--force'],
  export: ['export', '--path', 'out.zip'],
  import: ['import', '--data', 'data'],
  info: ['info'],
  list: ['list'],
  delete: ['delete', '--force'],
  // without --force and without a terminal: prisma.yml is read before the question is refused
  'delete (no --force)': ['delete'],
  migrations: ['migrations'],
  token: ['token'],
  'cluster-token': ['cluster-token'],
  admin: ['admin'],
  playground: ['playground'],
} as const

type Command = keyof typeof commands

const everyCommand = Object.keys(commands) as Command[]
/** The commands that talk to the server's Management API (admin: its public serverInfo). */
const managementCommands: Command[] = ['deploy', 'list', 'delete', 'migrations', 'admin']
/** The commands that talk to the service's own API (with the service token of prisma.yml's secret). */
const serviceCommands: Command[] = ['seed', 'reset', 'export', 'import']

interface ErrorDocument {
  status: string
  code: string
  message: string
  exitCode: number
}

interface Failure {
  command: Command
  document: ErrorDocument
  /** The same command without --json. */
  human: CliResult
}

const secret = 'the-right-secret'
const seedFile = 'mutation {\n  createUser(data: {name: "Ada"}) {\n    id\n  }\n}\n'
const importData = JSON.stringify({valueType: 'nodes', values: [{_typeName: 'User', id: 'ada', name: 'Ada'}]})

/** A project whose prisma.yml has `head` on top of a seed and a service secret, with everything else in place. */
function project(head: string): Record<string, string> {
  return {
    'data/nodes/000001.json': importData,
    'datamodel.prisma': userTypes,
    'prisma.yml': `${head}secret: service-secret\nseed:\n  import: seed.graphql\n`,
    'seed.graphql': seedFile,
  }
}

/** The last paragraph of what the command wrote on stderr (progress lines may come before it). */
function lastParagraph(stderr: string): string {
  const paragraphs = stderr.trim().split(/\n\n/)
  return paragraphs.at(-1) ?? ''
}

/**
 * Runs each command with --json and without, in the same project folder, a few at a time. Every run must fail
 * with one error document on stdout, the same paragraph on stderr, and no stack trace.
 */
async function failures(which: Command[], dir: string, env: Record<string, string> = {}): Promise<Failure[]> {
  const results: Failure[] = []
  const queue = [...which]
  const worker = async () => {
    for (let command = queue.shift(); command !== undefined; command = queue.shift()) {
      const args = commands[command]
      const [json, human] = await Promise.all([runCli([...args, '--json'], {cwd: dir, env}), runCli([...args], {cwd: dir, env})])
      let document: ErrorDocument
      try {
        document = JSON.parse(json.stdout) as ErrorDocument
      } catch {
        assert.fail(`${command} --json: stdout is not one JSON document (exit ${json.code}): ${json.stdout}${json.stderr}`)
      }

      assert.equal(document.status, 'error', `${command} --json failed: ${json.stdout}`)
      assert.equal(json.code, document.exitCode, `${command} --json: the exit code is the document's`)
      assert.equal(lastParagraph(json.stderr), document.message.trimEnd(), `${command} --json: stderr ends with the message`)
      assert.equal(human.code, document.exitCode, `${command}: the same exit code without --json (${human.stderr})`)
      assert.equal(lastParagraph(human.stderr), document.message.trimEnd(), `${command}: the same message without --json`)
      assert.doesNotMatch(document.message.trim(), /\n\s*\n/, `${command}: the message is one paragraph`)
      noStack(json.stderr)
      noStack(human.stderr)
      results.push({command, document, human})
    }
  }

  await Promise.all([worker(), worker(), worker()])
  return which.map((command) => results.find((result) => result.command === command) as Failure)
}

/** Every command gave the same code, exit code and message; returns that message. */
function sameError(found: Failure[], code: string, exitCode = 1): string {
  const [first] = found
  for (const {command, document} of found) {
    assert.deepEqual(
      {code: document.code, exitCode: document.exitCode, message: document.message},
      {code, exitCode, message: first.document.message},
      `${command} gives the error of ${first.command}`,
    )
  }

  return first.document.message
}

describe('the same cause gives the same error from every command', () => {
  let server: ManagementServer
  before(async () => {
    server = await startManagementServer({auth: {mode: 'symmetric', secret}, migrationStepMs: 2})
    await addStage(server, {name: 'svc', secret, stage: 'dev', types: userTypes})
  })
  after(async () => {
    await server.close()
  })

  test('a YAML syntax error in prisma.yml: PROJECT_INVALID naming the file, line and column', async () => {
    const dir = await writeTree(project(`endpoint: ${server.url}/svc/dev\ndatamodel: [datamodel.prisma\n`))
    const message = sameError(await failures(everyCommand, dir), 'PROJECT_INVALID')
    assert.match(message, /prisma\.yml syntax error in .*prisma\.yml at line \d+, column \d+/)
  })

  test('a datamodel file that does not exist: PROJECT_INVALID naming the file and the field', async () => {
    const dir = await writeTree(project(`endpoint: ${server.url}/svc/dev\ndatamodel: missing.prisma\n`))
    const message = sameError(await failures(everyCommand, dir), 'PROJECT_INVALID')
    assert.match(message, /missing\.prisma" could not be found\. It is named by datamodel in .*prisma\.yml/)
  })

  test('no endpoint: PROJECT_INVALID with the one message that says how to give it', async () => {
    const dir = await writeTree(project('datamodel: datamodel.prisma\n'))
    // generate needs no endpoint, and cluster-token without one only lacks a credential (NO_CREDENTIAL)
    const which = everyCommand.filter((command) => command !== 'generate' && command !== 'cluster-token')
    const message = sameError(await failures(which, dir), 'PROJECT_INVALID')
    assert.match(message, /prisma\.yml has no endpoint.*endpoint: http:\/\/localhost:4466\/<service>\/<stage>.*PRISMA_MANAGEMENT_API_ENDPOINT/s)
  })

  test('a server that cannot be reached: SERVER_UNREACHABLE saying the connection was refused', async () => {
    const origin = `http://127.0.0.1:${await freePort()}`
    const dir = await writeTree(project(`endpoint: ${origin}/svc/dev\ndatamodel: datamodel.prisma\n`))
    const env = {PRISMA_MANAGEMENT_API_SECRET: secret}
    const management = sameError(await failures(managementCommands, dir, env), 'SERVER_UNREACHABLE')
    assert.equal(management, `Could not connect to the server at ${origin}/management: the connection was refused. Is the Prisma server running? Start it (for example with docker-compose up -d) and try again.`)
    // the service's API is asked at the address of what the command does; the failure is told in the same words
    for (const {command, document} of await failures(serviceCommands, dir, env)) {
      assert.equal(document.code, 'SERVER_UNREACHABLE', `${command}: ${document.message}`)
      assert.equal(document.exitCode, 1)
      assert.match(document.message, new RegExp(`Could not connect to the server at ${origin}/svc/dev[/a-z]*: the connection was refused\\. Is the Prisma server running\\?`), command)
    }
  })

  test('a wrong PRISMA_MANAGEMENT_API_SECRET: AUTH_FAILED naming the variable, never its value', async () => {
    const dir = await writeTree(project(`endpoint: ${server.url}/svc/dev\ndatamodel: datamodel.prisma\n`))
    // admin asks only what the server tells everyone, and the data commands use the service secret of prisma.yml
    const which = managementCommands.filter((command) => command !== 'admin')
    const found = await failures(which, dir, {PRISMA_MANAGEMENT_API_SECRET: 'a-wrong-secret'})
    const message = sameError(found, 'AUTH_FAILED')
    assert.match(message, /^Can not authenticate against Prisma server local\. It seems that your PRISMA_MANAGEMENT_API_SECRET environment variable is set incorrectly/)
    for (const {command, document, human} of found) {
      assert.ok(!JSON.stringify(document).includes('a-wrong-secret') && !human.stderr.includes('a-wrong-secret'), `${command} shows no secret`)
    }
  })
})
