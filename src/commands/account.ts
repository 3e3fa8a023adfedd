import {account, type AccountResult} from '../actions/account.js'
import {BaseCommand} from '../base-command.js'
import {formatAccount} from '../output/account.js'

export type {AccountResult} from '../actions/account.js'

export default class Account extends BaseCommand {
  static override summary = 'Display the Prisma Cloud account you are logged in with'

  static override description = `Asks the Prisma Cloud API for the account of the session key (PRISMA_CLOUD_SESSION_KEY, else the one prisma login stored in ~/.prisma/config.yml) and prints its email and name. Not logged in, or a session key the cloud API no longer accepts: exit 1 with how to log in.`

  static override examples = ['<%= config.bin %> account', '<%= config.bin %> account --json']

  async run(): Promise<AccountResult> {
    await this.parse(Account)
    const result = await account({env: {...process.env}})
    this.log(formatAccount(result))
    return result
  }
}
