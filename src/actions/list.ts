/** `prisma list`: the service stages on the server of the endpoint (the Management API's listProjects). */
import {openStage, type StageOptions} from './stage.js'

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

export async function list(o: StageOptions): Promise<ServiceListing> {
  const stage = await openStage({...o, projectOptional: true})
  const client = await stage.managementClient()
  const projects = await client.listProjects()
  const server = stage.endpoint.clusterName
  const services = projects
    .map(({name, stage}) => ({name, stage, server}))
    .sort((a, b) => a.name.localeCompare(b.name) || a.stage.localeCompare(b.stage))
  return {serverUrl: stage.endpoint.serverUrl, services}
}
