// Service stages on the stand-in made through its Management API, so tests of the service commands start from a
// known server without running deploy first.
import {signManagementToken} from '../../src/tokens/index.js'
import type {ManagementServer} from '../stand-in/management-server.js'

export const userTypes = 'type User {\n  id: ID! @id\n  name: String!\n}\n'

async function management(server: ManagementServer, query: string, variables: Record<string, unknown>, secret?: string): Promise<unknown> {
  const headers: Record<string, string> = {'content-type': 'application/json'}
  if (secret) headers.authorization = `Bearer ${signManagementToken({algorithm: 'HS256', secret}).token}`
  const response = await fetch(`${server.url}/management`, {body: JSON.stringify({query, variables}), headers, method: 'POST'})
  const body = (await response.json()) as {errors?: Array<{message: string}>; data?: unknown}
  if (body.errors) throw new Error(`stand-in refused ${query.slice(0, 40)}: ${body.errors[0].message}`)
  return body.data
}

/** Creates the stage (revision 1) and, with `types`, deploys them (revision 2). */
export async function addStage(server: ManagementServer, o: {name: string; stage: string; types?: string; secret?: string}): Promise<void> {
  await management(server, 'mutation ($name: String!, $stage: String!) { addProject(input: {name: $name, stage: $stage}) { project { name } } }', o, o.secret)
  if (o.types) await deployTypes(server, {...o, types: o.types})
}

export async function deployTypes(server: ManagementServer, o: {name: string; stage: string; types: string; secret?: string}): Promise<void> {
  await management(
    server,
    'mutation ($name: String!, $stage: String!, $types: String!) { deploy(input: {name: $name, stage: $stage, types: $types}) { errors { description } } }',
    {name: o.name, stage: o.stage, types: o.types},
    o.secret,
  )
}
