/**
 * The code generators of Prisma 1 live in prisma-client-lib (with prisma-generate-schema, prisma-datamodel and
 * graphql), which a project using the JavaScript, TypeScript or Flow client has installed anyway, because the
 * generated client imports it at run time. They are loaded from the user's project, resolved from prisma.yml's
 * folder upward as Node resolves a package, and never shipped with this tool (prisma-client-lib alone pulls in
 * flow-bin and prettier, over 70 MB).
 */
import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'

import {GenerateError, UserError} from '../errors.js'
import {preloadLinearTypeScriptParser} from './jsx-heuristic.js'

/** What the original's generate command needs from graphql 14. */
export interface GraphQLModule {
  buildSchema(sdl: string): unknown
}

export interface InternalType {
  name: string
  isEmbedded: boolean
}

export interface SchemaModules {
  /** prisma-generate-schema's default export: datamodel text → SDL (graphql's printSchema). */
  generateSchemaString(datamodel: string, databaseType: string): string
  /** prisma-datamodel's parser, as prisma-generate-schema exposes it. */
  parseInternalTypes(datamodel: string, databaseType: string): {types: InternalType[]}
  databaseTypes: {mongo: string; postgres: string}
  /** Where prisma-generate-schema was found. */
  location: string
}

interface RenderOptions {
  endpoint: string
  secret?: string
}

export interface ClientGenerator {
  /** prettier over the generated code (the Go generator has none). */
  format?(code: string, options?: unknown): string
  render(options: RenderOptions): string
  renderJavascript(options: RenderOptions): string
  renderTypedefs(): string
}

export interface GeneratorClass {
  new (options: {schema: unknown; internalTypes: InternalType[]}): ClientGenerator
  replaceEnv(value: unknown): string
}

export interface ClientModules extends SchemaModules {
  version: string
  graphql: GraphQLModule
  generators: {
    typescript: GeneratorClass
    javascript: GeneratorClass
    typescriptDefinitions: GeneratorClass
    go: GeneratorClass
    flow: GeneratorClass
  }
}

export const clientLibrary = 'prisma-client-lib'
export const supportedMajor = 1
export const installAdvice = 'npm install --save-dev prisma-client-lib@1.34'

type Require = NodeJS.Require

/** A require that resolves as Node does for a module in `dir` (node_modules of `dir`, then of each parent). */
function requireFrom(dir: string): Require {
  return createRequire(join(dir, '__prisma-generate__.cjs'))
}

function packageJsonPath(require: Require, name: string): string | undefined {
  try {
    return require.resolve(`${name}/package.json`)
  } catch {
    return undefined
  }
}

function readVersion(packageJson: string): string {
  const parsed = JSON.parse(readFileSync(packageJson, 'utf8')) as {version?: unknown}
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0'
}

function loadFailure(name: string, location: string, error: unknown): UserError {
  return new GenerateError(
    `${name} at ${location} could not be loaded (${(error as Error).message.split('\n')[0]}). ` +
      `Reinstall it in the project with \`${installAdvice}\`.`,
    {cause: error},
  )
}

function schemaModulesFrom(require: Require, location: string): SchemaModules {
  try {
    const generateSchema = require('prisma-generate-schema') as {
      default: SchemaModules['generateSchemaString']
      parseInternalTypes: SchemaModules['parseInternalTypes']
    }
    const datamodel = require('prisma-datamodel') as {DatabaseType: {mongo: string; postgres: string}}
    return {
      databaseTypes: {mongo: datamodel.DatabaseType.mongo, postgres: datamodel.DatabaseType.postgres},
      generateSchemaString: generateSchema.default,
      location,
      parseInternalTypes: generateSchema.parseInternalTypes,
    }
  } catch (error) {
    throw loadFailure('prisma-generate-schema', location, error)
  }
}

/**
 * prisma-client-lib and the modules it uses, from the project at `projectDir`. Throws a UserError naming what to
 * install when it is missing, or of another major version.
 */
export function loadClientModules(projectDir: string, generatorNames: string[]): ClientModules {
  const packageJson = packageJsonPath(requireFrom(projectDir), clientLibrary)
  if (packageJson === undefined) {
    const go = generatorNames.includes('go-client')
      ? ' The go-client generator needs it too (only to generate; the Go client itself uses github.com/prisma/prisma-client-lib-go).'
      : ''
    throw new GenerateError(
      `The ${generatorNames.join(', ')} generator${generatorNames.length === 1 ? '' : 's'} of prisma.yml need${generatorNames.length === 1 ? 's' : ''} ` +
        `the package ${clientLibrary}, which was not found from ${projectDir} upward. Install it in the project with ` +
        `\`${installAdvice}\` and run prisma generate again.${go}`,
    )
  }

  const location = dirname(packageJson)
  const version = readVersion(packageJson)
  if (Number(version.split('.')[0]) !== supportedMajor) {
    throw new GenerateError(
      `${clientLibrary} ${version} is installed at ${location}, but the Prisma 1 generators need version 1 (1.34). ` +
        `Install it with \`${installAdvice}\`.`,
    )
  }

  // graphql and the schema modules as prisma-client-lib itself resolves them: the generators check types with
  // instanceof, so the schema must be built with the same graphql module
  const require = requireFrom(location)
  const generatorFile = (name: string) => join(location, 'dist', 'codegen', 'generators', `${name}.js`)
  const files = ['typescript-client', 'javascript-client', 'typescript-definitions', 'go-client', 'flow-client']
  const missing = files.find((name) => !existsSync(generatorFile(name)))
  if (missing !== undefined) {
    throw new GenerateError(
      `${clientLibrary} ${version} at ${location} has no ${missing} generator (dist/codegen/generators/${missing}.js). ` +
        `Install the version the Prisma 1 generators come with: \`${installAdvice}\`.`,
    )
  }

  const prettier = packageJsonPath(require, 'prettier')
  if (prettier !== undefined) preloadLinearTypeScriptParser(dirname(prettier))
  try {
    const graphql = require('graphql') as GraphQLModule
    // the generators directly, without the client runtime (websockets, HTTP) that the package's index loads
    const load = (file: string, name: string) => (require(generatorFile(file)) as Record<string, GeneratorClass>)[name]
    return {
      ...schemaModulesFrom(require, location),
      generators: {
        flow: load('flow-client', 'FlowGenerator'),
        go: load('go-client', 'GoGenerator'),
        javascript: load('javascript-client', 'JavascriptGenerator'),
        typescript: load('typescript-client', 'TypescriptGenerator'),
        typescriptDefinitions: load('typescript-definitions', 'TypescriptDefinitionsGenerator'),
      },
      graphql,
      version,
    }
  } catch (error) {
    if (error instanceof UserError) throw error
    throw loadFailure(clientLibrary, location, error)
  }
}

/**
 * prisma-generate-schema alone (enough for the graphql-schema generator): through prisma-client-lib when the
 * project has it, else directly from the project. Undefined when the project has neither.
 */
export function findSchemaModules(projectDir: string): SchemaModules | undefined {
  const fromProject = requireFrom(projectDir)
  const clientPackage = packageJsonPath(fromProject, clientLibrary)
  for (const require of clientPackage ? [requireFrom(dirname(clientPackage)), fromProject] : [fromProject]) {
    const packageJson = packageJsonPath(require, 'prisma-generate-schema')
    if (packageJson !== undefined) return schemaModulesFrom(require, dirname(packageJson))
  }

  return undefined
}
