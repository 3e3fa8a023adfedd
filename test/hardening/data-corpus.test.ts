// The bad-input corpus of the data commands (import, export, seed, generate, reset, delete) through the built CLI
// against the stand-in. Each case builds its input in a fresh folder (archives are made byte by byte where a tool
// would refuse to make them: bombs, encrypted entries, wrong CRCs) and must: exit with its code, say one short
// paragraph on stderr without a stack trace or "Unexpected error", name the file or field, leave every file as it was
// and add none (nothing half written), send nothing to the server where the input is refused before sending, and
// stay within its memory bound where the input is large.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {open} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import {ZipWriter} from '../../src/data/zip.js'
import {crc32} from '../../src/data/zip.js'
import {binPath, tempDir} from '../helpers/cli.js'
import {deflatedEntry, spacesBomb, writeCraftedZip} from '../data/crafted-zip.js'
import {dataProject, deployed, shopModel} from '../data/fixtures.js'
import {startManagementServer, type ManagementServer} from '../stand-in/management-server.js'
import {assertCleanFailure} from './checks.js'
import {runMeasured} from './data-harness.js'

interface Context {
  /** The stand-in's address. */
  url: string
}

interface DataCase {
  name: string
  description: string
  /** Writes the case's files into `root` (the working directory); returns nothing. */
  setup: (root: string, context: Context) => Promise<void>
  args: string[]
  exit: 1 | 2
  stderrIncludes: string[]
  /** Peak resident memory of the CLI must stay below this (MB). */
  maxPeakMb?: number
  /** Prefix of a shell line the CLI runs behind (e.g. `ulimit -f 8;`). */
  shellPrefix?: string
  /** Run as user 65534, where root's permissions would let everything through. */
  asNobody?: boolean
  /** The service whose /import must see no request. */
  noImportTo?: string
}

const service = 'corpus'
const project = (url: string, extra = '') => ({'datamodel.prisma': shopModel, 'prisma.yml': `endpoint: ${url}/${service}/dev\ndatamodel: datamodel.prisma\n${extra}`})

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), {recursive: true})
    writeFileSync(join(root, path), content)
  }
}

const node = (id: string, extra: Record<string, unknown> = {}) => ({_typeName: 'User', email: `${id}@example.com`, id, ...extra})
const ndf = (valueType: string, values: unknown[]) => JSON.stringify({valueType, values})

async function zipOf(path: string, files: Record<string, string>, o: {forceZip64?: boolean} = {}): Promise<void> {
  const handle = await open(path, 'w')
  const zip = new ZipWriter(handle, o)
  for (const [name, content] of Object.entries(files)) await zip.addFile(name, Buffer.from(content))
  await zip.finish()
  await handle.close()
}

/** A project and a data folder `data/` with `files` (relative to it). */
function importFolder(files: Record<string, string | Buffer>): DataCase['setup'] {
  return async (root, {url}) => write(root, {...project(url), ...Object.fromEntries(Object.entries(files).map(([path, content]) => [join('data', path), content]))})
}

function importZip(make: (path: string) => Promise<void>): DataCase['setup'] {
  return async (root, {url}) => {
    write(root, project(url))
    await make(join(root, 'data.zip'))
  }
}

const good = ndf('nodes', [node('u1')])

const importCases: DataCase[] = [
  {
    args: ['import', '--data', 'data.zip'],
    description: 'a 2 MB zip whose one entry inflates to 2 GB of spaces: refused from its header, in bounded memory',
    exit: 1,
    maxPeakMb: 200,
    name: 'import-zip-bomb',
    setup: importZip((path) => writeCraftedZip(path, [spacesBomb('nodes/000001.json', 2048)])),
    stderrIncludes: ['data.zip', 'nodes/000001.json', 'zip bomb'],
  },
  {
    args: ['import', '--data', 'data.zip'],
    description: 'a zip entry that declares 1,000 bytes and inflates to 2 GB: stopped at its declared size',
    exit: 1,
    maxPeakMb: 200,
    name: 'import-zip-inflates-past-declared-size',
    setup: importZip((path) => writeCraftedZip(path, [spacesBomb('nodes/000001.json', 2048, 1000)])),
    stderrIncludes: ['data.zip', 'nodes/000001.json', 'past its declared size'],
  },
  {
    args: ['import', '--data', 'data.zip'],
    description: 'an encrypted zip entry',
    exit: 1,
    name: 'import-zip-encrypted-entry',
    setup: importZip((path) => writeCraftedZip(path, [{...deflatedEntry('nodes/000001.json', good), encrypted: true}])),
    stderrIncludes: ['data.zip', 'nodes/000001.json', 'encrypted'],
  },
  {
    args: ['import', '--data', 'data.zip'],
    description: 'a zip cut off in the middle of its central directory',
    exit: 1,
    name: 'import-zip-truncated',
    setup: importZip((path) => writeCraftedZip(path, [deflatedEntry('nodes/000001.json', good)], 30)),
    stderrIncludes: ['data.zip', 'not in the import data format'],
  },
  {
    args: ['import', '--data', 'data.zip'],
    description: 'a zip entry whose CRC-32 does not match its data',
    exit: 1,
    name: 'import-zip-crc-mismatch',
    setup: importZip((path) => writeCraftedZip(path, [{...deflatedEntry('nodes/000001.json', good), crc: 12_345}])),
    stderrIncludes: ['data.zip', 'nodes/000001.json', 'CRC-32'],
  },
  {
    args: ['import', '--data', 'data.zip'],
    description: 'a zip entry whose deflated data is garbage',
    exit: 1,
    name: 'import-zip-corrupt-deflate',
    setup: importZip((path) => writeCraftedZip(path, [{crc: crc32(Buffer.from(good)), data: Buffer.from('this is not deflate data at all, no no'), name: 'nodes/000001.json', size: good.length}])),
    stderrIncludes: ['data.zip', 'nodes/000001.json'],
  },
  {
    args: ['import', '--data', 'data.zip'],
    description: 'a zip entry compressed with a method other than deflate (bzip2)',
    exit: 1,
    name: 'import-zip-unknown-method',
    setup: importZip((path) => writeCraftedZip(path, [{...deflatedEntry('nodes/000001.json', good), method: 12 as 8}])),
    stderrIncludes: ['data.zip', 'nodes/000001.json', 'compression method 12'],
  },
  {
    args: ['import', '--data', 'data.zip'],
    description: 'a text file named .zip',
    exit: 1,
    name: 'import-zip-is-text',
    setup: importZip(async (path) => writeFileSync(path, 'just some text, not an archive\n')),
    stderrIncludes: ['data.zip', 'not a zip archive'],
  },
  {
    args: ['import', '--data', 'data.zip'],
    description: 'an empty file named .zip',
    exit: 1,
    name: 'import-zip-empty-file',
    setup: importZip(async (path) => writeFileSync(path, '')),
    stderrIncludes: ['data.zip', 'not a zip archive'],
  },
  {
    args: ['import', '--data', 'data.zip'],
    description: 'a zip with none of nodes/, lists/, relations/',
    exit: 1,
    name: 'import-zip-no-ndf-folders',
    setup: importZip((path) => zipOf(path, {'readme.txt': 'hello'})),
    stderrIncludes: ['data.zip', 'none of the folders nodes/, lists/ and relations/'],
  },
  {
    args: ['import', '--data', 'data.zip'],
    description: 'a zip whose NDF value is not valid JSON',
    exit: 1,
    name: 'import-zip-value-not-json',
    setup: importZip((path) => zipOf(path, {'nodes/000001.json': '{"valueType":"nodes","values":[{"_typeName":"User","id":"u1","email":}]}'})),
    stderrIncludes: ['data.zip:nodes/000001.json', 'value 1', 'not valid JSON'],
  },
  {
    args: ['import', '--data', 'data.zip'],
    description: 'a bad value in the second file of a Zip64 archive: nothing is sent, although the first file is fine',
    exit: 1,
    name: 'import-zip64-bad-second-file',
    setup: importZip((path) => zipOf(path, {'nodes/000001.json': good, 'nodes/000002.json': ndf('nodes', [node('u2', {age: 'old'})])}, {forceZip64: true})),
    stderrIncludes: ['data.zip:nodes/000002.json', 'field age', 'Int'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'an NDF file that is a JSON list, not an object',
    exit: 1,
    name: 'import-folder-file-is-a-list',
    setup: importFolder({'nodes/000001.json': '[1, 2, 3]'}),
    stderrIncludes: ['data/nodes/000001.json', 'does not start with "{"'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'a nodes file whose valueType says lists',
    exit: 1,
    name: 'import-folder-wrong-value-type',
    setup: importFolder({'nodes/000001.json': ndf('lists', [])}),
    stderrIncludes: ['data/nodes/000001.json', '"valueType"', 'lists'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'an NDF file cut off in the middle of a value',
    exit: 1,
    name: 'import-folder-file-cut-short',
    setup: importFolder({'nodes/000001.json': good.slice(0, good.length - 12)}),
    stderrIncludes: ['data/nodes/000001.json', 'cut short'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'text after the closing brace of an NDF file',
    exit: 1,
    name: 'import-folder-trailing-text',
    setup: importFolder({'nodes/000001.json': `${good} and more`}),
    stderrIncludes: ['data/nodes/000001.json', 'more text after the closing'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'a node of a type the datamodel does not have',
    exit: 1,
    name: 'import-folder-unknown-type',
    setup: importFolder({'nodes/000001.json': ndf('nodes', [{_typeName: 'Ghost', id: 'g1'}])}),
    stderrIncludes: ['data/nodes/000001.json', 'no type Ghost'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'random bytes as an NDF file',
    exit: 1,
    name: 'import-folder-binary-file',
    setup: importFolder({'nodes/000001.json': Buffer.from(Array.from({length: 4096}, (_, index) => (index * 131 + 7) % 256))}),
    stderrIncludes: ['data/nodes/000001.json', 'not an NDF document'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'a file in nodes/ without a number',
    exit: 1,
    name: 'import-folder-unnumbered-file',
    setup: importFolder({'nodes/users.json': good}),
    stderrIncludes: ['nodes/users.json', 'not a numbered JSON file'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'two files with the same number',
    exit: 1,
    name: 'import-folder-same-number',
    setup: importFolder({'nodes/000001.json': good, 'nodes/1.json': good}),
    stderrIncludes: ['nodes/000001.json', 'nodes/1.json', 'same number'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'nodes is a file, not a folder',
    exit: 1,
    name: 'import-folder-nodes-is-a-file',
    setup: importFolder({nodes: good}),
    stderrIncludes: ['data', 'nodes is a file'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'a relation naming neither side\'s field',
    exit: 1,
    name: 'import-folder-relation-without-field',
    setup: importFolder({'nodes/000001.json': good, 'relations/000001.json': ndf('relations', [[{_typeName: 'User', id: 'u1'}, {_typeName: 'Post', id: 'p1'}]])}),
    stderrIncludes: ['data/relations/000001.json', 'fieldName'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'a required field missing from a node in the middle of a large file',
    exit: 1,
    maxPeakMb: 150,
    name: 'import-folder-large-file-bad-value',
    setup: importFolder({
      'nodes/000001.json': ndf('nodes', [...Array.from({length: 60_000}, (_, index) => node(`u${index}`, {name: 'x'.repeat(200)})), {_typeName: 'User', id: 'broken'}]),
    }),
    stderrIncludes: ['data/nodes/000001.json', 'value 60001', 'required field email'],
  },
  {
    args: ['import', '--data', 'nowhere'],
    description: '--data names nothing',
    exit: 1,
    name: 'import-data-missing',
    setup: async (root, {url}) => write(root, project(url)),
    stderrIncludes: ['nowhere', 'does not exist'],
  },
  {
    args: ['import', '--data', 'data.txt'],
    description: '--data names a file that is not a zip',
    exit: 1,
    name: 'import-data-not-zip',
    setup: async (root, {url}) => write(root, {...project(url), 'data.txt': good}),
    stderrIncludes: ['data.txt', 'neither a folder nor a .zip file'],
  },
]
for (const entry of importCases) entry.noImportTo = service

const seedProject = (url: string, seed: string, files: Record<string, string | Buffer> = {}) => ({...project(url, `seed:\n  ${seed}\n`), ...files})

const seedCases: DataCase[] = [
  {
    args: ['seed'],
    description: 'seed.import: a .graphql file with a syntax error',
    exit: 1,
    name: 'seed-import-syntax-error',
    setup: async (root, {url}) => write(root, seedProject(url, 'import: seed.graphql', {'seed.graphql': 'mutation {\n  createUser(data: {email: "a"} { id }\n}\n'})),
    stderrIncludes: ['seed.graphql', 'not valid GraphQL', 'line 2'],
  },
  {
    args: ['seed'],
    description: 'seed.import: an operation spreads a fragment the file does not define',
    exit: 1,
    name: 'seed-import-unknown-fragment',
    setup: async (root, {url}) => write(root, seedProject(url, 'import: seed.graphql', {'seed.graphql': 'mutation {\n  createUser(data: {email: "a"}) { ...Missing }\n}\n'})),
    stderrIncludes: ['seed.graphql', 'fragment Missing', 'line 2'],
  },
  {
    args: ['seed'],
    description: 'seed.import: a 50 MB .graphql file',
    exit: 1,
    maxPeakMb: 150,
    name: 'seed-import-50mb-file',
    setup: async (root, {url}) => {
      write(root, seedProject(url, 'import: seed.graphql'))
      const line = `mutation { createUser(data: {email: "${'e'.repeat(60)}"}) { id } }\n`
      const handle = await open(join(root, 'seed.graphql'), 'w')
      const block = line.repeat(Math.ceil((1024 * 1024) / line.length))
      for (let index = 0; index < 50; index++) await handle.write(block)
      await handle.close()
    },
    stderrIncludes: ['seed.graphql', 'MB', 'import data format'],
  },
  {
    args: ['seed'],
    description: 'seed.import: a binary file named .graphql',
    exit: 1,
    name: 'seed-import-binary-file',
    setup: async (root, {url}) => write(root, seedProject(url, 'import: seed.graphql', {'seed.graphql': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])})),
    stderrIncludes: ['seed.graphql', 'binary'],
  },
  {
    args: ['seed'],
    description: 'seed.import: the file does not exist',
    exit: 1,
    name: 'seed-import-missing-file',
    setup: async (root, {url}) => write(root, seedProject(url, 'import: missing.graphql')),
    stderrIncludes: ['missing.graphql', 'does not exist'],
  },
  {
    args: ['seed'],
    description: 'seed.import: a folder named .graphql',
    exit: 1,
    name: 'seed-import-folder-named-graphql',
    setup: async (root, {url}) => {
      write(root, seedProject(url, 'import: seed.graphql'))
      mkdirSync(join(root, 'seed.graphql'))
    },
    stderrIncludes: ['seed.graphql', 'is a folder'],
  },
  {
    args: ['seed'],
    description: 'seed.import: an NDF zip that is a bomb',
    exit: 1,
    maxPeakMb: 200,
    name: 'seed-import-zip-bomb',
    setup: async (root, {url}) => {
      write(root, seedProject(url, 'import: seed.zip'))
      await writeCraftedZip(join(root, 'seed.zip'), [spacesBomb('nodes/000001.json', 1024)])
    },
    stderrIncludes: ['seed.zip', 'nodes/000001.json', 'zip bomb'],
  },
  {
    args: ['seed'],
    description: 'seed.run: the command does not exist',
    exit: 1,
    name: 'seed-run-missing-command',
    setup: async (root, {url}) => write(root, seedProject(url, 'run: no-such-seed-command-here --now')),
    stderrIncludes: ['no-such-seed-command-here', 'seed.run'],
  },
  {
    args: ['seed'],
    description: 'seed.run: the command fails with exit code 3',
    exit: 1,
    name: 'seed-run-failing-command',
    setup: async (root, {url}) => write(root, seedProject(url, 'run: node -e process.exit(3)')),
    stderrIncludes: ['seed.run', 'exited with code 3'],
  },
  {
    args: ['seed'],
    description: 'seed.run: the command is killed',
    exit: 1,
    name: 'seed-run-killed-command',
    setup: async (root, {url}) => write(root, seedProject(url, 'run: node -e process.kill(process.pid,9)')),
    stderrIncludes: ['seed.run', 'killed by SIGKILL'],
  },
]

const exportCases: DataCase[] = [
  {
    args: ['export', '--path', 'backup.zip'],
    description: 'the export path is a folder',
    exit: 1,
    name: 'export-path-is-a-folder',
    setup: async (root, {url}) => {
      write(root, project(url))
      mkdirSync(join(root, 'backup.zip'))
    },
    stderrIncludes: ['backup.zip', 'is a folder'],
  },
  {
    args: ['export', '--path', 'nowhere/backup.zip'],
    description: 'the export path is in a folder that does not exist: the message names the path given, not a temporary file',
    exit: 1,
    name: 'export-missing-folder',
    setup: async (root, {url}) => write(root, project(url)),
    stderrIncludes: ['nowhere/backup.zip', 'the folder nowhere does not exist'],
  },
  {
    args: ['export', '--path', 'notes.txt/backup.zip'],
    description: 'the export path lies under a file',
    exit: 1,
    name: 'export-path-under-a-file',
    setup: async (root, {url}) => write(root, {...project(url), 'notes.txt': 'a file, not a folder\n'}),
    stderrIncludes: ['notes.txt/backup.zip', 'notes.txt is not a folder'],
  },
  {
    args: ['export', '--path', 'locked/backup.zip'],
    description: 'no permission to write in the export folder (run as an unprivileged user)',
    asNobody: true,
    exit: 1,
    name: 'export-no-permission',
    setup: async (root, {url}) => {
      write(root, project(url))
      mkdirSync(join(root, 'locked'))
    },
    stderrIncludes: ['locked/backup.zip', 'no permission to write in locked'],
  },
  {
    args: ['export', '--path', 'backup.zip'],
    description: 'the disk fills up during the export (a file size limit of 4 KB)',
    exit: 1,
    name: 'export-full-disk',
    setup: async (root, {url}) => write(root, project(url)),
    shellPrefix: 'ulimit -f 8;',
    stderrIncludes: ['backup.zip', 'no room left on the disk'],
  },
  {
    args: ['export', '--path', 'backup.zip'],
    description: 'the export path exists and --force is not given',
    exit: 1,
    name: 'export-path-exists',
    setup: async (root, {url}) => write(root, {...project(url), 'backup.zip': 'an older export'}),
    stderrIncludes: ['backup.zip', 'already exists', '--force'],
  },
  {
    args: ['export', '--path', 'backup.zip'],
    description: 'export of a stage that does not exist',
    exit: 1,
    name: 'export-stage-missing',
    setup: async (root, {url}) => write(root, {'datamodel.prisma': shopModel, 'prisma.yml': `endpoint: ${url}/${service}/nostage\ndatamodel: datamodel.prisma\n`}),
    stderrIncludes: ['nostage', 'prisma deploy'],
  },
]

const otherCases: DataCase[] = [
  {
    args: ['reset', '--force'],
    description: 'reset of a stage that does not exist',
    exit: 1,
    name: 'reset-stage-missing',
    setup: async (root, {url}) => write(root, {'datamodel.prisma': shopModel, 'prisma.yml': `endpoint: ${url}/${service}/nostage\ndatamodel: datamodel.prisma\n`}),
    stderrIncludes: ['nostage'],
  },
  {
    args: ['delete', '--force'],
    description: 'delete of a stage that does not exist',
    exit: 1,
    name: 'delete-stage-missing',
    setup: async (root, {url}) => write(root, {'datamodel.prisma': shopModel, 'prisma.yml': `endpoint: ${url}/${service}/nostage\ndatamodel: datamodel.prisma\n`}),
    stderrIncludes: ['nostage'],
  },
  {
    args: ['import', '--data', 'data'],
    description: 'import into a stage that does not exist',
    exit: 1,
    name: 'import-stage-missing',
    setup: async (root, {url}) => write(root, {'data/nodes/000001.json': good, 'datamodel.prisma': shopModel, 'prisma.yml': `endpoint: ${url}/${service}/nostage\ndatamodel: datamodel.prisma\n`}),
    stderrIncludes: ['nostage', 'prisma deploy'],
  },
  {
    args: ['generate'],
    description: 'generate: the graphql-schema output lies under a file',
    exit: 1,
    name: 'generate-output-under-a-file',
    setup: async (root, {url}) => write(root, {...project(url, 'generate:\n  - generator: graphql-schema\n    output: ./generated/prisma.graphql\n'), generated: 'a file where a folder is needed\n'}),
    stderrIncludes: ['generated'],
  },
  {
    args: ['generate'],
    description: 'generate: the graphql-schema output is a folder',
    exit: 1,
    name: 'generate-output-is-a-folder',
    setup: async (root, {url}) => {
      write(root, project(url, 'generate:\n  - generator: graphql-schema\n    output: ./prisma.graphql\n'))
      mkdirSync(join(root, 'prisma.graphql'))
    },
    stderrIncludes: ['prisma.graphql'],
  },
  {
    args: ['generate'],
    description: 'generate: a client generator with prisma-client-lib of another major version installed',
    exit: 1,
    name: 'generate-client-lib-wrong-version',
    setup: async (root, {url}) =>
      write(root, {
        ...project(url, 'generate:\n  - generator: typescript-client\n    output: ./generated/client\n'),
        'node_modules/prisma-client-lib/index.js': 'module.exports = {}\n',
        'node_modules/prisma-client-lib/package.json': '{"name":"prisma-client-lib","version":"2.0.0","main":"index.js"}\n',
      }),
    stderrIncludes: ['prisma-client-lib 2.0.0', 'version 1'],
  },
  {
    args: ['generate'],
    description: 'generate: a client generator without prisma-client-lib',
    exit: 1,
    name: 'generate-client-lib-missing',
    setup: async (root, {url}) => write(root, project(url, 'generate:\n  - generator: javascript-client\n    output: ./generated/client\n')),
    stderrIncludes: ['prisma-client-lib', 'npm install'],
  },
  {
    args: ['generate'],
    asNobody: true,
    description: 'generate: no permission to write in the output folder (run as an unprivileged user)',
    exit: 1,
    name: 'generate-no-permission',
    setup: async (root, {url}) => {
      write(root, project(url, 'generate:\n  - generator: graphql-schema\n    output: ./locked/prisma.graphql\n'))
      mkdirSync(join(root, 'locked'))
    },
    stderrIncludes: ['locked'],
  },
  {
    args: ['generate'],
    description: 'generate: the output folder of a client lies under a file',
    exit: 1,
    name: 'generate-client-output-under-a-file',
    setup: async (root, {url}) =>
      write(root, {
        ...project(url, 'generate:\n  - generator: graphql-schema\n    output: ./out/schema/prisma.graphql\n'),
        out: 'a file\n',
      }),
    stderrIncludes: ['out'],
  },
]

const cases = [...importCases, ...seedCases, ...exportCases, ...otherCases]
const runningAsRoot = process.getuid?.() === 0
const nobody = 65_534
const nobodyCanRun = runningAsRoot && spawnSync(process.execPath, [binPath, '--version'], {encoding: 'utf8', gid: nobody, uid: nobody}).status === 0

/** Path → "file <sha256>" | "dir" for everything under root, except the home folder (state and config live there). */
function snapshot(root: string): Map<string, string> {
  const result = new Map<string, string>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      const key = path.slice(root.length + 1)
      if (key === 'home') continue
      const stats = lstatSync(path)
      if (stats.isDirectory()) {
        result.set(key, 'dir')
        walk(path)
      } else result.set(key, `file ${createHash('sha256').update(readFileSync(path)).digest('hex')}`)
    }
  }

  walk(root)
  return result
}

function openUp(dir: string): void {
  chmodSync(dir, 0o755)
  for (const entry of readdirSync(dir, {withFileTypes: true})) if (entry.isDirectory()) openUp(join(dir, entry.name))
}

describe('bad input of the data commands through the built CLI', {concurrency: 3}, () => {
  let server: ManagementServer
  const context: Context = {url: ''}
  before(async () => {
    server = await startManagementServer({migrationStepMs: 1, recordRequests: true})
    context.url = server.url
    await deployed(await dataProject(`${server.url}/${service}/dev`))
    // enough data that an export is larger than the 4 KB of the full-disk case
    const values = Array.from({length: 300}, (_, index) => node(`d${index}`, {name: createHash('sha256').update(String(index)).digest('hex')}))
    assert.deepEqual(server.importData(service, 'dev', {valueType: 'nodes', values}), [])
  })
  after(() => server.close())

  test('the corpus has at least 40 cases', () => {
    assert.ok(cases.length >= 40, `${cases.length} cases`)
    assert.equal(new Set(cases.map((entry) => entry.name)).size, cases.length, 'case names are unique')
  })

  for (const entry of cases) {
    test(`${entry.name}: ${entry.description}`, async (t) => {
      if (entry.asNobody && !nobodyCanRun) {
        t.skip(runningAsRoot ? 'user 65534 cannot run the CLI from this checkout' : 'permissions are tested as an unprivileged user when running as root')
        return
      }

      const root = await tempDir(`data-bad-${entry.name}-`)
      mkdirSync(join(root, 'home'))
      await entry.setup(root, context)
      if (entry.asNobody) {
        openUp(root)
        chmodSync(join(root, 'home'), 0o777)
        chmodSync(join(root, 'locked'), 0o555)
      }

      const importsBefore = server.requests.filter((request) => request.path === `/${entry.noImportTo}/dev/import`).length
      const before = snapshot(root)
      const result = await runMeasured(entry.args, {
        cwd: root,
        env: {HOME: join(root, 'home'), PRISMA_REQUEST_TIMEOUT: '20s'},
        gid: entry.asNobody ? nobody : undefined,
        shellPrefix: entry.shellPrefix,
        timeoutMs: 60_000,
        uid: entry.asNobody ? nobody : undefined,
      })
      const after = snapshot(root)
      const context_ = `${entry.name}\nexit ${result.code} signal ${result.signal}, ${result.peakMb} MB, ${result.wallMs} ms\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
      assert.equal(result.signal, null, context_)
      assert.equal(result.code, entry.exit, context_)
      assertCleanFailure(result, {context: context_})
      // progress lines ("Downloading nodes... ✔") aside, the failure is one paragraph
      const paragraphs = result.stderr.trim().split(/\n\s*\n/).filter((paragraph) => !/^[A-Z][^\n]*\.\.\.( ✔| \S+)?$/.test(paragraph.trim()))
      assert.equal(paragraphs.length, 1, `one paragraph\n${context_}`)
      for (const part of entry.stderrIncludes) assert.ok(result.stderr.includes(part), `stderr should name ${JSON.stringify(part)}\n${context_}`)
      assert.doesNotMatch(result.stderr, /\.partial|\.tmp\b/, `the message names what the user gave, not a temporary file\n${context_}`)
      if (entry.maxPeakMb) assert.ok(result.peakMb > 0 && result.peakMb < entry.maxPeakMb, `peak memory ${result.peakMb} MB, bound ${entry.maxPeakMb} MB\n${context_}`)
      for (const [path, state] of before) assert.equal(after.get(path), state, `${path} changed\n${context_}`)
      for (const [path, state] of after) if (!before.has(path)) assert.equal(state, 'dir', `${path} was created (half written?)\n${context_}`)
      if (entry.noImportTo) {
        const importsAfter = server.requests.filter((request) => request.path === `/${entry.noImportTo}/dev/import`).length
        assert.equal(importsAfter, importsBefore, `nothing is sent when the data is refused\n${context_}`)
      }
    })
  }
})
