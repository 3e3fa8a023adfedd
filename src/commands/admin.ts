import {BaseCommand} from '../base-command.js'
import {type LinkResult, openServicePage} from '../command-context.js'
import {projectFlags} from '../flags.js'

export type AdminResult = LinkResult

export default class Admin extends BaseCommand {
  static override summary = "Open the service's Prisma Admin in the browser"

  static override description = `Prints the address of the service's Prisma Admin (served by Prisma servers 1.29 and later at <endpoint>/_admin) and opens it in a browser. When prisma.yml has a secret, the browser gets the address with a service token (valid for one day); the printed address never shows it.

A browser is only opened in a terminal. BROWSER names the program to use; BROWSER=none opens none.`

  static override examples = ['<%= config.bin %> admin', 'BROWSER=firefox <%= config.bin %> admin']

  static override flags = {...projectFlags}

  async run(): Promise<AdminResult> {
    const {flags} = await this.parse(Admin)
    return openServicePage('admin', flags, {interactive: this.interactive, log: (text) => this.log(text)})
  }
}
