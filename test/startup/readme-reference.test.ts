// README's command reference is generated from oclif.manifest.json (scripts/readme.mjs, `npm run readme`); a stale
// one fails here and in CI with what to run.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {copyFile, cp, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {repoRoot, tempDir} from '../helpers/cli.js'

const script = join(repoRoot, 'scripts', 'readme.mjs')

interface Manifest {
  commands: Record<string, {summary?: string; description?: string; flags: Record<string, {description?: string}>}>
}

function readme(args: string[]) {
  return spawnSync(process.execPath, [script, ...args], {encoding: 'utf8', timeout: 30_000})
}

/** A folder with README.md, schemas/ and the committed manifest, changed by `change`. */
async function copy(change: (manifest: Manifest) => void = () => {}): Promise<string> {
  const dir = await tempDir('prisma-readme-')
  await copyFile(join(repoRoot, 'README.md'), join(dir, 'README.md'))
  await cp(join(repoRoot, 'schemas'), join(dir, 'schemas'), {recursive: true})
  const manifest = JSON.parse(await readFile(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as Manifest
  change(manifest)
  await writeFile(join(dir, 'oclif.manifest.json'), JSON.stringify(manifest))
  return dir
}

describe('README command reference', () => {
  test('README.md is current with oclif.manifest.json (else run `npm run readme`)', () => {
    const result = readme(['--check'])
    assert.equal(result.status, 0, result.stderr)
  })

  test('a changed flag description makes --check fail, naming the line and `npm run readme`; npm run readme brings it back', async () => {
    const dir = await copy((manifest) => {
      manifest.commands.deploy.flags.force.description = 'Deploy even when data would be lost'
    })
    const stale = readme(['--check', '--root', dir])
    assert.equal(stale.status, 1)
    assert.match(stale.stderr, /stale/)
    assert.match(stale.stderr, /Deploy even when data would be lost/)
    assert.match(stale.stderr, /Run `npm run readme`/)

    const written = readme(['--root', dir])
    assert.equal(written.status, 0, written.stderr)
    const text = await readFile(join(dir, 'README.md'), 'utf8')
    assert.match(text, /\| `-f, --force` \| Deploy even when data would be lost \|/)
    assert.equal(readme(['--check', '--root', dir]).status, 0)
    // the hand-written text after the block is kept
    const original = await readFile(join(repoRoot, 'README.md'), 'utf8')
    const after = (doc: string) => doc.slice(doc.indexOf('<!-- reference:end deploy -->'), doc.indexOf('<!-- reference:start generate'))
    assert.equal(after(text), after(original))
  })

  test('a new command gets its section (and a row of the index) where the marker stands; a command that is gone is named', async () => {
    const dir = await copy((manifest) => {
      manifest.commands.upgrade = {...manifest.commands.logout, summary: 'Upgrade the tool', description: 'Replaces the installed version.'}
    })
    assert.equal(readme(['--check', '--root', dir]).status, 1)
    assert.equal(readme(['--root', dir]).status, 0)
    const text = await readFile(join(dir, 'README.md'), 'utf8')
    assert.match(text, /\| \[`prisma upgrade`\]\(#prisma-upgrade\) \| Upgrade the tool \|/)
    const section = text.indexOf('### `prisma upgrade`')
    assert.ok(section > text.indexOf('### `prisma playground`') && section < text.indexOf('<!-- reference:new'), 'before the marker')
    assert.match(text, /Replaces the installed version\./)

    const gone = await copy((manifest) => {
      delete manifest.commands.account
    })
    const result = readme(['--root', gone])
    assert.equal(result.status, 1)
    assert.match(result.stderr, /`prisma account`, which oclif.manifest.json no longer has/)
  })

  test('the table of JSON results follows schemas/: a new field shows there after npm run readme', async () => {
    const dir = await copy()
    const schemaPath = join(dir, 'schemas', 'logout.json')
    const schema = JSON.parse(await readFile(schemaPath, 'utf8')) as {properties: Record<string, unknown>; required: string[]}
    schema.properties.keyFile = {type: 'string'}
    await writeFile(schemaPath, JSON.stringify(schema))
    const stale = readme(['--check', '--root', dir])
    assert.equal(stale.status, 1)
    assert.match(stale.stderr, /Run `npm run readme`/)
    assert.equal(readme(['--root', dir]).status, 0)
    assert.match(await readFile(join(dir, 'README.md'), 'utf8'), /\| `loggedOut, removed, sessionKeyInEnvironment, keyFile\?` \|/)
  })

  test('every command of the manifest but help has its section, and README names npm run readme for maintainers', async () => {
    const manifest = JSON.parse(await readFile(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as Manifest
    const text = await readFile(join(repoRoot, 'README.md'), 'utf8')
    for (const id of Object.keys(manifest.commands).filter((name) => name !== 'help')) {
      assert.match(text, new RegExp(`<!-- reference:start ${id} [^\\n]*-->\\n### \`prisma ${id}\``), id)
    }
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {scripts: Record<string, string>}
    assert.equal(pkg.scripts.readme, 'node scripts/readme.mjs')
  })
})
