// Every command and every fault as a scenario that can be run with or without DEBUG=*. The faults test checks
// exit code, message and that no process is left; the secrets test runs the same scenarios with DEBUG=* and scans
// the output for the secrets every scenario is given.
import {generateKeyPairSync, randomBytes} from 'node:crypto'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {tempDir, writeTree} from '../helpers/cli.js'
import {addStage} from '../services/stand-in-setup.js'
import {startCloudServer} from '../stand-in/cloud-api.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {freePort, runTracked, startFaultProxy, startSilentServer, type ProxyFault, type TrackedResult} from './harness.js'

export interface Secrets {
  managementSecret: string
  wrongManagementSecret: string
  serviceSecret: string
  sessionKey: string
  privateKeyPem: string
  publicKeyPem: string
}

/** Fresh random secrets; each is recognisable in output and long enough not to occur by chance. */
export function makeSecrets(): Secrets {
  const {privateKey, publicKey} = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: {format: 'pem', type: 'pkcs1'},
    publicKeyEncoding: {format: 'pem', type: 'spki'},
  })
  const word = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`
  // the session key looks like a real one: a JWT
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const sessionKey = `${part({alg: 'HS256', typ: 'JWT'})}.${part({exp: Math.floor(Date.now() / 1000) + 86_400 * 30, userId: word('u')})}.${randomBytes(32).toString('base64url')}`
  return {
    managementSecret: word('mgmt'),
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
    serviceSecret: word('svc'),
    sessionKey,
    wrongManagementSecret: word('wrong'),
  }
}

export interface ScenarioRun {
  result: TrackedResult
  /** A token the command was asked to print (token, cluster-token): it may appear on stdout, nowhere else. */
  printedToken?: string
  /** The key the printed token verifies with. */
  printedTokenKey?: {secret: string} | {publicKey: string}
}

export interface Scenario {
  name: string
  /** 'fault' scenarios must fail cleanly; 'command' scenarios are the normal use of every command. */
  kind: 'command' | 'fault'
  exit: number
  stderr?: RegExp
  stdout?: RegExp
  run(secrets: Secrets, extraEnv: Record<string, string>): Promise<ScenarioRun>
}

const datamodel = 'type User {\n  id: ID! @id\n  name: String!\n}\n'

/**
 * A project and a HOME that hold every kind of secret: the service secret in prisma.yml, the session key and a
 * legacy private key (for another server unless `legacyHost` says otherwise) in ~/.prisma/config.yml.
 */
async function setup(endpoint: string, s: Secrets, o: {legacyHost?: string; extraYml?: string} = {}): Promise<{cwd: string; home: string}> {
  const cwd = await writeTree({
    'datamodel.prisma': datamodel,
    'prisma.yml': `endpoint: ${endpoint}\ndatamodel: datamodel.prisma\nsecret: ${s.serviceSecret}\n${o.extraYml ?? ''}`,
  })
  const home = await tempDir('hardening-home-')
  await mkdir(join(home, '.prisma'), {mode: 0o700})
  const key = s.privateKeyPem.trimEnd().split('\n').map((line) => `      ${line}`).join('\n')
  await writeFile(
    join(home, '.prisma', 'config.yml'),
    `cloudSessionKey: ${s.sessionKey}\nclusters:\n  legacy:\n    host: '${o.legacyHost ?? 'http://legacy.invalid:4466'}'\n    clusterSecret: |\n${key}\n`,
    {mode: 0o600},
  )
  return {cwd, home}
}

async function withServer<T>(server: {close(): Promise<void>}, body: () => Promise<T>): Promise<T> {
  try {
    return await body()
  } finally {
    await server.close()
  }
}

async function until(condition: () => boolean, limitMs = 20_000): Promise<void> {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error('timed out waiting for the CLI')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const symmetric = (s: Secrets) => ({auth: {mode: 'symmetric' as const, secret: s.managementSecret}, migrationStepMs: 5})

/** A deploy against the symmetric stand-in, through a fault proxy applying `rule`. */
function proxied(rule: Parameters<typeof startFaultProxy>[1], env: Record<string, string> = {}) {
  return async (s: Secrets, extraEnv: Record<string, string>): Promise<ScenarioRun> => {
    const server = await startManagementServer(symmetric(s))
    return withServer(server, async () => {
      const proxy = await startFaultProxy(server.url, rule)
      return withServer(proxy, async () => {
        const {cwd, home} = await setup(`${proxy.url}/svc/dev`, s)
        const result = await runTracked(['deploy'], {
          cwd,
          env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...env, ...extraEnv},
        })
        return {result}
      })
    })
  }
}

/** A deploy against the stand-in with `fault` applied to its next `times` requests. */
function standInFault(fault: Parameters<ManagementServer['fault']>[0], times: number, env: Record<string, string> = {}) {
  return async (s: Secrets, extraEnv: Record<string, string>): Promise<ScenarioRun> => {
    const server = await startManagementServer(symmetric(s))
    return withServer(server, async () => {
      server.fault(fault, times)
      const {cwd, home} = await setup(`${server.url}/svc/dev`, s)
      return {result: await runTracked(['deploy'], {cwd, env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...env, ...extraEnv}})}
    })
  }
}

const always = (fault: ProxyFault) => () => fault

/**
 * A server command run against the symmetric stand-in holding the deployed stage svc/dev, with every secret of
 * setup() around and PRISMA_MANAGEMENT_API_SECRET set.
 */
function serverCommand(args: string[], env: (s: Secrets) => Record<string, string> = () => ({})) {
  return async (s: Secrets, extraEnv: Record<string, string>): Promise<ScenarioRun> => {
    const server = await startManagementServer(symmetric(s))
    return withServer(server, async () => {
      await addStage(server, {name: 'svc', secret: s.managementSecret, stage: 'dev', types: datamodel})
      const {cwd, home} = await setup(`${server.url}/svc/dev`, s)
      const result = await runTracked(args, {cwd, env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...env(s), ...extraEnv}})
      return {result}
    })
  }
}

export const scenarios: Scenario[] = [
  // ---------- the commands, used normally ----------
  {exit: 0, kind: 'command', name: 'info (asks the server for its version)', run: serverCommand(['info']), stdout: /Prisma Admin: /},
  {exit: 0, kind: 'command', name: 'list', run: serverCommand(['list']), stdout: /svc +dev +local/},
  {exit: 0, kind: 'command', name: 'migrations --json', run: serverCommand(['migrations', '--json']), stdout: /"revision": 2/},
  {exit: 0, kind: 'command', name: 'delete --force', run: serverCommand(['delete', '--force']), stdout: /Deleting service/},
  {
    exit: 0,
    kind: 'command',
    name: 'admin (a service token goes to the browser only)',
    run: serverCommand(['admin'], () => ({BROWSER: 'none'})),
    stdout: /Opening Prisma Admin/,
  },
  {
    exit: 0,
    kind: 'command',
    name: 'account (session key from the environment)',
    async run(s, extraEnv) {
      const cloud = await startCloudServer({sessionKeys: {[s.sessionKey]: {email: 'hardening@example.com'}}})
      return withServer(cloud, async () => {
        const {home} = await setup('http://127.0.0.1:9/svc/dev', s)
        const env = {CLOUD_API_ENDPOINT: cloud.url, HOME: home, PRISMA_CLOUD_SESSION_KEY: s.sessionKey, ...extraEnv}
        return {result: await runTracked(['account'], {env})}
      })
    },
    stdout: /Email: hardening@example\.com/,
  },
  {
    exit: 0,
    kind: 'command',
    name: 'deploy (management secret, new service, then unchanged)',
    async run(s, extraEnv) {
      const server = await startManagementServer(symmetric(s))
      return withServer(server, async () => {
        const {cwd, home} = await setup(`${server.url}/svc/dev`, s)
        const env = {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...extraEnv}
        const first = await runTracked(['deploy'], {cwd, env})
        if (first.code !== 0) return {result: first}
        const second = await runTracked(['deploy', '--json'], {cwd, env})
        return {result: {...second, stderr: first.stderr + second.stderr, stdout: first.stdout + second.stdout}}
      })
    },
    stdout: /Your Prisma endpoint is live/,
  },
  {
    exit: 0,
    kind: 'command',
    name: 'deploy with the legacy private key of ~/.prisma/config.yml (RS256)',
    async run(s, extraEnv) {
      const server = await startManagementServer({auth: {mode: 'asymmetric', publicKey: s.publicKeyPem}, migrationStepMs: 5})
      return withServer(server, async () => {
        const {cwd, home} = await setup(`${server.url}/svc/dev`, s, {legacyHost: server.url})
        return {result: await runTracked(['deploy'], {cwd, env: {HOME: home, ...extraEnv}})}
      })
    },
    stdout: /Your Prisma endpoint is live/,
  },
  {
    exit: 0,
    kind: 'command',
    name: 'cluster-token (prints the token on stdout)',
    async run(s, extraEnv) {
      const {cwd, home} = await setup('http://localhost:4466/svc/dev', s)
      const result = await runTracked(['cluster-token'], {cwd, env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...extraEnv}})
      return {printedToken: result.stdout.trim(), printedTokenKey: {secret: s.managementSecret}, result}
    },
    stdout: /^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/,
  },
  {
    exit: 0,
    kind: 'command',
    name: 'cluster-token --json with the legacy key',
    async run(s, extraEnv) {
      const {cwd, home} = await setup('http://127.0.0.1:4466/svc/dev', s, {legacyHost: 'http://127.0.0.1:4466'})
      const result = await runTracked(['cluster-token', '--json'], {cwd, env: {HOME: home, ...extraEnv}})
      let printedToken: string | undefined
      try {
        printedToken = (JSON.parse(result.stdout) as {token?: string}).token
      } catch {
        printedToken = undefined
      }

      return {printedToken, printedTokenKey: {publicKey: s.publicKeyPem}, result}
    },
    stdout: /"token"/,
  },
  {
    exit: 0,
    kind: 'command',
    name: 'token (service token on stdout)',
    async run(s, extraEnv) {
      const {cwd, home} = await setup('http://localhost:4466/svc/dev', s)
      const result = await runTracked(['token'], {cwd, env: {HOME: home, ...extraEnv}})
      return {printedToken: result.stdout.trim(), printedTokenKey: {secret: s.serviceSecret}, result}
    },
    stdout: /^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/,
  },
  {
    exit: 0,
    kind: 'command',
    name: 'login --key (verified by the cloud API stand-in)',
    async run(s, extraEnv) {
      const cloud = await startCloudServer({sessionKeys: {[s.sessionKey]: {email: 'ada@example.com'}}})
      return withServer(cloud, async () => {
        const home = await tempDir('hardening-home-')
        return {result: await runTracked(['login', '--key', s.sessionKey], {env: {CLOUD_API_ENDPOINT: cloud.url, HOME: home, ...extraEnv}})}
      })
    },
    stdout: /Authenticated with ada@example\.com/,
  },
  {
    exit: 0,
    kind: 'command',
    name: 'login (browser flow) and login status',
    async run(s, extraEnv) {
      const cloud = await startCloudServer({approveAfterPolls: 1, approveWith: s.sessionKey, sessionKeys: {[s.sessionKey]: {email: 'ada@example.com'}}})
      return withServer(cloud, async () => {
        const home = await tempDir('hardening-home-')
        const env = {BROWSER: 'none', CLOUD_API_ENDPOINT: cloud.url, HOME: home, PRISMA_CONSOLE_ENDPOINT: 'http://console.test/', ...extraEnv}
        const first = await runTracked(['login'], {env})
        const second = await runTracked(['login'], {env})
        return {result: {...second, code: first.code || second.code, stderr: first.stderr + second.stderr, stdout: first.stdout + second.stdout}}
      })
    },
    stdout: /Already signed in/,
  },
  {
    exit: 0,
    kind: 'command',
    name: 'logout',
    async run(s, extraEnv) {
      const {home} = await setup('http://localhost:4466/svc/dev', s)
      return {result: await runTracked(['logout'], {env: {HOME: home, ...extraEnv}})}
    },
  },
  {
    exit: 0,
    kind: 'command',
    name: 'help and version',
    async run(s, extraEnv) {
      const {cwd, home} = await setup('http://localhost:4466/svc/dev', s)
      const env = {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, PRISMA_CLOUD_SESSION_KEY: s.sessionKey, ...extraEnv}
      const help = await runTracked(['deploy', '--help'], {cwd, env})
      const version = await runTracked(['--version'], {cwd, env})
      return {result: {...version, code: help.code || version.code, stderr: help.stderr + version.stderr, stdout: help.stdout + version.stdout}}
    },
  },

  // ---------- faults of the deploy issue ----------
  {
    exit: 1,
    kind: 'fault',
    name: 'server down',
    async run(s, extraEnv) {
      const {cwd, home} = await setup(`http://localhost:${await freePort()}/svc/dev`, s)
      return {result: await runTracked(['deploy'], {cwd, env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...extraEnv}})}
    },
    stderr: /refused|not running|could not (reach|connect)/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'DNS failure (.invalid host)',
    async run(s, extraEnv) {
      const {cwd, home} = await setup('http://prisma-server.invalid:4466/svc/dev', s)
      return {result: await runTracked(['deploy'], {cwd, env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...extraEnv}})}
    },
    stderr: /resolve the host name/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'TLS failure (https to a plain HTTP port)',
    async run(s, extraEnv) {
      const server = await startManagementServer(symmetric(s))
      return withServer(server, async () => {
        const {cwd, home} = await setup(`${server.url.replace('http:', 'https:')}/svc/dev`, s)
        return {result: await runTracked(['deploy'], {cwd, env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...extraEnv}})}
      })
    },
    stderr: /secure connection|TLS|SSL/i,
  },
  {exit: 1, kind: 'fault', name: 'HTTP 500 on every request', run: standInFault('http-500', 100), stderr: /HTTP 500/},
  {exit: 1, kind: 'fault', name: 'an HTML page instead of GraphQL', run: standInFault('html', 100), stderr: /HTML/},
  {exit: 1, kind: 'fault', name: 'an answer that is not JSON', run: standInFault('not-json', 100), stderr: /not JSON/i},
  {exit: 1, kind: 'fault', name: 'a 40 MB answer', run: standInFault('huge-response', 100), stderr: /larger than/i},
  {exit: 1, kind: 'fault', name: 'a 20 MB answer', run: proxied(always('huge-20mb')), stderr: /larger than/i},
  {
    exit: 1,
    kind: 'fault',
    name: 'request timeout (the server hangs; PRISMA_REQUEST_TIMEOUT=1s)',
    run: standInFault('hang', 100, {PRISMA_REQUEST_TIMEOUT: '1s'}),
    stderr: /did not answer within/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'a server that accepts the connection and never answers',
    async run(s, extraEnv) {
      const silent = await startSilentServer()
      return withServer(silent, async () => {
        const {cwd, home} = await setup(`${silent.url}/svc/dev`, s)
        return {
          result: await runTracked(['deploy'], {
            cwd,
            env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, PRISMA_REQUEST_TIMEOUT: '1s', ...extraEnv},
          }),
        }
      })
    },
    stderr: /did not answer within/i,
  },
  {exit: 1, kind: 'fault', name: 'the connection closed before every answer', run: standInFault('close-connection', 100), stderr: /connection|closed|reset/i},
  {exit: 1, kind: 'fault', name: 'the connection closed in the middle of every answer', run: proxied(always('mid-response')), stderr: /connection|closed|reset|incomplete|ended/i},
  {
    exit: 0,
    kind: 'fault',
    name: 'ECONNRESET twice while polling the migration (retried, deploy succeeds)',
    run: (() => {
      let resets = 0
      return proxied(({operation}) => (operation === 'migrationStatus' && resets++ < 2 ? 'reset' : undefined))
    })(),
    stdout: /Your Prisma endpoint is live/,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'ECONNRESET on every poll of the migration',
    run: proxied(({operation}) => (operation === 'migrationStatus' ? 'reset' : undefined)),
    stderr: /connection|closed|reset/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'the connection closed mid-answer while polling',
    run: proxied(({operation}) => (operation === 'migrationStatus' ? 'mid-response' : undefined)),
    stderr: /connection|closed|reset|incomplete|ended/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'wrong management secret',
    async run(s, extraEnv) {
      const server = await startManagementServer(symmetric(s))
      return withServer(server, async () => {
        const {cwd, home} = await setup(`${server.url}/svc/dev`, s)
        return {result: await runTracked(['deploy'], {cwd, env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.wrongManagementSecret, ...extraEnv}})}
      })
    },
    stderr: /PRISMA_MANAGEMENT_API_SECRET/,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'missing management secret',
    async run(s, extraEnv) {
      const server = await startManagementServer(symmetric(s))
      return withServer(server, async () => {
        const {cwd, home} = await setup(`${server.url}/svc/dev`, s)
        return {result: await runTracked(['deploy'], {cwd, env: {HOME: home, ...extraEnv}})}
      })
    },
    stderr: /PRISMA_MANAGEMENT_API_SECRET/,
  },
  {exit: 1, kind: 'fault', name: 'expired token (the server says so)', run: proxied(always('expired-token')), stderr: /expired/i},
  {
    exit: 1,
    kind: 'fault',
    name: 'deployment in progress (4008)',
    async run(s, extraEnv) {
      const server = await startManagementServer(symmetric(s))
      return withServer(server, async () => {
        server.holdMigrations(true)
        const {cwd, home} = await setup(`${server.url}/svc/dev`, s)
        const env = {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...extraEnv}
        const first = await runTracked(['deploy', '--timeout', '1s'], {cwd, env})
        await writeFile(join(cwd, 'datamodel.prisma'), `${datamodel}type Post {\n  id: ID! @id\n}\n`)
        const second = await runTracked(['deploy'], {cwd, env})
        return {result: {...second, code: first.code === 1 ? second.code : -1, stderr: first.stderr + second.stderr, stdout: first.stdout + second.stdout}}
      })
    },
    stderr: /in progress|pending/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'failed migration',
    async run(s, extraEnv) {
      const server = await startManagementServer(symmetric(s))
      return withServer(server, async () => {
        server.failNextMigration(['Column "name" cannot be created: disk full'])
        const {cwd, home} = await setup(`${server.url}/svc/dev`, s)
        return {result: await runTracked(['deploy'], {cwd, env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...extraEnv}})}
      })
    },
    stderr: /disk full/,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'migration never finishing (--timeout 2s)',
    async run(s, extraEnv) {
      const server = await startManagementServer(symmetric(s))
      return withServer(server, async () => {
        server.holdMigrations(true)
        const {cwd, home} = await setup(`${server.url}/svc/dev`, s)
        return {result: await runTracked(['deploy', '--timeout', '2s'], {cwd, env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...extraEnv}})}
      })
    },
    stderr: /continues on the server|still|timed out|within/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'cloud API down during login',
    async run(s, extraEnv) {
      const home = await tempDir('hardening-home-')
      const env = {BROWSER: 'none', CLOUD_API_ENDPOINT: `http://127.0.0.1:${await freePort()}`, HOME: home, ...extraEnv}
      return {result: await runTracked(['login'], {env})}
    },
    stderr: /cloud|refused|reach/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'deploy --json against a server that is down: one JSON document on stdout, the message on stderr',
    async run(s, extraEnv) {
      const {cwd, home} = await setup(`http://127.0.0.1:${await freePort()}/svc/dev`, s)
      const result = await runTracked(['deploy', '--json'], {cwd, env: {HOME: home, PRISMA_MANAGEMENT_API_SECRET: s.managementSecret, ...extraEnv}})
      const document = JSON.parse(result.stdout) as {status?: string}
      return {result: {...result, stdout: `${result.stdout}\nstatus=${document.status}`}}
    },
    stderr: /refused/,
    stdout: /status=error/,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'cloud API answering the login polls with an HTML error page',
    async run(s, extraEnv) {
      const cloud = await startCloudServer({approveAfterPolls: 3, approveWith: s.sessionKey, sessionKeys: {[s.sessionKey]: {email: 'ada@example.com'}}})
      return withServer(cloud, async () => {
        const proxy = await startFaultProxy(cloud.url, ({body}) => (body.includes('cloudTokenRequest') ? 'html' : undefined))
        return withServer(proxy, async () => {
          const home = await tempDir('hardening-home-')
          const env = {BROWSER: 'none', CLOUD_API_ENDPOINT: proxy.url, HOME: home, ...extraEnv}
          return {result: await runTracked(['login', '--timeout', '10s'], {env})}
        })
      })
    },
    stderr: /HTML|cloud/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'cloud API failing (HTTP 500) when cluster-token asks for a cloud cluster token',
    async run(s, extraEnv) {
      const cloud = await startCloudServer({sessionKeys: {[s.sessionKey]: {email: 'ada@example.com'}}})
      return withServer(cloud, async () => {
        const proxy = await startFaultProxy(cloud.url, () => 'http-500')
        return withServer(proxy, async () => {
          const {cwd, home} = await setup('https://my-cluster_team.prisma.sh/svc/dev', s)
          return {result: await runTracked(['cluster-token'], {cwd, env: {CLOUD_API_ENDPOINT: proxy.url, HOME: home, ...extraEnv}})}
        })
      })
    },
    stderr: /500|cloud/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'cloud API never answering during login (--timeout 2s)',
    async run(s, extraEnv) {
      const silent = await startSilentServer()
      return withServer(silent, async () => {
        const home = await tempDir('hardening-home-')
        const env = {BROWSER: 'none', CLOUD_API_ENDPOINT: silent.url, HOME: home, PRISMA_REQUEST_TIMEOUT: '1s', ...extraEnv}
        return {result: await runTracked(['login', '--timeout', '2s'], {env, timeoutMs: 60_000})}
      })
    },
    stderr: /answer|timed out|time/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'cloud API down for a Prisma Cloud server (deploy with a session key)',
    async run(s, extraEnv) {
      const {cwd, home} = await setup('https://eu1.prisma.sh/team/svc/dev', s)
      const env = {CLOUD_API_ENDPOINT: `http://127.0.0.1:${await freePort()}`, HOME: home, PRISMA_CLOUD_SESSION_KEY: s.sessionKey, ...extraEnv}
      return {result: await runTracked(['deploy'], {cwd, env})}
    },
    stderr: /cloud/i,
  },
  {
    exit: 1,
    kind: 'fault',
    name: 'cloud-only cluster-token with the cloud API down',
    async run(s, extraEnv) {
      const {cwd, home} = await setup('https://my-cluster_team.prisma.sh/svc/dev', s)
      const env = {CLOUD_API_ENDPOINT: `http://127.0.0.1:${await freePort()}`, HOME: home, ...extraEnv}
      return {result: await runTracked(['cluster-token'], {cwd, env})}
    },
    stderr: /cloud/i,
  },
]

export {until}
