/**
 * `prisma delete`: removes the service stage of the endpoint, its migrations and its data (deleteProject). It makes
 * sure the stage exists before anyone is asked, and asks by the one rule of the commands that destroy data.
 */
import {ServerError} from '../http/graphql.js'
import type {Colors} from '../output/colors.js'
import {deleteQuestion, deletingText} from '../output/services.js'
import {formatElapsed} from '../duration.js'
import type {Io} from './io.js'
import {confirmation} from './shared.js'
import {openStage, serviceNotFound, type StageOptions} from './stage.js'

export interface DeleteOutcome {
  service: string
  stage: string
  /** The server's name (`local`, `default`, …) and address. */
  server: string
  serverUrl: string
  /** The endpoint as given in prisma.yml (or PRISMA_MANAGEMENT_API_ENDPOINT). */
  endpoint: string
  status: 'deleted' | 'cancelled'
  /** How long the deletion took on the server. */
  durationMs: number
}

export type DeleteOptions = Omit<StageOptions, 'io'> & {
  force: boolean
  colors: Colors
  now?: () => number
}

export async function deleteStage(o: DeleteOptions, io: Io): Promise<DeleteOutcome> {
  const stage = await openStage({...o, io})
  const {endpoint} = stage
  const confirm = confirmation(io, {command: 'delete', destroys: `deletes ${endpoint.url} with all its data`, force: o.force, forceDoes: 'delete it without being asked'})
  const client = await stage.managementClient()
  const outcome = {
    endpoint: endpoint.url,
    server: endpoint.clusterName,
    serverUrl: endpoint.serverUrl,
    service: endpoint.service,
    stage: endpoint.stage,
  }
  if (!(await client.projectExists(endpoint.managementName, endpoint.stage))) throw serviceNotFound(endpoint)
  if (confirm && !(await confirm(deleteQuestion(endpoint.url, o.colors)))) return {...outcome, durationMs: 0, status: 'cancelled'}

  const now = o.now ?? Date.now
  io.progress.start(deletingText(endpoint.url, endpoint.clusterName, o.colors))
  const started = now()
  try {
    await client.deleteProject(endpoint.managementName, endpoint.stage)
  } catch (error) {
    io.progress.interrupt()
    // deleted by someone else while the question was on screen
    if (error instanceof ServerError && error.serverCode === 4000) throw serviceNotFound(endpoint, error)
    throw error
  }

  const durationMs = now() - started
  io.progress.stop(formatElapsed(durationMs))
  return {...outcome, durationMs, status: 'deleted'}
}
