/** `prisma token`: a service token signed with prisma.yml's first secret, for the service and stage of its endpoint. */
import {issueServiceToken, type ServiceTokenDocument, type ServiceTokenOptions} from '../auth/issue-token.js'
import type {Io} from './io.js'

export type {ServiceTokenDocument} from '../auth/issue-token.js'

export async function token(o: Omit<ServiceTokenOptions, 'debug'>, io: Io): Promise<ServiceTokenDocument> {
  const {document, notices} = await issueServiceToken({...o, debug: io.debug})
  for (const line of notices) io.notice(line)
  return document
}
