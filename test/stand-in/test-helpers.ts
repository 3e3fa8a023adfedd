/** Small HTTP helpers for the stand-in's own tests. */
import {createHmac} from 'node:crypto'
import type {StageData} from './management-server.js'

export interface GqlAnswer {
  status: number
  headers: Headers
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any -- answers of many shapes; each test reads the fields it checks
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<GqlAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {'content-type': 'application/json', ...headers},
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // keep the text
  }
  return {status: response.status, headers: response.headers, body: parsed}
}

export function gql(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlAnswer> {
  return post(url, {query, variables}, token === undefined ? {} : {authorization: `Bearer ${token}`})
}

export function jwt(payload: object, secret: string, header: object = {alg: 'HS256', typ: 'JWT'}): string {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url')
  const p = Buffer.from(JSON.stringify(payload)).toString('base64url')
  const alg = (header as {alg?: string}).alg
  const hash = alg === 'HS512' ? 'sha512' : alg === 'HS384' ? 'sha384' : 'sha256'
  const s = createHmac(hash, secret).update(`${h}.${p}`).digest('base64url')
  return `${h}.${p}.${s}`
}

export const now = () => Math.floor(Date.now() / 1000)

export const ADD_PROJECT = `mutation($name: String!, $stage: String!, $secrets: [String!]) {
  addProject(input: {name: $name, stage: $stage, secrets: $secrets, clientMutationId: "m1"}) { project { name stage datamodel } clientMutationId }
}`

export const STEP_FIELDS = `type __typename
  ... on CreateEnum { name ce_values: values }
  ... on CreateField { model name cf_typeName: typeName cf_isRequired: isRequired cf_isList: isList cf_unique: unique cf_relation: relation cf_default: default cf_enum: enum }
  ... on CreateModel { name }
  ... on CreateRelation { name leftModel rightModel after { type ... on Inline { model column } ... on LinkTable { table modelAColumn modelBColumn idColumn } } }
  ... on UpdateRelation { ur_name: name ur_newName: newName before { type } ur_after: after { type } }
  ... on DeleteEnum { name }
  ... on DeleteField { model name }
  ... on DeleteModel { name }
  ... on DeleteRelation { name }
  ... on UpdateEnum { name newName values }
  ... on UpdateField { model name newName typeName isRequired isList unique relation default enum }
  ... on UpdateModel { name um_newName: newName }
  ... on UpdateSecrets { message }`

export const DEPLOY = `mutation($name: String!, $stage: String!, $types: String!, $dryRun: Boolean, $secrets: [String!], $subscriptions: [FunctionInput!], $force: Boolean, $noMigration: Boolean) {
  deploy(input: {name: $name, stage: $stage, types: $types, dryRun: $dryRun, secrets: $secrets, subscriptions: $subscriptions, force: $force, noMigration: $noMigration, clientMutationId: "d1"}) {
    errors { type field description }
    warnings { type field description }
    steps { ${STEP_FIELDS} }
    migration { projectId revision status applied rolledBack errors startedAt finishedAt datamodel steps { ${STEP_FIELDS} } }
    clientMutationId
  }
}`

export const MIGRATION_STATUS = `query($name: String!, $stage: String!) { migrationStatus(name: $name, stage: $stage) { projectId revision status applied rolledBack errors } }`

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Creates `name@stage` on the stand-in at `url` unless it exists, deploys `datamodel` (with `force`, so destructive
 * changes go through) and waits until the migration has succeeded. */
export async function deployStage(url: string, name: string, stage: string, datamodel: string, secrets?: string[]): Promise<void> {
  const mgmt = `${url}/management`
  const added = await gql(mgmt, ADD_PROJECT, {name, stage, secrets})
  if (added.body.errors && added.body.errors[0].code !== 4005) throw new Error(JSON.stringify(added.body.errors))
  const deployed = await gql(mgmt, DEPLOY, {name, stage, types: datamodel, secrets, force: true})
  if (deployed.body.errors || deployed.body.data.deploy.errors.length > 0) throw new Error(JSON.stringify(deployed.body))
  await waitFor(async () => {
    const status = await gql(mgmt, MIGRATION_STATUS, {name, stage})
    return status.body.data.migrationStatus.status === 'SUCCESS' ? true : undefined
  })
}

export type ExportCursor = {table: number; row: number; field: number; array: number}
export type ExportPage = {out: {jsonElements: unknown[]; size: number}; cursor: ExportCursor; isFull: boolean}

/** Pages through `<service url>/export` for one file type as the CLI does: while the cursor numbers add up to >= 0. */
export async function exportPages(serviceUrl: string, fileType: string, token?: string): Promise<ExportPage[]> {
  const pages: ExportPage[] = []
  let cursor: ExportCursor = {table: 0, row: 0, field: 0, array: 0}
  while (cursor.table + cursor.row + cursor.field + cursor.array >= 0) {
    const answer = await post(`${serviceUrl}/export`, {fileType, cursor}, {authorization: `Bearer ${token}`})
    if (answer.status !== 200 || answer.body.errors) throw new Error(`export failed: ${JSON.stringify(answer.body)}`)
    pages.push(answer.body)
    cursor = answer.body.cursor
  }
  return pages
}

/** All data of a stage read over HTTP (also from a stand-in in another process), in the shape of `server.data()`. */
export async function readStage(serviceUrl: string, token?: string): Promise<StageData> {
  const all = async (fileType: string) => (await exportPages(serviceUrl, fileType, token)).flatMap((page) => page.out.jsonElements)
  return {nodes: await all('nodes'), lists: await all('lists'), relations: await all('relations')}
}
