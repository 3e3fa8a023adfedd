// End to end: broken projects make the built CLI print one clear paragraph and exit 1, before any network request.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {runCli, tempDir, writeTree} from '../helpers/cli.js'

function assertCleanFailure(result: {code: number | null; stdout: string; stderr: string}, text: RegExp): void {
  assert.equal(result.code, 1, result.stderr)
  assert.match(result.stderr, text)
  assert.doesNotMatch(result.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace without DEBUG')
  assert.doesNotMatch(result.stderr, /Unexpected error/)
}

describe('prisma.yml problems through the CLI', () => {
  test('deploy with a YAML syntax error names the file, line and column', async () => {
    // the endpoint points at a closed port: reaching the network would fail differently
    const dir = await writeTree({
      'prisma.yml': 'endpoint: http://127.0.0.1:9/app/dev\ndatamodel: datamodel.prisma\n  secret: x\n',
      'datamodel.prisma': 'type User { id: ID! @id }\n',
    })
    const result = await runCli(['deploy'], {cwd: dir})
    assertCleanFailure(result, /prisma\.yml syntax error in .*prisma\.yml at line 3, column 9/)
  })

  test('deploy without prisma.yml says so', async () => {
    const dir = await tempDir('empty-project-')
    const result = await runCli(['deploy'], {cwd: dir})
    assertCleanFailure(result, /Couldn’t find `prisma\.yml` file\. Are you in the right directory\?/)
  })

  test('deploy with schema errors lists every problem with its path', async () => {
    const dir = await writeTree({
      'prisma.yml': 'endpoint: http://127.0.0.1:9/app/dev\ndatamodel: 5\nsubscriptions:\n  s:\n    query: x\n',
    })
    const result = await runCli(['deploy'], {cwd: dir})
    assertCleanFailure(result, /datamodel must be a file path or a list of file paths \(got number 5\)[\s\S]*subscriptions\.s\.webhook is missing/)
  })

  test('token with a variable cycle reports the chain', async () => {
    const dir = await writeTree({
      'prisma.yml': 'custom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\nendpoint: http://localhost:4466/${self:custom.a}/dev\nsecret: s\n',
    })
    const result = await runCli(['token'], {cwd: dir})
    assertCleanFailure(result, /cycle: \$\{self:custom\.[ab]\} → \$\{self:custom\.[ab]\} → \$\{self:custom\.[ab]\}/)
  })
})
