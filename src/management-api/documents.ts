/**
 * The GraphQL documents the tool sends to a Prisma server's Management API. They are built from the features the
 * server advertises (see features.ts), so that a server of any version from 1.7 to 1.34 accepts them.
 */
import type {ServerFeatures} from './features.js'

const manifestation = `type ... on Inline { model column } ... on LinkTable { table modelAColumn modelBColumn idColumn type }`

/** The selection of a migration step; aliases keep GraphQL from rejecting same-named fields of different types. */
export function stepSelection(features: Pick<ServerFeatures, 'relationManifestations'>): string {
  const manifestations = features.relationManifestations
  return [
    // Only what the listing shows is asked for: `type` equals __typename, CreateField.default is the server's
    // internal rendering ("None", "Some(StringGCValue(x))"), and a field's relation and enum name are shown by the
    // steps of the relation and the enum. This keeps the answer of a 10,000-type deploy about a third smaller.
    'type',
    '... on CreateEnum { name ce_values: values }',
    '... on CreateField { model name cf_typeName: typeName cf_isRequired: isRequired cf_isList: isList cf_isUnique: unique }',
    '... on CreateModel { name }',
    manifestations
      ? `... on CreateRelation { name leftModel rightModel after { ${manifestation} } }`
      : '... on CreateRelation { name leftModel rightModel }',
    manifestations
      ? `... on UpdateRelation { ur_name: name ur_newName: newName before { ${manifestation} } ur_after: after { ${manifestation} } }`
      : '',
    '... on DeleteEnum { name }',
    '... on DeleteField { model name }',
    '... on DeleteModel { name }',
    '... on DeleteRelation { name }',
    '... on UpdateEnum { name newName values }',
    '... on UpdateField { model name newName typeName isRequired isList isUnique: unique relation default enum }',
    '... on UpdateModel { name um_newName: newName }',
  ]
    .filter(Boolean)
    .join(' ')
}

/**
 * One request that answers everything the deploy needs to know before deploying: the server version, whether the
 * service stage exists (listMigrations answers [] for unknown services instead of failing, and it is checked against
 * the token's grants for this very service), and the few schema features the client adapts to.
 */
export const deployProbeQuery = `query deployProbe($name: String!, $stage: String!) {
  serverInfo { version }
  migrations: listMigrations(name: $name, stage: $stage) { revision status }
  deployInput: __type(name: "DeployInput") { inputFields { name } }
  deployPayload: __type(name: "DeployPayload") { fields { name } }
  createRelation: __type(name: "CreateRelation") { fields { name } }
}`

/** Fallback feature detection for servers that reject the combined probe. */
export const featuresQuery = `query features {
  deployInput: __type(name: "DeployInput") { inputFields { name } }
  deployPayload: __type(name: "DeployPayload") { fields { name } }
  createRelation: __type(name: "CreateRelation") { fields { name } }
}`

export const serverInfoQuery = `query serverInfo { serverInfo { version } }`

export const projectQuery = `query project($name: String!, $stage: String!) { project(name: $name, stage: $stage) { name stage } }`

export const addProjectMutation = `mutation addProject($name: String!, $stage: String!, $secrets: [String!]) {
  addProject(input: {name: $name, stage: $stage, secrets: $secrets}) { project { name } }
}`

export const migrationStatusQuery = `query migrationStatus($name: String!, $stage: String!) {
  migrationStatus(name: $name, stage: $stage) { projectId revision status applied rolledBack errors }
}`

export const listMigrationsQuery = `query listMigrations($name: String!, $stage: String!) {
  listMigrations(name: $name, stage: $stage) { revision status applied rolledBack errors }
}`

export const listProjectsQuery = `query listProjects { listProjects { name stage } }`

/** Every migration of a service stage with its times and step count (newest first), for `prisma migrations`. */
export const migrationHistoryQuery = `query migrationHistory($name: String!, $stage: String!) {
  listMigrations(name: $name, stage: $stage) { revision status applied rolledBack errors startedAt finishedAt steps { type } }
}`

// Only name and stage: the server has already dropped the migrations when it renders the payload (datamodel fails).
export const deleteProjectMutation = `mutation deleteProject($name: String!, $stage: String!) {
  deleteProject(input: {name: $name, stage: $stage}) { project { name stage } }
}`

export interface DeployDocumentOptions {
  /** false for servers before 1.5: no `force` input, no `warnings`, no `steps`. */
  force: boolean
  noMigration: boolean
  payloadSteps: boolean
  relationManifestations: boolean
}

export function deployMutation(options: DeployDocumentOptions): string {
  const steps = stepSelection(options)
  const forceVariable = options.force ? ', $force: Boolean' : ''
  const forceInput = options.force ? ' force: $force' : ''
  const noMigration = options.noMigration ? ' noMigration: true' : ''
  const selection = [
    'errors { type field description }',
    options.force ? 'warnings { type field description }' : '',
    // with payload steps (1.25+), the migration's steps are only counted (progress: applied/total)
    options.force && options.payloadSteps ? 'migration { revision steps { type } }' : `migration { revision steps { ${steps} } }`,
    options.force && options.payloadSteps ? `steps { ${steps} }` : '',
  ]
    .filter(Boolean)
    .join('\n    ')
  return `mutation deploy($name: String!, $stage: String!, $types: String!, $dryRun: Boolean, $secrets: [String!], $subscriptions: [FunctionInput!]${forceVariable}) {
  deploy(input: {name: $name stage: $stage types: $types dryRun: $dryRun secrets: $secrets subscriptions: $subscriptions${forceInput}${noMigration}}) {
    ${selection}
  }
}`
}
