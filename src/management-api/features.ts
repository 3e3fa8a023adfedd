/** What a Management API server supports, read from introspection of three types instead of the whole schema. */

export interface ServerFeatures {
  /** DeployPayload.steps (1.25+): the steps of dry runs and warned deploys. */
  payloadSteps: boolean
  /** DeployInput.force and DeployPayload.warnings (1.5+). */
  force: boolean
  /** DeployInput.noMigration (1.26+). */
  noMigration: boolean
  /** CreateRelation.after, UpdateRelation.before/after (1.27+). */
  relationManifestations: boolean
}

interface IntrospectedType {
  fields?: Array<{name: string}> | null
  inputFields?: Array<{name: string}> | null
}

export interface FeatureIntrospection {
  deployInput?: IntrospectedType | null
  deployPayload?: IntrospectedType | null
  createRelation?: IntrospectedType | null
}

function has(type: IntrospectedType | null | undefined, field: string): boolean {
  if (!type) return false
  return [...(type.fields ?? []), ...(type.inputFields ?? [])].some((entry) => entry.name === field)
}

export function detectFeatures(introspection: FeatureIntrospection): ServerFeatures {
  const {deployInput, deployPayload, createRelation} = introspection
  return {
    // when the input type could not be read, assume the 1.5+ mutation and rely on the validation-error fallback
    force: deployInput ? has(deployInput, 'force') : true,
    noMigration: has(deployInput, 'noMigration'),
    payloadSteps: has(deployPayload, 'steps'),
    relationManifestations: has(createRelation, 'after'),
  }
}

/** Prisma Admin is served from server 1.29 on; a version without major.minor (e.g. `local`) counts as without. */
export function supportsPrismaAdmin(version: string | undefined): boolean {
  const match = /(\d+)\.(\d+)/.exec(version ?? '')
  if (!match) return false
  const [major, minor] = [Number(match[1]), Number(match[2])]
  return major > 1 || (major === 1 && minor >= 29)
}
