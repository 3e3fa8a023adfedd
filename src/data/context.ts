/**
 * What every data command needs before its first request: prisma.yml loaded, the service endpoint, the service token
 * (signed with the first secret of prisma.yml, as the original does) and a ServiceClient for the stage.
 */
import {DataError} from '../errors.js'
import {requestTimeoutMs} from '../http/graphql.js'
import {loadProject, missingEndpoint, type ParsedEndpoint, type Project} from '../project/index.js'
import {signServiceToken} from '../tokens/index.js'
import {ServiceClient} from './service.js'

export interface ServiceContextOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  /** The command's flags: `project` and `env-file` name the project; all of them serve ${opt:NAME}. */
  flags: {project?: string; 'env-file'?: string} & Record<string, unknown>
  /** The command, for messages ("export", "import"). */
  command: string
  /** Refuse document databases (export and import need the relational connector). */
  relationalOnly?: boolean
  signal?: AbortSignal
  debug?: (line: string) => void
  now?: () => number
}

export interface ServiceContext {
  project: Project
  endpoint: ParsedEndpoint
  client: ServiceClient
}


export async function openServiceContext(o: ServiceContextOptions): Promise<ServiceContext> {
  const project = await loadProject({cwd: o.cwd, env: o.env, envFile: o.flags['env-file'], options: o.flags, project: o.flags.project})
  const endpoint = project.endpoint
  if (!endpoint) throw missingEndpoint(project.file)

  if (o.relationalOnly && project.definition.databaseType === 'document') {
    throw new DataError(
      `prisma ${o.command} works with relational databases only, and ${project.file} says \`databaseType: document\`. ` +
        `Use your database's own tools instead (mongodump / mongorestore).`,
    )
  }

  const timeoutMs = requestTimeoutMs(project.env)
  const secret = project.secrets.find((value) => value.length > 0)
  const now = Math.floor((o.now ?? Date.now)() / 1000)
  // one hour is plenty for one command; the original's seven days would outlive it for nothing
  const token = secret ? signServiceToken({expiresInSeconds: 60 * 60, now, secret, service: endpoint.service, stage: endpoint.stage}).token : undefined
  const client = new ServiceClient({
    debug: o.debug,
    env: project.env,
    file: project.file,
    service: endpoint.service,
    signal: o.signal,
    stage: endpoint.stage,
    timeoutMs,
    token,
    url: endpoint.httpUrl,
  })
  return {client, endpoint, project}
}
