import {Flags} from '@oclif/core'

import {list, type ServiceListing} from '../actions/list.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import {formatServiceList} from '../output/services.js'

export type ListResult = ServiceListing

export default class List extends BaseCommand {
  static override summary = 'List the services and stages deployed on the Prisma server'

  static override aliases = ['ls']

  static override description = `Asks the server of prisma.yml's endpoint for every service stage deployed on it (Management API listProjects) and prints them as a table. Without prisma.yml, PRISMA_MANAGEMENT_API_ENDPOINT names the server.

A server with a management API secret needs a token granting every service: PRISMA_MANAGEMENT_API_SECRET (or a legacy clusterSecret) gives one.`

  static override examples = [
    '<%= config.bin %> list',
    'PRISMA_MANAGEMENT_API_ENDPOINT=http://localhost:4466 <%= config.bin %> ls --json',
  ]

  static override flags = {
    json: Flags.boolean({char: 'j', description: 'Print the services as JSON', default: false}),
    ...projectFlags,
  }

  async run(): Promise<ListResult> {
    const {flags} = await this.parse(List)
    const listing = await list({cwd: process.cwd(), env: process.env, flags, io: this.io()})
    this.log(formatServiceList(listing))
    return listing
  }
}
