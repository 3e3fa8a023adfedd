/** `prisma cluster-token`: a Management API token signed with the first credential that applies. */
import {type ClusterTokenDocument, type ClusterTokenOptions, issueClusterToken} from '../auth/issue-token.js'
import type {Io} from './io.js'

export type {ClusterTokenDocument} from '../auth/issue-token.js'

export async function clusterToken(o: Omit<ClusterTokenOptions, 'debug'>, io: Io): Promise<ClusterTokenDocument> {
  const {document, notices} = await issueClusterToken({...o, debug: io.debug})
  for (const line of notices) io.notice(line)
  return document
}
