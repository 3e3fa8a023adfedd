/**
 * The user's global configuration, `~/.prisma/config.yml`, read and written as YAML. Rules:
 * - the folder is created with mode 0700 and the file is written atomically with mode 0600 (the project's atomic
 *   writer, which a Ctrl-C never interrupts half-way);
 * - keys the tool does not know are kept exactly as they were (every write re-reads the file first);
 * - a file that does not parse is an error naming the file and line, and it is never written over.
 * `js-yaml` is imported only when the file is opened, so the CLI's start-up stays light.
 */
import {existsSync, mkdirSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {AuthError, ConfigError, UserError} from '../errors.js'

export interface LegacyCluster {
  host?: string
  clusterSecret?: string
}

export interface GlobalConfig {
  /** Absolute path of config.yml (`<home>/.prisma/config.yml`). */
  file: string
  /** The stored Prisma Cloud session key (PRISMA_CLOUD_SESSION_KEY is applied by callers, see src/auth). */
  cloudSessionKey?: string
  /** Legacy self-hosted servers (`clusters:`), with `${env:NAME}` references resolved. */
  clusters: Record<string, LegacyCluster>
  setCloudSessionKey(key: string): Promise<void>
  /** Removes `cloudSessionKey` and nothing else; true if there was one. Does not create a missing file. */
  deleteCloudSessionKey(): Promise<boolean>
}

/**
 * The user's home folder, from the environment the tool was started with (never from .env or --env-file: the
 * configuration belongs to the user, not to a project).
 */
export function userHome(processEnv: Record<string, string | undefined>): string {
  return processEnv.HOME || homedir()
}

export function globalConfigPath(home: string): string {
  return join(home, '.prisma', 'config.yml')
}

type Store = Record<string, unknown>

/**
 * Opens (without writing) `<home>/.prisma/config.yml`. A missing file reads as empty; the folder is created
 * (0700) so that later writes can land. `env` resolves `${env:NAME}` references in the values the tool reads.
 */
export async function openGlobalConfig(o: {home: string; env?: Record<string, string | undefined>}): Promise<GlobalConfig> {
  const dir = join(o.home, '.prisma')
  const file = join(dir, 'config.yml')
  try {
    mkdirSync(dir, {mode: 0o700, recursive: true})
  } catch (error) {
    const problem = new ConfigError(
      `Could not create the folder ${dir} for the global configuration (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). ` +
        'Check that your home directory (HOME) is writable.',
      {cause: error},
    )
    // A read-only home without ~/.prisma reads as an empty configuration; only writing needs the folder.
    if (!existsSync(file)) return emptyConfig(file, problem)
  }

  const yaml = await import('js-yaml')

  /** The file's keys as they are now (a missing or empty file: none). */
  const read = (): Store => {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw error
    }

    const data = yaml.load(text, {filename: file})
    if (data === undefined || data === null) return {}
    if (typeof data !== 'object' || Array.isArray(data)) {
      throw new ConfigShapeError(Array.isArray(data) ? 'a list' : `a ${typeof data}`)
    }

    return data as Store
  }

  const write = async (store: Store): Promise<void> => {
    const text = Object.keys(store).length === 0 ? '' : yaml.dump(store, {lineWidth: -1, noRefs: true})
    const {writeFileAtomic} = await import('../project/endpoint-rewrite.js')
    await writeFileAtomic(file, text, {mode: 0o600})
  }

  const guarded = async <T>(action: () => T | Promise<T>): Promise<T> => {
    try {
      return await action()
    } catch (error) {
      throw describeConfigError(error, file)
    }
  }

  const snapshot = await guarded(read)
  const env = o.env ?? {}
  // A value of the wrong type is reported when the tool needs it (not at opening), so that logout and login --key,
  // which replace the session key, still work on such a file.
  const invalid = (problem: string) =>
    new ConfigError(`The global configuration ${file} is not valid: ${problem}. Fix or remove that entry and try again.`)
  let sessionKeyProblem =
    snapshot.cloudSessionKey === undefined || snapshot.cloudSessionKey === null || typeof snapshot.cloudSessionKey === 'string'
      ? undefined
      : `cloudSessionKey must be text (the Prisma Cloud session key), but it is ${describeValue(snapshot.cloudSessionKey)}; prisma logout removes it`
  const clustersProblem = clusterProblem(snapshot.clusters)
  // ${env:NAME} in the values the tool reads, with prisma.yml's own resolver
  const {resolveVariables} = await import('../project/variables.js')
  const resolved = await guarded(
    () =>
      resolveVariables(
        {cloudSessionKey: sessionKeyProblem ? undefined : snapshot.cloudSessionKey, clusters: clustersProblem ? undefined : snapshot.clusters},
        {env, file},
      ).value as Store,
  )
  let sessionKey = readString(resolved.cloudSessionKey)
  const clusters = readClusters(resolved.clusters)
  const config: GlobalConfig = {
    get clusters() {
      if (clustersProblem) throw invalid(clustersProblem)
      return clusters
    },
    get cloudSessionKey() {
      if (sessionKeyProblem) throw invalid(sessionKeyProblem)
      return sessionKey
    },
    set cloudSessionKey(value: string | undefined) {
      sessionKey = value
      sessionKeyProblem = undefined
    },
    file,
    async deleteCloudSessionKey() {
      // the file is read again here, so a change made by another process since opening is kept
      const had = await guarded(async () => {
        const store = read()
        if (!('cloudSessionKey' in store)) return false
        delete store.cloudSessionKey
        await write(store)
        return true
      })
      config.cloudSessionKey = undefined
      return had
    },
    async setCloudSessionKey(key: string) {
      const value = key.trim()
      if (value === '') throw new AuthError('The Prisma Cloud session key is empty; nothing was stored.')
      await guarded(async () => write({...read(), cloudSessionKey: value}))
      config.cloudSessionKey = value
    },
  }
  return config
}

function emptyConfig(file: string, problem: UserError): GlobalConfig {
  return {
    clusters: {},
    file,
    async deleteCloudSessionKey() {
      return false
    },
    async setCloudSessionKey() {
      throw problem
    },
  }
}

class ConfigShapeError extends Error {
  constructor(readonly found: string) {
    super(`the file holds ${found} instead of a mapping of keys`)
  }
}

function describeConfigError(error: unknown, file: string): Error {
  if (error instanceof UserError) return error
  const never = 'The tool does not change this file while it cannot be read; fix it or move it away and try again.'
  if (error instanceof ConfigShapeError) {
    return new ConfigError(`The global configuration ${file} is not valid: ${error.message}. ${never}`, {cause: error})
  }

  const yamlError = error as {name?: string; mark?: {line: number; column: number}; reason?: string}
  if (yamlError?.name === 'YAMLException') {
    const at = yamlError.mark ? ` at line ${yamlError.mark.line + 1}, column ${yamlError.mark.column + 1}` : ''
    return new ConfigError(
      `The global configuration ${file} is not valid YAML${at}: ${yamlError.reason ?? 'syntax error'}. ${never}`,
      {cause: error},
    )
  }

  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'EROFS' || code === 'ENOSPC') {
    return new ConfigError(
      `Could not access the global configuration ${file} (${code}). Check the file's permissions and the free space.`,
      {cause: error},
    )
  }

  return error instanceof Error ? error : new Error(String(error))
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value instanceof Date) return 'a date'
  if (typeof value === 'object' && value !== null) return 'a mapping'
  // the type only: the value may be a secret
  return `a ${typeof value}`
}

/** What is wrong with the shape of `clusters` (legacy servers), if anything. */
function clusterProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    return `clusters must be a mapping of cluster names to {host, clusterSecret}, but it is ${describeValue(value)}`
  }

  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (entry === null || entry === undefined) continue
    if (typeof entry !== 'object' || Array.isArray(entry)) return `clusters.${name} must be a mapping with host and clusterSecret, but it is ${describeValue(entry)}`
    for (const key of ['host', 'clusterSecret'] as const) {
      const field = (entry as Record<string, unknown>)[key]
      if (field !== undefined && field !== null && typeof field !== 'string') {
        const what = key === 'host' ? 'the server address' : 'a PEM private key'
        return `clusters.${name}.${key} must be text (${what}), but it is ${describeValue(field)}`
      }
    }
  }

  return undefined
}

function readString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}

function readClusters(value: unknown): Record<string, LegacyCluster> {
  const clusters: Record<string, LegacyCluster> = {}
  if (!value || typeof value !== 'object' || Array.isArray(value)) return clusters
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object') continue
    const {host, clusterSecret} = entry as Record<string, unknown>
    clusters[name] = {clusterSecret: readString(clusterSecret), host: readString(host)}
  }

  return clusters
}
