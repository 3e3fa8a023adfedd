import {Flags} from '@oclif/core'

import {deploy, type DeployDocument, deployStatuses} from '../actions/deploy.js'
import {BaseCommand} from '../base-command.js'
import type {UserError} from '../errors.js'
import {durationFlag, flagOptions, projectFlags} from '../flags.js'
import {colorsFor, symbols} from '../output/colors.js'
import {renderDeployEvent} from '../output/deploy.js'

export type DeployResult = DeployDocument

const defaultTimeoutMs = 10 * 60_000

export default class Deploy extends BaseCommand {
  static override summary = 'Deploy service changes (or a new service) to a Prisma server'
  static override description = `Creates the service stage when it does not exist, deploys the datamodel, secrets and subscriptions of prisma.yml, waits until the server has applied the migration and prints the service's endpoints.

Exit codes: 0 deployed or nothing to do; 1 refused (errors, warnings without --force) or failed (failed migration, server fault, timeout); 2 usage; 130 interrupted. --dry-run exits 1 when the real deploy would be refused.`

  static override examples = [
    {command: '<%= config.bin %> deploy', description: 'Deploy the service of ./prisma.yml'},
    {command: '<%= config.bin %> deploy --force', description: 'Deploy, accepting data loss caused by schema changes'},
    {command: '<%= config.bin %> deploy --dry-run', description: 'Show the potential changes without deploying'},
    {command: '<%= config.bin %> deploy --json > result.json', description: 'One JSON document on stdout (for scripts)'},
  ]

  static override flags = {
    force: Flags.boolean({char: 'f', description: 'Accept data loss caused by schema changes', default: false}),
    new: Flags.boolean({char: 'n', description: 'Choose the server and service interactively (writes the endpoint into prisma.yml)', default: false}),
    'dry-run': Flags.boolean({char: 'd', description: 'Show the potential changes; change nothing on the server', default: false}),
    'no-seed': Flags.boolean({description: 'Do not seed a newly created service stage', default: false}),
    json: Flags.boolean({char: 'j', description: 'Print one JSON document with the result on stdout (progress goes to stderr)', default: false}),
    'no-migrate': Flags.boolean({description: 'Deploy the datamodel without migrating the database (Prisma servers 1.26 and above)', default: false}),
    'no-generate': Flags.boolean({description: 'Do not generate the clients of prisma.yml (generate:) after the deploy', default: false}),
    'skip-hooks': Flags.boolean({description: 'Do not run the post-deploy hooks', default: false}),
    timeout: durationFlag({description: 'How long to wait for the server to apply the migration, e.g. 90s (default 10m)'}),
    ...projectFlags,
  }

  async run(): Promise<DeployResult> {
    const {flags, raw} = await this.parse(Deploy)
    const timeoutMs = flags.timeout ?? defaultTimeoutMs
    // the change listing and the endpoints are the result (stdout); under --json they go with the progress to stderr
    const listing = this.jsonEnabled() ? process.stderr : process.stdout
    const colors = colorsFor(process.stderr)
    const listingColors = colorsFor(listing)
    const io = this.io({tick: symbols.tick})
    const {document, exitCode} = await deploy(
      {
        chooseNew: flags.new,
        colors,
        cwd: process.cwd(),
        dryRun: flags['dry-run'],
        env: process.env,
        // ${opt:NAME} in prisma.yml reads this command's flags
        flags: flagOptions({...flags, timeout: timeoutMs}, raw),
        force: flags.force,
        noGenerate: flags['no-generate'],
        noMigrate: flags['no-migrate'],
        noSeed: flags['no-seed'],
        report: (event) => renderDeployEvent(event, listingColors, (text) => listing.write(text)),
        skipHooks: flags['skip-hooks'],
        timeoutMs,
      },
      io,
    )
    if (exitCode !== 0) {
      const message = document.message ?? 'The deploy did not succeed.'
      const Failure = (deployStatuses[document.status] as {error: new (message: string) => UserError}).error
      if (!this.jsonEnabled()) throw new Failure(message)
      // under --json the document is the result, and the exit code still says it failed
      io.notice(`\n${message}`)
      process.exitCode = exitCode
    }

    return document
  }
}
