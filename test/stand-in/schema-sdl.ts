/**
 * The Management API schema (SDL) of a Prisma 1.34 server, and of older servers for the profiles that test a
 * client's fallbacks. Descriptions are the server's. `serverInfo` exists from 1.8 on and `clusterInfo` until 1.11
 * (deploy/schema/SchemaBuilder.scala at the tags 1.7.4, 1.8.0, 1.11.1, 1.12.0), as the server line says.
 */
import type {ServerLine} from './server-lines.js'

export type Profile = '1.34' | 'pre-1.5' | 'cluster-path'

export function managementSdl(profile: Profile, line?: Pick<ServerLine, 'clusterInfo' | 'serverInfo'>): string {
  const modern = profile !== 'pre-1.5'
  const serverInfo = line?.serverInfo ?? true
  const clusterInfo = line?.clusterInfo ?? !modern
  return `
type Query {
  "Shows the status of the next migration in line to be applied to the project. If no such migration exists, it shows the last applied migration."
  migrationStatus(name: String!, stage: String!): Migration!
  "Shows all projects the caller has access to."
  listProjects: [Project!]!
  "Shows all migrations for the project. Debug query, will likely be removed in the future."
  listMigrations(name: String!, stage: String!): [Migration!]!
  "Gets a project by name and stage."
  project(name: String!, stage: String!): Project!
  ${serverInfo ? '"Information about the server"\n  serverInfo: ServerInfo!' : ''}
  "generates a token for the given project"
  generateProjectToken(name: String!, stage: String!): String!
  ${clusterInfo ? '"Information about the cluster"\n  clusterInfo: ClusterInfo!' : ''}
}

${clusterInfo ? 'type ClusterInfo {\n  version: String!\n  commit: String!\n}' : ''}

type Mutation {
  deploy(input: DeployInput!): DeployPayload
  addProject(input: AddProjectInput!): AddProjectPayload
  deleteProject(input: DeleteProjectInput!): DeleteProjectPayload
  ${modern ? 'setCloudSecret(input: SetCloudSecretInput!): SetCloudSecretPayload' : ''}
}

input DeployInput {
  name: String!
  stage: String!
  types: String!
  dryRun: Boolean
  secrets: [String!]
  subscriptions: [FunctionInput!]
  ${modern ? 'force: Boolean\n  noMigration: Boolean' : ''}
  clientMutationId: String
}

input FunctionInput {
  name: String!
  query: String!
  url: String!
  headers: [HeaderInput!]!
}

input HeaderInput {
  name: String!
  value: String!
}

type DeployPayload {
  errors: [SchemaError!]!
  migration: Migration
  ${modern ? 'warnings: [SchemaWarning!]!\n  steps: [MigrationStep!]!' : ''}
  clientMutationId: String
}

input AddProjectInput {
  name: String!
  stage: String!
  secrets: [String!]
  clientMutationId: String
}

type AddProjectPayload {
  project: Project
  clientMutationId: String
}

input DeleteProjectInput {
  name: String!
  stage: String!
  clientMutationId: String
}

type DeleteProjectPayload {
  project: Project
  clientMutationId: String
}

${
  modern
    ? `input SetCloudSecretInput {
  secret: String
  clientMutationId: String
}

type SetCloudSecretPayload {
  clientMutationId: String
}`
    : ''
}

"This is a project"
type Project {
  name: String!
  stage: String!
  ${modern ? 'datamodel: String!' : 'metricKey: String'}
}

"This is a migration"
type Migration {
  projectId: String!
  revision: Int!
  status: String!
  applied: Int!
  rolledBack: Int!
  errors: [String!]!
  startedAt: DateTime
  finishedAt: DateTime
  ${modern ? 'datamodel: String!' : ''}
  steps: [MigrationStep!]!
}

scalar DateTime

${serverInfo ? `"Information about the deployed server"
type ServerInfo {
  version: String!
  commit: String!
  ${modern ? 'primaryConnector: String!' : ''}
}` : ''}

"An error that occurred while validating the schema."
type SchemaError {
  type: String!
  field: String
  description: String!
}

${
  modern
    ? `"A warning created while validating the schema against existing data."
type SchemaWarning {
  type: String!
  field: String
  description: String!
}`
    : ''
}

"This is a migration step."
interface MigrationStep {
  type: String!
}

type CreateModel implements MigrationStep { name: String! type: String! }
type DeleteModel implements MigrationStep { name: String! type: String! }
type UpdateModel implements MigrationStep { name: String! newName: String! ${modern ? 'isEmbedded: Boolean' : ''} type: String! }

type CreateEnum implements MigrationStep { name: String! values: [String!]! type: String! }
type DeleteEnum implements MigrationStep { name: String! type: String! }
type UpdateEnum implements MigrationStep { name: String! newName: String values: [String!] type: String! }

type CreateField implements MigrationStep {
  model: String!
  name: String!
  typeName: String!
  isRequired: Boolean!
  isList: Boolean!
  unique: Boolean!
  enum: String
  default: String
  relation: String
  type: String!
}
type DeleteField implements MigrationStep { model: String! name: String! type: String! }
type UpdateField implements MigrationStep {
  model: String!
  name: String!
  newName: String
  typeName: String
  isRequired: Boolean
  isList: Boolean
  unique: Boolean
  enum: String
  default: String
  relation: String
  type: String!
}

type CreateRelation implements MigrationStep {
  name: String!
  leftModel: String!
  rightModel: String!
  ${modern ? 'after: RelationManifestation!' : ''}
  type: String!
}
type UpdateRelation implements MigrationStep {
  name: String!
  newName: String
  ${modern ? 'before: RelationManifestation!\n  after: RelationManifestation!' : 'modelAId: String\n  modelBId: String'}
  type: String!
}
type DeleteRelation implements MigrationStep { name: String! type: String! }

type UpdateSecrets implements MigrationStep { message: String! type: String! }

${
  modern
    ? `"This stores details about how a relation is manifested in the underlying database."
interface RelationManifestation {
  type: String!
}

"This is a link table."
type LinkTable implements RelationManifestation {
  table: String!
  modelAColumn: String!
  modelBColumn: String!
  idColumn: String
  type: String!
}

"This is an inline manifestation."
type Inline implements RelationManifestation {
  model: String!
  column: String!
  type: String!
}`
    : ''
}
`
}
