#!/usr/bin/env node
// Builds dist/: every command of src/commands and the oclif runner that bin/cli.js starts, bundled with the
// libraries they use (esbuild, ES modules split into shared chunks). Start-up is the reason: Node reads and compiles
// a few larger files sooner than the ~300 small ones of @oclif/core and its dependencies, and an install of the
// package holds no dependency at all. Code loaded on first use (`await import(...)`: GraphQL, prompts, the config
// store, YAML, ...) stays in chunks of its own, read only by a command that reaches it.
//
// Also written: dist/bundle-meta.json (which source files each output file holds: the start-up tests read it to name
// the libraries a command loaded; not published) and dist/THIRD-PARTY-NOTICES.md (the licence of every library in
// the bundle, published with it).
import {build} from 'esbuild'
import {readdirSync, readFileSync} from 'node:fs'
import {mkdir, rm, writeFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = join(root, 'dist')

/**
 * @oclif/core requires these when it loads, but uses them only on paths that a run of this CLI takes rarely: ejs
 * renders help templates, cli-spinners draws a spinner, lilconfig reads an oclif configuration kept outside
 * package.json, minimatch and tinyglobby find plugins and commands (oclif.manifest.json lists ours), semver checks
 * the Node version against @oclif/core's own engines (bin/cli.js turns that check off; npm checks ours), and the
 * text layout libraries (ansi-escapes to wordwrap) format help, spinners and error messages. Each is built
 * into a CommonJS file of its own (dist/lazy/), and @oclif/core's `require` of it gets a stand-in that requires that
 * file on first use of an export: a run that never uses one never reads, compiles or runs it.
 */
const lazyLibraries = [
  ...['cli-spinners', 'ejs', 'lilconfig', 'minimatch', 'semver', 'tinyglobby'],
  ...['ansi-escapes', 'clean-stack', 'indent-string', 'string-width', 'widest-line', 'wordwrap', 'wrap-ansi'],
]
const oclifCore = join(root, 'node_modules', '@oclif', 'core')

/**
 * Exact edits of @oclif/core's sources, each for a measured start-up cost; the build fails when a text is not found
 * (a new @oclif/core then needs the edit checked again).
 *
 * plugin.js sorts the command list with localeCompare, and the first localeCompare of a process loads ICU's
 * collation data: about 10 ms of every run. Ids made of a-z, 0-9, '-' and ':' (ours all are) sort in the same order
 * by code units as by collation (test/startup/oclif-edits.test.ts checks ours in several locales); any other id
 * still goes through localeCompare.
 */
const oclifEdits = {
  'lib/config/plugin.js': [
    [
      '.sort((a, b) => a.id.localeCompare(b.id));',
      '.sort((a, b) => (/^[a-z0-9:-]*$/.test(a.id) && /^[a-z0-9:-]*$/.test(b.id) ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.id.localeCompare(b.id)));',
    ],
  ],
}

const commands = readdirSync(join(root, 'src', 'commands'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(root, 'src', 'commands', file))

const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20.3',
  // Whitespace and syntax only: names stay as written. The source maps (without the sources) let a stack trace under
  // DEBUG name the source files (bin/cli.js turns them on).
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
}

await rm(outdir, {force: true, recursive: true})
await mkdir(outdir, {recursive: true})
const main = await build({
  ...shared,
  entryPoints: [...commands, join(root, 'src', 'oclif-runtime.ts')],
  outdir,
  outbase: join(root, 'src'),
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  // oclif looks for these only to run a plugin's TypeScript sources in development; they are never installed.
  external: ['typescript', 'ts-node'],
  // CommonJS libraries in the bundle call require() for Node's own modules; an ES module has none of its own.
  banner: {js: "import{createRequire as __prismaCreateRequire}from'node:module';const require=__prismaCreateRequire(import.meta.url);"},
  plugins: [requiredOnFirstUse(lazyLibraries), editedSources(oclifCore, oclifEdits)],
  // graphql's main file is CommonJS; its ES module build gives `await import('graphql')` its named exports
  alias: {graphql: 'graphql/index.mjs'},
})
const lazy = await build({
  ...shared,
  entryPoints: Object.fromEntries(lazyLibraries.map((name) => [`lazy/${name}`, createRequire(join(oclifCore, 'package.json')).resolve(name)])),
  outdir,
  outExtension: {'.js': '.cjs'},
  format: 'cjs',
})

// The stand-ins name their file relative to the chunk they are in (dist/chunks/), so that is where they must be.
for (const [output, {inputs}] of Object.entries(main.metafile.outputs)) {
  if (Object.keys(inputs).some((input) => input.startsWith('lazy-library:')) && !output.startsWith('dist/chunks/')) {
    throw new Error(`${output} holds a stand-in for a library loaded on first use, but is not in dist/chunks/`)
  }
}

// `await import()` of a CommonJS library yields its exports only as `default` in a bundle (Node itself would find
// the named ones), so a destructured import would get undefined: each must be aliased to an ES module build.
for (const [output, {imports}] of Object.entries(main.metafile.outputs)) {
  for (const {path, kind} of imports) {
    if (kind !== 'dynamic-import' || !path.startsWith('dist/')) continue
    const text = readFileSync(join(root, path), 'utf8')
    if (/export default require_\w+\(\);?\s*(\/\/# sourceMappingURL=\S+\s*)?$/.test(text)) {
      throw new Error(`${output} imports ${path} with import(), which is a CommonJS library: alias it to its ES module build`)
    }
  }
}

const metafile = {
  inputs: {...main.metafile.inputs, ...lazy.metafile.inputs},
  outputs: {...main.metafile.outputs, ...lazy.metafile.outputs},
}
await writeFile(join(outdir, 'bundle-meta.json'), JSON.stringify(metafile))
await writeFile(join(outdir, 'THIRD-PARTY-NOTICES.md'), notices(metafile))

/** esbuild plugin: @oclif/core's `require('<name>')` of the given libraries becomes a stand-in (see above). */
function requiredOnFirstUse(names) {
  const filter = new RegExp(`^(${names.map((name) => name.replace(/[.-]/g, '\\$&')).join('|')})$`)
  return {
    name: 'required-on-first-use',
    setup(build) {
      build.onResolve({filter}, (args) => {
        if (args.kind !== 'require-call' || !args.importer.startsWith(oclifCore + sep)) return undefined
        return {path: args.path, namespace: 'lazy-library', pluginData: {resolveDir: args.resolveDir}}
      })
      build.onLoad({filter: /.*/, namespace: 'lazy-library'}, (args) => {
        // __importDefault() asks a library for __esModule as soon as it is required: answered without loading it;
        // a library that is a function is called through the stand-in
        const library = createRequire(join(args.pluginData.resolveDir, 'noop.js'))(args.path)
        const file = JSON.stringify(`../lazy/${args.path}.cjs`)
        const contents = `let real
const load = () => (real ??= require(${file}))
module.exports = new Proxy(${typeof library === 'function' ? '() => {}' : '{}'}, {
  apply: (_, self, args) => Reflect.apply(load(), self, args),
  get: (_, key) => (key === '__esModule' ? ${Boolean(library.__esModule)} : load()[key]),
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(load(), key)
    return descriptor && {...descriptor, configurable: true}
  },
})
`
        return {contents, loader: 'js'}
      })
      // the stand-in's require() is left to Node at run time
      build.onResolve({filter: /^\.\.\/lazy\//, namespace: 'lazy-library'}, (args) => ({path: args.path, external: true}))
    },
  }
}

/** esbuild plugin: files of `dir` are loaded with the exact text replacements of `edits` (relative path -> pairs). */
function editedSources(dir, edits) {
  const files = new Map(Object.entries(edits).map(([file, pairs]) => [join(dir, file), pairs]))
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  return {
    name: 'edited-sources',
    setup(build) {
      const edited = new Set()
      build.onLoad({filter: new RegExp(`^(${[...files.keys()].map(escape).join('|')})$`)}, (args) => {
        let contents = readFileSync(args.path, 'utf8')
        for (const [from, to] of files.get(args.path)) {
          if (contents.split(from).length !== 2) throw new Error(`${relative(root, args.path)}: the text to edit is not there exactly once: ${from}`)
          contents = contents.replace(from, () => to)
        }
        edited.add(args.path)
        return {contents, loader: 'js'}
      })
      build.onEnd((result) => {
        const missed = [...files.keys()].filter((file) => !edited.has(file))
        if (result.errors.length === 0 && missed.length > 0) throw new Error(`not in the bundle, so not edited: ${missed.map((file) => relative(root, file)).join(', ')}`)
      })
    },
  }
}

/** The name, version and licence text of every npm package with code in the bundle. */
function notices({inputs}) {
  const packages = new Map()
  for (const input of Object.keys(inputs)) {
    const marker = 'node_modules/'
    const index = input.lastIndexOf(marker)
    if (index === -1) continue
    const parts = input.slice(index + marker.length).split('/')
    const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
    packages.set(join(root, input.slice(0, index + marker.length), name), name)
  }
  // one section per name and version (a library may be installed in more than one place, in more than one version)
  const sections = new Map()
  const fence = '`'.repeat(3)
  for (const [dir, name] of packages) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const licenceFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)([.-]|$)/i.test(file))
    // a few packages (pg-types) ship no licence file, only the SPDX name in package.json: that name is the notice
    if (licenceFile === undefined && typeof pkg.license !== 'string') throw new Error(`${name} (${relative(root, dir)}) has no licence file to ship with the bundle`)
    const text = licenceFile === undefined ? `${pkg.license} (the package ships no licence file; see https://spdx.org/licenses/${pkg.license}.html)` : readFileSync(join(dir, licenceFile), 'utf8').trim()
    sections.set(`${name} ${pkg.version}`, `## ${name} ${pkg.version} (${pkg.license ?? 'see below'})\n\n${fence}text\n${text}\n${fence}\n`)
  }
  const sorted = [...sections.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, section]) => section)
  return `# Third-party notices\n\nThe files in dist/ include code of the following packages, under these licences.\n\n${sorted.join('\n')}`
}
