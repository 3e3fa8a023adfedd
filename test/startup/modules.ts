// Runs the built CLI with record-modules.mjs preloaded and returns what it printed and which modules it loaded.
// dist/ is a bundle: a file loaded from it stands for the source files it holds (dist/bundle-meta.json, written by
// the build), so the checks below name libraries and src/ modules, not chunk files.
import {readFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'
import {pathToFileURL} from 'node:url'

import {type CliResult, repoRoot, runCli, type RunOptions, tempDir} from '../helpers/cli.js'

export const recorderUrl = pathToFileURL(join(repoRoot, 'test', 'startup', 'record-modules.mjs')).href

export interface Loaded extends CliResult {
  /**
   * Absolute paths of the files loaded (ES modules and CommonJS), and `node:<name>` for built-in modules. A file of
   * dist/ is followed by the source files it holds (src/…, node_modules/…), from the build's record.
   */
  modules: string[]
}

interface BundleRecord {
  outputs: Record<string, {inputs: Record<string, unknown>}>
}

let bundle: BundleRecord | undefined
/** The source files (absolute paths) that a file of dist/ holds; none for a file outside dist/. */
export function sourcesOf(path: string): string[] {
  const key = relative(repoRoot, path).split(sep).join('/')
  if (!key.startsWith('dist/')) return []
  bundle ??= JSON.parse(readFileSync(join(repoRoot, 'dist', 'bundle-meta.json'), 'utf8')) as BundleRecord
  const output = bundle.outputs[key]
  if (output === undefined) throw new Error(`${key} was loaded but is not in dist/bundle-meta.json: run npm run build`)
  // stand-ins of libraries loaded on first use (namespace "lazy-library:") are not the library
  return Object.keys(output.inputs)
    .filter((input) => !input.includes(':'))
    .map((input) => join(repoRoot, input))
}

export async function runRecordingModules(args: string[], options: RunOptions = {}): Promise<Loaded> {
  const log = join(await tempDir('prisma-modules-'), 'modules.txt')
  const result = await runCli(args, {
    ...options,
    env: {...options.env, NODE_OPTIONS: `--import=${recorderUrl}`, RECORD_MODULES_TO: log},
  })
  const text = await readFile(log, 'utf8').catch(() => '')
  const files = text.split('\n').filter(Boolean)
  return {...result, modules: [...new Set(files.flatMap((file) => [file, ...sourcesOf(file)]))]}
}

/** The npm package a loaded file belongs to (innermost node_modules folder), or undefined for other files. */
export function packageOf(path: string): string | undefined {
  const marker = `${sep}node_modules${sep}`
  const index = path.lastIndexOf(marker)
  if (index === -1) return undefined
  const parts = path.slice(index + marker.length).split(sep)
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
}

/** Libraries that must stay out of `--version` and `--help`: each is only needed by the command that uses it. */
export const heavyLibraries: {kind: string; matches: (pkg: string) => boolean}[] = [
  {kind: 'GraphQL library', matches: (pkg) => pkg === 'graphql' || pkg.startsWith('graphql-') || pkg.startsWith('@graphql')},
  {kind: 'prompt library', matches: (pkg) => pkg.startsWith('@inquirer/') || ['inquirer', 'prompts', 'enquirer'].includes(pkg)},
  {kind: 'JWT library', matches: (pkg) => ['jsonwebtoken', 'jws', 'jwa', 'jose', 'jwt-decode'].includes(pkg)},
  {kind: 'YAML library', matches: (pkg) => ['js-yaml', 'js-yaml3', 'yaml'].includes(pkg)},
  {kind: 'config store', matches: (pkg) => ['conf', 'ajv', 'ajv-formats', 'atomically', 'dot-prop', 'env-paths'].includes(pkg)},
  {kind: 'HTTP client', matches: (pkg) => ['undici', 'got', 'node-fetch', 'axios', 'cross-fetch', 'https-proxy-agent', 'agent-base'].includes(pkg)},
]

/** Node modules that only a network request loads (fetch, http, DNS). */
export const networkBuiltins = ['node:http', 'node:https', 'node:http2', 'node:dns', 'node:internal/deps/undici/undici']

export function heavyModulesIn(modules: string[]): string[] {
  const found: string[] = []
  for (const path of modules) {
    const pkg = packageOf(path)
    const library = pkg && heavyLibraries.find((l) => l.matches(pkg))
    if (library) found.push(`${library.kind} ${pkg} (${path})`)
  }
  return found
}

/** Source files of the project itself (src/) that were loaded. */
export function projectModulesIn(modules: string[]): string[] {
  return modules.filter((path) => path.startsWith(join(repoRoot, 'src') + sep))
}
