// The package as npm publishes it (the `files` of package.json) runs on its own: dist/ is a bundle, so an install
// holds no dependency, and nothing may reach for a library in node_modules. Every other test runs bin/run.js inside
// the repository, where node_modules would hide such a miss; this one runs a copy with no node_modules above it,
// through the paths that load each bundled library: oclif's help and errors, YAML, JWT signing, the config store,
// GraphQL (the schema written after a deploy) and HTTP.
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {cp, mkdir, readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import jwt from 'jsonwebtoken'

import {zipValues} from '../data/fixtures.js'
import {project} from '../deploy/fixtures.js'
import {type CliResult, repoRoot, runCli, tempDir} from '../helpers/cli.js'
import {type CloudServer, startCloudServer} from '../stand-in/cloud-api.js'
import {type ManagementServer, startManagementServer} from '../stand-in/management-server.js'

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {files: string[]; dependencies?: Record<string, string>; version: string}

/** A copy of what `npm pack` puts in the tarball: package.json and the `files` entries (`!` ones left out). */
async function publishedCopy(): Promise<string> {
  const dir = join(await tempDir('prisma-published-'), 'package')
  await mkdir(dir)
  await cp(join(repoRoot, 'package.json'), join(dir, 'package.json'))
  const excluded = pkg.files.filter((entry) => entry.startsWith('!')).map((entry) => join(repoRoot, entry.slice(1)))
  for (const entry of pkg.files.filter((file) => !file.startsWith('!'))) {
    await cp(join(repoRoot, entry), join(dir, entry), {recursive: true, filter: (source) => !excluded.includes(source)})
  }

  return dir
}

/** The CLI of the copy, as runCli runs this repository's (NODE_PATH dropped: no library may come from elsewhere). */
function run(bin: string, args: string[], options: {cwd: string; env?: Record<string, string>}): Promise<CliResult> {
  return runCli(args, {bin, cwd: options.cwd, env: {...options.env, NODE_PATH: undefined}})
}

describe('the published package, alone', () => {
  let dir: string
  let bin: string
  let server: ManagementServer
  let cloud: CloudServer
  before(async () => {
    dir = await publishedCopy()
    bin = join(dir, 'bin', 'run.js')
    server = await startManagementServer({migrationStepMs: 1})
    cloud = await startCloudServer({sessionKeys: {'a-session-key': {email: 'ada@example.com', name: 'Ada', workspaces: [{slug: 'ada'}]}}})
  })
  after(async () => {
    await server.close()
    await cloud.close()
  })

  test('has no dependency to install, and no node_modules folder can be reached from the copy', () => {
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], 'the libraries are in the bundle (dist/); a dependency would be installed for nothing')
    for (let folder = dir; ; folder = dirname(folder)) {
      assert.ok(!existsSync(join(folder, 'node_modules')), `${folder}/node_modules exists: this test could not see a missing library`)
      if (dirname(folder) === folder) break
    }
    assert.ok(existsSync(join(dir, 'dist', 'THIRD-PARTY-NOTICES.md')), 'the licences of the bundled libraries ship with them')
    assert.ok(!existsSync(join(dir, 'dist', 'bundle-meta.json')), 'the build record is not published')
  })

  test('--version, --help, a command help with its examples, and a usage error', async () => {
    const cwd = await tempDir()
    const version = await run(bin, ['--version'], {cwd})
    assert.match(version.stdout, new RegExp(`^prisma1-cli/${pkg.version.replaceAll('.', '\\.')} `))
    const help = await run(bin, ['--help'], {cwd})
    assert.equal(help.code, 0, help.stderr)
    assert.match(help.stdout, /cluster-token/)
    const deployHelp = await run(bin, ['deploy', '--help'], {cwd})
    assert.equal(deployHelp.code, 0, deployHelp.stderr)
    assert.match(deployHelp.stdout, /\$ prisma deploy/, 'the examples are rendered (<%= config.bin %>)')
    const wrong = await run(bin, ['deploy', '--no-such-flag'], {cwd})
    assert.equal(wrong.code, 2)
    assert.match(wrong.stderr, /Nonexistent flag: --no-such-flag/)
    assert.doesNotMatch(wrong.stderr, /\n\s+at /, 'no stack trace')
    // under DEBUG the stack trace goes through the bundle's source maps to the source files
    const traced = await run(bin, ['cluster-token', '--expires-in', 'soon'], {cwd, env: {DEBUG: '*', PRISMA_MANAGEMENT_API_SECRET: 's'}})
    assert.equal(traced.code, 2)
    assert.match(traced.stderr, /at parseDuration \(.*src[/\\]duration\.ts:\d+:\d+\)/)
  })

  test('deploy of a new service, the schema written by the graphql-schema generator, then info and cluster-token', async () => {
    const cwd = await project(`${server.url}/published/dev`, undefined, 'generate:\n  - generator: graphql-schema\n    output: ./generated/prisma.graphql\n')
    const deploy = await run(bin, ['deploy'], {cwd})
    assert.equal(deploy.code, 0, deploy.stderr)
    assert.match(deploy.stdout + deploy.stderr, /Creating stage dev for service published/)
    assert.match(await readFile(join(cwd, 'generated', 'prisma.graphql'), 'utf8'), /type User implements Node \{/)

    const info = await run(bin, ['info', '--json'], {cwd})
    assert.equal(info.code, 0, info.stderr)
    assert.equal((JSON.parse(info.stdout) as {name: string}).name, 'published')

    const secret = 'a-management-secret'
    const token = await run(bin, ['cluster-token'], {cwd, env: {PRISMA_MANAGEMENT_API_SECRET: secret}})
    assert.equal(token.code, 0, token.stderr)
    const claims = jwt.verify(token.stdout.trim(), secret, {algorithms: ['HS256']}) as {grants: unknown}
    assert.ok(claims.grants)
  })

  test('seed from a .graphql file (GraphQL parsing), export to a zip and import it into a new stage', async () => {
    const cwd = await project(`${server.url}/published-data/dev`, undefined, 'seed:\n  import: seed.graphql\n', {
      'seed.graphql': 'mutation { createUser(data: {name: "Ada"}) { id } }\n',
    })
    // the new stage is seeded by deploy; seed --reset deletes that row and seeds again
    assert.equal((await run(bin, ['deploy'], {cwd})).code, 0)
    const seed = await run(bin, ['seed', '--reset', '--json'], {cwd})
    assert.equal(seed.code, 0, seed.stderr)
    const exported = await run(bin, ['export', '-p', 'data.zip'], {cwd})
    assert.equal(exported.code, 0, exported.stderr)
    const target = await project(`${server.url}/published-data/copy`)
    assert.equal((await run(bin, ['deploy'], {cwd: target})).code, 0)
    const imported = await run(bin, ['import', '--data', join(cwd, 'data.zip')], {cwd: target})
    assert.equal(imported.code, 0, imported.stderr)
    const again = await run(bin, ['export', '-p', 'again.zip'], {cwd: target})
    assert.equal(again.code, 0, again.stderr)
    const {nodes} = await zipValues(join(target, 'again.zip'))
    assert.deepEqual(
      nodes.map((node) => (node as {name: string}).name),
      ['Ada'],
      'the seeded row went through export and import',
    )
  })

  test('login --key stores the session in ~/.prisma/config.yml (the config store), account reads it back', async () => {
    const home = await tempDir('home-')
    const env = {CLOUD_API_ENDPOINT: cloud.url, HOME: home}
    const login = await run(bin, ['login', '--key', 'a-session-key'], {cwd: home, env})
    assert.equal(login.code, 0, login.stderr)
    assert.match(await readFile(join(home, '.prisma', 'config.yml'), 'utf8'), /cloudSessionKey: a-session-key/)
    const account = await run(bin, ['account'], {cwd: home, env})
    assert.equal(account.code, 0, account.stderr)
    assert.equal(account.stdout, 'Email: ada@example.com\nName:  Ada\n')
  })
})
