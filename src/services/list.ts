/** `prisma list`: the service stages on the server of the endpoint (the Management API's listProjects). */
import {loadServiceContext, openManagementClient, type ServiceContextOptions} from './session.js'

export interface ListedService {
  /** `<workspace>~<service>` for services of a workspace on the shared demo servers. */
  name: string
  stage: string
  /** The server's name as the original's table shows it (`local`, `default`, …). */
  server: string
}

export interface ServiceListing {
  /** The server's address. */
  serverUrl: string
  services: ListedService[]
}

export async function listServices(o: ServiceContextOptions & {home: string}): Promise<ServiceListing> {
  const context = await loadServiceContext({...o, projectOptional: true})
  const client = await openManagementClient(context, {home: o.home})
  const projects = await client.listProjects()
  const server = context.endpoint.clusterName
  const services = projects
    .map(({name, stage}) => ({name, stage, server}))
    .sort((a, b) => a.name.localeCompare(b.name) || a.stage.localeCompare(b.stage))
  return {serverUrl: context.endpoint.serverUrl, services}
}
