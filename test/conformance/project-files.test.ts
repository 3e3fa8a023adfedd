/**
 * prisma.yml and .env read side by side with the ORIGINAL loader (prisma-yml 1.34.12 with its dotenv 4 and js-yaml 3,
 * run in a child process by original-loader.cjs): every value the original read, this tool reads the same, except the
 * differences listed in README ("Differences from the original CLI"), each named here with its reason.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {before, describe, test} from 'node:test'

import fc from 'fast-check'

import {loadProject} from '../../src/project/index.js'
import {loadEnvironment} from '../../src/project/env-file.js'
import {parseYaml} from '../../src/project/yaml.js'
import {ensureOriginalCli} from './original-cli.js'

interface FilesCase {
  name: string
  yml: string
  dotenv?: string
  /** The environment the command runs in (besides PATH and HOME). */
  env?: Record<string, string>
  /** Environment variables whose values are compared after the .env file is applied. */
  read?: string[]
  /** Why this tool reads it differently (a README difference); the test checks that it still differs. */
  differs?: string
}

interface YamlCase {
  yaml: string
}

/** What a loader read: the resolved definition, secrets, post-deploy hooks and variables; or that it refused. */
type Reading = {definition: unknown; secrets: string[]; hooks: unknown; env: Record<string, string | null>} | {error: string}

const loaderScript = fileURLToPath(new URL('original-loader.cjs', import.meta.url))
const DATAMODEL = 'datamodel: datamodel.prisma\n'

/** Runs the original loader once over many cases (it starts in about half a second). */
function readWithOriginal(cases: Array<FilesCase | YamlCase>): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [loaderScript], {stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`original loader exited ${code}: ${stderr}`))))
    child.stdin.end(JSON.stringify(cases))
  })
}

/** The same encoding as original-loader.cjs: dates and non-finite numbers as objects JSON can hold. */
function encode(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, function (this: Record<string, unknown>, key, item) {
      const raw = this[key]
      if (raw instanceof Date) return {$date: Number.isNaN(raw.getTime()) ? 'invalid' : raw.toISOString()}
      if (typeof item === 'number' && !Number.isFinite(item)) return {$number: String(item)}
      if (typeof item === 'number' && Object.is(item, -0)) return {$number: '-0'}
      return item
    }) ?? 'null',
  )
}

async function writeProject(spec: FilesCase): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'prisma-files-'))
  await writeFile(join(dir, 'datamodel.prisma'), 'type User {\n  id: ID! @id\n}\n')
  await writeFile(join(dir, 'prisma.yml'), spec.yml)
  if (spec.dotenv !== undefined) await writeFile(join(dir, '.env'), spec.dotenv)
  return dir
}

async function readWithThisTool(spec: FilesCase): Promise<Reading> {
  const dir = await writeProject(spec)
  try {
    const project = await loadProject({cwd: dir, env: {PATH: process.env.PATH, HOME: dir, ...spec.env}})
    const seen: Record<string, string | null> = {}
    for (const name of spec.read ?? []) seen[name] = Object.hasOwn(project.env, name) ? (project.env[name] ?? null) : null
    return encode({definition: project.definition, secrets: project.secrets, hooks: project.postDeployHooks, env: seen}) as Reading
  } catch (error) {
    return {error: (error as Error).message}
  }
}

/** The original reports "no secret" as null, this tool as []. */
function comparable(reading: Record<string, unknown>): Record<string, unknown> {
  if ('error' in reading) return {error: true}
  return {...reading, secrets: reading.secrets ?? []}
}

const env = (dotenv: string, read: string[] = ['S'], processEnv?: Record<string, string>): Omit<FilesCase, 'name'> => ({
  yml: DATAMODEL,
  dotenv,
  read,
  env: processEnv,
})
const yml = (text: string): Omit<FilesCase, 'name'> => ({yml: text})
const header = (value: string) =>
  yml(`${DATAMODEL}subscriptions:\n  s:\n    query: subscription { user { node { id } } }\n    webhook:\n      url: http://localhost:3000/hook\n      headers:\n        X-Value: ${value}\n`)

const table: FilesCase[] = Object.entries({
  // .env values, read as dotenv 4 read them
  'unquoted # inside a value': env('S=abc#123\n'),
  'a value that starts with #': env('S=#abc\n'),
  'value # comment is all value': env('S=value # comment\n'),
  'double quotes with padding inside': env('S="  padded  "\n'),
  'single quotes with padding inside': env("S='  padded  '\n"),
  'backticks are kept': env('S=`tick`\n'),
  '\\n in double quotes is a line break': env('S="line1\\nline2"\n'),
  '\\n in single quotes stays': env("S='line1\\nline2'\n"),
  'a multi-line quoted value keeps its first line only': env('S="first\nsecond"\nT=after\n', ['S', 'T']),
  'NAME= is empty': env('S=\n'),
  'a line without = is ignored': env('S\nT=1\n', ['S', 'T']),
  'spaces around name, = and value': env('  S  =  spaced value  \n'),
  'tabs around =': env('S\t=\tvalue\n'),
  '= inside the value': env('S=a=b=c\n'),
  'a quoted value followed by text': env('S="quoted" trailing\n'),
  'mismatched quotes are each removed': env('S=\'mismatched"\n'),
  'a lone double quote': env('S="\n'),
  'empty double quotes': env('S=""\n'),
  'quoted value with trailing space keeps its closing quote': env('S="a b" \n'),
  'unicode': env('S=ünïcödé 🚀 ✓\n'),
  'CRLF line ends': env('S=abc\r\nT=def\r\n', ['S', 'T']),
  'comments and blank lines': env('# a comment\n\n   # indented comment\nS=1\n'),
  'a later line wins': env('S=1\nS=2\n'),
  'names with dots and dashes': env('A.B=dot\nC-D=dash\n', ['A.B', 'C-D']),
  'a name starting with a digit': env('1S=digit\n', ['1S']),
  'a lone CR inside a line hides the line': env('S=a\rb\nT=ok\n', ['S', 'T']),
  'a byte-order mark before the first line': env('\uFEFFS=bom\n'),
  'no expansion of ${X}': env('X=1\nS=${X}\n', ['S', 'X']),
  'trailing spaces are trimmed': env('S=value   \n'),
  'non-breaking spaces are trimmed': env('S=\u00a0value\u00a0\n'),
  'an empty file': env(''),
  'a variable set in the environment wins': env('S=file\n', ['S'], {S: 'environment'}),
  'a variable set to the empty string takes the file value': env('S=file\n', ['S'], {S: ''}),
  'empty in the environment and in the file': env('S=\n', ['S'], {S: ''}),
  'a .env value used by ${env:...}': {yml: `${DATAMODEL}secret: \${env:S}\n`, dotenv: 'S=abc#123\n', read: ['S']},
  'a .env value that is empty in the environment, used by ${env:...}': {
    yml: `${DATAMODEL}secret: \${env:S}\n`,
    dotenv: 'S=from-file\n',
    env: {S: ''},
    read: ['S'],
  },
  'export NAME=value': {
    ...env('export S=exported\n'),
    differs: 'README: `export NAME=value` lines are read (the original ignored them)',
  },
  'an endpoint with # from .env': {
    yml: `${DATAMODEL}endpoint: \${env:E}\n`,
    dotenv: 'E=http://localhost:4466/app/dev#x\n',
    read: ['E'],
    differs: 'README: an endpoint with a query string or fragment is refused (the original dropped it)',
  },

  // prisma.yml scalars whose type changed between js-yaml 3 and 4
  'secret: 0o17 is text': yml(`${DATAMODEL}secret: 0o17\n`),
  'secret: 08 is text': yml(`${DATAMODEL}secret: 08\n`),
  'secret: 1_000 is a number (refused by both)': yml(`${DATAMODEL}secret: 1_000\n`),
  'secret: 12:30:45 is a number (refused by both)': yml(`${DATAMODEL}secret: 12:30:45\n`),
  'secret: 1:20 is a number (refused by both)': yml(`${DATAMODEL}secret: 1:20\n`),
  'secret: 0x1F_ is text': yml(`${DATAMODEL}secret: 0x1F_\n`),
  'secret: !!str 017': yml(`${DATAMODEL}secret: !!str 017\n`),
  'secret: !!int 0o17 (refused by both)': yml(`${DATAMODEL}secret: !!int 0o17\n`),
  'secret: yes is text': yml(`${DATAMODEL}secret: yes\n`),
  'header 1:20 is 80': header('1:20'),
  'header 12:30:45 is 45045': header('12:30:45'),
  'header 0o17 is text': header('0o17'),
  'header 08 is text': header('08'),
  'header 1_000 is 1000': header('1_000'),
  'header 017 is octal 15': header('017'),
  'header 0x1F is 31': header('0x1F'),
  'header 0b1010 is 10': header('0b1010'),
  'header 1e3 is 1000': header('1e3'),
  'header 1:20.5 is 80.5': header('1:20.5'),
  'header 1_000.5 is 1000.5': header('1_000.5'),
  'header -.inf': header('-.inf'),
  'header 09.5 is text': header('09.5'),
  'header +12': header('+12'),

  // tabs in indentation
  'a tab before a top-level key': yml(`${DATAMODEL}\tsecret: tabbed\n`),
  'a tab after spaces starts a nested block': yml(`${DATAMODEL}hooks:\n \tpost-deploy: echo hi\n`),
  'a tab after spaces, then the entry column': yml(`${DATAMODEL}seed:\n \timport: seed.graphql\n  run: node seed.js\n`),
  'a tab after a list dash': yml(`datamodel:\n -\tdatamodel.prisma\n`),
  'a tab between key and value': yml(`${DATAMODEL}secret:\tabc\n`),
  'a tab-indented nested key is top-level (refused by both)': yml(`${DATAMODEL}seed:\n\trun: node seed.js\n`),
  'tabs inside a block scalar stay': yml(`${DATAMODEL}hooks:\n  post-deploy: |\n    \techo hi\n`),
  'a tab-indented list of one under a key': yml(`datamodel:\n\t- datamodel.prisma\n`),
  'a tab-indented list of two under a nested key (refused by both)': yml(`${DATAMODEL}custom:\n  list:\n\t- a\n\t- b\n`),
  'a tab-indented list of two under a top-level key (refused by both)': yml(`${DATAMODEL}custom:\n\t- a\n\t- b\n`),

  // the rest of prisma.yml
  "post-deploy: '' runs no hook": yml(`${DATAMODEL}hooks:\n  post-deploy: ''\n`),
  'post-deploy list': yml(`${DATAMODEL}hooks:\n  post-deploy:\n    - echo one\n    - echo two\n`),
  'secret list with spaces': yml(`${DATAMODEL}secret: ' a , b c '\n`),
  'secret with empty entries': {
    ...yml(`${DATAMODEL}secret: a,,b\n`),
    differs: 'README: empty secret entries (extra commas) are dropped',
  },
  "datamodel: ''": {...yml(`datamodel: ''\n`), differs: "README: `datamodel: ''` is refused"},
  'an endpoint with a trailing space (trimmed by both)': yml(`${DATAMODEL}endpoint: 'http://localhost:4466/app/dev '\n`),
  'an endpoint with a space inside': {
    ...yml(`${DATAMODEL}endpoint: http://localhost:4466/my app/dev\n`),
    differs: 'README: whitespace in the endpoint is refused',
  },
  'a top-level list': {...yml('- a\n- b\n'), differs: 'README: a top level that is not a mapping is refused'},
  'anchors and merge keys': yml(`${DATAMODEL}custom:\n  base: &base {url: http://localhost:3000/hook}\nsubscriptions:\n  s:\n    query: q\n    webhook:\n      <<: *base\n`),
  'a timestamp in custom': yml(`${DATAMODEL}custom:\n  when: 2001-12-14t21:59:43.10-05:00\nsecret: \${self:custom.when}\n`),
}).map(([name, spec]) => ({name, ...spec}))

let original: Array<Record<string, unknown>> = []

before(async () => {
  await ensureOriginalCli()
  original = await readWithOriginal(table)
})

describe('prisma.yml and .env read as the original loader read them', () => {
  test('the table has at least 60 cases', () => {
    assert.ok(table.length >= 60, `only ${table.length} cases`)
  })

  for (const [index, spec] of table.entries()) {
    test(spec.name, async () => {
      const theirs = comparable(original[index])
      const ours = comparable(await readWithThisTool(spec))
      if (spec.differs) {
        assert.notDeepEqual(ours, theirs, `documented as different (${spec.differs}) but read the same: ${JSON.stringify(ours)}`)
      } else {
        assert.deepEqual(ours, theirs, `${JSON.stringify(spec)}\noriginal: ${JSON.stringify(original[index])}`)
      }
    })
  }
})

/** Runs are bounded: each property reads all its samples with one start of the original loader. */
const RUNS = 300

describe('random files read as the original loader read them', () => {
  test('.env files: values with #, quotes, spaces, =, unicode, empty', async () => {
    const piece = fc.constantFrom('a', 'Z', '1', '#', '"', "'", '`', ' ', '\t', '=', '\\n', 'é', '🚀', '\u00a0', '$', '{', '}', ':', '')
    const value = fc.array(piece, {maxLength: 12}).map((parts) => parts.join(''))
    const name = fc.constantFrom('S', 'T', 'U_1', 'A.B')
    const line = fc.oneof(
      fc.tuple(fc.constantFrom('', ' ', '\t'), name, fc.constantFrom('=', ' = ', '\t=', '= '), value).map((parts) => parts.join('')),
      fc.constant('# comment'),
      fc.constant(''),
    )
    const file = fc.tuple(fc.array(line, {maxLength: 6}), fc.constantFrom('\n', '\r\n')).map(([lines, end]) => lines.join(end))
    const processEnv = fc.constantFrom<Record<string, string>>({}, {S: ''}, {S: 'set'}, {T: ''})
    const samples = fc.sample(fc.tuple(file, processEnv), {numRuns: RUNS, seed: 12})
    const cases: FilesCase[] = samples.map(([dotenv, variables], index) => ({
      name: `random ${index}`,
      yml: DATAMODEL,
      dotenv,
      env: variables,
      read: ['S', 'T', 'U_1', 'A.B'],
    }))
    const readings = await readWithOriginal(cases)
    for (const [index, spec] of cases.entries()) {
      const dir = await writeProject(spec)
      const merged = await loadEnvironment({cwd: dir, env: {...spec.env}})
      const ours = Object.fromEntries(spec.read!.map((key) => [key, merged[key] ?? null]))
      assert.deepEqual(ours, (readings[index] as {env: unknown}).env, `.env ${JSON.stringify(spec.dotenv)} with ${JSON.stringify(spec.env)}`)
    }
  })

  test('prisma.yml scalars: numbers, dates, booleans and text', async () => {
    const digits = fc.array(fc.constantFrom('0', '1', '7', '8', '9', '_'), {minLength: 1, maxLength: 5}).map((d) => d.join(''))
    const scalar = fc.oneof(
      fc.tuple(fc.constantFrom('', '-', '+'), fc.constantFrom('', '0', '0x', '0o', '0b', '.'), digits, fc.constantFrom('', ':30', ':5:09', '.5', 'e3', 'E-2', '_', ':60')).map((p) => p.join('')),
      fc.constantFrom('.inf', '-.Inf', '.NaN', 'true', 'True', 'yes', 'no', 'on', 'off', '~', 'null', 'Null', '2001-12-14', '2001-12-14 21:59:43.10 -5', '1e400', '0.', '.5_', '0x_', '1__0'),
    )
    const samples = fc.sample(scalar, {numRuns: RUNS, seed: 34})
    const cases = samples.map((text) => ({yaml: `value: ${text}\nlist: [${text}]\n`}))
    const readings = await readWithOriginal(cases)
    for (const [index, {yaml}] of cases.entries()) {
      const ours = await parseYaml(yaml, 'prisma.yml').then((value) => encode({value}), () => ({error: true}))
      const theirs = 'error' in readings[index] ? {error: true} : readings[index]
      assert.deepEqual(ours, theirs, `YAML ${JSON.stringify(yaml)}`)
    }
  })

  test('prisma.yml with tabs in the indentation: what the original read, this tool reads the same', async () => {
    const indent = fc.array(fc.constantFrom(' ', '\t'), {maxLength: 3}).map((parts) => parts.join(''))
    const content = fc.constantFrom('a: 1', 'b:', 'c: x', '- 1', '- d: 2', '-\te: 3', 'f: |', 'g:\t4')
    const doc = fc.array(fc.tuple(indent, content).map(([i, c]) => i + c), {minLength: 1, maxLength: 5}).map((lines) => `${lines.join('\n')}\n`)
    const samples = fc.sample(doc, {numRuns: RUNS, seed: 56})
    const readings = await readWithOriginal(samples.map((yaml) => ({yaml})))
    for (const [index, yaml] of samples.entries()) {
      if ('error' in readings[index]) continue // README: a file js-yaml 3 refused may be read
      const ours = await parseYaml(yaml, 'prisma.yml').then((value) => encode({value}), (error: Error) => ({error: error.message}))
      assert.deepEqual(ours, readings[index], `YAML ${JSON.stringify(yaml)}`)
    }
  })
})
