// Loads a project: finds prisma.yml, merges the .env file, parses and resolves the YAML, validates it, parses the
// endpoint and reads every file it references (datamodel, subscription queries). Nothing here touches the network.
import {dirname, isAbsolute, join, relative, sep} from 'node:path'

import {ProjectError} from '../errors.js'
import {endpointAdvice} from '../messages.js'
import {type ParsedEndpoint, parseEndpoint} from './endpoint.js'
import {loadEnvironment} from './env-file.js'
import {findProjectFile} from './locate.js'
import {readTextFile} from './read-text.js'
import {type PrismaDefinition, validateDefinition} from './schema.js'
import {resolveVariables} from './variables.js'
import {parseYaml} from './yaml.js'

export interface ProjectSubscription {
  name: string
  query: string
  url: string
  headers: Array<{name: string; value: string}>
}

export interface Project {
  file: string
  dir: string
  /** The merged environment (process environment plus the .env file). */
  env: Record<string, string | undefined>
  /** Resolved and validated prisma.yml (without `custom`). */
  definition: PrismaDefinition
  /** From prisma.yml's endpoint, else the environment variable PRISMA_MANAGEMENT_API_ENDPOINT. */
  endpoint?: ParsedEndpoint
  endpointSource?: 'prisma.yml' | 'PRISMA_MANAGEMENT_API_ENDPOINT'
  /** The raw YAML text of `endpoint` when it uses variables (e.g. "${env:PRISMA_ENDPOINT}"). */
  endpointVariable?: string
  /** `endpoint` and `secret` as written in the file, before variables are resolved (generated clients embed them). */
  raw: {endpoint?: unknown; secret?: unknown}
  /** Absolute paths in order; text = each file's content followed by "\n". */
  datamodel: {files: string[]; text: string}
  /** `secret` split on "," with all whitespace removed; [] when none. */
  secrets: string[]
  subscriptions: ProjectSubscription[]
  postDeployHooks: string[]
  seed?: {run?: string; import?: string}
  generate: Array<{generator: string; output: string}>
  /** "[WARNING] in <file>: ..." lines, e.g. for unresolved variables. */
  warnings: string[]
}

export interface LoadProjectOptions {
  cwd: string
  /** --project */
  project?: string
  /** --env-file */
  envFile?: string
  env: NodeJS.ProcessEnv
  /** The command's parsed flags, for ${opt:NAME}. */
  options?: Record<string, unknown>
  /** When true, a prisma.yml without `datamodel` is an error (deploy needs one). */
  requireDatamodel?: boolean
}

export const NOT_FOUND_MESSAGE =
  'Couldn’t find `prisma.yml` file. Are you in the right directory? ' +
  'Run the command in the folder that holds prisma.yml (or its prisma/ subfolder), or pass its path with --project PATH.'

/** The one error for a project without an endpoint (in prisma.yml or PRISMA_MANAGEMENT_API_ENDPOINT), whichever command needs it. */
export function missingEndpoint(file: string): ProjectError {
  return new ProjectError(
    `${file} has no endpoint, so the service and its server are unknown. ${endpointAdvice(file)} (or run \`prisma deploy --new\` in a terminal).`,
  )
}

export async function loadProject(o: LoadProjectOptions): Promise<Project> {
  const file = await findProjectFile({cwd: o.cwd, project: o.project})
  if (file === undefined) throw new ProjectError(NOT_FOUND_MESSAGE)
  const dir = dirname(file)
  const env = await loadEnvironment({cwd: o.cwd, envFile: o.envFile, env: o.env})

  const text = await readTextFile(file, {what: 'prisma.yml file'})
  const raw = await parseYaml(text, file)
  if (raw === null || raw === undefined) {
    throw new ProjectError(
      `The prisma.yml file ${file} is empty. Add at least the datamodel, e.g.\n  endpoint: http://localhost:4466/my-service/dev\n  datamodel: datamodel.prisma`,
    )
  }
  if (typeof raw !== 'object' || Array.isArray(raw) || Object.getPrototypeOf(raw) !== Object.prototype) {
    throw new ProjectError(
      `The prisma.yml file ${file} must be a mapping of properties (like "datamodel: datamodel.prisma"), but its top level is ${describe(raw)}.`,
    )
  }

  const {value, warnings} = resolveVariables(raw, {file, env, options: o.options ?? {}})
  const resolved = {...(value as Record<string, unknown>)}
  delete resolved.custom
  const validated = withTabHint(() => validateDefinition(resolved, file), text)
  warnings.push(...validated.warnings)
  const definition = validated.definition

  const rawEndpoint = (raw as Record<string, unknown>).endpoint
  const endpointVariable = typeof rawEndpoint === 'string' && rawEndpoint.includes('${') ? rawEndpoint : undefined

  let endpoint: ParsedEndpoint | undefined
  let endpointSource: Project['endpointSource']
  if (definition.endpoint !== undefined && definition.endpoint.trim() !== '') {
    endpoint = parseEndpoint(definition.endpoint, file)
    rejectQueryAndFragment(endpoint.url, file)
    endpointSource = 'prisma.yml'
  } else {
    if (definition.endpoint !== undefined) warnings.push(`[WARNING] in ${file}: endpoint is empty and is ignored.`)
    const fromEnv = env.PRISMA_MANAGEMENT_API_ENDPOINT
    if (fromEnv !== undefined && fromEnv.trim() !== '') {
      endpoint = parseEndpoint(fromEnv, 'PRISMA_MANAGEMENT_API_ENDPOINT')
      rejectQueryAndFragment(endpoint.url, 'PRISMA_MANAGEMENT_API_ENDPOINT')
      endpointSource = 'PRISMA_MANAGEMENT_API_ENDPOINT'
    }
  }
  if (endpoint && endpoint.stage === '') {
    warnings.push(
      `[WARNING] in ${endpointSource === 'prisma.yml' ? file : 'PRISMA_MANAGEMENT_API_ENDPOINT'}: the endpoint ${endpoint.url} ends with a slash, ` +
        `so it is read as workspace "${endpoint.workspace}", service "${endpoint.service}" and an empty stage. Remove the trailing slash.`,
    )
  }

  const datamodel = await readDatamodel(definition, dir, o.cwd, file, o.requireDatamodel ?? false, warnings)
  const subscriptions = await readSubscriptions(definition, dir, file)

  const secrets = (definition.secret ?? '').replace(/\s/g, '').split(',')
  const nonEmptySecrets = secrets.filter((secret) => secret !== '')
  if (definition.secret && nonEmptySecrets.length !== secrets.length) {
    warnings.push(`[WARNING] in ${file}: secret contains empty entries (extra commas); they are ignored.`)
  }

  const hooks = definition.hooks?.['post-deploy']
  // Like the original: an empty `post-deploy: ''` means no hook (an empty entry in a list is still run, and fails).
  const postDeployHooks = typeof hooks === 'string' ? (hooks === '' ? [] : [hooks]) : Array.isArray(hooks) ? hooks : []

  const generate: Project['generate'] = []
  for (const [index, item] of (definition.generate ?? []).entries()) {
    if (item.generator === undefined || item.output === undefined) {
      warnings.push(`[WARNING] in ${file}: generate[${index}] needs both generator and output; it is ignored.`)
    } else {
      generate.push({generator: item.generator, output: item.output})
    }
  }

  return {
    file,
    dir,
    env,
    definition,
    endpoint,
    endpointSource,
    endpointVariable,
    raw: {endpoint: (raw as Record<string, unknown>).endpoint, secret: (raw as Record<string, unknown>).secret},
    datamodel,
    secrets: nonEmptySecrets,
    subscriptions,
    postDeployHooks,
    seed: definition.seed ? {...definition.seed} : undefined,
    generate,
    warnings,
  }
}

/** A schema problem in a file with tab-indented lines is most likely a key meant to be nested: say why it is not. */
function withTabHint<T>(validate: () => T, text: string): T {
  try {
    return validate()
  } catch (error) {
    if (!(error instanceof ProjectError) || !/^ *\t/m.test(text)) throw error
    throw new ProjectError(
      `${error.message}\nSome lines of prisma.yml start with a tab, and a tab is not indentation (the original CLI read them the same way): ` +
        'indent with spaces to put a key under another.',
      {cause: error},
    )
  }
}

/**
 * The original silently dropped a query or fragment; a Prisma endpoint has neither, so one is most likely a
 * mistake (e.g. a stage written as ?stage=prod) that would deploy somewhere else than intended.
 */
function rejectQueryAndFragment(url: string, source: string): void {
  const query = /\?[^#]*/.exec(url)?.[0]
  const fragment = /#.*/.exec(url)?.[0]
  if (query === undefined && fragment === undefined) return
  const what = [query === undefined ? '' : `a query string ("${query}")`, fragment === undefined ? '' : `a fragment ("${fragment}")`]
    .filter(Boolean)
    .join(' and ')
  throw new ProjectError(
    `The endpoint ${url} (from ${source}) has ${what}. A Prisma endpoint is http(s)://host:port/service/stage: ` +
      'remove everything from the "?" or "#" on.',
  )
}

function within(folder: string, path: string): boolean {
  const inside = relative(folder, path)
  return inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside)
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value instanceof Date) return 'a date'
  if (value instanceof Uint8Array) return 'binary data'
  if (typeof value === 'object') return 'a special YAML value'
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`
  return `the ${typeof value} ${String(value)}`
}

async function readDatamodel(
  definition: PrismaDefinition,
  dir: string,
  cwd: string,
  file: string,
  required: boolean,
  warnings: string[],
): Promise<Project['datamodel']> {
  if (definition.datamodel === undefined) {
    if (required) {
      throw new ProjectError(
        `The property datamodel is missing in your prisma.yml (${file}). Add it, e.g. datamodel: datamodel.prisma`,
      )
    }
    return {files: [], text: ''}
  }
  const paths = typeof definition.datamodel === 'string' ? [definition.datamodel] : definition.datamodel
  if (paths.length === 0) warnings.push(`[WARNING] in ${file}: datamodel is an empty list.`)
  const files: string[] = []
  let text = ''
  for (const [index, path] of paths.entries()) {
    const field = typeof definition.datamodel === 'string' ? 'datamodel' : `datamodel[${index}]`
    if (path.trim() === '') throw new ProjectError(`${field} in ${file} is empty. Give the path of a datamodel file, e.g. datamodel.prisma`)
    // Like the original: joined to prisma.yml's folder, so even "/x.prisma" means a file inside the project folder.
    const resolved = join(dir, path)
    if (!within(dir, resolved) && !within(cwd, resolved)) {
      throw new ProjectError(
        `${field} in ${file} points outside the project (${resolved}). Datamodel files must be inside the folder of ` +
          `prisma.yml or the working directory: move the file into the project and fix the path.`,
      )
    }
    const content = await readTextFile(resolved, {
      what: 'datamodel file',
      context: `(${field} in ${file})`,
      missingMessage:
        `The types definition file "${resolved}" could not be found. It is named by ${field} in ${file}; ` +
        'datamodel paths are relative to the folder of prisma.yml, so check the path and the file name.',
    })
    files.push(resolved)
    text += `${content}\n`
  }
  return {files, text}
}

async function readSubscriptions(definition: PrismaDefinition, dir: string, file: string): Promise<ProjectSubscription[]> {
  const result: ProjectSubscription[] = []
  for (const [name, subscription] of Object.entries(definition.subscriptions ?? {})) {
    const webhook = subscription.webhook
    const url = typeof webhook === 'string' ? webhook : webhook.url
    const headers =
      typeof webhook === 'string'
        ? []
        : Object.entries(webhook.headers ?? {}).map(([header, value]) => ({name: header, value: String(value)}))
    let query = subscription.query
    if (query.endsWith('.graphql')) {
      const queryPath = join(dir, query)
      query = await readTextFile(queryPath, {
        what: 'query file',
        context: `of subscription "${name}" (in ${file})`,
        missingMessage:
          `Subscription query ${queryPath} provided in subscription "${name}" in prisma.yml does not exist. ` +
          `Query paths ending in .graphql are relative to the folder of ${file}.`,
      })
    }
    result.push({name, query, url, headers})
  }
  return result
}
