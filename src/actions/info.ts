/**
 * `prisma info`: the service stage of prisma.yml, its server and endpoints. Only the human form asks the server
 * anything (its version, which decides whether Prisma Admin is there); the JSON document needs no request.
 */
import {supportsPrismaAdmin} from '../management-api/features.js'
import {openStage, type StageOptions} from './stage.js'

/** The original's `info --json` document, key for key. */
export interface InfoDocument {
  name: string
  stage: string
  /** The server's name as the original called it: `local`, `default`, `prisma-eu1`, … */
  cluster: string
  /** Only for endpoints with a workspace. */
  workspace?: string
  httpEndpoint: string
  wsEndpoint: string
  /** Only with --secret: prisma.yml's secrets, or null when it has none. */
  secret?: string[] | null
}

export interface ServiceInfo {
  document: InfoDocument
  /** When the server was asked: its version and the Prisma Admin address (servers 1.29 and later). */
  server?: {version?: string; adminUrl?: string; unreachable?: string}
}

export type InfoOptions = StageOptions & {includeSecret: boolean; askServer: boolean}

export async function info(o: InfoOptions): Promise<ServiceInfo> {
  const stage = await openStage(o)
  const {endpoint} = stage
  const document: InfoDocument = {
    name: endpoint.service,
    stage: endpoint.stage,
    cluster: endpoint.clusterName,
    ...(endpoint.workspace ? {workspace: endpoint.workspace} : {}),
    httpEndpoint: endpoint.httpUrl,
    wsEndpoint: endpoint.wsUrl,
  }
  if (o.includeSecret) {
    const secrets = stage.project?.secrets ?? []
    document.secret = secrets.length > 0 ? secrets : null
  }

  if (!o.askServer) return {document}
  try {
    const version = await stage.publicClient().serverVersion()
    const adminUrl = supportsPrismaAdmin(version) ? `${endpoint.httpUrl}/_admin` : undefined
    return {document, server: {adminUrl, version}}
  } catch (error) {
    return {document, server: {unreachable: (error as Error).message}}
  }
}
