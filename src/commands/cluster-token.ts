import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'

export default class ClusterToken extends BaseCommand {
  static override summary = 'Print a Management API token for the Prisma server'

  static override description = `Prints one line, the token, on stdout (notices go to stderr), so scripts can do TOKEN=$(prisma cluster-token).

The token is signed with the first of these that applies:
1. PRISMA_MANAGEMENT_API_SECRET (environment, .env or --env-file): HS256. It always wins.
2. The legacy clusterSecret of the cluster in ~/.prisma/config.yml whose host is the endpoint's server: RS256.
3. For Prisma Cloud servers (*.prisma.sh) only: your Prisma Cloud session (prisma login).

With PRISMA_MANAGEMENT_API_SECRET set, neither a server nor prisma.yml is needed. The endpoint (prisma.yml or PRISMA_MANAGEMENT_API_ENDPOINT) is only used to pick a legacy key or a cloud cluster.

Tokens grant every action on every service (*/*) for one hour, unless --target, --action or --expires-in say otherwise.`

  static override examples = [
    'curl -H "Authorization: Bearer $(<%= config.bin %> cluster-token)" http://localhost:4466/management',
    '<%= config.bin %> cluster-token --target my-service/dev --expires-in 30m',
    '<%= config.bin %> cluster-token --json',
  ]

  static override flags = {
    ...projectFlags,
    action: Flags.string({
      description: 'Action granted with --target (servers 1.34.7+ ignore it; earlier ones accept only *)',
      helpValue: 'ACTION',
    }),
    copy: Flags.boolean({char: 'c', description: 'Copy the token to the clipboard instead of printing it'}),
    'expires-in': Flags.string({
      description: 'Lifetime of the token, e.g. 30m, 12h, 7d, 5y (default 1h)',
      helpValue: 'DURATION',
    }),
    json: Flags.boolean({description: 'Print token, algorithm, grants and expiry as JSON'}),
    target: Flags.string({
      description: 'Grant only this service and stage, as <service>/<stage> (either may be *; default */*)',
      helpValue: 'SERVICE/STAGE',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterToken)
    const [tokens, auth, context, {UserError}, {parseDuration}, {managementSecretAdvice}] = await Promise.all([
      import('../tokens/index.js'),
      import('../auth/management-token.js'),
      import('../auth/context.js'),
      import('../errors.js'),
      import('../duration.js'),
      import('../messages.js'),
    ])

    const expiresInSeconds =
      flags['expires-in'] === undefined ? undefined : Math.ceil(parseDuration(flags['expires-in'], '--expires-in') / 1000)
    if (flags.action !== undefined && flags.target === undefined) {
      throw new UserError('--action needs --target: name the service and stage it applies to, e.g. --target my-service/dev.')
    }

    if (flags.action !== undefined && flags.action.trim() === '') throw new UserError('--action must not be empty; use * for every action.')
    const grants =
      flags.target === undefined
        ? undefined
        : [{action: flags.action?.trim() ?? '*', target: tokens.checkGrantTarget(flags.target.trim())}]

    const found = await context.readClusterTokenContext({
      cwd: process.cwd(),
      env: {...process.env},
      envFile: flags['env-file'],
      options: flags,
      project: flags.project,
    })
    const result = await auth.resolveManagementAuth({
      endpoint: found.endpoint,
      env: found.env,
      expiresInSeconds,
      grants,
      home: found.env.HOME || (await import('node:os')).homedir(),
    })

    const {token} = result
    if (!token) {
      const cloud = found.endpoint && auth.isPrismaCloudHost(found.endpoint.serverUrl)
      throw new UserError(
        `Cannot create a Management API token: ${result.description.replace(/^no credential \((.*)\)$/, '$1')}. ` +
          managementSecretAdvice +
          (cloud ? '; for a Prisma Cloud server, run prisma login first.' : '.'),
        {code: 'NO_CREDENTIAL'},
      )
    }

    if (result.source === 'cloud-session' && (grants || expiresInSeconds !== undefined)) {
      process.stderr.write('Prisma Cloud decides the grants and lifetime of its cluster tokens; --target, --action and --expires-in were not applied.\n')
    }

    const delivered = await context.deliverToken(token, {
      copy: flags.copy,
      details() {
        const decoded = tokens.decodeJwtUnverified(token)
        const payload = decoded?.payload ?? {}
        const exp = typeof payload.exp === 'number' ? payload.exp : undefined
        const iat = typeof payload.iat === 'number' ? payload.iat : undefined
        return {
          algorithm: result.algorithm ?? (typeof decoded?.header.alg === 'string' ? decoded.header.alg : null),
          credential: result.description,
          grants: payload.grants ?? null,
          issuedAt: iat === undefined ? null : new Date(iat * 1000).toISOString(),
          expiresAt: exp === undefined ? null : new Date(exp * 1000).toISOString(),
          expiresInSeconds: exp !== undefined && iat !== undefined ? exp - iat : null,
          iat: iat ?? null,
          exp: exp ?? null,
        }
      },
      env: found.env,
      json: flags.json,
    })
    if (delivered.stdout) process.stdout.write(delivered.stdout)
    if (delivered.stderr) process.stderr.write(delivered.stderr)
  }
}
