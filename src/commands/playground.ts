import {Flags} from '@oclif/core'

import {type LinkResult, openServicePage} from '../actions/links.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import {formatLink, linkNotes} from '../output/services.js'

export type PlaygroundResult = LinkResult

export default class Playground extends BaseCommand {
  static override summary = "Open the service's GraphQL Playground in the browser"

  static override description = `Prints the service's HTTP endpoint, where the Prisma server serves a GraphQL Playground, and opens it in a browser. No request is sent. When prisma.yml has a secret, set the Authorization header in the Playground's HTTP HEADERS with a token from prisma token.

A browser is only opened in a terminal. BROWSER names the program to use; BROWSER=none opens none.`

  static override examples = ['<%= config.bin %> playground']

  static override flags = {
    ...projectFlags,
    web: Flags.boolean({char: 'w', description: 'Accepted for compatibility: the Playground always opens in the browser', hidden: true, default: false}),
  }

  async run(): Promise<PlaygroundResult> {
    const {flags} = await this.parse(Playground)
    const io = this.io()
    const link = await openServicePage({cwd: process.cwd(), env: process.env, flags, io, openBrowser: this.interactive, page: 'playground'})
    this.log(formatLink(link, 'playground'))
    for (const note of linkNotes(link, 'playground', link.opened)) io.notice(note)
    return link
  }
}
