import {homedir} from 'node:os'

import {BaseCommand} from '../base-command.js'
import {formatAccount} from '../output/account.js'
import {readCloudAccount} from '../services/account.js'

export interface AccountResult {
  email: string | null
  name: string | null
  id: string | null
  /** Slugs of the account's workspaces. */
  workspaces: string[]
  /** PRISMA_CLOUD_SESSION_KEY or the config file the session key came from (never the key). */
  sessionKeyFrom: string
}

export default class Account extends BaseCommand {
  static override summary = 'Display the Prisma Cloud account you are logged in with'

  static override description = `Asks the Prisma Cloud API for the account of the session key (PRISMA_CLOUD_SESSION_KEY, else the one prisma login stored in ~/.prisma/config.yml) and prints its email and name. Not logged in, or a session key the cloud API no longer accepts: exit 1 with how to log in.`

  static override examples = ['<%= config.bin %> account', '<%= config.bin %> account --json']

  async run(): Promise<AccountResult> {
    await this.parse(Account)
    const env = {...process.env}
    const account = await readCloudAccount({env, home: env.HOME || homedir()})
    this.log(formatAccount(account))
    return {
      email: account.email ?? null,
      id: account.id ?? null,
      name: account.name ?? null,
      sessionKeyFrom: account.sessionKeyFrom,
      workspaces: account.workspaces.map((workspace) => workspace.slug),
    }
  }
}
