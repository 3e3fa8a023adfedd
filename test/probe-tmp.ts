import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startManagementServer} from './stand-in/management-server.js'
import {runCli} from './helpers/cli.js'
const server = await startManagementServer({migrationStepMs: 5})
const dir = mkdtempSync(join(tmpdir(), 'probe-'))
writeFileSync(join(dir, 'prisma.yml'), `endpoint: ${server.url}/svc/dev\ndatamodel: datamodel.prisma\nsecret: mysecret\n`)
writeFileSync(join(dir, 'datamodel.prisma'), 'type User {\n  id: ID! @id\n}\n')
const show = async (args: string[], env = {}) => { const r = await runCli(args, {cwd: dir, env}); console.log(`=== ${args.join(' ')} code=${r.code}\n${r.stdout}--stderr--\n${r.stderr}`) }
await show(['deploy'])
await show(['info'])
await show(['info', '-j', '-s'])
await show(['list'])
await show(['ls', '--json'])
await show(['migrations'])
await show(['migrations', '--json', '--limit', '1'])
await show(['admin'])
await show(['admin', '--json'])
await show(['playground'])
await show(['account'])
await show(['delete'])
await show(['delete', '--force'])
await show(['delete', '--force', '--json'])
await show(['migrations'])
await server.close()
