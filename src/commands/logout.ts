import {logout, type LogoutResult} from '../actions/logout.js'
import {BaseCommand} from '../base-command.js'
import {renderLogout} from '../output/session.js'

export type {LogoutResult} from '../actions/logout.js'

export default class Logout extends BaseCommand {
  static override summary = 'Log out of Prisma Cloud'

  static override description = `Removes the Prisma Cloud session key (cloudSessionKey) from ~/.prisma/config.yml and nothing else. No request is sent. A PRISMA_CLOUD_SESSION_KEY in the environment is not affected.`

  async run(): Promise<LogoutResult> {
    await this.parse(Logout)
    const result = await logout({env: {...process.env}})
    this.print(renderLogout(result))
    return result
  }
}
