/**
 * `prisma delete`: removes the service stage of the endpoint, its migrations and its data (deleteProject). It makes
 * sure the stage exists before anyone is asked, and asks through the caller's `confirm`.
 */
import type {UserError} from '../errors.js'
import {ServerError} from '../http/graphql.js'
import {loadServiceContext, openManagementClient, serviceNotFound, type ServiceContextOptions} from './session.js'

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

export interface DeleteOptions extends ServiceContextOptions {
  home: string
  /** Asked once the stage is known to exist; resolves false to keep it. Absent: delete without asking (--force). */
  confirm?: (endpoint: string) => Promise<boolean>
  /** Why `confirm` cannot be asked (no terminal): thrown once prisma.yml is read, before any request. */
  cannotConfirm?: UserError
  /** Called right before the deletion is sent (the original's "Deleting service … from …" line). */
  onDeleting?: (endpoint: string, server: string) => void
  now?: () => number
}

export async function deleteServiceStage(o: DeleteOptions): Promise<DeleteOutcome> {
  const context = await loadServiceContext(o)
  if (o.cannotConfirm) throw o.cannotConfirm
  const {endpoint} = context
  const client = await openManagementClient(context, {home: o.home})
  const outcome = {
    endpoint: endpoint.url,
    server: endpoint.clusterName,
    serverUrl: endpoint.serverUrl,
    service: endpoint.service,
    stage: endpoint.stage,
  }
  if (!(await client.projectExists(endpoint.managementName, endpoint.stage))) throw serviceNotFound(endpoint)
  if (o.confirm && !(await o.confirm(endpoint.url))) return {...outcome, durationMs: 0, status: 'cancelled'}

  const now = o.now ?? Date.now
  o.onDeleting?.(endpoint.url, endpoint.clusterName)
  const started = now()
  try {
    await client.deleteProject(endpoint.managementName, endpoint.stage)
  } catch (error) {
    // deleted by someone else while the question was on screen
    if (error instanceof ServerError && error.serverCode === 4000) throw serviceNotFound(endpoint, error)
    throw error
  }

  return {...outcome, durationMs: now() - started, status: 'deleted'}
}
