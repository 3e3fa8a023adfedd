/** `prisma seed`: prisma.yml's seed (seed.import or seed.run) against the service stage, after --reset if asked. */
import {runSeed, type SeedResult} from '../data/seed.js'
import {runHook} from '../deploy/hooks.js'
import {outputDuringTask} from '../output/progress.js'
import type {Io} from './io.js'
import {interruptible, throttled} from './shared.js'
import {openStage, projectOf, type StageOptions} from './stage.js'

export type SeedDocument = SeedResult & {service: string; stage: string}

export type SeedOptions = Omit<StageOptions, 'io' | 'signal'> & {reset: boolean}

export async function seed(o: SeedOptions, io: Io): Promise<SeedDocument> {
  return interruptible(io, 'Seeding interrupted.', async (signal) => {
    const stage = await openStage({...o, io, signal})
    const project = projectOf(stage)
    const {service, stage: name} = stage.endpoint
    const client = await stage.serviceClient()
    const {progress} = io
    let seedLine = ''
    // seed.run's output is shown as it comes, with the task lines
    const scriptOutput = outputDuringTask(progress, io.program)
    const status = throttled((text) => progress.status(text))
    try {
      const result = await runSeed({
        client,
        cwd: o.cwd,
        datamodel: project.datamodel.text,
        file: project.file,
        onEvent(event) {
          if (event.type === 'reset') progress.start(`Resetting ${service}@${name}`)
          else if (event.type === 'start') {
            progress.stop()
            seedLine = `Seeding based on ${event.source}`
            progress.start(seedLine)
            status.restart()
          } else {
            const [done, total] = event.type === 'operation' ? [event.index, event.total] : [event.sent, event.total]
            status.update(`${done}/${total}`)
          }
        },
        projectDir: project.dir,
        reset: o.reset,
        runCommand: (command) => runHook(command, {cwd: o.cwd, env: project.env as NodeJS.ProcessEnv, onOutput: scriptOutput.write, signal}),
        seed: project.seed,
        signal,
      })
      scriptOutput.resume(seedLine)
      progress.stop()
      return {...result, service, stage: name}
    } catch (error) {
      scriptOutput.resume(seedLine)
      throw error
    }
  })
}
