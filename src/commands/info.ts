import {Flags} from '@oclif/core'

import {info, type InfoDocument} from '../actions/info.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import {colorsFor} from '../output/colors.js'
import * as output from '../output/services.js'

export type InfoResult = InfoDocument

export default class Info extends BaseCommand {
  static override summary = 'Display service information (endpoints, server, ...)'

  static override description = `Shows the service and stage of prisma.yml's endpoint, its server and its HTTP and WebSocket endpoints, and the Prisma Admin address when the server serves one (1.29 and later).

--json prints the original's document (name, stage, cluster, workspace, httpEndpoint, wsEndpoint) without asking the server anything; --secret adds prisma.yml's secrets to it.`

  static override examples = ['<%= config.bin %> info', '<%= config.bin %> info --json --secret']

  static override flags = {
    json: Flags.boolean({char: 'j', description: 'Print the service information as JSON', default: false}),
    secret: Flags.boolean({char: 's', description: "Add prisma.yml's secrets to the JSON output", default: false}),
    current: Flags.boolean({char: 'c', description: 'Accepted for compatibility; has no effect', hidden: true, default: false}),
    ...projectFlags,
  }

  async run(): Promise<InfoResult> {
    const {flags} = await this.parse(Info)
    const io = this.io()
    const found = await info({askServer: !this.jsonEnabled(), cwd: process.cwd(), env: process.env, flags, includeSecret: flags.secret, io})
    this.log(output.formatServiceInfo(found, colorsFor(process.stdout)))
    const note = output.formatInfoServerNote(found)
    if (note) io.notice(note)
    return found.document
  }
}
