// prisma export and prisma import through the built CLI against the stand-in: paging, the zip layout, the default
// path, an existing path, bad input, server faults, Ctrl-C and a full disk.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {readdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {binPath, cliEnvironment, runCli, writeTree, type CliResult} from '../helpers/cli.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {canonical, dataProject, deployed, freePort, zipContents, zipValues} from '../data/fixtures.js'

/** Stage data with `users` users, each with two posts, a tag list. */
async function fill(server: ManagementServer, service: string, users: number): Promise<void> {
  const nodes: unknown[] = []
  const lists: unknown[] = []
  const relations: unknown[] = []
  for (let index = 0; index < users; index++) {
    nodes.push({_typeName: 'User', age: index, email: `u${index}@example.com`, id: `u${index}`, name: `User ${index} ${'x'.repeat(40)}`})
    lists.push({_typeName: 'User', id: `u${index}`, tags: ['a', `t${index}`]})
    for (const suffix of ['a', 'b']) {
      nodes.push({_typeName: 'Post', id: `p${index}${suffix}`, title: `Post ${index}${suffix}`})
      relations.push([{_typeName: 'Post', fieldName: 'author', id: `p${index}${suffix}`}, {_typeName: 'User', fieldName: 'posts', id: `u${index}`}])
    }
  }

  for (const [valueType, values] of [['nodes', nodes], ['lists', lists], ['relations', relations]] as const) {
    assert.deepEqual(server.importData(service, 'dev', {valueType, values}), [])
  }
}

/** Runs the CLI and sends it SIGINT once `ready` says so (polled every 20 ms). */
async function interruptWhen(args: string[], cwd: string, ready: () => boolean, env: Record<string, string> = {}): Promise<CliResult> {
  const environment = (await cliEnvironment(env)).env
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {cwd, env: environment})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const poll = setInterval(() => {
      if (ready()) {
        clearInterval(poll)
        child.kill('SIGINT')
      }
    }, 20)
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearInterval(poll)
      clearTimeout(timer)
      resolve({code, signal, stderr, stdout})
    })
  })
}

describe('prisma export and prisma import', () => {
  let server: ManagementServer
  before(async () => {
    // small export pages, so that a few hundred nodes span several files
    server = await startManagementServer({exportPageLimit: 20_000, migrationStepMs: 1})
  })
  after(() => server.close())

  test('export pages through the cursor into nodes/, lists/, relations/; import into a fresh stage; the data round-trips', async () => {
    const source = await deployed(await dataProject(`${server.url}/src/dev`, 'secret: one\n'))
    await fill(server, 'src', 300)
    const exported = await runCli(['export', '--path', 'backup', '--json'], {cwd: source})
    assert.equal(exported.code, 0, exported.stderr)
    const document = JSON.parse(exported.stdout)
    assert.equal(document.path, join(source, 'backup.zip'))
    assert.deepEqual([document.nodes, document.lists, document.relations], [900, 300, 600])
    assert.ok(document.files > 3, `several pages: ${document.files}`)
    assert.match(exported.stderr, /\nDownloading nodes\.\.\.(.|\n)*\nDownloading lists\.\.\.(.|\n)*\nDownloading relations\.\.\. ✔/, 'progress on stderr')
    const exportRequests = server.requests.filter((request) => request.path === '/src/dev/export')
    assert.equal(exportRequests.length, document.files)
    const contents = await zipContents(join(source, 'backup.zip'))
    assert.ok(contents['nodes/000002.json'], 'nodes span several files')
    for (const [name, file] of Object.entries(contents)) {
      assert.match(name, /^(nodes|lists|relations)\/\d{6}\.json$/)
      assert.equal(file.valueType, name.split('/')[0])
    }

    assert.deepEqual(canonical(await zipValues(join(source, 'backup.zip'))), canonical(server.data('src', 'dev')))

    const target = await deployed(await dataProject(`${server.url}/dst/dev`, 'secret: two\n'))
    const imported = await runCli(['import', '--data', join(source, 'backup.zip'), '--json'], {cwd: target})
    assert.equal(imported.code, 0, imported.stderr)
    const result = JSON.parse(imported.stdout)
    assert.deepEqual([result.nodes, result.lists, result.relations, result.chunksSent], [900, 300, 600, document.files])
    assert.deepEqual(canonical(server.data('dst', 'dev')), canonical(server.data('src', 'dev')))
    const again = await runCli(['export', '-p', 'again.zip'], {cwd: target})
    assert.equal(again.code, 0, again.stderr)
    assert.deepEqual(canonical(await zipValues(join(target, 'again.zip'))), canonical(await zipValues(join(source, 'backup.zip'))))
    assert.match(again.stdout, /Exported service dst@dev to again\.zip: 900 nodes, 300 list values, 600 relations/)
    assert.match(again.stdout, /\$ prisma import --data again\.zip/)
  })

  test('import of a folder; uploads go nodes, then lists, then relations', async () => {
    const source = await deployed(await dataProject(`${server.url}/fsrc/dev`))
    await fill(server, 'fsrc', 5)
    const folder = await writeTree({
      'data/lists/000001.json': JSON.stringify({valueType: 'lists', values: server.data('fsrc', 'dev').lists}),
      'data/nodes/000001.json': JSON.stringify({valueType: 'nodes', values: server.data('fsrc', 'dev').nodes}),
      'data/relations/000001.json': JSON.stringify({valueType: 'relations', values: server.data('fsrc', 'dev').relations}),
    })
    const target = await deployed(await dataProject(`${server.url}/fdst/dev`))
    const before = server.requests.length
    const result = await runCli(['import', '-d', join(folder, 'data')], {cwd: target})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /: 15 nodes, 5 list values, 10 relations \(3 chunks\)\./)
    const bodies = server.requests.slice(before).filter((request) => request.path === '/fdst/dev/import').map((request) => (request.body as {valueType: string}).valueType)
    assert.deepEqual(bodies, ['nodes', 'lists', 'relations'])
    assert.deepEqual(canonical(server.data('fdst', 'dev')), canonical(server.data('fsrc', 'dev')))
    assert.ok(source)
  })

  test('the default path is export-<ISO time>.zip in the working directory; an existing path needs --force', async () => {
    const dir = await deployed(await dataProject(`${server.url}/def/dev`))
    const result = await runCli(['export'], {cwd: dir})
    assert.equal(result.code, 0, result.stderr)
    const written = (await readdir(dir)).filter((name) => name.startsWith('export-'))
    assert.equal(written.length, 1)
    assert.match(written[0], /^export-\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\.zip$/)
    await writeFile(join(dir, 'taken.zip'), 'precious')
    const refused = await runCli(['export', '-p', 'taken.zip', '--json'], {cwd: dir})
    assert.equal(refused.code, 1)
    assert.equal(JSON.parse(refused.stdout).code, 'DATA_FAILED')
    assert.match(refused.stderr, /taken\.zip already exists\. Pass --force to replace it/)
    const forced = await runCli(['export', '-p', 'taken.zip', '--force'], {cwd: dir})
    assert.equal(forced.code, 0, forced.stderr)
    assert.ok(Object.keys(await zipContents(join(dir, 'taken.zip'))).includes('nodes/000001.json'))
  })

  test('bad import input: missing path, not a zip, not the format, invalid values, rows the server rejects', async () => {
    const dir = await deployed(await dataProject(`${server.url}/badimp/dev`))
    const missing = await runCli(['import', '--data', 'nowhere.zip'], {cwd: dir})
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /nowhere\.zip does not exist/)
    const usage = await runCli(['import'], {cwd: dir})
    assert.equal(usage.code, 2)
    assert.match(usage.stderr, /Missing required flag data/)
    await writeFile(join(dir, 'text.zip'), 'not a zip at all')
    const notZip = await runCli(['import', '--data', 'text.zip'], {cwd: dir})
    assert.match(notZip.stderr, /text\.zip is not in the import data format: it is not a zip archive/)
    await writeTree({'other/readme.md': 'x'}, dir)
    const format = await runCli(['import', '--data', 'other'], {cwd: dir})
    assert.match(format.stderr, /other is not in the import data format: it holds none of the folders nodes\/, lists\/ and relations\//)
    await writeTree({'wrong/nodes/000001.json': '{"valueType":"nodes","values":[{"_typeName":"User","id":"u1","email":"e","age":"old"}]}'}, dir)
    const invalid = await runCli(['import', '--data', 'wrong', '--json'], {cwd: dir})
    assert.equal(invalid.code, 1)
    assert.match(JSON.parse(invalid.stdout).message, /in wrong\/nodes\/000001\.json, value 1 .*: the value "old" of field age is not a valid Int/)
    assert.equal(server.requests.filter((request) => request.path === '/badimp/dev/import').length, 0, 'nothing is sent when a file is invalid')
    const row = {_typeName: 'User', email: 'same@example.com', id: 'dup'}
    await writeTree({
      'dups/nodes/000001.json': JSON.stringify({valueType: 'nodes', values: [row]}),
      'dups/nodes/000002.json': JSON.stringify({valueType: 'nodes', values: [row]}),
      'dups/relations/000001.json': '{"valueType":"relations","values":[]}',
    }, dir)
    const rows = await runCli(['import', '--data', 'dups', '--json'], {cwd: dir})
    assert.equal(rows.code, 1)
    const document = JSON.parse(rows.stdout)
    assert.equal(document.file, join('dups', 'nodes/000002.json'))
    assert.equal(document.chunksSent, 2)
    assert.match(rows.stderr, /The server rejected 1 row of dups\/nodes\/000002\.json \(request 2 of 2\):\n {2}- Failure inserting User with Id: dup/)
  })

  test('server faults: down, HTTP 500; the token never shows', async () => {
    const dir = await deployed(await dataProject(`${server.url}/fault/dev`, 'secret: hush\n'))
    server.fault('http-500')
    const failed = await runCli(['export', '-p', 'x.zip', '--json'], {cwd: dir})
    assert.equal(failed.code, 1)
    assert.match(JSON.parse(failed.stdout).message, /HTTP 500/)
    assert.equal(existsSync(join(dir, 'x.zip')), false)
    const port = await freePort()
    const down = await dataProject(`http://127.0.0.1:${port}/fault/dev`, 'secret: hush\n')
    for (const args of [['export', '-p', 'x.zip'], ['import', '--data', 'x'], ['reset', '-f']]) {
      if (args[0] === 'import') await writeTree({'x/nodes/000001.json': '{"valueType":"nodes","values":[{"_typeName":"User","id":"u1","email":"e"}]}'}, down)
      const result = await runCli(args, {cwd: down})
      assert.equal(result.code, 1, args.join(' '))
      assert.match(result.stderr, /Could not connect to the server at http:\/\/127\.0\.0\.1:\d+\/fault\/dev\/(export|import|private): the connection was refused/)
      assert.doesNotMatch(result.stderr, /eyJ|hush/)
    }
  })

  test('databaseType: document is refused by export and import, before any request', async () => {
    const dir = await dataProject(`${server.url}/mongo/dev`, 'databaseType: document\n')
    const before = server.requests.length
    for (const args of [['export', '-p', 'm.zip'], ['import', '--data', 'm.zip']]) {
      const result = await runCli(args, {cwd: dir})
      assert.equal(result.code, 1)
      assert.match(result.stderr, new RegExp(`prisma ${args[0]} works with relational databases only, and .*prisma\\.yml says \`databaseType: document\``))
    }

    assert.equal(server.requests.length, before)
  })

  test('a server that does not answer within PRISMA_REQUEST_TIMEOUT: exit 1, no file', async () => {
    const dir = await deployed(await dataProject(`${server.url}/slowsrv/dev`))
    server.fault('hang', 1)
    const result = await runCli(['export', '-p', 'late.zip', '--json'], {cwd: dir, env: {PRISMA_REQUEST_TIMEOUT: '1s'}})
    server.fault(null)
    assert.equal(result.code, 1)
    const document = JSON.parse(result.stdout)
    assert.equal(document.code, 'SERVER_UNREACHABLE')
    assert.match(document.message, /did not answer within 1 s\./)
    assert.equal(existsSync(join(dir, 'late.zip')), false)
  })

  test('--project and -e/--env-file name the project and its environment for every data command', async () => {
    const dir = await writeTree({
      'service/datamodel.prisma': (await import('../data/fixtures.js')).shopModel,
      'service/prisma.yml': 'endpoint: ${env:DATA_ENDPOINT}\ndatamodel: datamodel.prisma\nsecret: ${env:DATA_SECRET}\nseed:\n  import: seed.graphql\n',
      'service/seed.graphql': 'mutation { createUser(data: {email: "env@example.com"}) { id } }\n',
      'vars.env': `DATA_ENDPOINT=${server.url}/envproj/dev\nDATA_SECRET=from-env-file\n`,
    })
    const project = join(dir, 'service', 'prisma.yml')
    const deploy = await runCli(['deploy', '--no-seed', '-p', project, '-e', 'vars.env'], {cwd: dir})
    assert.equal(deploy.code, 0, deploy.stderr)
    assert.equal((await runCli(['seed', '-p', project, '-e', 'vars.env'], {cwd: dir})).code, 0)
    const exported = await runCli(['export', '--project', project, '--env-file', 'vars.env', '-p', 'env.zip'], {cwd: dir})
    assert.equal(exported.code, 0, exported.stderr)
    assert.equal((await zipValues(join(dir, 'env.zip'))).nodes.length, 1)
    assert.equal((await runCli(['reset', '--force', '--project', project, '-e', 'vars.env'], {cwd: dir})).code, 0)
    assert.equal(server.data('envproj', 'dev').nodes.length, 0)
    const imported = await runCli(['import', '-d', 'env.zip', '-p', project, '--env-file', 'vars.env'], {cwd: dir})
    assert.equal(imported.code, 0, imported.stderr)
    assert.equal(server.data('envproj', 'dev').nodes.length, 1)
    const withoutEnv = await runCli(['export', '--project', project, '-p', 'none.zip'], {cwd: dir})
    assert.equal(withoutEnv.code, 1)
    assert.match(withoutEnv.stderr, /has no endpoint, so the service and its server are unknown/)
  })

  test('Ctrl-C in the middle of an export: exit 130, no file at the path; of an import: exit 130 and how many chunks were sent', async () => {
    const dir = await deployed(await dataProject(`${server.url}/intr/dev`))
    await fill(server, 'intr', 200)
    const exportRequests = () => server.requests.filter((request) => request.path === '/intr/dev/export').length
    const start = exportRequests()
    server.fault('hang', 1)
    const exported = await interruptWhen(['export', '-p', 'cut.zip'], dir, () => exportRequests() > start)
    server.fault(null)
    assert.equal(exported.code, 130, exported.stderr)
    assert.match(exported.stderr, /Export interrupted; nothing was written to .*cut\.zip/)
    assert.deepEqual((await readdir(dir)).filter((name) => name.includes('cut')), [])

    assert.equal((await runCli(['export', '-p', 'full.zip'], {cwd: dir})).code, 0)
    const target = await deployed(await dataProject(`${server.url}/intr2/dev`))
    const importRequests = () => server.requests.filter((request) => request.path === '/intr2/dev/import').length
    // let two chunks through, then hold the third: the fault is set as the server records that request, before it
    // answers it (polling for the count instead lets a fast runtime send more, or all, chunks first)
    let armed = false
    const record = server.requests.push.bind(server.requests)
    server.requests.push = (...entries) => {
      const length = record(...entries)
      if (!armed && importRequests() === 3) {
        server.fault('hang', 1)
        armed = true
      }
      return length
    }
    const imported = await interruptWhen(['import', '--data', join(dir, 'full.zip')], target, () => armed).finally(() => {
      server.requests.push = record
    })
    server.fault(null)
    assert.equal(imported.code, 130, imported.stderr)
    // the request held by the server is the one in flight: every one before it was answered
    const sent = importRequests() - 1
    assert.ok(sent >= 2)
    assert.match(imported.stderr, new RegExp(`Import interrupted after ${sent} of \\d+ requests \\(\\d+ values\\) had been imported\\. Run the same command again to continue where it stopped`))
  })

  test('a full disk during export: exit 1, no half-written zip at the path', async () => {
    const dir = await deployed(await dataProject(`${server.url}/disk/dev`))
    await fill(server, 'disk', 300)
    const environment = (await cliEnvironment()).env
    const result = await new Promise<CliResult>((resolve) => {
      // ulimit -f: the file may not grow beyond 8 blocks of 512 bytes, so writing fails with EFBIG as on a full disk
      const child = spawn('sh', ['-c', `ulimit -f 8; exec "${process.execPath}" "${binPath}" export -p big.zip`], {cwd: dir, env: environment})
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      child.on('close', (code, signal) => resolve({code, signal, stderr, stdout}))
    })
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /There is no room left on the disk for the export \(EFBIG\)\. Nothing was written to .*big\.zip/)
    assert.deepEqual((await readdir(dir)).filter((name) => name.includes('big')), [])
  })
})
