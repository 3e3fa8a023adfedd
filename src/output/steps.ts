/**
 * The listing of migration steps as the original CLI prints it: types (grouped by model), then enums, then
 * relations, one line per change with `+` (created), `-` (deleted) or `~` (updated).
 */
import type {MigrationStep, RelationManifestation} from '../management-api/types.js'
import {quoted, type Colors} from './colors.js'

const pad = '  '

function symbol(c: Colors, kind: 'create' | 'delete' | 'update'): string {
  if (kind === 'create') return c.green('+')
  if (kind === 'delete') return c.red('-')
  return c.yellow('~')
}

export function formatFieldType(typeName: string, isRequired: boolean, isList: boolean): string {
  if (isList) return `[${typeName}!]!`
  return `${typeName}${isRequired ? '!' : ''}`
}

function updateFieldParts(step: MigrationStep): string {
  const parts: string[] = []
  if (step.isRequired === true) parts.push('became required')
  if (step.isRequired === false) parts.push('is not required anymore')
  if (step.isList === true) parts.push('became a list')
  if (step.isList === false) parts.push('is not a list anymore')
  if (step.isUnique === true) parts.push('became unique')
  if (step.enum) parts.push(`now uses enum ${step.enum}`)
  return parts.length === 0 ? '' : `. It ${parts.join(', ')}.`
}

function typeStepLine(c: Colors, step: MigrationStep): string | undefined {
  const b = (name: string | undefined) => quoted(c, name ?? '')
  switch (step.type) {
    case 'CreateModel': {
      return `${pad}${symbol(c, 'create')} Created type ${b(step.name)}`
    }

    case 'DeleteModel': {
      return `${pad}${symbol(c, 'delete')} Deleted type ${b(step.name)}`
    }

    case 'CreateField': {
      const type = formatFieldType(step.cf_typeName ?? step.typeName ?? '', Boolean(step.cf_isRequired), Boolean(step.cf_isList))
      return `${pad}${symbol(c, 'create')} Created field ${b(step.name)} of type ${b(type)}`
    }

    case 'DeleteField': {
      return `${pad}${symbol(c, 'delete')} Deleted field ${b(step.name)}`
    }

    case 'UpdateField': {
      return `${pad}${symbol(c, 'update')} Updated field ${b(step.name)}${updateFieldParts(step)}`
    }

    default: {
      return undefined
    }
  }
}

function header(c: Colors, name: string, kind: 'Enum' | 'Relation' | 'Type'): string {
  return `\n${pad}${c.bold(name)} (${kind})`
}

function relationLines(c: Colors, step: MigrationStep): string[] {
  const b = (name: string | null | undefined) => quoted(c, name ?? '')
  const lines: string[] = []
  if (step.type === 'CreateRelation') {
    lines.push(header(c, step.name ?? '', 'Relation'))
    const after = step.after
    if (after?.type === 'LinkTable') {
      lines.push(
        `${pad}${symbol(c, 'create')} Link Table ${b(after.table)} between ${b(step.leftModel)} and ${b(step.rightModel)} has been created`,
      )
    } else if (after) {
      lines.push(
        `${pad}${symbol(c, 'create')} Created an inline relation between ${b(step.leftModel)} and ${b(step.rightModel)} in the column ${b(after.column)} of table ${b(after.model)}`,
      )
    }
  } else if (step.type === 'UpdateRelation') {
    const before: RelationManifestation | null | undefined = step.before
    const after: RelationManifestation | null | undefined = step.ur_after
    if (!before || !after) return lines
    lines.push(header(c, step.ur_newName || step.ur_name || step.name || '', 'Relation'))
    if (before.type === 'LinkTable' && after.type === 'LinkTable' && before.idColumn && !after.idColumn) {
      lines.push(
        `${pad}${symbol(c, 'delete')} The id column ${b(before.idColumn)} in link table ${b(before.table)} has been removed.\n` +
          `${pad}  It was a Prisma legacy column that is not in use anymore.`,
      )
    } else if (before.type === 'LinkTable' && after.type === 'Inline') {
      lines.push(
        `${pad}${symbol(c, 'delete')} Link Table ${b(before.table)} has been removed`,
        `${pad}${symbol(c, 'create')} Created an inline relation in the column ${b(after.column)} of table ${b(after.model)}`,
      )
    } else if (before.type === 'Inline' && after.type === 'LinkTable') {
      lines.push(
        `${pad}${symbol(c, 'delete')} Removed an inline relation in the column ${b(before.column)} of table ${b(before.model)}`,
        `${pad}${symbol(c, 'create')} Link Table ${b(after.table)} has been created`,
      )
    }
  } else if (step.type === 'DeleteRelation') {
    // the original printed "between undefined and undefined" here: it never asked for the models
    lines.push(header(c, step.name ?? '', 'Relation'), `${pad}${symbol(c, 'delete')} Deleted relation ${b(step.name)}`)
  }

  return lines
}

/**
 * The lines of the step listing (each one printed line, some starting with a blank line), one at a time, so that a
 * listing of tens of thousands of steps (a large datamodel) can be written in batches instead of held whole.
 */
export function* stepLines(steps: MigrationStep[], c: Colors): Generator<string> {

  // 1. types, grouped by model in order of first appearance. UpdateModel and UpdateSecrets have no `model` and are
  // not listed, as by the original. A 1.34 server sends UpdateModel for every model whose template changed
  // (MigrationStepsInferrer.scala compares whole model templates): with any field step of the model, and alone for
  // a change of a default, which then lists nothing under the header but is still a migration.
  const groups = new Map<string, MigrationStep[]>()
  for (const step of steps) {
    const isTypeStep = Boolean(step.model) || step.type === 'CreateModel' || step.type === 'DeleteModel'
    if (!isTypeStep) continue
    const key = step.model || step.name || ''
    const group = groups.get(key)
    if (group) group.push(step)
    else groups.set(key, [step])
  }

  for (const [model, group] of groups) {
    yield header(c, model, 'Type')
    for (const step of group) {
      const line = typeStepLine(c, step)
      if (line !== undefined) yield line
    }
  }

  // 2. enums, in step order
  for (const step of steps) {
    const name = step.name ?? ''
    if (step.type === 'CreateEnum') {
      const values = (step.ce_values ?? step.values ?? []).map((value) => quoted(c, value)).join(', ')
      yield header(c, name, 'Enum')
      yield `${pad}${symbol(c, 'create')} Created enum ${name} with values ${values}`
    } else if (step.type === 'UpdateEnum') {
      yield header(c, name, 'Enum')
      yield `${pad}${symbol(c, 'update')} Updated enum ${name}`
    } else if (step.type === 'DeleteEnum') {
      yield header(c, name, 'Enum')
      yield `${pad}${symbol(c, 'delete')} Deleted enum ${name}`
    }
  }

  // 3. relations, in step order
  for (const step of steps) yield* relationLines(c, step)
}
