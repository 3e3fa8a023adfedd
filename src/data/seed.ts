/**
 * Seeding a service stage from prisma.yml's `seed`: `import` of a .graphql file (each operation sent to the service
 * API in file order), of a .zip or folder in the import data format, or `run` of a command (without a shell, as the
 * hooks run). `--reset` deletes the stage's data first.
 */
import {readFile, stat} from 'node:fs/promises'
import {isAbsolute, join} from 'node:path'

import type {HookResult} from '../deploy/hooks.js'
import {DataError, InContextError, UserError} from '../errors.js'
import {ServerError} from '../http/graphql.js'
import {openImportSource, shownPath, uploadImport, validateImport, type ImportResult} from './import.js'
import {readDataModel} from './ndf.js'
import type {ServiceClient} from './service.js'

export interface SeedDefinition {
  run?: string
  import?: string
}

export interface SeedOptions {
  seed: SeedDefinition | undefined
  /** prisma.yml, for messages. */
  file: string
  /** prisma.yml's folder: seed.import is relative to it. */
  projectDir: string
  cwd: string
  client: Pick<ServiceClient, 'operation' | 'resetData' | 'importChunk'>
  /** The datamodel text, to check .zip and folder seeds. */
  datamodel: string
  reset?: boolean
  runCommand: (command: string) => Promise<HookResult>
  signal?: AbortSignal
  /** Progress events: a step starts (`reset`, `seed`) or a unit of work is done. */
  onEvent?: (event: SeedEvent) => void
}

export type SeedEvent =
  | {type: 'reset'}
  | {type: 'start'; source: string}
  | {type: 'operation'; index: number; total: number}
  | {type: 'chunk'; sent: number; total: number}

export interface SeedResult {
  /** What was seeded from: the seed.import path or the seed.run command. */
  source: string
  kind: 'graphql' | 'import' | 'run'
  reset: boolean
  /** GraphQL operations sent (graphql seeds). */
  operations: number
  /** Values imported (zip and folder seeds). */
  nodes: number
  lists: number
  relations: number
  /** The seed command's output (run seeds). */
  output?: {stdout: string; stderr: string}
}

const seedDocs = 'Follow the docs for more info: http://bit.ly/prisma-seed-optional'

/** Checks prisma.yml's seed and returns what to seed from; throws a UserError naming what to fix. */
export function seedSource(seed: SeedDefinition | undefined, file: string): {kind: 'import' | 'run'; value: string} {
  if (!seed) throw new DataError(`To seed, add a \`seed\` property to ${file}: \`seed: {import: seed.graphql}\` or \`seed: {run: node seed.js}\`. ${seedDocs}`)
  if (seed.import && seed.run) {
    throw new DataError(`The seed of ${file} has both \`import\` and \`run\`; keep one of them.`)
  }

  if (seed.import) return {kind: 'import', value: seed.import}
  if (seed.run) return {kind: 'run', value: seed.run}
  throw new DataError(`The seed of ${file} has neither \`import\` nor \`run\`. Add one of them under \`seed\`. ${seedDocs}`)
}

export async function runSeed(o: SeedOptions): Promise<SeedResult> {
  const source = seedSource(o.seed, o.file)
  const result: SeedResult = {kind: 'run', lists: 0, nodes: 0, operations: 0, relations: 0, reset: Boolean(o.reset), source: source.value}
  let path = ''
  if (source.kind === 'import') {
    path = isAbsolute(source.value) ? source.value : join(o.projectDir, source.value)
    const lower = path.toLowerCase()
    if (!lower.endsWith('.graphql') && !lower.endsWith('.zip') && !(await stat(path).catch(() => undefined))?.isDirectory()) {
      throw new DataError(`seed.import in ${o.file} is ${source.value}: it must be a .graphql file, a .zip file or a folder in the import data format.`)
    }

    if (!(await stat(path).catch(() => undefined))) {
      throw new DataError(`The seed file ${shownPath(path, o.cwd)} (seed.import in ${o.file}) does not exist. Create it, or correct the path (it is relative to prisma.yml's folder).`)
    }
  }

  // a .graphql file is read and split before the reset, so a broken file leaves the data as it was
  const operations = path.toLowerCase().endsWith('.graphql') ? await readSeedOperations(path, shownPath(path, o.cwd)) : undefined
  if (o.reset) {
    o.onEvent?.({type: 'reset'})
    await o.client.resetData()
  }

  o.onEvent?.({source: source.value, type: 'start'})
  if (source.kind === 'run') {
    const outcome = await o.runCommand(source.value)
    result.output = {stderr: outcome.stderr, stdout: outcome.stdout}
    if (outcome.error || outcome.code !== 0) {
      const why = outcome.error ?? (outcome.signal ? `it was killed by ${outcome.signal}` : `it exited with code ${outcome.code}`)
      throw new DataError(`The seed command \`${source.value}\` (seed.run in ${o.file}) failed: ${why}.`, {details: {output: result.output}})
    }

    return result
  }

  if (operations) {
    result.kind = 'graphql'
    for (const [index, operation] of operations.entries()) {
      if (o.signal?.aborted) throw o.signal.reason
      try {
        await o.client.operation(operation.text, operation.label)
      } catch (error) {
        // Ctrl-C (exit 130) and bugs go through as they are
        if (!(error instanceof UserError) || error.exitCode !== 1) throw error
        const before =
          index === 0 ? 'No operation had been applied before it.' : `The ${index} operation${index === 1 ? '' : 's'} before it ${index === 1 ? 'was' : 'were'} applied and stay${index === 1 ? 's' : ''} in the service.`
        const which = `operation ${index + 1} of ${operations.length} (${operation.label}, line ${operation.line} of ${shownPath(path, o.cwd)})`
        // an answer with errors is a rejection; a server that cannot be reached has not judged the operation
        const rejected = error instanceof ServerError && error.kind === 'graphql'
        const message = `${rejected ? `The server rejected ${which}` : `Sending ${which} failed`}: ${error.text}\n${before}`
        const details = {operationsApplied: index}
        throw rejected ? new DataError(message, {cause: error, details}) : new InContextError(message, error, {details})
      }

      result.operations++
      o.onEvent?.({index: index + 1, total: operations.length, type: 'operation'})
    }

    return result
  }

  result.kind = 'import'
  const imported = await importFrom(path, o)
  result.nodes = imported.nodes
  result.lists = imported.lists
  result.relations = imported.relations
  return result
}

async function importFrom(path: string, o: SeedOptions): Promise<ImportResult> {
  const source = await openImportSource(path, shownPath(path, o.cwd))
  try {
    const model = await readDataModel(o.datamodel)
    const counts = await validateImport(source, model, o.signal)
    return await uploadImport({client: o.client, counts, onChunk: ({sent, total}) => o.onEvent?.({sent, total, type: 'chunk'}), signal: o.signal, source})
  } finally {
    await source.close()
  }
}

export interface SeedOperation {
  /** The operation printed alone, with the fragments it uses. */
  text: string
  /** `mutation createUsers` or `anonymous mutation`. */
  label: string
  line: number
}

/** A .graphql seed is parsed whole (its syntax tree is several times its size); larger data belongs in NDF. */
export const maxSeedFileBytes = 16 * 1024 * 1024

/** Reads a .graphql seed file and splits it into its operations, each with the fragments it spreads. */
export async function readSeedOperations(path: string, shown: string): Promise<SeedOperation[]> {
  const info = await stat(path)
  if (info.isDirectory()) throw new DataError(`The seed file ${shown} is a folder. Give a .graphql file, or a folder in the import data format without the .graphql ending.`)
  const size = info.size
  if (size > maxSeedFileBytes) {
    throw new DataError(
      `The seed file ${shown} is ${Math.round(size / 1024 / 1024)} MB; a .graphql seed is read whole, and files above ${maxSeedFileBytes / 1024 / 1024} MB are refused. ` +
        'For large data use the import data format (seed.import: a zip or folder as prisma export writes it), which is sent in bounded requests.',
      {},
    )
  }

  const bytes = await readFile(path)
  if (bytes.includes(0)) throw new DataError(`The seed file ${shown} is a binary file, not GraphQL text. Give a .graphql file of mutations as seed.import.`)
  const text = bytes.toString('utf8')
  const {parse, print, visit, Kind, GraphQLError} = await import('graphql')
  let document
  try {
    document = parse(text)
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error
    const where = error.locations?.[0]
    throw new DataError(
      `The seed file ${shown} is not valid GraphQL${where ? ` (line ${where.line}, column ${where.column})` : ''}: ${error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '')}. ` +
        'Correct it; nothing was sent to the server.',
    )
  }

  const fragments = new Map<string, (typeof document.definitions)[number]>()
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition)
  const operations: SeedOperation[] = []
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue
    const used = new Set<string>()
    const pending = [definition as (typeof document.definitions)[number]]
    while (pending.length > 0) {
      visit(pending.pop()!, {
        FragmentSpread(node) {
          const name = node.name.value
          if (!fragments.has(name)) {
            throw new DataError(
              `The seed file ${shown} spreads the fragment ${name} (line ${node.loc?.startToken.line ?? '?'}), which it does not define. Define \`fragment ${name} on <Type> { ... }\` in the file, or remove the spread; nothing was sent to the server.`,
              {},
            )
          }

          if (used.has(name)) return
          used.add(name)
          pending.push(fragments.get(name)!)
        },
      })
    }

    const parts = [definition, ...[...used].map((name) => fragments.get(name)!)]
    operations.push({
      label: definition.name ? `${definition.operation} ${definition.name.value}` : `anonymous ${definition.operation}`,
      line: definition.loc?.startToken.line ?? 1,
      text: print({definitions: parts, kind: Kind.DOCUMENT}),
    })
  }

  if (operations.length === 0) throw new DataError(`The seed file ${shown} holds no operation (query or mutation) to send.`)
  return operations
}
