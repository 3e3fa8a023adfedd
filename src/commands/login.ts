import {Flags} from '@oclif/core'

import {login, type LoginResult} from '../actions/login.js'
import {BaseCommand} from '../base-command.js'
import {durationFlag} from '../flags.js'
import {renderLogin} from '../output/session.js'

export type {LoginResult} from '../actions/login.js'

export default class Login extends BaseCommand {
  static override summary = 'Log in to Prisma Cloud'

  static override description = `Stores a Prisma Cloud session key in ~/.prisma/config.yml (cloudSessionKey).

With --key, the key is checked with the cloud API first and a rejected key is not stored; when the API cannot be reached, the key is stored with a notice that it was not verified.

Without --key, the browser login starts: open the printed URL, log in, and the CLI picks up the session (waiting at most --timeout). Ctrl-C leaves the configuration as it was.

The session key is only used for Prisma Cloud servers (*.prisma.sh). CLOUD_API_ENDPOINT and PRISMA_CONSOLE_ENDPOINT change the addresses used.`

  static override examples = ['<%= config.bin %> login', '<%= config.bin %> login --key "$PRISMA_CLOUD_SESSION_KEY"']

  static override flags = {
    key: Flags.string({char: 'k', description: 'Cloud session key to store', helpValue: 'KEY'}),
    timeout: durationFlag({description: 'How long to wait for the login in the browser (default 5m)'}),
  }

  async run(): Promise<LoginResult> {
    const {flags} = await this.parse(Login)
    const io = this.io()
    const result = await login({env: {...process.env}, key: flags.key, timeoutMs: flags.timeout}, io)
    this.print(renderLogin(result), io)
    return result
  }
}
