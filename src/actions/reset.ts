/** `prisma reset`: deletes every node, scalar list value and relation of the service stage; the datamodel stays. */
import {resetQuestion} from '../output/data.js'
import type {Io} from './io.js'
import {confirmation, interruptible} from './shared.js'
import {openStage, type StageOptions} from './stage.js'

export interface ResetResult {
  service: string
  stage: string
  /** false when the question was answered no. */
  reset: boolean
}

export type ResetOptions = Omit<StageOptions, 'io' | 'signal'> & {force: boolean}

export async function reset(o: ResetOptions, io: Io): Promise<ResetResult> {
  return interruptible(io, 'Reset interrupted; the server may have deleted the data already.', async (signal) => {
    const stage = await openStage({...o, io, signal})
    const {service, stage: name} = stage.endpoint
    const confirm = confirmation(io, {command: 'reset', destroys: `deletes all data of ${service}@${name}`, force: o.force, forceDoes: 'reset without being asked'})
    if (confirm && !(await confirm(resetQuestion(service, name)))) return {reset: false, service, stage: name}
    const client = await stage.serviceClient()
    io.progress.start(`Resetting ${service}@${name}`)
    await client.resetData()
    io.progress.stop()
    return {reset: true, service, stage: name}
  })
}
