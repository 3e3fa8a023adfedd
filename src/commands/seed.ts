import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {openServiceContext} from '../data/context.js'
import {type SeedResult, runSeed} from '../data/seed.js'
import {runHook} from '../deploy/hooks.js'
import {projectFlags} from '../flags.js'
import * as output from '../output/data.js'
import {plainProgress} from '../output/progress.js'
import {withInterruptSignal} from '../signals.js'

export type SeedDocument = SeedResult & {service: string; stage: string}

export default class Seed extends BaseCommand {
  static override summary = "Seed the service stage with prisma.yml's seed"

  static override description = `Runs the seed of prisma.yml: \`seed: {import: FILE}\` sends each operation of a .graphql file to the service API in file order, or imports a .zip or folder in the import data format; \`seed: {run: COMMAND}\` runs the command (without a shell, as hooks run). With --reset all data of the stage is deleted first.`

  static override examples = ['<%= config.bin %> seed', '<%= config.bin %> seed --reset']

  static override flags = {
    reset: Flags.boolean({char: 'r', description: 'Delete all data of the stage before seeding', default: false}),
    ...projectFlags,
  }

  async run(): Promise<SeedDocument> {
    const {flags} = await this.parse(Seed)
    const cwd = process.cwd()
    const progress = plainProgress((text) => process.stderr.write(text))
    const debug = process.env.DEBUG ? (line: string) => process.stderr.write(`${line}\n`) : undefined
    try {
      return await withInterruptSignal('Seeding interrupted.', async (signal) => {
        const {client, endpoint, project} = await openServiceContext({command: 'seed', cwd, debug, env: process.env, flags, signal})
        let lastUpdate = 0
        const result = await runSeed({
          client,
          cwd,
          datamodel: project.datamodel.text,
          file: project.file,
          onEvent(event) {
            if (event.type === 'reset') progress.start(`Resetting ${endpoint.service}@${endpoint.stage}`)
            else if (event.type === 'start') {
              progress.stop()
              progress.start(`Seeding based on ${event.source}`)
              lastUpdate = Date.now()
            } else if (Date.now() - lastUpdate >= 1000) {
              const [done, total] = event.type === 'operation' ? [event.index, event.total] : [event.sent, event.total]
              progress.status(`${done}/${total}`)
              lastUpdate = Date.now()
            }
          },
          projectDir: project.dir,
          reset: flags.reset,
          runCommand: (command) => runHook(command, {cwd, env: project.env as NodeJS.ProcessEnv, signal}),
          seed: project.seed,
          signal,
        })
        progress.stop()
        if (result.output?.stdout) this.log(result.output.stdout.replace(/\n$/, ''))
        if (result.output?.stderr) process.stderr.write(result.output.stderr)
        const document = {...result, service: endpoint.service, stage: endpoint.stage}
        this.log(output.formatSeed(document))
        return document
      })
    } catch (error) {
      progress.interrupt()
      const details = (error as {details?: {output?: {stdout: string; stderr: string}}}).details
      if (details?.output && !this.jsonEnabled()) {
        if (details.output.stdout) process.stderr.write(details.output.stdout)
        if (details.output.stderr) process.stderr.write(details.output.stderr)
      }

      throw error
    }
  }
}
