/** Human output of the data commands (seed, reset, export, import): pure functions of their results. */
import type {ExportResult} from '../data/export.js'
import type {ImportResult} from '../data/import.js'
import type {SeedResult} from '../data/seed.js'

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`
}

/** `3 nodes, 0 list values, 2 relations` */
export function formatCounts(counts: {nodes: number; lists: number; relations: number}): string {
  return `${plural(counts.nodes, 'node')}, ${plural(counts.lists, 'list value')}, ${plural(counts.relations, 'relation')}`
}

export function formatExport(result: ExportResult & {service: string; stage: string}, shownPath: string): string {
  return [
    `Exported service ${result.service}@${result.stage} to ${shownPath}: ${formatCounts(result)} (${plural(result.files, 'file')}, ${plural(result.bytes, 'byte')}).`,
    'You can import it to a new service with',
    `  $ prisma import --data ${/\s/.test(shownPath) ? JSON.stringify(shownPath) : shownPath}`,
  ].join('\n')
}

export function formatImport(result: ImportResult & {service: string; stage: string}): string {
  const skipped = result.chunksSkipped > 0 ? `; ${plural(result.chunksSkipped, 'chunk')} sent before skipped` : ''
  return `Imported ${result.source} into ${result.service}@${result.stage}: ${formatCounts(result)} (${plural(result.chunksSent, 'chunk')}${skipped}).`
}

export function formatSeed(result: SeedResult & {service: string; stage: string}): string {
  const target = `${result.service}@${result.stage}`
  const reset = result.reset ? ' (after deleting its data)' : ''
  if (result.kind === 'run') return `Seeded ${target}${reset} by running \`${result.source}\`.`
  if (result.kind === 'graphql') return `Seeded ${target}${reset} from ${result.source}: ${plural(result.operations, 'operation')}.`
  return `Seeded ${target}${reset} from ${result.source}: ${formatCounts(result)}.`
}

export function formatReset(result: {service: string; stage: string; reset: boolean}): string {
  return result.reset
    ? `Deleted all data of ${result.service}@${result.stage}.`
    : `Nothing was deleted: the reset of ${result.service}@${result.stage} was not confirmed.`
}

/** The question the original asks before a reset. */
export function resetQuestion(service: string, stage: string): string {
  return `Are you sure that you want to reset the data of ${service} in stage ${stage}? y/N`
}
