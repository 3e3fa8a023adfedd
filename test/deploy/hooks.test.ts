import assert from 'node:assert/strict'
import {chmod, mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {escapeForCmd, findProgram, hookSucceeded, runHook, splitCommandLine} from '../../src/deploy/hooks.js'
import {tempDir} from '../helpers/cli.js'

describe('splitting hook command lines', () => {
  test('words, quotes and escapes', () => {
    assert.deepEqual(splitCommandLine('npm run seed'), ['npm', 'run', 'seed'])
    assert.deepEqual(splitCommandLine('  node  -e "console.log(1 + 2)"  '), ['node', '-e', 'console.log(1 + 2)'])
    assert.deepEqual(splitCommandLine(`echo 'single "quoted"' "double 'quoted'" ""`), ['echo', 'single "quoted"', "double 'quoted'", ''])
    assert.deepEqual(splitCommandLine('a"b c"d'), ['ab cd'])
    assert.deepEqual(splitCommandLine(''), [])
    assert.throws(() => splitCommandLine('echo "open'), /unbalanced/)
  })
})

describe('finding programs', () => {
  test('on PATH, with PATHEXT on Windows (.cmd shims)', async () => {
    const bin = await tempDir('bin-')
    await writeFile(join(bin, 'prisma-seed.CMD'), '@echo off\r\n')
    assert.equal(findProgram('prisma-seed', {PATH: bin, PATHEXT: '.EXE;.CMD'}, '/', 'win32'), join(bin, 'prisma-seed.CMD'))
    assert.equal(findProgram('prisma-seed', {PATH: bin}, '/', 'linux'), undefined)
    await writeFile(join(bin, 'tool'), '#!/bin/sh\n')
    assert.equal(findProgram('tool', {PATH: `/nonexistent:${bin}`}, '/', 'linux'), join(bin, 'tool'))
    assert.equal(findProgram('./tool', {PATH: ''}, bin, 'linux'), join(bin, 'tool'))
  })

  test('cmd.exe escaping of shim arguments', () => {
    assert.equal(escapeForCmd('plain', false), '^"plain^"')
    assert.equal(escapeForCmd('a&b', false), '^"a^&b^"')
    assert.equal(escapeForCmd('say "hi"', false), '^"say^ \\^"hi\\^"^"')
    assert.equal(escapeForCmd('a&b', true), '^^^"a^^^&b^^^"')
  })
})

describe('running hooks', () => {
  test('no shell: metacharacters reach the program as text; the project folder is the working directory', async () => {
    const dir = await tempDir('hook-')
    const result = await runHook(`node -e "console.log(process.cwd(), process.argv.slice(1).join(','))" -- ';' '$HOME' '|'`, {cwd: dir})
    assert.ok(hookSucceeded(result), result.stderr)
    assert.match(result.stdout.trim(), / ;,\$HOME,\|$/)
    assert.ok(result.stdout.includes(dir.split('/').pop()!))
  })

  test('node_modules/.bin of the project comes first on PATH', async () => {
    const dir = await tempDir('hook-')
    await mkdir(join(dir, 'node_modules', '.bin'), {recursive: true})
    const shim = join(dir, 'node_modules', '.bin', 'local-tool')
    await writeFile(shim, '#!/bin/sh\necho local tool ran\n')
    await chmod(shim, 0o755)
    const result = await runHook('local-tool', {cwd: dir, env: {PATH: process.env.PATH}})
    assert.equal(result.stdout, 'local tool ran\n')
  })

  test('failures: exit code, missing program, unbalanced quotes', async () => {
    const dir = await tempDir('hook-')
    const failing = await runHook('node -e "process.exit(4)"', {cwd: dir})
    assert.equal(failing.code, 4)
    assert.equal(hookSucceeded(failing), false)
    assert.match((await runHook('surely-not-installed-anywhere', {cwd: dir})).error ?? '', /Command not found/)
    assert.match((await runHook('echo "x', {cwd: dir})).error ?? '', /unbalanced/)
  })
})
