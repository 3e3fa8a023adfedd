// Reads project files with the ORIGINAL CLI's loader (prisma-yml 1.34.12 from .cache/prisma1, with its dotenv 4 and
// js-yaml 3), called as the original's commands call it: new PrismaDefinitionClass(env, path, process.env, out) and
// load(flags, envFile) from the project folder. Test-only (CommonJS, like the original). Reads a JSON list of cases on
// stdin and writes one JSON list of results: {definition, secrets, hooks, env}, {value} for a case that is only
// YAML text ({yaml}), or {error}.
'use strict'
const {mkdtempSync, writeFileSync, mkdirSync} = require('node:fs')
const {tmpdir} = require('node:os')
const {join} = require('node:path')

const modules = join(__dirname, '..', '..', '.cache', 'prisma1', 'node_modules')
const {PrismaDefinitionClass, Environment, Output} = require(join(modules, 'prisma-yml'))

/** Numbers JSON cannot hold and dates, as text both sides agree on. */
function encode(value) {
  return JSON.parse(
    JSON.stringify(value, function (key, item) {
      const raw = this[key]
      if (raw instanceof Date) return {$date: Number.isNaN(raw.getTime()) ? 'invalid' : raw.toISOString()}
      if (typeof item === 'number' && !Number.isFinite(item)) return {$number: String(item)}
      if (typeof item === 'number' && Object.is(item, -0)) return {$number: '-0'}
      return item
    }),
  )
}

async function readCase(spec, baseEnv) {
  if (spec.yaml !== undefined) {
    // js-yaml 3 alone, as prisma-yml called it (safeLoad: the default safe schema)
    try {
      return encode({value: require(join(modules, 'js-yaml')).safeLoad(spec.yaml)})
    } catch (error) {
      return {error: String(error.message)}
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'prisma1-files-'))
  const home = join(dir, 'home')
  mkdirSync(home)
  writeFileSync(join(dir, 'datamodel.prisma'), 'type User {\n  id: ID! @id\n}\n')
  writeFileSync(join(dir, 'prisma.yml'), spec.yml)
  if (spec.dotenv !== undefined) writeFileSync(join(dir, '.env'), spec.dotenv)
  // dotenv 4 writes into process.env: start every case from the same environment
  for (const key of Object.keys(process.env)) delete process.env[key]
  Object.assign(process.env, baseEnv, spec.env || {})
  process.chdir(dir)
  const out = new Output()
  out.warn = () => undefined
  out.log = () => undefined
  try {
    const env = new Environment(home, out, '1.34.12')
    const definition = new PrismaDefinitionClass(env, join(dir, 'prisma.yml'), process.env, out)
    await definition.load({}, undefined)
    const seen = {}
    for (const name of spec.read || []) seen[name] = Object.prototype.hasOwnProperty.call(process.env, name) ? process.env[name] : null
    return encode({definition: definition.definition, secrets: definition.secrets, hooks: definition.getHooks('post-deploy'), env: seen})
  } catch (error) {
    return {error: String((error && error.message) || error)}
  }
}

async function main() {
  let input = ''
  for await (const chunk of process.stdin) input += chunk
  const cases = JSON.parse(input)
  const baseEnv = {PATH: process.env.PATH || '', HOME: process.env.HOME || ''}
  const results = []
  for (const spec of cases) results.push(await readCase(spec, baseEnv))
  process.stdout.write(JSON.stringify(results))
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack))
  process.exit(1)
})
