/**
 * `npm run demo`: starts the local Prisma server stand-in on a free port, writes the demo service (fixtures/demo)
 * into a temporary folder with its endpoint pointing at the stand-in, runs the real `prisma deploy` there, changes
 * the datamodel and deploys again, then stops the server. Needs a build (`npm run build`, which `npm run demo` does).
 */
import {spawn} from 'node:child_process'
import {copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {startManagementServer} from '../test/stand-in/management-server.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const fixtures = join(root, 'fixtures', 'demo')
const bin = join(root, 'bin', 'run.js')

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  console.log(`\n$ prisma ${args.join(' ')}`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {cwd, env, stdio: 'inherit'})
    child.on('error', reject)
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

async function main(): Promise<number> {
  if (!existsSync(join(root, 'dist', 'commands', 'deploy.js'))) {
    console.error('The CLI is not built yet: run `npm run build` first (or use `npm run demo`, which builds).')
    return 1
  }
  const server = await startManagementServer({migrationStepMs: 150})
  const dir = mkdtempSync(join(tmpdir(), 'prisma-demo-'))
  const home = mkdtempSync(join(tmpdir(), 'prisma-demo-home-'))
  // A clean environment for the CLI: a fresh HOME and none of the caller's PRISMA_* settings.
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PRISMA_')) env[key] = value
  env.HOME = home
  env.USERPROFILE = home
  try {
    const endpoint = `${server.url}/demo/dev`
    const yml = readFileSync(join(fixtures, 'prisma.yml'), 'utf8').replace(/^endpoint:.*$/m, `endpoint: ${endpoint}`)
    writeFileSync(join(dir, 'prisma.yml'), yml)
    copyFileSync(join(fixtures, 'datamodel.prisma'), join(dir, 'datamodel.prisma'))
    console.log(`Local Prisma server stand-in: ${server.url} (Management API at ${server.url}/management)`)
    console.log(`Demo service in ${dir}:`)
    console.log(`\n--- prisma.yml ---\n${yml}--- datamodel.prisma ---\n${readFileSync(join(dir, 'datamodel.prisma'), 'utf8')}`)

    const first = await run(['deploy'], dir, env)
    if (first !== 0) return first

    copyFileSync(join(fixtures, 'datamodel.v2.prisma'), join(dir, 'datamodel.prisma'))
    console.log(`\nChanged datamodel.prisma: User gets a \`role\` (new enum Role), Post gets a \`body\`.`)
    const second = await run(['deploy'], dir, env)
    if (second !== 0) return second

    console.log('\nDeploying the same datamodel again changes nothing:')
    return await run(['deploy'], dir, env)
  } finally {
    await server.close()
    rmSync(dir, {recursive: true, force: true})
    rmSync(home, {recursive: true, force: true})
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(1)
  },
)
