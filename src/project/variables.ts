// Variable interpolation in prisma.yml: ${env:NAME}, ${opt:flag}, ${self:path.to.key}, 'literals', and
// comma-separated fallbacks, with the original CLI's rules (whitespace removal, whole-value typing, nested
// resolution, warnings for unresolved variables). Unlike the original, cycles and runaway expansion are errors.
import {ProjectError} from '../errors.js'

/** A variable: `${` + allowed characters + `}` (the original's pattern; anything else is left as text). */
const VARIABLE = /\$\{([ ~:a-zA-Z0-9._'",\-/()]+?)\}/g
const QUOTED = /('.*')|(".*")/

export interface VariableContext {
  /** The file being resolved, for warnings and errors. */
  file: string
  env: Record<string, string | undefined>
  /** The command's own parsed flags (`${opt:NAME}`). */
  options?: Record<string, unknown>
  /** Safety limits; the defaults are generous for any real prisma.yml. */
  maxStringLength?: number
  maxLookups?: number
}

export interface ResolvedDocument {
  value: unknown
  warnings: string[]
}

const MAX_PASSES = 64
const MAX_SELF_DEPTH = 100

/** Resolves every variable in `document` (a parsed YAML value) without mutating it. */
export function resolveVariables(document: unknown, context: VariableContext): ResolvedDocument {
  const resolver = new Resolver(document, context)
  try {
    const value = resolver.node(document, [])
    return {value, warnings: resolver.warnings}
  } catch (error) {
    // A backstop: the depth limits below should keep the stack small for any input.
    if (error instanceof RangeError) {
      throw new ProjectError(`The variables in ${context.file} are nested too deeply to resolve. Simplify them.`, {cause: error})
    }
    throw error
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** The original's "not found": null, undefined, or an empty object or list. */
function isMissing(value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (Array.isArray(value)) return value.length === 0
  if (isPlainObject(value)) return Object.keys(value).length === 0
  return false
}

function pathText(path: Array<string | number>): string {
  let text = ''
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : text === '' ? key : `.${key}`
  return text || '(top level)'
}

class Resolver {
  readonly warnings: string[] = []
  private readonly warned = new Set<string>()
  private readonly selfCache = new Map<string, unknown>()
  private readonly nodeCache = new WeakMap<object, unknown>()
  private readonly inProgress = new WeakSet<object>()
  /** The chain of ${self:…} references being resolved, for cycle reports. */
  private readonly selfStack: string[] = []
  private lookups = 0
  private readonly maxStringLength: number
  private readonly maxLookups: number

  constructor(
    private readonly root: unknown,
    private readonly context: VariableContext,
  ) {
    this.maxStringLength = context.maxStringLength ?? 1024 * 1024
    this.maxLookups = context.maxLookups ?? 100_000
  }

  private warn(message: string): void {
    const line = `[WARNING] in ${this.context.file}: ${message}`
    if (this.warned.has(line)) return
    this.warned.add(line)
    this.warnings.push(line)
  }

  node(value: unknown, path: Array<string | number>): unknown {
    if (typeof value === 'string') return this.string(value, path)
    if (Array.isArray(value)) {
      return this.cached(value, path, () => value.map((item, index) => this.node(item, [...path, index])))
    }
    if (isPlainObject(value)) {
      return this.cached(value, path, () => {
        const entries: Array<[string, unknown]> = []
        for (const [key, item] of Object.entries(value)) {
          const resolved = this.node(item, [...path, key])
          // A variable that was the whole value and could not be resolved leaves the key absent.
          if (resolved !== undefined) entries.push([key, resolved])
        }
        return Object.fromEntries(entries)
      })
    }
    return value
  }

  private cached(value: object, path: Array<string | number>, compute: () => unknown): unknown {
    if (this.nodeCache.has(value)) return this.nodeCache.get(value)
    if (this.inProgress.has(value)) {
      const chain = this.selfStack.length > 0 ? this.selfStack.map((s) => `\${${s}}`).join(' → ') : pathText(path)
      throw new ProjectError(
        `The variables in ${this.context.file} refer to each other in a cycle: ${chain} points back into ${pathText(path)}, which contains it. ` +
          'Replace one of the references with a value.',
      )
    }
    this.inProgress.add(value)
    try {
      const result = compute()
      this.nodeCache.set(value, result)
      return result
    } finally {
      this.inProgress.delete(value)
    }
  }

  /** Resolves the variables in one string value, repeating while substitutions produce new variables. */
  private string(text: string, path: Array<string | number>): unknown {
    let current: unknown = text
    const seen = new Set<string>()
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      if (typeof current !== 'string') return current
      const matches = current.match(VARIABLE)
      if (!matches) return current
      if (seen.has(current)) throw this.selfExpansion(current, path)
      seen.add(current)
      let next: unknown = current
      let notFound = false
      let expandedToItself = false
      for (const matched of new Set(matches)) {
        if (typeof next !== 'string') break
        const declaration = matched.slice(2, -1).trim().replace(/\s/g, '')
        const value = declaration.includes(',') ? this.fallbacks(declaration) : this.source(declaration)
        if (isMissing(value)) {
          this.warn(`A valid ${kindOf(declaration)} to satisfy the declaration '${declaration}' could not be found.`)
          notFound = true
        }
        if (value === matched) expandedToItself = true
        next = this.substitute(next, matched, value)
        if (typeof next === 'string' && next.length > this.maxStringLength) {
          throw new ProjectError(
            `The value of ${pathText(path)} in ${this.context.file} grows beyond ${this.maxStringLength} characters while resolving variables. ` +
              'Check for variables that repeat each other.',
          )
        }
      }
      // The original stops re-resolving after a warning; it also stops when nothing changed (where it would loop).
      if (notFound) return next
      if (next === current) {
        if (expandedToItself) throw this.selfExpansion(current, path)
        return next
      }
      current = next
    }
    throw new ProjectError(
      `The variables in ${this.context.file} at ${pathText(path)} are nested more than ${MAX_PASSES} levels deep. Simplify them.`,
    )
  }

  private selfExpansion(current: string, path: Array<string | number>): ProjectError {
    return new ProjectError(
      `The variables in ${this.context.file} at ${pathText(path)} expand into themselves (${JSON.stringify(truncate(current))}); ` +
        'check environment variables or options whose values contain ${…} references to each other.',
    )
  }

  private substitute(property: string, matched: string, value: unknown): unknown {
    if (typeof value === 'string') return property.split(matched).join(value)
    if (property !== matched) {
      if (typeof value === 'number') return property.split(matched).join(String(value))
      this.warn(
        `Trying to populate non string value into a string for variable ${matched}. Please make sure the value of the property is a string.`,
      )
      return property
    }
    return value
  }

  /** `${a, b, c}`: the first source whose value is not null, undefined or an empty object/list. */
  private fallbacks(declaration: string): unknown {
    const sources = declaration.split(',')
    for (const source of sources) this.checkSyntax(source, declaration)
    let value: unknown
    for (const source of sources) {
      value = this.source(source)
      if (!isMissing(value)) return value
    }
    return value
  }

  private checkSyntax(source: string, declaration: string): void {
    const ok =
      /^env:./.test(source) || /^opt:./.test(source) || /^self:./.test(source) || (!/^(env|opt|self):/.test(source) && QUOTED.test(source))
    if (!ok) {
      throw new ProjectError(
        `Invalid variable reference syntax for variable ${declaration === source ? source : `${source} (in \${${declaration}})`} in ${this.context.file}. ` +
          "You can only reference environment variables (${env:NAME}), options (${opt:NAME}), values of this file (${self:path.to.key}) and quoted text ('text'), " +
          "with fallbacks separated by commas (${env:NAME, 'default'}).",
      )
    }
  }

  private source(source: string): unknown {
    this.checkSyntax(source, source)
    if (++this.lookups > this.maxLookups) {
      throw new ProjectError(`The variables in ${this.context.file} need more than ${this.maxLookups} look-ups to resolve. Simplify them.`)
    }
    if (source.startsWith('env:')) return own(this.context.env, source.split(':')[1])
    if (source.startsWith('opt:')) return own(this.context.options ?? {}, source.split(':')[1])
    if (source.startsWith('self:')) return this.self(source.split(':')[1] ?? '')
    return source.replace(/^['"]|['"]$/g, '')
  }

  private self(path: string): unknown {
    if (path === '') {
      throw new ProjectError(`\${self:} in ${this.context.file} must name a property, e.g. \${self:custom.endpoint}.`)
    }
    if (this.selfCache.has(path)) return this.selfCache.get(path)
    const reference = `self:${path}`
    if (this.selfStack.includes(reference)) {
      const chain = [...this.selfStack.slice(this.selfStack.indexOf(reference)), reference].map((s) => `\${${s}}`).join(' → ')
      throw new ProjectError(
        `The variables in ${this.context.file} refer to each other in a cycle: ${chain}. Replace one of the references with a value.`,
      )
    }
    if (this.selfStack.length >= MAX_SELF_DEPTH) {
      throw new ProjectError(
        `The variables in ${this.context.file} chain more than ${MAX_SELF_DEPTH} \${self:…} references into each other (${reference}). Simplify them.`,
      )
    }
    this.selfStack.push(reference)
    try {
      const keys = path.split('.')
      let value: unknown = this.root
      const walked: Array<string | number> = []
      for (const key of keys) {
        if (value === undefined) {
          value = {}
        } else if (key !== '' || (isIndexable(value) && Object.hasOwn(value, key))) {
          value = isIndexable(value) && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
          walked.push(key)
        }
        if (typeof value === 'string') value = this.string(value, walked)
      }
      const resolved = value !== null && typeof value === 'object' ? this.node(value, walked) : value
      this.selfCache.set(path, resolved)
      return resolved
    } finally {
      this.selfStack.pop()
    }
  }
}

function isIndexable(value: unknown): value is object {
  return value !== null && typeof value === 'object'
}

function own(record: Record<string, unknown>, key: string | undefined): unknown {
  if (key === undefined || key === '') return undefined
  return Object.hasOwn(record, key) ? record[key] : undefined
}

function kindOf(declaration: string): string {
  if (declaration.startsWith('env:')) return 'environment variable'
  if (declaration.startsWith('opt:')) return 'option'
  if (declaration.startsWith('self:')) return 'self reference'
  return 'value'
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text
}
