/**
 * `prisma generate`: for each `generate:` entry of prisma.yml, the schema (from the datamodel, or with `fromEndpoint`
 * from the deployed service) and the files the original CLI writes for that generator, with the same content, each
 * generator's files replacing the previous ones only once they are all written. Progress goes through the `Progress`
 * passed in; nothing here prints.
 */
import {isAbsolute, join} from 'node:path'

import {GenerateError, ProjectError, UserError} from '../errors.js'
import {prettyTime} from '../output/deploy.js'
import type {Progress} from '../output/progress.js'
import type {Project} from '../project/index.js'
import {formatInPieces} from './chunked-format.js'
import {findSchemaModules, installAdvice, loadClientModules, type ClientGenerator, type ClientModules, type GeneratorClass, type InternalType, type SchemaModules} from './libraries.js'
import {checkOutput, goFormat, replaceFile, replaceFolderFiles, type GeneratedFile} from './write.js'

export const supportedGenerators = ['graphql-schema', 'typescript-client', 'javascript-client', 'go-client', 'flow-client'] as const
export type GeneratorName = (typeof supportedGenerators)[number]

export interface GeneratedOutput {
  generator: GeneratorName
  /** The output as resolved (absolute). */
  output: string
  files: string[]
}

export interface GenerateResult {
  /** Where the schema came from: the datamodel, or the deployed service (`--endpoint`, or no schema generator). */
  schemaSource: 'datamodel' | 'service' | 'none'
  generated: GeneratedOutput[]
  /** The entries that could not be generated (the command then exits 1). */
  notGenerated: NotGenerated[]
}

export type GenerateProject = Pick<Project, 'file' | 'dir' | 'generate' | 'datamodel' | 'definition' | 'raw' | 'endpoint' | 'secrets' | 'env'>

export interface GenerateOptions {
  project: GenerateProject
  /** Take the schema from the deployed service instead of generating it from the datamodel (`--endpoint`). */
  fromEndpoint?: boolean
  progress: Progress
  signal?: AbortSignal
  now?: () => number
}

const savingLabels: Record<GeneratorName, string> = {
  'flow-client': 'Prisma Client (Flow)',
  'go-client': 'Prisma Client (Go)',
  'graphql-schema': 'Prisma GraphQL schema (SDL)',
  'javascript-client': 'Prisma Client (JavaScript)',
  'typescript-client': 'Prisma Client (TypeScript)',
}

/** The line the original prints once a generator's files are written. */
export function savingLine(generator: GeneratorName, output: string): string {
  return `Saving ${savingLabels[generator]} at ${output}`
}

function isSupported(name: string): name is GeneratorName {
  return (supportedGenerators as readonly string[]).includes(name)
}

interface Entry {
  index: number
  generator: GeneratorName
  output: string
}

/** A `generate:` entry that was not generated, and why. */
export interface NotGenerated {
  /** The entry's place in prisma.yml's `generate:` list. */
  index: number
  generator: string
  /** The output as resolved (absolute), or as written when the generator is unknown. */
  output: string
  problem: string
}

/**
 * Some entries of `generate:` could not be generated (the others were): `result` lists both, and the message names
 * every entry that failed, in one paragraph.
 */
export class GenerateEntriesError extends GenerateError {
  readonly result: GenerateResult

  constructor(file: string, total: number, result: GenerateResult) {
    const failed = result.notGenerated.length
    const done = result.generated.length
    const others = done === 0 ? (total > 1 ? ' (nothing was generated)' : '') : ` (${done} of the ${total} entries ${done === 1 ? 'was' : 'were'} generated)`
    super(
      `${failed === 1 ? '1 entry' : `${failed} entries`} of generate: in ${file} could not be generated${others}: ` +
        result.notGenerated.map((entry) => entry.problem).join(' '),
      {details: {...result}},
    )
    this.result = result
  }
}

const sentence = (text: string) => (/[.!?]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}.`)

/** The entries with their outputs resolved (as the original: absolute when starting with `/`, else joined to prisma.yml's folder), and those that cannot be generated. */
async function checkEntries(project: GenerateProject): Promise<{entries: Entry[]; failed: NotGenerated[]}> {
  const entries: Entry[] = []
  const failed: NotGenerated[] = []
  for (const [index, {generator, output}] of project.generate.entries()) {
    if (!isSupported(generator)) {
      failed.push({
        generator,
        index,
        output,
        problem: `generate[${index}] names the generator "${generator}". Please choose one of the supported generators. Possible generators: ${supportedGenerators.join(', ')}.`,
      })
      continue
    }
    const resolved = output.startsWith('/') || isAbsolute(output) ? output : join(project.dir, output)
    if (generator === 'graphql-schema' && !resolved.endsWith('.graphql')) {
      failed.push({
        generator,
        index,
        output: resolved,
        problem: `generate[${index}]: the output for generator graphql-schema should be a .graphql-file, not "${output}". Please change the output property for this generator in prisma.yml.`,
      })
      continue
    }
    try {
      await checkOutput(resolved, generator === 'graphql-schema' ? 'file' : 'folder', generator)
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      failed.push({generator, index, output: resolved, problem: `generate[${index}]: ${sentence(error.text)}`})
      continue
    }
    entries.push({generator, index, output: resolved})
  }
  return {entries, failed}
}

function datamodelProblem(project: GenerateProject, error: unknown): UserError {
  const files = project.datamodel.files.join(', ') || 'the datamodel'
  const message = (error as Error).message?.trim() || String(error)
  return new GenerateError(
    `The datamodel (${files}) cannot be turned into a Prisma schema: ${message}. Fix the datamodel and run prisma generate again.`,
    {cause: error},
  )
}

function databaseType(project: GenerateProject, modules: SchemaModules): string {
  return project.definition.databaseType === 'document' ? modules.databaseTypes.mongo : modules.databaseTypes.postgres
}

async function serviceSchema(project: GenerateProject, signal: AbortSignal | undefined, why: string) {
  const endpoint = project.endpoint
  if (!endpoint?.service || !endpoint.stage) {
    throw new GenerateError(
      `${why}, but ${project.file} has no endpoint naming a service and stage (and PRISMA_MANAGEMENT_API_ENDPOINT is not set). ` +
        'Add `endpoint: http://localhost:4466/<service>/<stage>` and deploy the service first.',
    )
  }
  const [{fetchServiceSchema}, {signServiceToken, defaultServiceTokenSeconds}] = await Promise.all([import('./server-schema.js'), import('../tokens/index.js')])
  const secret = project.secrets[0]
  const token = secret
    ? signServiceToken({expiresInSeconds: defaultServiceTokenSeconds, now: Math.floor(Date.now() / 1000), secret, service: endpoint.service, stage: endpoint.stage}).token
    : undefined
  return fetchServiceSchema({env: project.env, signal, token, url: endpoint.httpUrl})
}

/** The generator with its prettier call made piece by piece (same text, a fraction of the memory: chunked-format.ts). */
function piecewise(generator: ClientGenerator): ClientGenerator {
  const format = generator.format
  if (format !== undefined) generator.format = (code, options) => formatInPieces(code, (piece) => format.call(generator, piece, options))
  return generator
}

/** Renders the files of one client generator, as the original's generate command does. */
function renderClient(generator: Exclude<GeneratorName, 'graphql-schema'>, schema: unknown, internalTypes: InternalType[], modules: ClientModules, raw: GenerateProject['raw']): GeneratedFile[] {
  const classes: Record<typeof generator, GeneratorClass> = {
    'flow-client': modules.generators.flow,
    'go-client': modules.generators.go,
    'javascript-client': modules.generators.javascript,
    'typescript-client': modules.generators.typescript,
  }
  const Generator = classes[generator]
  const options: {endpoint: string; secret?: string} = {endpoint: Generator.replaceEnv(raw.endpoint)}
  if (raw.secret) options.secret = Generator.replaceEnv(raw.secret)
  const instance = piecewise(new Generator({internalTypes, schema}))
  switch (generator) {
    case 'typescript-client':
      return [
        {content: instance.render(options), name: 'index.ts'},
        {content: instance.renderTypedefs(), name: 'prisma-schema.ts'},
      ]
    case 'javascript-client': {
      const definitions = piecewise(new modules.generators.typescriptDefinitions({internalTypes, schema}))
      const typeDefs = definitions.renderTypedefs().replace('export const typeDefs = ', '')
      return [
        {content: instance.renderJavascript(options), name: 'index.js'},
        {content: definitions.render(options), name: 'index.d.ts'},
        // the original's wrapper, whitespace included
        {content: `module.exports = {\n        typeDefs: ${typeDefs}\n      }\n    `, name: 'prisma-schema.js'},
      ]
    }
    case 'go-client':
      return [{content: instance.render(options), name: 'prisma.go'}]
    case 'flow-client':
      return [
        {content: instance.render(options), name: 'index.js'},
        {content: instance.renderTypedefs(), name: 'prisma-schema.js'},
      ]
  }
}

/** Runs every generator of prisma.yml's `generate:` list; does nothing when there is none. */
export async function runGenerate(options: GenerateOptions): Promise<GenerateResult> {
  const {project, progress} = options
  const now = options.now ?? Date.now
  if (project.generate.length === 0) return {generated: [], notGenerated: [], schemaSource: 'none'}

  // an entry that cannot be generated is reported after the others are (the original, too, wrote the entries before it)
  const {entries, failed} = await checkEntries(project)
  const total = project.generate.length
  if (entries.length === 0) throw new GenerateEntriesError(project.file, total, {generated: [], notGenerated: failed, schemaSource: 'none'})
  const clients = entries.filter((entry) => entry.generator !== 'graphql-schema')
  const clientModules = clients.length > 0 ? loadClientModules(project.dir, [...new Set(clients.map((entry) => entry.generator))]) : undefined
  const schemaModules: SchemaModules | undefined = clientModules ?? findSchemaModules(project.dir)

  const started = now()
  let schemaString: string
  let schemaSource: GenerateResult['schemaSource']
  if (options.fromEndpoint || schemaModules === undefined) {
    progress.start('Downloading schema')
    try {
      const printed = await serviceSchema(
        project,
        options.signal,
        options.fromEndpoint
          ? 'The schema is taken from the deployed service (--endpoint)'
          : `The project has no prisma-generate-schema (it comes with \`${installAdvice}\`), so the schema is taken from the deployed service`,
      )
      schemaString = options.fromEndpoint ? printed.grouped : printed.plain
    } catch (error) {
      progress.stop('!')
      throw error
    }
    schemaSource = 'service'
  } else {
    progress.start('Generating schema')
    try {
      if (project.definition.datamodel === undefined) {
        throw new ProjectError(`The property datamodel is missing in your prisma.yml (${project.file}). Add it, e.g. datamodel: datamodel.prisma`)
      }
      try {
        schemaString = schemaModules.generateSchemaString(project.datamodel.text, databaseType(project, schemaModules))
      } catch (error) {
        throw datamodelProblem(project, error)
      }
    } catch (error) {
      progress.stop('!')
      throw error
    }
    schemaSource = 'datamodel'
  }
  progress.stop(prettyTime(now() - started))

  let clientInputs: {schema: unknown; internalTypes: InternalType[]} | undefined
  if (clientModules) {
    try {
      clientInputs = {
        internalTypes: clientModules.parseInternalTypes(project.datamodel.text, databaseType(project, clientModules)).types,
        schema: clientModules.graphql.buildSchema(schemaString),
      }
    } catch (error) {
      throw datamodelProblem(project, error)
    }
  }

  const generated: GeneratedOutput[] = []
  for (const {generator, index, output} of entries) {
    options.signal?.throwIfAborted()
    try {
      const files = await generateEntry({clientInputs, clientModules, generator, output, raw: project.raw, schemaString})
      progress.log(savingLine(generator, output))
      generated.push({files, generator, output})
    } catch (error) {
      if (!(error instanceof UserError) || error.code === 'INTERRUPTED') throw error
      failed.push({generator, index, output, problem: `generate[${index}]: ${sentence(error.text)}`})
    }
  }

  const result = {generated, notGenerated: failed.sort((a, b) => a.index - b.index), schemaSource}
  if (failed.length > 0) throw new GenerateEntriesError(project.file, total, result)
  return result
}

/** Renders and writes one entry's files (atomically); returns the paths written. */
async function generateEntry(o: {
  generator: GeneratorName
  output: string
  schemaString: string
  clientInputs: {schema: unknown; internalTypes: InternalType[]} | undefined
  clientModules: ClientModules | undefined
  raw: GenerateProject['raw']
}): Promise<string[]> {
  const {generator, output} = o
  if (generator === 'graphql-schema') return [await replaceFile({content: o.schemaString, generator, output})]
  const {schema, internalTypes} = o.clientInputs as NonNullable<typeof o.clientInputs>
  let rendered: GeneratedFile[]
  try {
    rendered = renderClient(generator, schema, internalTypes, o.clientModules as ClientModules, o.raw)
  } catch (error) {
    throw new GenerateError(`The ${generator} generator of prisma-client-lib failed on this schema: ${(error as Error).message}. Nothing was written to ${output}.`, {
      cause: error,
    })
  }
  return replaceFolderFiles({
    afterWrite: generator === 'go-client' ? (folder) => goFormat(join(folder, 'prisma.go')) : undefined,
    files: rendered,
    generator,
    output,
  })
}
