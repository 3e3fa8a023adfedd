/**
 * Runs the stand-in Prisma server (Management API + service API with its in-memory data) and, when available, the
 * cloud API stand-in from the command line:
 *
 *   npm run stand-in -- [--port 4466] [--host 127.0.0.1] [--secret S | --public-key FILE] [--profile 1.34|pre-1.5|cluster-path]
 *                       [--version 1.34.12] [--connector postgres] [--step-ms 20] [--sandbox RATE/WINDOW_MS[/MAX_QUEUE]]
 *                       [--export-page-limit 1000000] [--cloud-port 4477] [--no-cloud]
 *
 * Prints the addresses, then serves until interrupted (Ctrl-C).
 */
import {existsSync, readFileSync} from 'node:fs'
import {parseArgs} from 'node:util'
import {startManagementServer, type ManagementServerOptions} from './management-server.js'

const usage = `Usage: npm run stand-in -- [options]
  --port N             port of the Prisma server stand-in (default 4466; 0 = any free port)
  --host H             address to listen on (default 127.0.0.1)
  --secret S           management API secret (HS256); without it auth is off
  --public-key FILE    PEM public key: legacy RS256 management auth (servers to 1.26; default version 1.26.6)
  --profile P          1.34 (default), pre-1.5 (version 1.4.0) or cluster-path (version 1.7.4)
  --version V          the server's version, which picks its line's behaviour: 1.34.7+ HS256 tokens as jwt-scala
                       checks them; 1.27-1.34.6 tokens as libs/jwt-native-rs checks them; to 1.26 RS256 too;
                       before 1.8 no serverInfo (see docs/stand-in.md)
  --connector C        postgres (default), mysql, mongo or sqlite: project id separator $, @, _
  --step-ms N          time per applied migration step (default 20)
  --sandbox R/W[/Q]    throttle the service API: R requests per W ms, at most Q queued (default 25)
  --export-page-limit N characters of JSON per /export page (default 1000000, as the server)
  --cloud-port N       port of the cloud API stand-in (default 0 = any free port)
  --no-cloud           do not start the cloud API stand-in`

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      port: {type: 'string'},
      host: {type: 'string'},
      secret: {type: 'string'},
      'public-key': {type: 'string'},
      profile: {type: 'string'},
      version: {type: 'string'},
      connector: {type: 'string'},
      'step-ms': {type: 'string'},
      sandbox: {type: 'string'},
      'export-page-limit': {type: 'string'},
      'cloud-port': {type: 'string'},
      'no-cloud': {type: 'boolean'},
      help: {type: 'boolean', short: 'h'},
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const options: ManagementServerOptions = {
    port: values.port === undefined ? 4466 : Number(values.port),
    host: values.host,
    version: values.version,
    migrationStepMs: values['step-ms'] === undefined ? undefined : Number(values['step-ms']),
    exportPageLimit: values['export-page-limit'] === undefined ? undefined : Number(values['export-page-limit']),
  }
  if (options.exportPageLimit !== undefined && !(options.exportPageLimit > 0)) throw new Error(`--export-page-limit expects a positive number\n${usage}`)
  if (values.secret) options.auth = {mode: 'symmetric', secret: values.secret}
  else if (values['public-key']) options.auth = {mode: 'asymmetric', publicKey: readFileSync(values['public-key'], 'utf8')}
  if (values.profile) {
    if (!['1.34', 'pre-1.5', 'cluster-path'].includes(values.profile)) throw new Error(`Unknown profile ${values.profile}\n${usage}`)
    options.profile = values.profile as ManagementServerOptions['profile']
  }
  if (values.connector) {
    if (!['postgres', 'mysql', 'mongo', 'sqlite'].includes(values.connector)) throw new Error(`Unknown connector ${values.connector}\n${usage}`)
    options.connector = values.connector as ManagementServerOptions['connector']
  }
  if (values.sandbox) {
    const [rate, windowMs, maxQueue] = values.sandbox.split('/').map(Number)
    if (!rate || !windowMs) throw new Error(`--sandbox expects RATE/WINDOW_MS[/MAX_QUEUE], e.g. 10/10000\n${usage}`)
    options.sandbox = {rate, windowMs, maxQueue: maxQueue || undefined}
  }
  const server = await startManagementServer(options)
  const managementPath = options.profile === 'cluster-path' ? 'cluster' : 'management'
  console.log(`Prisma server stand-in listening on ${server.url} (Management API: ${server.url}/${managementPath})`)

  let cloud: {url: string; close(): Promise<void>} | undefined
  const cloudModule = new URL('./cloud-api.ts', import.meta.url)
  if (!values['no-cloud'] && existsSync(cloudModule)) {
    const {startCloudServer} = (await import(cloudModule.href)) as {
      startCloudServer: (o: {port?: number; host?: string}) => Promise<{url: string; close(): Promise<void>}>
    }
    cloud = await startCloudServer({port: values['cloud-port'] === undefined ? 0 : Number(values['cloud-port']), host: values.host})
    console.log(`Prisma Cloud API stand-in listening on ${cloud.url}`)
  }

  const stop = async () => {
    await Promise.all([server.close(), cloud?.close()])
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error((error as Error).message)
  process.exit(1)
})
