import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'

export interface LinkResult {
  page: 'admin' | 'playground'
  service: string
  stage: string
  /** The address (for Prisma Admin without the token the browser gets). */
  url: string
  /** Whether a browser was started. */
  opened: boolean
  /** Whether the service has a secret (Prisma Admin then got a service token in its address). */
  secured: boolean
  /** The server's version (Prisma Admin only). */
  version?: string
}

/** `prisma admin`; `prisma playground` is the same command for the service's GraphQL Playground. */
export default class Admin extends BaseCommand {
  static override summary = "Open the service's Prisma Admin in the browser"

  static override description = `Prints the address of the service's Prisma Admin (served by Prisma servers 1.29 and later at <endpoint>/_admin) and opens it in a browser. When prisma.yml has a secret, the browser gets the address with a service token (valid for one day); the printed address never shows it.

A browser is only opened in a terminal. BROWSER names the program to use; BROWSER=none opens none.`

  static override examples = ['<%= config.bin %> admin', 'BROWSER=firefox <%= config.bin %> admin']

  static override flags = {...projectFlags}

  /** Which page of the service this command opens. */
  static page: LinkResult['page'] = 'admin'

  async run(): Promise<LinkResult> {
    const command = this.ctor as typeof Admin
    const {flags} = await this.parse(command)
    const [{serviceLink}, output, {openBrowser}, {noteLine, serviceContextOptions}] = await Promise.all([
      import('../services/links.js'),
      import('../output/services.js'),
      import('../cloud-api/browser.js'),
      import('../command-context.js'),
    ])
    const context = serviceContextOptions(flags)
    const link = await serviceLink({...context, page: command.page})
    this.log(output.formatLink(link, command.page))
    const opened = this.interactive && (await openBrowser(link.browserUrl, {env: context.env}))
    for (const note of output.linkNotes(link, command.page, opened)) noteLine(note)
    return {
      opened,
      page: command.page,
      secured: link.secured,
      service: link.service,
      stage: link.stage,
      url: link.url,
      ...(link.version === undefined ? {} : {version: link.version}),
    }
  }
}
