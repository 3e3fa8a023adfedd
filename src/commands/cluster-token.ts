import {Flags} from '@oclif/core'

import {type ClusterTokenDocument, clusterToken} from '../actions/cluster-token.js'
import {BaseCommand} from '../base-command.js'
import {durationFlag, flagOptions, projectFlags} from '../flags.js'

export type ClusterTokenResult = ClusterTokenDocument

export default class ClusterToken extends BaseCommand {
  static override summary = 'Print a Management API token for the Prisma server'

  static override description = `Prints one line, the token, on stdout (notices go to stderr), so scripts can do TOKEN=$(prisma cluster-token).

The token is signed with the first of these that applies:
1. PRISMA_MANAGEMENT_API_SECRET (environment, .env or --env-file): HS256. It always wins.
2. The legacy clusterSecret of the cluster in ~/.prisma/config.yml whose host is the endpoint's server: RS256.
3. For Prisma Cloud servers (*.prisma.sh) only: your Prisma Cloud session (prisma login).

With PRISMA_MANAGEMENT_API_SECRET set, neither a server nor prisma.yml is needed. The endpoint (prisma.yml or PRISMA_MANAGEMENT_API_ENDPOINT) is only used to pick a legacy key or a cloud cluster.

Tokens grant every action on every service (*/*) for one hour, unless --target, --action or --expires-in say otherwise. --json prints the token with its algorithm, credential, grants and expiry.`

  static override examples = [
    'curl -H "Authorization: Bearer $(<%= config.bin %> cluster-token)" http://localhost:4466/management',
    '<%= config.bin %> cluster-token --target my-service/dev --expires-in 30m',
    '<%= config.bin %> cluster-token --json',
  ]

  static override flags = {
    ...projectFlags,
    action: Flags.string({
      dependsOn: ['target'],
      description: 'Action granted with --target (servers check it only from 1.27 to 1.34.6, and then accept only *)',
      helpValue: 'ACTION',
    }),
    copy: Flags.boolean({char: 'c', description: 'Copy the token to the clipboard instead of printing it'}),
    'expires-in': durationFlag({description: 'Lifetime of the token, e.g. 30m, 12h, 7d, 5y (default 1h)'}),
    target: Flags.string({
      description: 'Grant only this service and stage, as <service>/<stage> (either may be *; default */*)',
      helpValue: 'SERVICE/STAGE',
    }),
  }

  async run(): Promise<ClusterTokenResult> {
    const {flags, raw} = await this.parse(ClusterToken)
    const document = await clusterToken({
      action: flags.action,
      copy: flags.copy,
      cwd: process.cwd(),
      env: {...process.env},
      envFile: flags['env-file'],
      expiresInMs: flags['expires-in'],
      options: flagOptions(flags, raw),
      project: flags.project,
      target: flags.target,
    }, this.io())
    if (document.token) this.log(document.token)
    return document
  }
}
