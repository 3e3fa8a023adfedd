// Shared pieces of the deploy tests: a project folder for a stand-in server, and request filters.
import {writeTree} from '../helpers/cli.js'
import type {RecordedRequest} from '../stand-in/management-server.js'

export const userModel = 'type User {\n  id: ID! @id\n  name: String!\n}\n'
export const userWithEmail = 'type User {\n  id: ID! @id\n  name: String!\n  email: String\n}\n'

export async function project(
  endpoint: string,
  datamodel = userModel,
  extra = '',
  files: Record<string, string> = {},
): Promise<string> {
  return writeTree({
    'datamodel.prisma': datamodel,
    'prisma.yml': `endpoint: ${endpoint}\ndatamodel: datamodel.prisma\n${extra}`,
    ...files,
  })
}

/** Management requests only (the service API is not part of a deploy). */
export function management(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((request) => request.path === '/management' || request.path === '/cluster')
}

export function operations(requests: RecordedRequest[]): string[] {
  return management(requests).map((request) => request.operationName ?? '?')
}
