import {type LinkResult, openServicePage} from '../actions/links.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import {formatLink, linkNotes} from '../output/services.js'

export type AdminResult = LinkResult

export default class Admin extends BaseCommand {
  static override summary = "Open the service's Prisma Admin in the browser"

  static override description = `Prints the address of the service's Prisma Admin (served by Prisma servers 1.29 and later at <endpoint>/_admin) and opens it in a browser. When prisma.yml has a secret, the browser gets the address with a service token (valid for one day); the printed address never shows it.

A browser is only opened in a terminal. BROWSER names the program to use; BROWSER=none opens none.`

  static override examples = ['<%= config.bin %> admin', 'BROWSER=firefox <%= config.bin %> admin']

  static override flags = {...projectFlags}

  async run(): Promise<AdminResult> {
    const {flags} = await this.parse(Admin)
    const io = this.io()
    const link = await openServicePage({cwd: process.cwd(), env: process.env, flags, io, openBrowser: this.interactive, page: 'admin'})
    this.log(formatLink(link, 'admin'))
    for (const note of linkNotes(link, 'admin', link.opened)) io.notice(note)
    return link
  }
}
