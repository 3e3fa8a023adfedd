/**
 * Migration step inference between two inferred schemas (old = project's current schema, new = deployed datamodel),
 * in the server's fixed step order, plus the destructive-change check against "existing data" (which models hold
 * rows is set by the test through the server handle).
 */
import {
  friendlyTypeName,
  DeployFailure,
  generatedRelationName,
  type DmField,
  type DmModel,
  type DmRelation,
  type DmSchema,
  type Manifestation,
  type SchemaProblem,
} from './datamodel.js'

export type Step = {type: string} & Record<string, unknown>

// Lookups by name, built once per schema/model (datamodels can have thousands of types).
const modelIndexes = new WeakMap<DmSchema, {byName: Map<string, DmModel>; byOldName: Map<string, DmModel>}>()
const fieldIndexes = new WeakMap<DmModel, Map<string, DmField>>()

function modelNamed(schema: DmSchema, name: unknown): DmModel | undefined {
  return modelIndex(schema).byName.get(name as string)
}

function modelRenamedFrom(schema: DmSchema, oldName: unknown): DmModel | undefined {
  return modelIndex(schema).byOldName.get(oldName as string)
}

function modelIndex(schema: DmSchema) {
  let index = modelIndexes.get(schema)
  if (!index) {
    index = {byName: new Map(), byOldName: new Map()}
    for (const model of schema.models) {
      if (!index.byName.has(model.name)) index.byName.set(model.name, model)
      if (model.oldName && !index.byOldName.has(model.oldName)) index.byOldName.set(model.oldName, model)
    }
    modelIndexes.set(schema, index)
  }
  return index
}

function fieldNamed(model: DmModel | undefined, name: unknown): DmField | undefined {
  if (!model) return undefined
  let index = fieldIndexes.get(model)
  if (!index) {
    index = new Map()
    for (const field of model.fields) if (!index.has(field.name)) index.set(field.name, field)
    fieldIndexes.set(model, index)
  }
  return index.get(name as string)
}

function renderDefault(field: DmField, wrapped: boolean): string | null {
  if (!field.default) return wrapped ? 'None' : null
  const inner = `${field.default.kind}(${field.default.value})`
  return wrapped ? `Some(${inner})` : inner
}

function sameManifestation(a: Manifestation, b: Manifestation): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function matchModel(oldSchema: DmSchema, model: DmModel): DmModel | undefined {
  if (model.oldName) {
    const renamed = modelNamed(oldSchema, model.oldName)
    if (renamed) return renamed
  }
  return modelNamed(oldSchema, model.name)
}

function matchField(oldModel: DmModel, field: DmField): DmField | undefined {
  if (field.oldName) {
    const renamed = fieldNamed(oldModel, field.oldName)
    if (renamed) return renamed
  }
  return fieldNamed(oldModel, field.name)
}

/**
 * A model's template as the server compares it (shared-models Model.scala `ModelTemplate`, Field.scala
 * `FieldTemplate`, built by deploy/migration/inference/SchemaInferrer.scala): the model's name and embedded flag,
 * and per field in declaration order its name, type identifier, required/list/unique flags, enum (with
 * its values), default, relation name and side, column name and behaviour; plus the hidden back-relation fields the
 * server adds for relations the model takes part in without a field of its own (MissingBackRelations).
 */
const relationIndexes = new WeakMap<DmSchema, {byName: Map<string, DmRelation>; byModel: Map<string, DmRelation[]>}>()

function relationIndex(schema: DmSchema) {
  let index = relationIndexes.get(schema)
  if (!index) {
    index = {byName: new Map(), byModel: new Map()}
    for (const relation of schema.relations) {
      if (!index.byName.has(relation.name)) index.byName.set(relation.name, relation)
      for (const end of new Set([relation.modelA, relation.modelB])) {
        const list = index.byModel.get(end)
        if (list) list.push(relation)
        else index.byModel.set(end, [relation])
      }
    }
    relationIndexes.set(schema, index)
  }
  return index
}

function modelTemplate(schema: DmSchema, model: DmModel): string {
  const relations = relationIndex(schema)
  const typeIdentifier = (f: DmField) => (f.kind === 'enum' ? 'Enum' : f.kind === 'relation' ? 'Relation' : f.declaredType)
  const relationSide = (f: DmField): string | null => {
    const relation = f.relation === null ? undefined : relations.byName.get(f.relation)
    if (!relation) return null
    if (relation.modelA !== relation.modelB) return relation.modelA === model.name ? 'A' : 'B'
    const sides = model.fields.filter((other) => other.relation === relation.name).map((other) => other.name)
    return sides.some((name) => name < f.name) ? 'B' : 'A'
  }
  const fields = model.fields.map((f) => [
    f.name,
    typeIdentifier(f),
    f.isRequired,
    f.isList,
    f.isUnique,
    f.kind === 'enum' ? (schema.enums.find((e) => e.name === f.declaredType) ?? null) : null,
    f.default,
    f.kind === 'relation' ? f.relation : null,
    f.kind === 'relation' ? relationSide(f) : null,
    f.dbName,
    [f.isId, f.createdAt, f.updatedAt],
  ])
  const own = new Set(model.fields.map((f) => f.relation))
  const hidden = (relations.byModel.get(model.name) ?? []).filter((r) => !own.has(r.name)).map((r) => r.name)
  return JSON.stringify([model.name, model.isEmbedded, fields, hidden])
}

export function createFieldStep(model: string, field: DmField): Step {
  return {
    type: 'CreateField',
    model,
    name: field.name,
    typeName: friendlyTypeName(field),
    isRequired: field.isRequired,
    isList: field.isList,
    unique: field.isUnique,
    enum: field.kind === 'enum' ? field.declaredType : null,
    default: renderDefault(field, true),
    relation: field.kind === 'relation' ? field.relation : null,
  }
}

export function inferSteps(oldSchema: DmSchema, newSchema: DmSchema): Step[] {
  const deleteRelation: Step[] = []
  const deleteField: Step[] = []
  const deleteModel: Step[] = []
  const deleteEnum: Step[] = []
  const updateEnum: Step[] = []
  const updateField: Step[] = []
  const updateModel: Step[] = []
  const updateRelation: Step[] = []
  const createEnum: Step[] = []
  const createModel: Step[] = []
  const createField: Step[] = []
  const createRelation: Step[] = []

  const matchedOldModels = new Set<string>()

  for (const model of newSchema.models) {
    const old = matchModel(oldSchema, model)
    if (!old) {
      createModel.push({type: 'CreateModel', name: model.name})
      for (const field of model.fields) createField.push(createFieldStep(model.name, field))
      continue
    }
    matchedOldModels.add(old.name)
    // MigrationStepsInferrer.modelsToUpdate: `nextModel.template != previousModel.template`, a comparison of the
    // whole model template, so any change to one of its fields (a default included) is also an UpdateModel.
    if (modelTemplate(oldSchema, old) !== modelTemplate(newSchema, model)) {
      updateModel.push({
        type: 'UpdateModel',
        name: old.name,
        newName: model.name,
        isEmbedded: old.isEmbedded !== model.isEmbedded ? model.isEmbedded : null,
      })
    }
    const matchedOldFields = new Set<string>()
    for (const field of model.fields) {
      const oldField = matchField(old, field)
      if (!oldField) {
        createField.push(createFieldStep(model.name, field))
        continue
      }
      matchedOldFields.add(oldField.name)
      const diff = <T>(a: T, b: T): T | null => (a === b ? null : b)
      const newRelation = field.kind === 'relation' ? field.relation : null
      const oldRelation = oldField.kind === 'relation' ? oldField.relation : null
      const changes = {
        newName: oldField.name !== field.name ? field.name : null,
        typeName: diff(friendlyTypeName(oldField), friendlyTypeName(field)),
        isRequired: diff(oldField.isRequired, field.isRequired),
        isList: diff(oldField.isList, field.isList),
        unique: diff(oldField.isUnique, field.isUnique),
        enum: diff(oldField.kind === 'enum' ? oldField.declaredType : null, field.kind === 'enum' ? field.declaredType : null),
        default: diff(renderDefault(oldField, false), renderDefault(field, false)),
        relation: diff(oldRelation, newRelation),
      }
      // What the server compares for UpdateField (MigrationStepsInferrer.fieldsToUpdate): name, type identifier,
      // unique, required, list, column name and behaviour (id, createdAt, updatedAt). A changed default alone is no
      // UpdateField; it changes the model's template, so it is an UpdateModel of the model (see modelsToUpdate).
      const typeIdentifier = (f: DmField) => (f.kind === 'enum' ? 'Enum' : f.kind === 'relation' ? 'Relation' : f.declaredType)
      const differs =
        oldField.name !== field.name ||
        typeIdentifier(oldField) !== typeIdentifier(field) ||
        oldField.isRequired !== field.isRequired ||
        oldField.isList !== field.isList ||
        oldField.isUnique !== field.isUnique ||
        oldField.dbName !== field.dbName ||
        oldField.isId !== field.isId ||
        oldField.createdAt !== field.createdAt ||
        oldField.updatedAt !== field.updatedAt
      if (differs) {
        updateField.push({type: 'UpdateField', model: old.name, name: oldField.name, ...changes})
      }
    }
    for (const oldField of old.fields) {
      if (!matchedOldFields.has(oldField.name)) deleteField.push({type: 'DeleteField', model: old.name, name: oldField.name})
    }
  }
  for (const old of oldSchema.models) {
    if (!matchedOldModels.has(old.name)) deleteModel.push({type: 'DeleteModel', name: old.name})
  }

  for (const e of newSchema.enums) {
    const old = oldSchema.enums.find((o) => o.name === e.name)
    if (!old) createEnum.push({type: 'CreateEnum', name: e.name, values: e.values})
    else if (JSON.stringify(old.values) !== JSON.stringify(e.values)) {
      updateEnum.push({type: 'UpdateEnum', name: e.name, newName: null, values: e.values})
      // (values are only compared when the enum is not renamed; renames of enums are not supported here)
    }
  }
  for (const old of oldSchema.enums) {
    if (!newSchema.enums.some((e) => e.name === old.name)) deleteEnum.push({type: 'DeleteEnum', name: old.name})
  }

  // Relations: matched by name, or (when unambiguous between the same two models) as a rename of a generated name.
  const nextModelName = (previous: string) => modelRenamedFrom(newSchema, previous)?.name ?? previous
  const connects = (r: DmRelation, a: string, b: string) => (r.modelA === a && r.modelB === b) || (r.modelA === b && r.modelB === a)
  const matchedNext = new Set<DmRelation>()
  for (const old of oldSchema.relations) {
    const a = nextModelName(old.modelA)
    const b = nextModelName(old.modelB)
    const previousCount = oldSchema.relations.filter((r) => connects(r, old.modelA, old.modelB)).length
    const candidates = newSchema.relations.filter((r) => connects(r, a, b))
    const wasGenerated = old.name === generatedRelationName(old.modelA, old.modelB)
    if (wasGenerated && previousCount === 1 && candidates.length > 1) {
      throw new DeployFailure(
        `There is a relation ambiguity during the migration. Please first name the old relation on your schema. The ambiguity is on a relation between ${old.modelA} and ${old.modelB}. Please name relations or change the schema in steps.`,
        3018,
      )
    }
    let next = candidates.find((r) => r.name === old.name)
    if (!next && previousCount === 1 && candidates.length === 1) {
      const candidate = candidates[0]
      if (wasGenerated || candidate.name === generatedRelationName(a, b)) next = candidate
    }
    if (!next) {
      deleteRelation.push({type: 'DeleteRelation', name: old.name})
      continue
    }
    matchedNext.add(next)
    if (old.name !== next.name || !sameManifestation(old.manifestation, next.manifestation) || !connects(next, a, b)) {
      updateRelation.push({
        type: 'UpdateRelation',
        name: old.name,
        newName: old.name !== next.name ? next.name : null,
        before: old.manifestation,
        after: next.manifestation,
      })
    }
  }
  for (const rel of newSchema.relations) {
    if (!matchedNext.has(rel)) {
      createRelation.push({type: 'CreateRelation', name: rel.name, leftModel: rel.modelA, rightModel: rel.modelB, after: rel.manifestation})
    }
  }

  const steps = [
    ...deleteRelation,
    ...deleteField,
    ...deleteModel,
    ...deleteEnum,
    ...updateEnum,
    ...updateField,
    ...updateModel,
    ...updateRelation,
    ...createEnum,
    ...createModel,
    ...createField,
    ...createRelation,
  ]
  // graphql-js resolves the MigrationStep interface through __typename.
  for (const step of steps) step.__typename = step.type
  return steps
}

function prefill(field: DmField, schema: DmSchema): string {
  if (field.default) return field.default.value
  switch (field.declaredType) {
    case 'String':
      return ''
    case 'Boolean':
      return 'false'
    case 'Int':
      return '0'
    case 'Float':
      return '0.0'
    case 'DateTime':
      return '1970-01-01T00:00:00Z'
    case 'Json':
      return '{}'
    case 'ID':
      return 'DefaultCUIDMigrationValue'
    case 'UUID':
      return '550e8400-e29b-11d4-a716-446655440000'
    default:
      return schema.enums.find((e) => e.name === field.declaredType)?.values[0] ?? ''
  }
}

const DATA_LOSS_MAY = 'You already have nodes for this model. This change may result in data loss.'

/** Warnings and errors for changes that would touch existing rows. `hasData(model)` names the models with rows. */
export function destructiveChanges(
  oldSchema: DmSchema,
  newSchema: DmSchema,
  steps: Step[],
  hasData: (model: string) => boolean,
): {warnings: SchemaProblem[]; errors: SchemaProblem[]} {
  const warnings: SchemaProblem[] = []
  const errors: SchemaProblem[] = []
  // As the server: the existing-data checks in step order, then the createdAt/updatedAt hints.
  const timestampWarnings: SchemaProblem[] = []
  const newModelFor = (oldName: string) =>
    modelRenamedFrom(newSchema, oldName) ?? modelNamed(newSchema, oldName)
  for (const step of steps) {
    switch (step.type) {
      case 'DeleteModel':
        if (hasData(step.name as string)) {
          warnings.push({type: step.name as string, field: null, description: 'You already have nodes for this model. This change will result in data loss.'})
        }
        break
      case 'DeleteField': {
        const oldModel = modelNamed(oldSchema, step.model)
        const field = fieldNamed(oldModel, step.name)
        if (field && field.kind !== 'relation' && hasData(step.model as string)) {
          warnings.push({type: step.model as string, field: step.name as string, description: DATA_LOSS_MAY})
        }
        break
      }
      case 'UpdateField': {
        // UpdateField names the previous model; the next model is the one renamed from it, or of the same name.
        const oldModel = modelNamed(oldSchema, step.model)
        const model = oldModel ? newModelFor(oldModel.name) : undefined
        const field = fieldNamed(model, (step.newName as string | null) ?? step.name)
        const oldField = fieldNamed(oldModel, step.name)
        if (!field || !oldModel || !oldField || !hasData(oldModel.name)) break
        const typeChanged = step.typeName !== null || step.isList !== null || (oldField.kind === 'relation') !== (field.kind === 'relation')
        if (oldField.isId && step.typeName !== null) {
          errors.push({
            type: model!.name,
            field: field.name,
            description: `You are changing the type of the id field \`${field.name}\`. But there are already nodes for this model. This would require to regenerate IDs for all nodes which is not possible. You have to remove all nodes for this type by either running \`prisma reset\` or through a \`deleteMany${model!.name}s\` mutation.`,
          })
          break
        }
        if (typeChanged) {
          warnings.push({type: model!.name, field: field.name, description: DATA_LOSS_MAY})
          if (field.isRequired && field.kind !== 'relation') {
            warnings.push({
              type: model!.name,
              field: field.name,
              description: `You are changing the type of a required field. The fields will be pre-filled with the value: \`${prefill(field, newSchema)}\`.`,
            })
          }
        } else if (step.isRequired === true) {
          if (field.kind === 'relation') {
            errors.push({type: model!.name, field: field.name, description: `You are updating the field \`${field.name}\` to be required. But there are already nodes for the model \`${model!.name}\` that would violate that constraint.`})
          } else if (field.isUnique) {
            errors.push({type: model!.name, field: field.name, description: `You are updating the field \`${field.name}\` to be required and unique. But there are already nodes for the model \`${model!.name}\` that would violate that constraint.`})
          } else {
            warnings.push({
              type: model!.name,
              field: field.name,
              description: `You are changing the type of a required field. The fields will be pre-filled with the value: \`${prefill(field, newSchema)}\`.`,
            })
          }
        }
        break
      }
      case 'CreateField': {
        const model = modelNamed(newSchema, step.model)
        const oldModel = model && (modelNamed(oldSchema, model.oldName) ?? modelNamed(oldSchema, model.name))
        const field = fieldNamed(model, step.name)
        if (!model || !field) break
        if ((field.name === 'createdAt' && !field.createdAt) || (field.name === 'updatedAt' && !field.updatedAt)) {
          const what = field.name === 'createdAt' ? 'created' : 'updated'
          timestampWarnings.push({
            type: model.name,
            field: field.name,
            description: `You are adding the field \`${field.name}\` but is missing the directive \`@${field.name}\`. Please specify the field as \`${field.name}: DateTime! @${field.name}\` if you want to track the times for when a record was ${what}. Or deploy with \`--force\` to ignore this.`,
          })
        }
        if (!oldModel || !hasData(oldModel.name) || !field.isRequired || field.isList) break
        if (field.kind === 'relation') {
          errors.push({type: model.name, field: null, description: 'You are creating a required relation, but there are already nodes that would violate that constraint.'})
        } else if (field.isUnique) {
          errors.push({type: model.name, field: field.name, description: `You are creating a new required unique field \`${field.name}\`. There are already nodes for the model \`${model.name}\` that would violate that constraint.`})
        } else {
          warnings.push({
            type: model.name,
            field: field.name,
            description: `You are creating a required field but there are already nodes present that would violate that constraint.The fields will be pre-filled with the value \`${prefill(field, newSchema)}\`.`,
          })
        }
        break
      }
      case 'DeleteRelation':
      case 'UpdateRelation': {
        const rel = oldSchema.relations.find((r) => r.name === step.name)
        if (rel && (hasData(rel.modelA) || hasData(rel.modelB))) {
          warnings.push({type: rel.name, field: null, description: 'You already have nodes for this relation. This change will result in data loss.'})
        }
        break
      }
      default:
        break
    }
  }
  return {warnings: [...warnings, ...timestampWarnings], errors}
}
