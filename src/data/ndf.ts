/**
 * The Normalized Data Format (NDF) of Prisma 1's import and export: documents `{"valueType", "values"}` in the folders
 * nodes/, lists/ and relations/, files numbered 000001.json, 000002.json, ... Checks a document against the datamodel
 * before anything is uploaded, so that a bad file is named before the server sees a byte of it.
 */
import type {NdfKind} from './service.js'

export const ndfKinds: readonly NdfKind[] = ['nodes', 'lists', 'relations']

/** `000001.json` for 1: the exporter's 6-digit names. */
export function ndfFileName(number: number): string {
  return `${String(number).padStart(6, '0')}.json`
}

/** The number of an NDF file: the digits right before `.json` (`000012.json` → 12), else undefined. */
export function ndfFileNumber(name: string): number | undefined {
  const match = /(\d+)\.json$/.exec(name)
  return match ? Number(match[1]) : undefined
}

export interface DataModelField {
  name: string
  /** The type name without list or non-null markers. */
  type: string
  list: boolean
  required: boolean
  /** The type is another model of the datamodel. */
  relation: boolean
  /** @createdAt / @updatedAt: the server sets the field when a node comes without it. */
  serverFilled: boolean
}

export interface DataModel {
  models: Map<string, Map<string, DataModelField>>
  enums: Map<string, Set<string>>
}

/** Reads the models, their fields and the enums of a datamodel. Throws graphql's syntax error when it is not SDL. */
export async function readDataModel(text: string): Promise<DataModel> {
  const {parse, Kind} = await import('graphql')
  const document = parse(text, {noLocation: true})
  const models = new Map<string, Map<string, DataModelField>>()
  const enums = new Map<string, Set<string>>()
  const objectTypes = new Set<string>()
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) objectTypes.add(definition.name.value)
  }

  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      enums.set(definition.name.value, new Set((definition.values ?? []).map((value) => value.name.value)))
    } else if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
      const fields = new Map<string, DataModelField>()
      for (const field of definition.fields ?? []) {
        let type = field.type
        let required = false
        let list = false
        if (type.kind === Kind.NON_NULL_TYPE) {
          required = true
          type = type.type
        }

        if (type.kind === Kind.LIST_TYPE) {
          list = true
          type = type.type.kind === Kind.NON_NULL_TYPE ? type.type.type : type.type
        }

        const name = type.kind === Kind.NAMED_TYPE ? type.name.value : 'String'
        fields.set(field.name.value, {
          // the server fills these itself when an imported node has no value for them
          serverFilled: (field.directives ?? []).some((directive) => ['createdAt', 'updatedAt'].includes(directive.name.value)),
          list,
          name: field.name.value,
          relation: objectTypes.has(name),
          required,
          type: name,
        })
      }

      models.set(definition.name.value, fields)
    }
  }

  return {enums, models}
}

/** Keys every node may carry, whatever its model. */
const systemKeys = new Set(['_typeName', 'id', 'createdAt', 'updatedAt'])
// the forms the server reads: 2020-01-31T12:00:00.000Z (or an offset), without the fraction, and 2020-01-31 12:00:00
const dateTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})| \d{2}:\d{2}:\d{2})$/

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

function valueProblem(value: unknown, field: DataModelField, model: DataModel): string | undefined {
  const ok = (() => {
    switch (field.type) {
      case 'ID':
      case 'String':
      case 'UUID': {
        return typeof value === 'string'
      }

      case 'Int':
      case 'Long': {
        return typeof value === 'number' && Number.isInteger(value)
      }

      case 'Float': {
        return typeof value === 'number'
      }

      case 'Boolean': {
        return typeof value === 'boolean'
      }

      case 'DateTime': {
        return typeof value === 'string' && dateTime.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')))
      }

      case 'Json': {
        return true
      }

      default: {
        const values = model.enums.get(field.type)
        return values ? typeof value === 'string' && values.has(value) : true
      }
    }
  })()
  return ok ? undefined : `the value ${describe(value)} of field ${field.name} is not a valid ${field.type}`
}

/**
 * The first problem of an NDF document of `kind` against `model`, as words naming the value, or undefined when the
 * document is fine.
 */
export function ndfProblem(document: unknown, kind: NdfKind, model: DataModel): string | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return 'it is not a JSON object {"valueType": ..., "values": [...]}'
  const {valueType, values} = document as {valueType?: unknown; values?: unknown}
  if (valueType !== kind) return `its "valueType" is ${describe(valueType)}, but files in ${kind}/ must have "valueType": "${kind}"`
  if (!Array.isArray(values)) return 'it has no "values" list'
  for (const [index, value] of values.entries()) {
    const problem = kind === 'relations' ? relationProblem(value, model) : nodeProblem(value, kind, model)
    if (problem) return `value ${index + 1} (${describe(value)}): ${problem}`
  }

  return undefined
}

function identity(value: unknown, model: DataModel): {fields: Map<string, DataModelField>; item: Record<string, unknown>} | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'it is not a JSON object'
  const item = value as Record<string, unknown>
  if (typeof item._typeName !== 'string') return 'it has no "_typeName"'
  const fields = model.models.get(item._typeName)
  if (!fields) return `the datamodel has no type ${item._typeName}`
  if (item.id === undefined || item.id === null || item.id === '') return 'it has no "id"'
  // a 1.34 server imports ID and UUID ids only (an Int id fails the whole request)
  if (typeof item.id !== 'string') return `its "id" is ${describe(item.id)}, not a string (the server imports only string ids)`
  return {fields, item}
}

function nodeProblem(value: unknown, kind: 'nodes' | 'lists', model: DataModel): string | undefined {
  const found = identity(value, model)
  if (typeof found === 'string') return found
  const {fields, item} = found
  const keys = Object.keys(item).filter((key) => !systemKeys.has(key))
  if (kind === 'lists') {
    if (keys.length !== 1) return `a list value names exactly one scalar list field besides "_typeName" and "id" (it has ${keys.length})`
    const field = fields.get(keys[0])
    if (!field || !field.list || field.relation) return `${item._typeName}.${keys[0]} is not a scalar list field`
    const entries = item[keys[0]]
    if (!Array.isArray(entries)) return `the value of ${keys[0]} is not a list`
    for (const entry of entries) {
      const problem = valueProblem(entry, field, model)
      if (problem) return problem
    }

    return undefined
  }

  for (const key of keys) {
    const field = fields.get(key)
    if (!field) return `the type ${item._typeName} has no field ${key}`
    if (field.relation) return `${key} is a relation; relations belong in relations/`
    if (field.list) return `${key} is a scalar list; its values belong in lists/`
    if (item[key] === null) {
      if (field.required) return `the required field ${key} is null`
      continue
    }

    const problem = valueProblem(item[key], field, model)
    if (problem) return problem
  }

  for (const field of fields.values()) {
    // @default does not apply: the server stores a field the node does not have as null
    if (field.required && !field.list && !field.relation && !field.serverFilled && !systemKeys.has(field.name) && !(field.name in item)) {
      return `the required field ${field.name} is missing`
    }
  }

  return undefined
}

function relationProblem(value: unknown, model: DataModel): string | undefined {
  if (!Array.isArray(value) || value.length !== 2) return 'a relation is a list of exactly two nodes [{"_typeName", "id", "fieldName"}, {...}]'
  let named = 0
  for (const side of value) {
    const found = identity(side, model)
    if (typeof found === 'string') return found
    const {fields, item} = found
    if (item.fieldName === undefined) continue
    named++
    const field = typeof item.fieldName === 'string' ? fields.get(item.fieldName) : undefined
    if (!field?.relation) return `the type ${item._typeName} has no relation field ${describe(item.fieldName)}`
  }

  return named === 0 ? 'neither side names its relation field ("fieldName")' : undefined
}

/** The first problem of one element of the "values" of an NDF document of `kind`, or undefined. */
export function ndfValueProblem(value: unknown, kind: NdfKind, model: DataModel): string | undefined {
  return kind === 'relations' ? relationProblem(value, model) : nodeProblem(value, kind, model)
}

/** A document that is not the JSON object an NDF file must be; `at` is the character offset of the problem. */
export class NdfSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message)
    this.name = 'NdfSyntaxError'
  }
}

export interface NdfScanLimits {
  /** Longest element of "values" (characters). */
  elementChars: number
  /** Longest value of another key (characters). */
  otherChars: number
}

export const defaultNdfScanLimits: NdfScanLimits = {elementChars: 64 * 1024 * 1024, otherChars: 1024 * 1024}

const enum Phase {
  Start,
  Key,
  Colon,
  Value,
  AfterValue,
  ArrayStart,
  Element,
  AfterElement,
  Done,
}

const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09

/**
 * Reads an NDF document `{"valueType": ..., "values": [...]}` as text arrives, handing out the text of each element of
 * "values" as soon as it is complete, so that a file of any size needs memory for one element only. The scanner finds
 * where values begin and end (strings and nesting respected); each element's text is checked by JSON.parse later.
 */
export class NdfScanner {
  /** The other keys of the document, parsed. */
  readonly others = new Map<string, unknown>()
  /** "values" was present and was a list. */
  sawValues = false
  private phase = Phase.Start
  private offset = 0
  private key = ''
  private pending = ''
  private capturing = false
  private depth = 0
  private inString = false
  private escaped = false
  private scalar = false
  private elements = 0

  constructor(private readonly limits: NdfScanLimits = defaultNdfScanLimits) {}

  /** Feeds the next piece of text; returns the elements completed in it. */
  push(text: string): string[] {
    const out: string[] = []
    let start = this.capturing ? 0 : -1
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index)
      if (this.capturing) {
        if (this.inString) {
          if (this.escaped) this.escaped = false
          else if (code === 0x5c) this.escaped = true
          else if (code === 0x22) {
            this.inString = false
            if (this.depth === 0) {
              this.complete(this.pending + text.slice(start, index + 1), out)
              start = -1
            }
          }

          continue
        }

        if (this.scalar) {
          if (code === 0x2c || code === 0x5d || code === 0x7d || isSpace(code)) {
            this.complete(this.pending + text.slice(start, index), out)
            start = -1
            index--
          }

          continue
        }

        if (code === 0x22) this.inString = true
        else if (code === 0x5b || code === 0x7b) this.depth++
        else if (code === 0x5d || code === 0x7d) {
          this.depth--
          if (this.depth === 0) {
            this.complete(this.pending + text.slice(start, index + 1), out)
            start = -1
          }
        }

        continue
      }

      if (isSpace(code)) continue
      const at = this.offset + index
      switch (this.phase) {
        case Phase.Start: {
          if (code !== 0x7b) throw new NdfSyntaxError('it does not start with "{" (an NDF file is one JSON object)', at)
          this.phase = Phase.Key
          break
        }

        case Phase.Key: {
          if (code === 0x7d && this.others.size === 0 && !this.sawValues) {
            this.phase = Phase.Done
            break
          }

          if (code !== 0x22) throw new NdfSyntaxError(`a key was expected at character ${at + 1}`, at)
          this.begin(false)
          this.inString = true
          start = index
          break
        }

        case Phase.Colon: {
          if (code !== 0x3a) throw new NdfSyntaxError(`":" was expected at character ${at + 1}`, at)
          this.phase = Phase.Value
          break
        }

        case Phase.Value: {
          if (this.key === 'values' && code === 0x5b) {
            this.sawValues = true
            this.phase = Phase.ArrayStart
            break
          }

          start = this.beginValue(code, index, at)
          break
        }

        case Phase.AfterValue: {
          if (code === 0x2c) this.phase = Phase.Key
          else if (code === 0x7d) this.phase = Phase.Done
          else throw new NdfSyntaxError(`"," or "}" was expected at character ${at + 1}`, at)
          break
        }

        case Phase.ArrayStart:
        case Phase.Element: {
          if (code === 0x5d && this.phase === Phase.ArrayStart) {
            this.phase = Phase.AfterValue
            break
          }

          start = this.beginValue(code, index, at)
          break
        }

        case Phase.AfterElement: {
          if (code === 0x2c) this.phase = Phase.Element
          else if (code === 0x5d) this.phase = Phase.AfterValue
          else throw new NdfSyntaxError(`"," or "]" was expected after value ${this.elements} at character ${at + 1}`, at)
          break
        }

        case Phase.Done: {
          throw new NdfSyntaxError(`there is more text after the closing "}" at character ${at + 1}`, at)
        }
      }
    }

    if (this.capturing && start !== -1) {
      this.pending += text.slice(start)
      const limit = this.phase === Phase.Element || this.phase === Phase.ArrayStart ? this.limits.elementChars : this.limits.otherChars
      if (this.pending.length > limit) {
        const what = this.phase === Phase.Key ? 'a key' : this.phase === Phase.Value ? `the value of "${this.key}"` : `value ${this.elements + 1}`
        throw new NdfSyntaxError(`${what} is longer than ${limit} characters`, this.offset)
      }
    }

    this.offset += text.length
    return out
  }

  /** Ends the document; throws when it is incomplete. */
  end(): void {
    if (this.capturing && this.scalar) this.complete(this.pending, [])
    if (this.phase === Phase.Start) throw new NdfSyntaxError('it is empty', 0)
    if (this.phase !== Phase.Done) throw new NdfSyntaxError('it ends in the middle of the document (the file is cut short)', this.offset)
  }

  private begin(scalar: boolean): void {
    this.capturing = true
    this.pending = ''
    this.depth = 0
    this.inString = false
    this.escaped = false
    this.scalar = scalar
  }

  private beginValue(code: number, index: number, at: number): number {
    if (code === 0x22) {
      this.begin(false)
      this.inString = true
    } else if (code === 0x7b || code === 0x5b) {
      this.begin(false)
      this.depth = 1
    } else if (code === 0x2d || (code >= 0x30 && code <= 0x39) || code === 0x74 || code === 0x66 || code === 0x6e) {
      this.begin(true)
    } else {
      throw new NdfSyntaxError(`a JSON value was expected at character ${at + 1}`, at)
    }

    return index
  }

  private complete(text: string, out: string[]): void {
    this.capturing = false
    this.pending = ''
    switch (this.phase) {
      case Phase.Key: {
        try {
          this.key = JSON.parse(text) as string
        } catch {
          throw new NdfSyntaxError(`a key is not a valid JSON string`, this.offset)
        }

        this.phase = Phase.Colon
        break
      }

      case Phase.Value: {
        let value: unknown
        try {
          value = JSON.parse(text)
        } catch {
          throw new NdfSyntaxError(`the value of "${this.key}" is not valid JSON`, this.offset)
        }

        this.others.set(this.key, value)
        this.phase = Phase.AfterValue
        break
      }

      default: {
        out.push(text)
        this.elements++
        this.phase = Phase.AfterElement
      }
    }
  }
}
