import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'

export default class Token extends BaseCommand {
  static override summary = "Print a service token for the service's data API"

  static override description = `Signs a token (HS256) with the first secret of prisma.yml's \`secret\`, for the service and stage of its endpoint: claims data.service = "<service>@<stage>" and data.roles = ["admin"]. Valid for 7 days unless --expires-in says otherwise.

Prints one line, the token, on stdout. No request is sent to the server.`

  static override examples = [
    'curl -H "Authorization: Bearer $(<%= config.bin %> token)" http://localhost:4466/my-service/dev',
    '<%= config.bin %> token --expires-in 1h',
  ]

  static override flags = {
    ...projectFlags,
    copy: Flags.boolean({char: 'c', description: 'Copy the token to the clipboard instead of printing it'}),
    'expires-in': Flags.string({description: 'Lifetime of the token, e.g. 30m, 12h, 7d, 1y (default 7d)', helpValue: 'DURATION'}),
    json: Flags.boolean({description: 'Print token, service, stage and expiry as JSON'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Token)
    const [tokens, context, {UserError}, {parseDuration}] = await Promise.all([
      import('../tokens/index.js'),
      import('../auth/context.js'),
      import('../errors.js'),
      import('../duration.js'),
    ])
    const expiresInSeconds =
      flags['expires-in'] === undefined
        ? tokens.defaultServiceTokenSeconds
        : Math.ceil(parseDuration(flags['expires-in'], '--expires-in') / 1000)
    const found = await context.readServiceTokenContext({
      cwd: process.cwd(),
      env: {...process.env},
      envFile: flags['env-file'],
      options: flags,
      project: flags.project,
    })
    const secret = found.secrets.find((value) => value.length > 0)
    if (!secret) {
      throw new UserError(
        `There is no secret set in ${found.file}, so there is no service token to make: the service's API is open ` +
          'to everyone. To protect it, add a line `secret: <a long random value>` (or `secret: ${env:PRISMA_SECRET}`) ' +
          'to prisma.yml, run prisma deploy, and then prisma token.',
      )
    }

    if (!found.endpoint) {
      throw new UserError(
        `${found.file} has no endpoint, so the service and stage the token is for are unknown. Add ` +
          '`endpoint: http://localhost:4466/<service>/<stage>` to it (or set PRISMA_MANAGEMENT_API_ENDPOINT).',
      )
    }

    const {service, stage} = found.endpoint
    const now = Math.floor(Date.now() / 1000)
    const token = tokens.signServiceToken({expiresInSeconds, now, secret, service, stage})
    const delivered = await context.deliverToken(token, {
      copy: flags.copy,
      details: () => ({
        algorithm: 'HS256',
        expiresAt: new Date((now + expiresInSeconds) * 1000).toISOString(),
        expiresInSeconds,
        issuedAt: new Date(now * 1000).toISOString(),
        service: `${service}@${stage}`,
      }),
      env: found.env,
      json: flags.json,
    })
    if (delivered.stdout) process.stdout.write(delivered.stdout)
    if (delivered.stderr) process.stderr.write(delivered.stderr)
  }
}
