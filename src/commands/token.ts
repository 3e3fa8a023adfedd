import {Flags} from '@oclif/core'

import {type ServiceTokenDocument, token} from '../actions/token.js'
import {BaseCommand} from '../base-command.js'
import {durationFlag, flagOptions, projectFlags} from '../flags.js'

export type TokenResult = ServiceTokenDocument

export default class Token extends BaseCommand {
  static override summary = "Print a service token for the service's data API"

  static override description = `Signs a token (HS256) with the first secret of prisma.yml's \`secret\`, for the service and stage of its endpoint: claims data.service = "<service>@<stage>" and data.roles = ["admin"]. Valid for 7 days unless --expires-in says otherwise.

Prints one line, the token, on stdout. No request is sent to the server. --json prints the token with its service, algorithm and expiry.`

  static override examples = [
    'curl -H "Authorization: Bearer $(<%= config.bin %> token)" http://localhost:4466/my-service/dev',
    '<%= config.bin %> token --expires-in 1h',
  ]

  static override flags = {
    ...projectFlags,
    copy: Flags.boolean({char: 'c', description: 'Copy the token to the clipboard instead of printing it'}),
    'expires-in': durationFlag({description: 'Lifetime of the token, e.g. 30m, 12h, 7d, 1y (default 7d)'}),
  }

  async run(): Promise<TokenResult> {
    const {flags, raw} = await this.parse(Token)
    const document = await token({
      copy: flags.copy,
      cwd: process.cwd(),
      env: {...process.env},
      envFile: flags['env-file'],
      expiresInMs: flags['expires-in'],
      options: flagOptions(flags, raw),
      project: flags.project,
    }, this.io())
    if (document.token) this.log(document.token)
    return document
  }
}
