// Finds the project's prisma.yml: --project, ./prisma.yml, ./prisma/prisma.yml, the file named by the `prisma`
// extension of a .graphqlconfig found upward, or the nearest prisma.yml upward.
import {access, readFile, stat} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'

import {ProjectError} from '../errors.js'

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

export async function findProjectFile(o: {cwd: string; project?: string}): Promise<string | undefined> {
  if (o.project !== undefined) {
    if (o.project.trim() === '') throw new ProjectError('--project was given an empty path. Pass the path of your prisma.yml.')
    const file = resolve(o.cwd, o.project)
    if (!(await exists(file))) {
      throw new ProjectError(`Prisma definition path specified by --project '${file}' does not exist. Pass the path of your prisma.yml (relative to ${o.cwd}).`)
    }
    return file
  }
  const cwd = resolve(o.cwd)
  for (const candidate of [join(cwd, 'prisma.yml'), join(cwd, 'prisma', 'prisma.yml')]) {
    if (await exists(candidate)) return candidate
  }
  const fromGraphQLConfig = await findByGraphQLConfig(cwd)
  if (fromGraphQLConfig !== undefined) return fromGraphQLConfig
  let dir = dirname(cwd)
  for (;;) {
    const candidate = join(dir, 'prisma.yml')
    if (await exists(candidate)) return candidate
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

const GRAPHQL_CONFIG_NAMES = ['.graphqlconfig', '.graphqlconfig.yml', '.graphqlconfig.yaml']

/**
 * The original also honoured a GraphQL config (graphql-config 2) whose top-level or project `extensions.prisma`
 * names the prisma.yml. As there, an unreadable or malformed config is ignored.
 */
async function findByGraphQLConfig(cwd: string): Promise<string | undefined> {
  let configFile: string | undefined
  for (let dir = cwd; ; dir = dirname(dir)) {
    for (const name of GRAPHQL_CONFIG_NAMES) {
      if (await exists(join(dir, name))) {
        configFile = join(dir, name)
        break
      }
    }
    if (configFile !== undefined || dirname(dir) === dir) break
  }
  if (configFile === undefined) return undefined
  try {
    const stats = await stat(configFile)
    if (!stats.isFile() || stats.size > 1024 * 1024) return undefined
    const yaml = await import('js-yaml')
    const config = yaml.load(await readFile(configFile, 'utf8')) as GraphQLConfig | undefined
    const extensions = [config?.extensions, ...Object.values(config?.projects ?? {}).map((project) => project?.extensions)]
    const prisma = extensions.map((extension) => extension?.prisma).find((value) => typeof value === 'string' && value !== '')
    if (typeof prisma !== 'string') return undefined
    const configDir = dirname(configFile)
    return resolve((await exists(resolve(cwd, prisma))) ? resolve(cwd, prisma) : join(configDir, prisma))
  } catch {
    return undefined
  }
}

interface GraphQLConfig {
  extensions?: {prisma?: unknown}
  projects?: Record<string, {extensions?: {prisma?: unknown}} | undefined>
}
