import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {openServiceContext} from '../data/context.js'
import {type SeedResult, runSeed} from '../data/seed.js'
import {runHook} from '../deploy/hooks.js'
import {projectFlags} from '../flags.js'
import * as output from '../output/data.js'
import {outputDuringTask, plainProgress} from '../output/progress.js'
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
        let seedLine = ''
        // seed.run's output is shown as it comes: stdout on stdout (on stderr under --json, where stdout holds the
        // document) and stderr on stderr
        const scriptOutput = outputDuringTask(progress, (text, stream) =>
          (stream === 'stdout' && !this.jsonEnabled() ? process.stdout : process.stderr).write(text),
        )

        try {
          const result = await runSeed({
            client,
            cwd,
            datamodel: project.datamodel.text,
            file: project.file,
            onEvent(event) {
              if (event.type === 'reset') progress.start(`Resetting ${endpoint.service}@${endpoint.stage}`)
              else if (event.type === 'start') {
                progress.stop()
                seedLine = `Seeding based on ${event.source}`
                progress.start(seedLine)
                lastUpdate = Date.now()
              } else if (Date.now() - lastUpdate >= 1000) {
                const [done, total] = event.type === 'operation' ? [event.index, event.total] : [event.sent, event.total]
                progress.status(`${done}/${total}`)
                lastUpdate = Date.now()
              }
            },
            projectDir: project.dir,
            reset: flags.reset,
            runCommand: (command) => runHook(command, {cwd, env: project.env as NodeJS.ProcessEnv, onOutput: scriptOutput.write, signal}),
            seed: project.seed,
            signal,
          })
          scriptOutput.resume(seedLine)
          progress.stop()
          const document = {...result, service: endpoint.service, stage: endpoint.stage}
          this.log(output.formatSeed(document))
          return document
        } catch (error) {
          scriptOutput.resume(seedLine)
          throw error
        }
      })
    } catch (error) {
      progress.interrupt()
      throw error
    }
  }
}
