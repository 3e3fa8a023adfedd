import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {InterruptedError, UserError} from '../../src/errors.js'
import {
  type CloudState,
  type EndpointWizardOptions,
  type ServerProbe,
  localServerUrl,
  parseServerAddress,
  runEndpointWizard,
  serviceEndpoint,
} from '../../src/wizard/endpoint-wizard.js'
import {formatEndpointVariableHint, formatEndpointWritten} from '../../src/wizard/messages.js'
import {defaultServiceName, validateName} from '../../src/wizard/names.js'
import {type Step, scriptedPrompter} from './scripted-prompter.js'

const loggedOut: CloudState = {loggedIn: false, workspaces: []}

function setup(steps: Step[], overrides: Partial<EndpointWizardOptions> = {}) {
  const prompter = scriptedPrompter(steps)
  const probed: string[] = []
  const printed: string[] = []
  const options: EndpointWizardOptions = {
    prompter,
    projectDir: '/home/jane/blog-app',
    localServer: {available: false},
    async probeServer(url): Promise<ServerProbe> {
      probed.push(url)
      return {reachable: true, needsAuth: false}
    },
    cloud: loggedOut,
    cloudApi: {answered: true, url: 'https://api2.cloud.prisma.sh'},
    login: async () => loggedOut,
    env: {},
    print: (message) => printed.push(message),
    ...overrides,
  }
  return {prompter, probed, printed, options}
}

const firstQuestion = 'Set up a new Prisma server or deploy to an existing server?'

describe('endpoint wizard: where to deploy', () => {
  test('a running local server is offered first and gives <local>/<service>/<stage>', async () => {
    const {prompter, options} = setup([{select: 'Local Prisma server'}, {input: ''}, {input: ''}], {
      localServer: {available: true},
    })
    const result = await runEndpointWizard(options)
    assert.equal(result.endpoint, 'http://localhost:4466/blog-app/dev')
    assert.equal(result.write, true)
    assert.equal(result.kind, 'local')
    assert.equal(result.managementSecret, undefined)
    const [where, service, stage] = prompter.asked
    assert.equal(where.message, firstQuestion)
    assert.deepEqual(where.lines, [
      '--  ',
      '-- Deploy to an existing Prisma server:',
      'Local Prisma server            Running at http://localhost:4466',
      'Use other server               Manually provide endpoint of a running Prisma server',
      'Demo server + MySQL database   Free development environment hosted in Prisma Cloud (requires login)',
    ])
    assert.equal(where.preselected, 'Local Prisma server            Running at http://localhost:4466')
    assert.deepEqual([service.message, service.default], ['Choose a name for your service', 'blog-app'])
    assert.deepEqual([stage.message, stage.default], ['Choose a name for your stage', 'dev'])
  })

  test('the local server is not offered when it does not answer', async () => {
    const {prompter, options} = setup([{select: 'Use other server'}, {input: 'http://localhost:4466'}, {input: ''}, {input: ''}])
    await runEndpointWizard(options)
    assert.ok(!prompter.asked[0].lines!.some((line) => line.startsWith('Local')))
  })

  test('the local address can be moved for tests with PRISMA_LOCAL_SERVER_URL', async () => {
    assert.equal(localServerUrl({}), 'http://localhost:4466')
    assert.equal(localServerUrl({PRISMA_LOCAL_SERVER_URL: 'http://127.0.0.1:5123/'}), 'http://127.0.0.1:5123')
    const {options} = setup([{select: 'Local'}, {input: 'api'}, {input: 'prod'}], {
      localServer: {available: true},
      env: {PRISMA_LOCAL_SERVER_URL: 'http://127.0.0.1:5123'},
    })
    assert.equal((await runEndpointWizard(options)).endpoint, 'http://127.0.0.1:5123/api/prod')
  })

  test('"Use other server" validates the address, probes it and says at once when nothing answers', async () => {
    const {prompter, probed, options} = setup(
      [
        {select: 'Use other server'},
        {input: 'localhost:4466'},
        {input: 'ftp://prisma.example.com'},
        {input: 'http://prisma.example.com:4466/svc/dev'},
        {input: 'http://down.example.com:4466'},
        {input: 'https://prisma.example.com/'},
        {input: 'shop'},
        {input: 'staging'},
      ],
      {
        async probeServer(url) {
          probed.push(url)
          return url.includes('down')
            ? {reachable: false, needsAuth: true, error: 'connection refused'}
            : {reachable: true, needsAuth: false}
        },
      },
    )
    const result = await runEndpointWizard(options)
    assert.equal(result.endpoint, 'https://prisma.example.com/shop/staging')
    assert.equal(result.kind, 'other')
    assert.equal(result.managementSecret, undefined)
    assert.deepEqual(probed, ['http://down.example.com:4466', 'https://prisma.example.com'])
    const endpoint = prompter.asked[1]
    assert.equal(endpoint.message, 'Enter the endpoint of your Prisma server')
    assert.equal(endpoint.rejected.length, 4)
    assert.match(endpoint.rejected[0], /http:\/\/ or https:\/\//)
    assert.match(endpoint.rejected[1], /http:\/\/ or https:\/\//)
    assert.match(endpoint.rejected[2], /without service and stage/)
    assert.equal(
      endpoint.rejected[3],
      'No Prisma server answers at http://down.example.com:4466 (connection refused). Enter another endpoint.',
    )
    assert.ok(!prompter.asked.some((question) => question.type === 'password'))
  })

  test('a server that needs auth asks for the management API secret (masked) when the variable is not set', async () => {
    const {prompter, options} = setup(
      [{select: 'Use other server'}, {input: 'http://10.0.0.5:4466'}, {password: ''}, {password: 's3cr3t'}, {input: 'svc'}, {input: ''}],
      {probeServer: async () => ({reachable: true, needsAuth: true})},
    )
    const result = await runEndpointWizard(options)
    assert.equal(result.managementSecret, 's3cr3t')
    assert.equal(result.endpoint, 'http://10.0.0.5:4466/svc/dev')
    const secret = prompter.asked.find((question) => question.type === 'password')!
    assert.equal(secret.message, 'Enter the management API secret')
    assert.equal(secret.rejected.length, 1)
    assert.ok(!JSON.stringify(result.endpoint).includes('s3cr3t'))
  })

  test('with PRISMA_MANAGEMENT_API_SECRET set the secret is not asked', async () => {
    const {prompter, options} = setup([{select: 'Use other server'}, {input: 'http://10.0.0.5:4466'}, {input: 'svc'}, {input: ''}], {
      probeServer: async () => ({reachable: true, needsAuth: true}),
      env: {PRISMA_MANAGEMENT_API_SECRET: 'from-env'},
    })
    const result = await runEndpointWizard(options)
    assert.equal(result.managementSecret, undefined)
    assert.ok(!prompter.asked.some((question) => question.type === 'password'))
  })

  test('a local server that needs auth asks for the secret unless PRISMA_MANAGEMENT_API_SECRET is set', async () => {
    const asking = setup([{select: 'Local'}, {password: 'local-secret'}, {input: ''}, {input: ''}], {
      localServer: {available: true, needsAuth: true},
    })
    assert.equal((await runEndpointWizard(asking.options)).managementSecret, 'local-secret')
    const withEnv = setup([{select: 'Local'}, {input: ''}, {input: ''}], {
      env: {PRISMA_MANAGEMENT_API_SECRET: 'x'},
      localServer: {available: true, needsAuth: true},
    })
    assert.equal((await runEndpointWizard(withEnv.options)).managementSecret, undefined)
    assert.ok(!withEnv.prompter.asked.some((question) => question.type === 'password'))
  })

  test('logged in: the private clusters of every workspace are listed, the demo clusters only under the demo entry', async () => {
    const cloud: CloudState = {
      loggedIn: true,
      workspaces: [
        {
          slug: 'acme',
          clusters: [
            {name: 'prisma-eu1', endpoint: 'https://eu1.prisma.sh'},
            {name: 'prod-cluster', endpoint: 'https://prod-cluster_acme.prisma.sh'},
          ],
        },
        {slug: 'side-project', clusters: [{name: 'tiny', endpoint: 'https://tiny.example.com/management'}]},
      ],
    }
    const {prompter, options} = setup([{select: 'side-project/tiny'}, {input: ''}, {input: ''}], {cloud})
    const result = await runEndpointWizard(options)
    assert.equal(result.endpoint, 'https://tiny.example.com/blog-app/dev')
    assert.equal(result.kind, 'cloud')
    assert.deepEqual(prompter.asked[0].lines!.slice(2), [
      'Use other server               Manually provide endpoint of a running Prisma server',
      'acme/prod-cluster              Production Prisma cluster',
      'side-project/tiny              Production Prisma cluster',
      'Demo server + MySQL database   Free development environment hosted in Prisma Cloud',
    ])
    assert.match(prompter.asked[0].preselected ?? '', /^Use other server/)
  })

  test('the Prisma Cloud API does not answer: no demo servers or workspaces, one line that says so; the default is the local server, else "Use other server"', async () => {
    const cloud: CloudState = {loggedIn: true, workspaces: [{slug: 'acme', clusters: [{name: 'prod', endpoint: 'https://prod.example.com'}]}]}
    const cloudApi = {answered: false, url: 'https://api2.cloud.prisma.sh'}
    const greyed = '~~ Prisma Cloud (its API at https://api2.cloud.prisma.sh does not answer: no demo servers or workspaces)'
    const withLocal = setup([{select: 'Prisma Cloud'}], {cloud, cloudApi, localServer: {available: true}})
    await assert.rejects(runEndpointWizard(withLocal.options), /no choice starts with "Prisma Cloud"/, 'the line cannot be chosen')
    assert.deepEqual(withLocal.prompter.asked[0].lines!.slice(2), [
      'Local Prisma server   Running at http://localhost:4466',
      'Use other server      Manually provide endpoint of a running Prisma server',
      greyed,
    ])
    assert.match(withLocal.prompter.asked[0].preselected ?? '', /^Local Prisma server/)

    const withoutLocal = setup([{select: 'Use other server'}, {input: 'http://h:1'}, {input: ''}, {input: ''}], {cloud, cloudApi})
    assert.equal((await runEndpointWizard(withoutLocal.options)).kind, 'other')
    assert.deepEqual(withoutLocal.prompter.asked[0].lines!.slice(2), ['Use other server   Manually provide endpoint of a running Prisma server', greyed])
    assert.match(withoutLocal.prompter.asked[0].preselected ?? '', /^Use other server/)
  })

  test('demo server while logged out starts the login, then asks the region; the endpoint carries the workspace', async () => {
    const afterLogin: CloudState = {
      loggedIn: true,
      workspaces: [
        {
          slug: 'jane-doe',
          clusters: [
            {name: 'prisma-eu1', endpoint: 'https://eu1.prisma.sh'},
            {name: 'prisma-us1', endpoint: 'https://us1.prisma.sh'},
          ],
        },
      ],
    }
    const {prompter, printed, options} = setup([{select: 'Demo server'}, {select: 'jane-doe/demo-us1'}, {input: ''}, {input: ''}])
    let count = 0
    options.login = async () => {
      count += 1
      return afterLogin
    }

    const result = await runEndpointWizard(options)
    assert.equal(count, 1)
    assert.equal(result.endpoint, 'https://us1.prisma.sh/jane-doe/blog-app/dev')
    assert.equal(result.workspace, 'jane-doe')
    assert.equal(result.kind, 'demo')
    assert.deepEqual(result.cloud, afterLogin)
    assert.match(printed.join('\n'), /log/i)
    const region = prompter.asked[1]
    assert.equal(region.message, 'Choose the region of your demo server')
    assert.deepEqual(region.lines, [
      'jane-doe/demo-eu1   Hosted on AWS in eu-west-1 using MySQL',
      'jane-doe/demo-us1   Hosted on AWS in us-west-2 using MySQL',
    ])
  })

  test('demo server while logged in does not log in again; accounts that list no demo cluster still get both regions', async () => {
    let count = 0
    const cloud: CloudState = {loggedIn: true, workspaces: [{slug: 'ws1', clusters: []}, {slug: 'ws2', clusters: []}]}
    const {prompter, options} = setup([{select: 'Demo server'}, {select: 'ws2/demo-eu1'}, {input: 'svc'}, {input: 'dev'}], {
      cloud,
      login: async () => {
        count += 1
        return cloud
      },
    })
    const result = await runEndpointWizard(options)
    assert.equal(count, 0)
    assert.equal(result.endpoint, 'https://eu1.prisma.sh/ws2/svc/dev')
    assert.equal(prompter.asked[1].lines!.length, 4)
  })

  test('a login that yields no workspace ends with a clear error', async () => {
    const {options} = setup([{select: 'Demo server'}], {login: async () => ({loggedIn: true, workspaces: []})})
    await assert.rejects(runEndpointWizard(options), (error: unknown) => {
      assert.ok(error instanceof UserError && !(error instanceof InterruptedError))
      assert.match(error.message, /workspace/)
      return true
    })
  })

  test('an endpoint given as a variable is not to be overwritten', async () => {
    const {options} = setup([{select: 'Local'}, {input: ''}, {input: ''}], {
      localServer: {available: true},
      endpointVariable: '${env:PRISMA_ENDPOINT}',
    })
    const result = await runEndpointWizard(options)
    assert.equal(result.write, false)
    assert.equal(result.endpoint, 'http://localhost:4466/blog-app/dev')
  })
})

describe('endpoint wizard: service and stage names', () => {
  test('names are checked with the server rule before they are accepted', async () => {
    const {prompter, options} = setup(
      [
        {select: 'Local'},
        {input: '1shop'},
        {input: 'my shop'},
        {input: 'management'},
        {input: `a${'b'.repeat(140)}`},
        {input: `a${'b'.repeat(139)}`},
        {input: `d${'e'.repeat(30)}`},
        {input: '_dev'},
        {input: 'dev~1'},
        {input: 'Prod_2-a'},
      ],
      {localServer: {available: true}},
    )
    const result = await runEndpointWizard(options)
    // the server allows service names of up to 140 characters, stage names of up to 30
    assert.equal(result.service, `a${'b'.repeat(139)}`)
    assert.equal(result.stage, 'Prod_2-a')
    assert.equal(prompter.asked[1].rejected.length, 4)
    assert.match(prompter.asked[1].rejected[0], /must start with a letter/)
    assert.match(prompter.asked[1].rejected[2], /reserved/)
    assert.match(prompter.asked[1].rejected[3], /up to 140/)
    assert.equal(prompter.asked[2].rejected.length, 3)
    assert.match(prompter.asked[2].rejected[0], /up to 30/)
  })

  test('the default service name comes from the folder, its parent for `prisma`, with service- before a digit', () => {
    assert.equal(defaultServiceName('/home/jane/blog-app'), 'blog-app')
    assert.equal(defaultServiceName('/home/jane/blog-app/prisma'), 'blog-app')
    assert.equal(defaultServiceName('/home/jane/2048'), 'service-2048')
    assert.equal(defaultServiceName('/home/jane/2048/prisma'), 'service-2048')
    assert.equal(defaultServiceName('/home/jane/my app'), 'my-app')
    assert.equal(defaultServiceName('/home/jane/_private'), undefined)
    assert.equal(defaultServiceName(`/x/${'a'.repeat(40)}`), 'a'.repeat(40))
    assert.equal(defaultServiceName(`/x/${'a'.repeat(150)}`), 'a'.repeat(140))
  })

  test('a folder name that cannot be a service name gives no default', async () => {
    const {prompter, options} = setup([{select: 'Local'}, {input: ''}, {input: 'svc'}, {input: ''}], {
      localServer: {available: true},
      projectDir: '/tmp/_x',
    })
    await runEndpointWizard(options)
    assert.equal(prompter.asked[1].default, undefined)
    assert.deepEqual(prompter.asked[1].rejected, ['Enter a service name.'])
  })

  test('validateName', () => {
    assert.equal(validateName('stage', 'dev'), true)
    assert.equal(validateName('stage', 'a'), true)
    assert.notEqual(validateName('stage', ''), true)
    assert.notEqual(validateName('service', 'export'), true)
    assert.equal(validateName('service', 'Export'), true)
  })
})

describe('endpoint wizard: Ctrl-C or Esc', () => {
  const atEachQuestion: Array<[string, Step[], Partial<EndpointWizardOptions>]> = [
    ['where to deploy', [{interrupt: 'select'}], {}],
    ['the endpoint', [{select: 'Use other server'}, {interrupt: 'input'}], {}],
    [
      'the secret',
      [{select: 'Use other server'}, {input: 'http://h:1'}, {interrupt: 'password'}],
      {probeServer: async () => ({reachable: true, needsAuth: true})},
    ],
    ['the region', [{select: 'Demo'}, {interrupt: 'select'}], {cloud: {loggedIn: true, workspaces: [{slug: 'w', clusters: []}]}}],
    ['the service', [{select: 'Use other server'}, {input: 'http://h:1'}, {interrupt: 'input'}], {}],
    ['the stage', [{select: 'Use other server'}, {input: 'http://h:1'}, {input: 'svc'}, {interrupt: 'input'}], {}],
  ]
  for (const [name, steps, overrides] of atEachQuestion) {
    test(`at ${name}: InterruptedError with exit code 130`, async () => {
      const {prompter, options} = setup(steps, overrides)
      await assert.rejects(runEndpointWizard(options), (error: unknown) => {
        assert.ok(error instanceof InterruptedError)
        assert.equal(error.exitCode, 130)
        assert.equal(error.message, 'Cancelled. prisma.yml was not changed.')
        return true
      })
      assert.deepEqual(prompter.remaining(), [])
    })
  }
})

describe('endpoint wizard: helpers', () => {
  test('serviceEndpoint follows the server layout', () => {
    assert.equal(serviceEndpoint('http://localhost:4466', 'default', 'default'), 'http://localhost:4466')
    assert.equal(serviceEndpoint('http://localhost:4466', 'svc', 'default'), 'http://localhost:4466/svc')
    assert.equal(serviceEndpoint('http://localhost:4466', 'svc', 'dev'), 'http://localhost:4466/svc/dev')
    assert.equal(serviceEndpoint('https://eu1.prisma.sh', 'default', 'default', 'ws'), 'https://eu1.prisma.sh/ws/default/default')
  })

  test('parseServerAddress', () => {
    assert.deepEqual(parseServerAddress(' http://LOCALHOST:4466/ '), {base: 'http://localhost:4466'})
    assert.deepEqual(parseServerAddress('https://p.example.com:443/management'), {base: 'https://p.example.com'})
    assert.ok('error' in parseServerAddress(''))
    assert.ok('error' in parseServerAddress('http://u:p@h:1'))
    assert.ok('error' in parseServerAddress('http://h:1/?x=1'))
  })

  test('messages', () => {
    assert.equal(formatEndpointWritten('http://a/b/c', undefined), 'Written endpoint `http://a/b/c` to prisma.yml')
    assert.equal(
      formatEndpointWritten('http://a/b/c', 'http://old', 'prisma.yml'),
      'Written endpoint `http://a/b/c` to prisma.yml (it was `http://old`)',
    )
    assert.match(formatEndpointVariableHint('${env:PRISMA_ENDPOINT}', 'http://a/b/c'), /set PRISMA_ENDPOINT=http:\/\/a\/b\/c/)
    assert.match(formatEndpointVariableHint('${self:custom.url}', 'http://a/b/c'), /`\$\{self:custom\.url\}`/)
  })
})
