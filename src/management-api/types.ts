/** Shapes of what the Management API answers, as the documents in documents.ts select them. */

export interface RelationManifestation {
  type: 'Inline' | 'LinkTable' | string
  model?: string
  column?: string
  table?: string
  modelAColumn?: string
  modelBColumn?: string
  idColumn?: string | null
}

/** A migration step with the aliases the step selection uses (cf_…, ce_…, ur_…, um_…). */
export interface MigrationStep {
  type: string
  __typename?: string
  name?: string
  model?: string
  // CreateField
  cf_typeName?: string
  cf_isRequired?: boolean
  cf_isList?: boolean
  cf_isUnique?: boolean
  cf_relation?: string | null
  cf_defaultValue?: string | null
  cf_enum?: string | null
  // CreateEnum / UpdateEnum
  ce_values?: string[]
  values?: string[] | null
  newName?: string | null
  // UpdateField
  typeName?: string | null
  isRequired?: boolean | null
  isList?: boolean | null
  isUnique?: boolean | null
  relation?: string | null
  default?: string | null
  enum?: string | null
  // relations
  leftModel?: string
  rightModel?: string
  after?: RelationManifestation | null
  ur_name?: string
  ur_newName?: string | null
  before?: RelationManifestation | null
  ur_after?: RelationManifestation | null
  um_newName?: string
}

export interface SchemaProblem {
  type: string
  field?: string | null
  description: string
}

export interface DeployPayload {
  errors: SchemaProblem[]
  warnings?: SchemaProblem[]
  migration: {revision: number; steps: MigrationStep[]} | null
  steps?: MigrationStep[]
}

export type MigrationStatusName =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESS'
  | 'ROLLING_BACK'
  | 'ROLLBACK_SUCCESS'
  | 'ROLLBACK_FAILURE'
  | string

export interface MigrationStatus {
  projectId?: string
  revision: number
  status: MigrationStatusName
  applied: number
  rolledBack: number
  errors: string[]
}

/** A migration as `prisma migrations` shows it: its step count instead of the steps. */
export interface MigrationRecord extends Omit<MigrationStatus, 'projectId'> {
  /** Number of steps of the migration. */
  steps: number
  /** ISO times; null until the server started (finished) applying it. */
  startedAt: string | null
  finishedAt: string | null
}

/** A service stage on the server; `name` is `<workspace>~<service>` on the shared demo servers. */
export interface ProjectName {
  name: string
  stage: string
}

export const finalStatuses: ReadonlySet<string> = new Set(['SUCCESS', 'ROLLBACK_SUCCESS', 'ROLLBACK_FAILURE'])

export interface FunctionInput {
  name: string
  query: string
  url: string
  headers: Array<{name: string; value: string}>
}
