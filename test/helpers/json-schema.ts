// The --json contract as data: schemas/<command>.json for each command's result and schemas/error.json for the
// error document, checked with Ajv (JSON Schema draft 2020-12). runCli checks every --json run through here.
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Ajv2020, type ValidateFunction} from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

export const schemasDir = join(repoRoot, 'schemas')

let validators: Map<string, ValidateFunction> | undefined

/** Every schema of schemas/, compiled once per process, by name (`deploy`, `error`, ...). */
export function schemaValidators(): Map<string, ValidateFunction> {
  if (validators) return validators
  const ajv = new Ajv2020({allErrors: true, allowUnionTypes: true, strict: true, strictRequired: false})
  addFormats.default(ajv)
  const names = readdirSync(schemasDir).filter((file) => file.endsWith('.json')).map((file) => file.slice(0, -'.json'.length))
  for (const name of names) ajv.addSchema(JSON.parse(readFileSync(join(schemasDir, `${name}.json`), 'utf8')) as object)
  validators = new Map(names.map((name) => [name, ajv.getSchema(`${name}.json`)!]))
  return validators
}

/** The problems of `document` against schemas/<name>.json, one line each; empty when it conforms. */
export function schemaProblems(name: string, document: unknown): string[] {
  const validate = schemaValidators().get(name)
  assert.ok(validate, `schemas/${name}.json exists`)
  if (validate(document)) return []
  return (validate.errors ?? []).map((error) => `${error.instancePath || '(document)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`)
}

export function assertMatchesSchema(name: string, document: unknown, context = name): void {
  const problems = schemaProblems(name, document)
  assert.deepEqual(problems, [], `${context}: the document does not match schemas/${name}.json:\n${JSON.stringify(document, null, 2)}`)
}

interface Manifest {
  commands: Record<string, {aliases?: string[]; flags: Record<string, {char?: string}>}>
}

let manifest: Manifest | undefined

/** The command `args` run and whether they ask for --json (or its short form); undefined for anything else. */
export function jsonRun(args: readonly string[]): string | undefined {
  manifest ??= JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as Manifest
  const end = args.indexOf('--')
  const given = end === -1 ? args : args.slice(0, end)
  const word = given[0]
  if (word === undefined || word.startsWith('-')) return undefined
  const id = Object.entries(manifest.commands).find(([name, command]) => name === word || command.aliases?.includes(word))?.[0]
  const json = id === undefined ? undefined : manifest.commands[id].flags.json
  if (!json || id === 'help') return undefined
  return given.includes('--json') || (json.char !== undefined && given.includes(`-${json.char}`)) ? id : undefined
}

/**
 * A run with --json: stdout is exactly one JSON document; on exit 0 it matches the command's schema, otherwise the
 * error document's (with the process's exit code in it), or, for a refused deploy, deploy's own.
 */
export function assertJsonContract(args: readonly string[], result: {code: number | null; stdout: string; stderr: string}): void {
  const id = jsonRun(args)
  // a process killed by a signal (a test's timeout, or on purpose) printed whatever it had got to
  if (id === undefined || result.code === null) return
  const run = `prisma ${args.join(' ')} (exit ${result.code})`
  let document: unknown
  try {
    document = JSON.parse(result.stdout)
  } catch {
    assert.fail(`${run}: stdout under --json is not one JSON document:\n${result.stdout}\nstderr:\n${result.stderr}`)
  }
  const status = (document as {status?: unknown} | null)?.status
  if (result.code !== 0 && (status === 'error' || status === 'interrupted')) {
    assertMatchesSchema('error', document, run)
    assert.equal((document as {exitCode: unknown}).exitCode, result.code, `${run}: exitCode in the error document is the process's`)
  } else if (schemaValidators().has(id)) {
    // a command without a schema yet fails in test/commands/json-contract.test.ts, once, rather than in every test
    assertMatchesSchema(id, document, run)
  }
}
