#!/usr/bin/env node
// README's command reference, generated from oclif.manifest.json: for each command, its summary, usage line, flags,
// description and examples, between markers that name the command; the hand-written text after each block stays
// as it is. The table of JSON results (block `json`) is generated from schemas/*.json the same way. `npm run readme` rewrites README.md; `npm run readme -- --check` only says whether it is current (the
// test suite and CI run that). A command of the manifest that README does not have yet gets a new section where the
// `reference:new` marker stands. `--root DIR` works on DIR's README.md and oclif.manifest.json instead.
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

/** Commands without a reference section: `help` is described with --version under "Help and version". */
const unlisted = new Set(['help'])
const bin = 'prisma'
const width = 118

const start = (id, from = 'oclif.manifest.json by npm run readme; edit the command') =>
  `<!-- reference:start ${id} (generated from ${from}, not this block) -->`
const end = (id) => `<!-- reference:end ${id} -->`
const blockPattern = /<!-- reference:start ([a-z0-9:-]+) [^\n]*-->\n[\s\S]*?<!-- reference:end \1 -->/g
const newMarker = '<!-- reference:new (npm run readme adds the section of a new command above this line) -->'

/** Escapes what Markdown would read as markup (HTML tags, emphasis), outside `code` spans. */
function prose(text) {
  return text
    .split(/(`[^`]*`)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replaceAll(/([<>*\\])/g, '\\$1')))
    .join('')
}

const cell = (text) => prose(text.replaceAll(/\s*\n\s*/g, ' ')).replaceAll('|', '\\|')

const template = (text, id) => text.replaceAll('<%= config.bin %>', bin).replaceAll('<%= command.id %>', id)

const visibleFlags = (command) => Object.values(command.flags ?? {}).filter((flag) => !flag.hidden)

function flagName(flag) {
  const long = flag.type === 'boolean' && flag.allowNo ? `--[no-]${flag.name}` : `--${flag.name}`
  return flag.char ? `-${flag.char}, ${long}` : long
}

const flagValue = (flag) => (flag.type === 'option' ? ` ${flag.helpValue ?? flag.name.toUpperCase()}` : '')

function usage(id, command) {
  const words = [`${bin} ${id}`]
  for (const arg of Object.values(command.args ?? {})) {
    if (!arg.hidden) words.push(arg.required ? arg.name.toUpperCase() : `[${arg.name.toUpperCase()}]`)
  }
  for (const flag of visibleFlags(command)) {
    const word = `${flag.char ? `-${flag.char}|` : ''}--${flag.name}${flagValue(flag)}`
    words.push(flag.required ? word : `[${word}]`)
  }
  const lines = []
  const indent = ' '.repeat(`${bin} ${id} `.length)
  let line = ''
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = indent + word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  lines.push(line)
  return lines.join('\n')
}

function flagMeaning(flag) {
  const notes = []
  if (flag.required) notes.push('required')
  if (flag.default !== undefined && flag.default !== false && flag.type === 'option') notes.push(`default: ${flag.default}`)
  if (flag.options) notes.push(`one of: ${flag.options.join(', ')}`)
  if (flag.dependsOn?.length) notes.push(`needs ${flag.dependsOn.map((name) => `--${name}`).join(', ')}`)
  if (flag.exclusive?.length) notes.push(`not with ${flag.exclusive.map((name) => `--${name}`).join(', ')}`)
  const text = flag.summary ?? flag.description ?? ''
  return cell(notes.length > 0 ? `${text} (${notes.join('; ')})` : text)
}

function examples(id, command) {
  const rows = (command.examples ?? []).map((example) =>
    typeof example === 'string' ? {command: template(example, id), description: ''} : {command: template(example.command, id), description: example.description ?? ''},
  )
  if (rows.length === 0) return []
  const column = Math.max(...rows.map((row) => row.command.length)) + 2
  return ['```sh', ...rows.map((row) => (row.description ? `${row.command.padEnd(column)}# ${row.description}` : row.command)), '```']
}

/**
 * Flags that several commands share with the same meaning (--json, --project, --env-file): the index lists them
 * once, and a command's table only lists its own.
 */
export function sharedFlags(manifest) {
  const seen = new Map()
  for (const [id, command] of Object.entries(manifest.commands)) {
    if (unlisted.has(id) || command.hidden) continue
    for (const flag of visibleFlags(command)) {
      const key = JSON.stringify([flagName(flag), flagValue(flag), flagMeaning(flag)])
      seen.set(key, [...(seen.get(key) ?? []), flag])
    }
  }
  return [...seen.entries()].filter(([, flags]) => flags.length >= 3).map(([key, flags]) => ({flag: flags[0], key}))
}

const flagKey = (flag) => JSON.stringify([flagName(flag), flagValue(flag), flagMeaning(flag)])

/** The generated block of one command, markers included. */
export function commandBlock(id, command, shared = new Set()) {
  const summary = template(command.summary ?? '', id)
  const lines = [start(id), `### \`${bin} ${id}\``, '', `${prose(summary)}.`.replace(/\.\.$/, '.'), '', '```', usage(id, command), '```', '']
  if (command.aliases?.length) lines.push(`Alias: ${command.aliases.map((alias) => `\`${bin} ${alias}\``).join(', ')}.`, '')
  const flags = visibleFlags(command).filter((flag) => !shared.has(flagKey(flag)))
  if (flags.length > 0) {
    lines.push('| Flag | Meaning |', '| --- | --- |')
    for (const flag of flags) lines.push(`| \`${flagName(flag)}${flagValue(flag)}\` | ${flagMeaning(flag)} |`)
    lines.push('')
  }
  for (const paragraph of template(command.description ?? '', id).split(/\n\s*\n/)) {
    if (paragraph.trim()) lines.push(prose(paragraph.trim()), '')
  }
  const shown = examples(id, command)
  if (shown.length > 0) lines.push(...shown, '')
  if (lines.at(-1) === '') lines.pop()
  lines.push(end(id))
  return lines.join('\n')
}

/** The index of the commands (a table at the top of "Commands"), in README's order, and the flags they share. */
function indexBlock(ids, manifest) {
  const rows = ids.map((id) => `| [\`${bin} ${id}\`](#${`${bin}-${id}`.replaceAll(':', '')}) | ${cell(manifest.commands[id].summary ?? '')} |`)
  const shared = sharedFlags(manifest).map(({flag}) => `| \`${flagName(flag)}${flagValue(flag)}\` | ${flagMeaning(flag)} |`)
  const flags = shared.length > 0 ? ['', 'Flags of several commands, which their own tables below leave out:', '', '| Flag | Meaning |', '| --- | --- |', ...shared] : []
  return [start('index'), '| Command | What it does |', '| --- | --- |', ...rows, ...flags, end('index')].join('\n')
}

/** The schema `node` stands for: `$ref`s followed, within `file` or into another schema of schemas/. */
function resolveRef(node, file, schemas) {
  if (!node?.$ref) return {file, node}
  const [target, pointer = ''] = node.$ref.split('#')
  const name = target ? target.replace(/\.json$/, '') : file
  const found = pointer.split('/').filter(Boolean).reduce((value, key) => value?.[key], schemas[name])
  return resolveRef(found, name, schemas)
}

/** `a, b?, c: [{d, e}]`: the fields of an object schema, one level of closed objects and arrays of them spelled out. */
function fieldList(node, file, schemas, depth = 0) {
  const required = node.required ?? []
  return Object.entries(node.properties ?? {})
    .filter(([field]) => node.additionalProperties === false || required.includes(field))
    .map(([field, value]) => {
      const name = required.includes(field) ? field : `${field}?`
      if (depth > 0) return name
      const {file: at, node: shape} = resolveRef(value, file, schemas)
      const items = shape?.type === 'array' ? resolveRef(shape.items, at, schemas) : undefined
      if (items?.node?.additionalProperties === false) return `${name}: [{${fieldList(items.node, items.file, schemas, 1)}}]`
      if (shape?.type === 'object' && shape.additionalProperties === false) return `${name}: {${fieldList(shape, at, schemas, 1)}}`
      return name
    })
    .join(', ')
}

/** The table of --json results: one row per schema, commands in README's order, the error document last. */
function jsonBlock(ids, schemas) {
  const names = [...ids.filter((id) => schemas[id]), ...Object.keys(schemas).filter((name) => !ids.includes(name) && name !== 'error').sort()]
  if (schemas.error) names.push('error')
  const rows = names.map((name) => {
    const schema = schemas[name]
    // an open shape (the error document) lists what it always has; its details are in the schema
    const fields = fieldList(schema, name, schemas)
    const what = name === 'error' ? 'any command, on failure' : `\`${bin} ${name}\``
    return `| ${what} | [${name}.json](schemas/${name}.json) | \`${fields.replaceAll('|', '\\|')}\` | ${cell(schema.description ?? '')} |`
  })
  return [start('json', 'schemas/*.json by npm run readme; edit the schemas'), '| Command | Schema | Fields (`?`: only sometimes) | Notes |', '| --- | --- | --- | --- |', ...rows, end('json')].join('\n')
}

/** README with its reference regenerated; `problems` are what a person has to resolve (a command that is gone). */
export function regenerate(readme, manifest, schemas = {}) {
  const wanted = Object.keys(manifest.commands).filter((id) => !unlisted.has(id) && !manifest.commands[id].hidden)
  const generatedTables = new Set(['index', 'json'])
  const present = [...readme.matchAll(blockPattern)].map((match) => match[1]).filter((id) => !generatedTables.has(id))
  const problems = present
    .filter((id) => !wanted.includes(id))
    .map((id) => `README.md has a reference section for \`${bin} ${id}\`, which oclif.manifest.json no longer has: remove that section (and its text).`)
  const shared = new Set(sharedFlags(manifest).map(({key}) => key))
  let text = readme.replaceAll(blockPattern, (block, id) => (generatedTables.has(id) || !wanted.includes(id) ? block : commandBlock(id, manifest.commands[id], shared)))
  const missing = wanted.filter((id) => !present.includes(id))
  if (missing.length > 0) {
    if (!text.includes(newMarker)) problems.push(`README.md has no marker line for new commands (${newMarker}).`)
    else text = text.replace(newMarker, `${missing.map((id) => `${commandBlock(id, manifest.commands[id], shared)}\n\n`).join('')}${newMarker}`)
  }
  const order = [...text.matchAll(blockPattern)].map((match) => match[1]).filter((id) => !generatedTables.has(id) && wanted.includes(id))
  text = text.replace(blockPattern, (block, id) => {
    if (id === 'index') return indexBlock(order, manifest)
    if (id === 'json') return jsonBlock(order, schemas)
    return block
  })
  return {problems, text}
}

function main() {
  const check = process.argv.includes('--check')
  const rootIndex = process.argv.indexOf('--root')
  const root = rootIndex === -1 ? fileURLToPath(new URL('..', import.meta.url)) : resolve(process.argv[rootIndex + 1])
  const readmePath = join(root, 'README.md')
  const manifestPath = join(root, 'oclif.manifest.json')
  const readme = readFileSync(readmePath, 'utf8')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
  const schemasDir = join(root, 'schemas')
  const schemas = existsSync(schemasDir)
    ? Object.fromEntries(
        readdirSync(schemasDir)
          .filter((file) => file.endsWith('.json'))
          .map((file) => [file.slice(0, -'.json'.length), JSON.parse(readFileSync(join(schemasDir, file), 'utf8'))]),
      )
    : {}
  const {problems, text} = regenerate(readme, manifest, schemas)
  if (problems.length > 0) {
    console.error(problems.join('\n'))
    process.exitCode = 1
    return
  }
  if (!check) {
    if (text !== readme) writeFileSync(readmePath, text)
    console.error(text === readme ? 'README.md: the command reference is current.' : 'README.md: the command reference was regenerated from oclif.manifest.json and schemas/.')
    return
  }
  if (text === readme) return
  const before = readme.split('\n')
  const after = text.split('\n')
  const line = before.findIndex((value, index) => value !== after[index])
  console.error(
    `README.md's command reference is stale (it differs from oclif.manifest.json and schemas/ from line ${line + 1}: ` +
      `${JSON.stringify(before[line] ?? '')} should be ${JSON.stringify(after[line] ?? '')}).\n` +
      'Run `npm run readme` and commit README.md (after `npm run manifest` when a command changed).',
  )
  process.exitCode = 1
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
