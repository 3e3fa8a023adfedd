import assert from 'node:assert/strict'
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {test} from 'node:test'

import yaml from 'js-yaml'

import {runCli, tempDir} from '../helpers/cli.js'

test('50 concurrent login --key / logout processes leave a config.yml that parses, with unknown keys intact', async () => {
  const home = await tempDir('home-')
  const dir = join(home, '.prisma')
  await mkdir(dir)
  const unknown = {clusters: {legacy: {clusterSecret: 'pem', host: 'http://localhost:4466'}}, 'prisma-1.0': {nested: {value: 42}}, zz: [1, 2, 3]}
  await writeFile(join(dir, 'config.yml'), yaml.dump({...unknown, cloudSessionKey: 'initial'}))

  // an address that refuses connections: login --key stores the key unverified
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => server.close(resolve))

  const keys = Array.from({length: 25}, (_, i) => `key-${i}`)
  const runs = Array.from({length: 50}, (_, i) =>
    i % 2 === 0
      ? runCli(['login', '--key', keys[i / 2]], {env: {CLOUD_API_ENDPOINT: `http://127.0.0.1:${port}`, HOME: home}, timeoutMs: 180_000})
      : runCli(['logout'], {env: {HOME: home}, timeoutMs: 180_000}),
  )
  const results = await Promise.all(runs)
  for (const result of results) assert.equal(result.code, 0, result.stderr)

  const data = yaml.load(await readFile(join(dir, 'config.yml'), 'utf8')) as Record<string, unknown>
  const {cloudSessionKey, ...rest} = data
  assert.deepEqual(rest, unknown)
  assert.ok(cloudSessionKey === undefined || keys.includes(cloudSessionKey as string), String(cloudSessionKey))
  // no temporary files left behind
  assert.deepEqual(await readdir(dir), ['config.yml'])
})
