import {Flags} from '@oclif/core'

import {generate, type GenerateResult} from '../actions/generate.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'
import {symbols} from '../output/colors.js'

export type {GenerateResult} from '../actions/generate.js'

export default class Generate extends BaseCommand {
  static override summary = 'Generate the Prisma clients and the GraphQL schema listed under generate: in prisma.yml'

  static override description = `For each entry of prisma.yml's generate: list (generator and output, relative to prisma.yml's folder unless absolute) writes the same files as the original CLI: graphql-schema (a .graphql file), typescript-client, javascript-client, go-client and flow-client (folders).

The schema comes from the datamodel, or with --endpoint from the deployed service. The client generators are those of prisma-client-lib 1.34, loaded from the project (npm install --save-dev prisma-client-lib@1.34); graphql-schema also works without it, taking the schema from the deployed service.

Each generator's files are written to a temporary folder beside the output first and moved into place at the end, so a failed or interrupted generation leaves the previous client as it was.`

  static override examples = [
    {command: '<%= config.bin %> generate', description: 'Generate everything listed under generate: in ./prisma.yml'},
    {command: '<%= config.bin %> generate --endpoint', description: "Generate from the deployed service's schema"},
    {command: '<%= config.bin %> generate --json', description: 'List the files written, by generator, as JSON'},
  ]

  static override flags = {
    endpoint: Flags.boolean({description: "Take the schema from the deployed service (prisma.yml's endpoint) instead of the datamodel", default: false}),
    ...projectFlags,
  }

  async run(): Promise<GenerateResult> {
    const {flags} = await this.parse(Generate)
    // the original's transcript is the output of generate: stdout (stderr under --json)
    const io = this.io({tick: symbols.tick, transcript: true})
    return generate({cwd: process.cwd(), env: process.env, flags, fromEndpoint: flags.endpoint}, io)
  }
}
