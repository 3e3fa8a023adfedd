// The prisma.yml schema (the original's prisma-json-schema 0.1.3, `additionalProperties: false`), checked by hand
// so that every problem is reported at once, each with its path and a fix.
import {ProjectError} from '../errors.js'

export type DatabaseType = 'relational' | 'document'

export interface WebhookWithHeaders {
  url: string
  headers?: Record<string, string>
}

export interface SubscriptionDefinition {
  query: string
  webhook: string | WebhookWithHeaders
}

export interface PrismaDefinition {
  endpoint?: string
  datamodel?: string | string[]
  secret?: string
  disableAuth?: boolean
  subscriptions?: Record<string, SubscriptionDefinition>
  hooks?: {'post-deploy'?: string | string[]; [hook: string]: unknown}
  seed?: {import?: string; run?: string}
  generate?: Array<{generator?: string; output?: string}>
  databaseType?: DatabaseType
}

export const KNOWN_PROPERTIES = [
  'endpoint',
  'datamodel',
  'secret',
  'disableAuth',
  'subscriptions',
  'hooks',
  'seed',
  'generate',
  'databaseType',
  'custom',
] as const

const KNOWN_HOOKS = ['post-deploy']

/** A short description of a value's type for messages: "number", "list", "mapping", "null", ... */
export function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'nothing (an unresolved variable?)'
  if (Array.isArray(value)) return 'a list'
  if (value instanceof Date) return 'a date'
  if (value instanceof Uint8Array) return 'binary data'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return 'text'
  return `${typeof value} ${truncate(String(value))}`
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

function isMapping(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(name) ? name : JSON.stringify(name)
}

/**
 * Checks a resolved prisma.yml document (with `custom` already removed). Returns it typed, plus warnings for
 * properties the original accepted but ignores; throws one ProjectError listing every problem.
 */
export function validateDefinition(document: Record<string, unknown>, file: string): {definition: PrismaDefinition; warnings: string[]} {
  const problems: string[] = []
  const warnings: string[] = []
  const warn = (message: string) => warnings.push(`[WARNING] in ${file}: ${message}`)

  for (const name of Object.keys(document)) {
    if ((KNOWN_PROPERTIES as readonly string[]).includes(name)) continue
    problems.push(unknownPropertyMessage(name))
  }

  const string = (path: string, value: unknown, hint = '') => {
    if (value !== undefined && typeof value !== 'string') problems.push(`${path} must be text (got ${typeName(value)})${hint}`)
  }

  string('endpoint', document.endpoint, ', e.g. endpoint: http://localhost:4466/my-service/dev')

  const datamodel = document.datamodel
  if (datamodel !== undefined && typeof datamodel !== 'string') {
    if (!Array.isArray(datamodel)) {
      problems.push(`datamodel must be a file path or a list of file paths (got ${typeName(datamodel)}), e.g. datamodel: datamodel.prisma`)
    } else {
      datamodel.forEach((item, index) => {
        if (typeof item !== 'string') problems.push(`datamodel[${index}] must be a file path (got ${typeName(item)})`)
      })
    }
  }

  // the type only, never the value: it is the service secret
  if (document.secret !== undefined && typeof document.secret !== 'string') {
    const kind = document.secret === null ? 'null' : Array.isArray(document.secret) ? 'a list' : typeof document.secret === 'object' ? 'a mapping' : `a ${typeof document.secret}`
    problems.push(`secret must be text (got ${kind}); quote it if it looks like a number, e.g. secret: '12345'`)
  }

  if (document.disableAuth !== undefined && typeof document.disableAuth !== 'boolean') {
    problems.push(`disableAuth must be true or false (got ${typeName(document.disableAuth)})`)
  }

  if (document.databaseType !== undefined && document.databaseType !== 'relational' && document.databaseType !== 'document') {
    problems.push(`databaseType must be 'relational' or 'document' (got ${typeof document.databaseType === 'string' ? `'${truncate(document.databaseType)}'` : typeName(document.databaseType)})`)
  }

  const subscriptions = document.subscriptions
  if (subscriptions !== undefined) {
    if (!isMapping(subscriptions)) {
      problems.push(`subscriptions must be a mapping of subscription names to {query, webhook} (got ${typeName(subscriptions)})`)
    } else {
      for (const [name, subscription] of Object.entries(subscriptions)) {
        const path = `subscriptions.${key(name)}`
        if (!isMapping(subscription)) {
          problems.push(`${path} must be a mapping with query and webhook (got ${typeName(subscription)})`)
          continue
        }
        if (subscription.query === undefined) problems.push(`${path}.query is missing: give the subscription query or the path of a .graphql file`)
        else string(`${path}.query`, subscription.query)
        const webhook = subscription.webhook
        if (webhook === undefined) {
          problems.push(`${path}.webhook is missing: give a URL, or {url, headers}`)
        } else if (isMapping(webhook)) {
          if (webhook.url === undefined) problems.push(`${path}.webhook.url is missing`)
          else string(`${path}.webhook.url`, webhook.url)
          const headers = webhook.headers
          if (headers !== undefined) {
            if (!isMapping(headers)) {
              problems.push(`${path}.webhook.headers must be a mapping of header names to values (got ${typeName(headers)})`)
            } else {
              for (const [header, value] of Object.entries(headers)) {
                if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
                  problems.push(`${path}.webhook.headers.${key(header)} must be text (got ${typeName(value)})`)
                }
              }
            }
          }
          for (const extra of Object.keys(webhook)) {
            if (extra !== 'url' && extra !== 'headers') warn(`${path}.webhook.${key(extra)} is not a known property and is ignored.`)
          }
        } else if (typeof webhook !== 'string') {
          problems.push(`${path}.webhook must be a URL or a mapping {url, headers} (got ${typeName(webhook)})`)
        }
        for (const extra of Object.keys(subscription)) {
          if (extra !== 'query' && extra !== 'webhook') warn(`${path}.${key(extra)} is not a known property and is ignored.`)
        }
      }
    }
  }

  const hooks = document.hooks
  if (hooks !== undefined) {
    if (!isMapping(hooks)) {
      problems.push(`hooks must be a mapping like {post-deploy: [commands]} (got ${typeName(hooks)})`)
    } else {
      const postDeploy = hooks['post-deploy']
      if (postDeploy !== undefined && postDeploy !== null) {
        if (Array.isArray(postDeploy)) {
          postDeploy.forEach((item, index) => {
            if (typeof item !== 'string') problems.push(`hooks.post-deploy[${index}] must be a command (text) (got ${typeName(item)})`)
          })
        } else if (typeof postDeploy !== 'string') {
          problems.push(`hooks.post-deploy must be a command or a list of commands (got ${typeName(postDeploy)})`)
        }
      }
      for (const hook of Object.keys(hooks)) {
        if (!KNOWN_HOOKS.includes(hook)) warn(`hooks.${key(hook)} is not a known hook and is ignored (known hooks: ${KNOWN_HOOKS.join(', ')}).`)
      }
    }
  }

  const seed = document.seed
  if (seed !== undefined) {
    if (!isMapping(seed)) {
      problems.push(`seed must be a mapping like {import: seed.graphql} or {run: node seed.js} (got ${typeName(seed)})`)
    } else {
      string('seed.import', seed.import)
      string('seed.run', seed.run)
      for (const extra of Object.keys(seed)) {
        if (extra !== 'import' && extra !== 'run') warn(`seed.${key(extra)} is not a known property and is ignored.`)
      }
    }
  }

  const generate = document.generate
  if (generate !== undefined) {
    if (!Array.isArray(generate)) {
      problems.push(`generate must be a list of {generator, output} (got ${typeName(generate)})`)
    } else {
      generate.forEach((item, index) => {
        if (!isMapping(item)) {
          problems.push(`generate[${index}] must be a mapping {generator, output} (got ${typeName(item)})`)
          return
        }
        string(`generate[${index}].generator`, item.generator)
        string(`generate[${index}].output`, item.output)
      })
    }
  }

  if (problems.length > 0) {
    const special = problems.length === 1 && problems[0].startsWith('prisma.yml should NOT')
    throw new ProjectError(
      special
        ? `Invalid prisma.yml file ${file}:\n${problems[0]}`
        : `Invalid prisma.yml file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
          'Fix these properties; the allowed top-level properties are ' +
          KNOWN_PROPERTIES.join(', ') +
          '.',
    )
  }
  return {definition: document as PrismaDefinition, warnings}
}

function unknownPropertyMessage(name: string): string {
  if (name === 'types') return 'prisma.yml should NOT have a "types" property anymore. It has been renamed to "datamodel"'
  if (name === 'stages') {
    return 'prisma.yml should NOT have a "stages" property anymore. Stages are now just provided as CLI args.\nRead more here: https://goo.gl/SUD5i5'
  }
  if (name === 'service' || name === 'stage' || name === 'cluster') {
    return (
      `${name} is no longer supported: service, stage and cluster were replaced by the endpoint property in Prisma 1.7. ` +
      'Remove them and write endpoint: http://localhost:4466/<service>/<stage>'
    )
  }
  const suggestion = closest(name, KNOWN_PROPERTIES)
  return `${key(name)} is not an allowed property${suggestion ? ` (did you mean ${suggestion}?)` : ''}`
}

function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  const lower = name.toLowerCase()
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined
}

function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity
  let previous = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}
