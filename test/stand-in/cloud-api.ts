/**
 * A local stand-in of the (shut down) Prisma Cloud GraphQL API, enough for the CLI's login flow and cluster tokens:
 * requestCloudToken, cloudTokenRequest(secret), me (with the workspaces' clusters and services), renewToken, generateClusterToken, addServiceToCloudDBIfMissing.
 * Documents are parsed and validated by graphql-js against a schema with the original's field names.
 * Run it for a demo with: npx tsx test/stand-in/cloud-api.ts [--port 4477] [--key KEY --email EMAIL]
 */
import {createHmac, randomBytes} from 'node:crypto'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {pathToFileURL} from 'node:url'

import {buildSchema, graphql, GraphQLError} from 'graphql'

export interface CloudClusterSpec {
  id?: string
  name: string
  endpoint: string
}

export interface CloudWorkspaceSpec {
  id?: string
  slug: string
  name?: string
  clusters?: CloudClusterSpec[]
  /** Services the cloud knows of in this workspace (the original's `list` shows them); cluster null = not deployed. */
  services?: Array<{name: string; stage: string; cluster: string | null}>
}

export interface CloudAccountSpec {
  id?: string
  name?: string
  email: string
  workspaces?: CloudWorkspaceSpec[]
}

export interface CloudRequest {
  /** The first operation's field names, e.g. ['me'] or ['requestCloudToken']. */
  fields: string[]
  query: string
  variables: Record<string, unknown>
  /** The raw Authorization header, if any. */
  authorization?: string
}

export interface CloudServerOptions {
  /** Valid session keys and the account each belongs to. */
  sessionKeys?: Record<string, CloudAccountSpec>
  /** After how many cloudTokenRequest polls a login request is approved (default 2). 0/undefined with no keys: never. */
  approveAfterPolls?: number
  /** The session key an approved login hands out (default: a new key for the first account, or test@example.com). */
  approveWith?: string
  /** Secret the stand-in signs cluster tokens with (HS256). */
  clusterTokenSecret?: string
  host?: string
  port?: number
}

export interface CloudServer {
  url: string
  requests: CloudRequest[]
  /** Login secrets handed out, with their state. */
  logins: Map<string, {polls: number; token: string | null}>
  sessionKeys: Map<string, CloudAccountSpec>
  /** Approve a pending login by hand. */
  approve(secret: string, sessionKey?: string): void
  close(): Promise<void>
}

const schema = buildSchema(`
  type Query {
    me: User
    cloudTokenRequest(secret: String!): CloudTokenRequest
  }

  type Mutation {
    requestCloudToken: CloudTokenRequest!
    renewToken: String!
    generateClusterToken(input: GenerateClusterTokenRequest!): GenerateClusterTokenPayload!
    addServiceToCloudDBIfMissing(input: GenerateClusterTokenRequest!): Boolean!
  }

  type CloudTokenRequest {
    secret: String!
    token: String
  }

  type User {
    id: ID!
    name: String
    login: [Login!]!
    memberships: [Membership!]!
  }

  type Login {
    email: String!
  }

  type Membership {
    workspace: Workspace!
  }

  type Workspace {
    id: ID!
    slug: String!
    name: String!
    clusters: [Cluster!]!
    services: [Service!]!
  }

  type Service {
    id: ID!
    name: String!
    stage: String!
    cluster: Cluster
  }

  type Cluster {
    id: ID!
    name: String!
    connectInfo: ConnectInfo
    customConnectionInfo: ConnectInfo
  }

  type ConnectInfo {
    endpoint: String!
  }

  input GenerateClusterTokenRequest {
    workspaceSlug: String
    clusterName: String!
    serviceName: String!
    stageName: String
  }

  type GenerateClusterTokenPayload {
    clusterToken: String!
  }
`)

function newKey(): string {
  return `sk_${randomBytes(18).toString('base64url')}`
}

function hs256(payload: object, secret: string): string {
  const head = Buffer.from(JSON.stringify({alg: 'HS256', typ: 'JWT'})).toString('base64url')
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of request) text += chunk
  return text
}

export async function startCloudServer(options: CloudServerOptions = {}): Promise<CloudServer> {
  const sessionKeys = new Map(Object.entries(options.sessionKeys ?? {}))
  const logins = new Map<string, {polls: number; token: string | null}>()
  const requests: CloudRequest[] = []
  const clusterTokenSecret = options.clusterTokenSecret ?? 'cloud-cluster-secret'
  const approveAfterPolls = options.approveAfterPolls ?? 2

  const approvalKey = (): string => {
    if (options.approveWith) return options.approveWith
    const first = [...sessionKeys.values()][0] ?? {email: 'test@example.com'}
    const key = newKey()
    sessionKeys.set(key, first)
    return key
  }

  const account = (authorization: string | undefined): CloudAccountSpec => {
    const key = /^Bearer (.+)$/.exec(authorization ?? '')?.[1]
    const found = key === undefined ? undefined : sessionKeys.get(key)
    if (!found) throw new GraphQLError('Not authorized')
    return found
  }

  const user = (spec: CloudAccountSpec) => ({
    id: spec.id ?? `user-${spec.email}`,
    login: [{email: spec.email}],
    memberships: (spec.workspaces ?? []).map((workspace) => ({
      workspace: {
        clusters: (workspace.clusters ?? []).map((cluster) => ({
          connectInfo: {endpoint: cluster.endpoint},
          customConnectionInfo: null,
          id: cluster.id ?? `cluster-${cluster.name}`,
          name: cluster.name,
        })),
        id: workspace.id ?? `ws-${workspace.slug}`,
        name: workspace.name ?? workspace.slug,
        services: (workspace.services ?? []).map((service) => ({
          cluster: service.cluster === null ? null : {connectInfo: null, customConnectionInfo: null, id: `cluster-${service.cluster}`, name: service.cluster},
          id: `service-${service.name}-${service.stage}`,
          name: service.name,
          stage: service.stage,
        })),
        slug: workspace.slug,
      },
    })),
    name: spec.name ?? spec.email.split('@')[0],
  })

  const rootFor = (authorization: string | undefined) => ({
    addServiceToCloudDBIfMissing: () => {
      account(authorization)
      return true
    },
    cloudTokenRequest: ({secret}: {secret: string}) => {
      const login = logins.get(secret)
      if (!login) throw new GraphQLError('No such token request')
      login.polls += 1
      if (login.token === null && approveAfterPolls > 0 && login.polls >= approveAfterPolls) login.token = approvalKey()
      return {secret, token: login.token}
    },
    generateClusterToken: ({input}: {input: {workspaceSlug?: string | null; clusterName: string; serviceName: string; stageName?: string | null}}) => {
      const spec = account(authorization)
      const workspaces = spec.workspaces ?? []
      const workspace =
        input.workspaceSlug && input.workspaceSlug !== '*'
          ? workspaces.find((entry) => entry.slug === input.workspaceSlug)
          : workspaces.find((entry) => (entry.clusters ?? []).some((cluster) => cluster.name === input.clusterName))
      if (!workspace || !(workspace.clusters ?? []).some((cluster) => cluster.name === input.clusterName)) {
        throw new GraphQLError(`Cluster ${input.clusterName} not found in your workspaces`)
      }

      const iat = Math.floor(Date.now() / 1000)
      const service = input.clusterName.startsWith('prisma-') ? `${workspace.slug}~${input.serviceName}` : input.serviceName
      return {
        clusterToken: hs256({exp: iat + 7 * 86_400, grants: [{action: '*', target: `${service}/${input.stageName ?? '*'}`}], iat}, clusterTokenSecret),
      }
    },
    me: () => {
      const key = /^Bearer (.+)$/.exec(authorization ?? '')?.[1]
      const spec = key === undefined ? undefined : sessionKeys.get(key)
      if (!spec) throw new GraphQLError('Not authorized')
      return user(spec)
    },
    renewToken: () => {
      const spec = account(authorization)
      const key = newKey()
      sessionKeys.set(key, spec)
      return key
    },
    requestCloudToken: () => {
      const secret = randomBytes(16).toString('hex')
      logins.set(secret, {polls: 0, token: null})
      return {secret, token: null}
    },
  })

  const server: Server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, {'content-type': 'application/json'})
      response.end(JSON.stringify(body))
    }

    if (request.method !== 'POST') {
      reply(405, {errors: [{message: 'HTTP method not allowed'}]})
      return
    }

    let body: {query?: unknown; variables?: unknown}
    try {
      body = JSON.parse(await readBody(request))
    } catch {
      reply(400, {errors: [{message: 'Body is not JSON'}]})
      return
    }

    const query = typeof body.query === 'string' ? body.query : ''
    const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>
    const authorization = request.headers.authorization
    const fields = [...query.matchAll(/\{\s*([A-Za-z_]\w*)/g)].slice(0, 1).map((match) => match[1])
    requests.push({authorization, fields, query, variables})
    const result = await graphql({rootValue: rootFor(authorization), schema, source: query, variableValues: variables})
    reply(200, result)
  })

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve))
  const address = server.address() as AddressInfo
  return {
    approve(secret, sessionKey) {
      const login = logins.get(secret)
      if (!login) throw new Error(`no login request ${secret}`)
      login.token = sessionKey ?? approvalKey()
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    logins,
    requests,
    sessionKeys,
    url: `http://${address.address}:${address.port}`,
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const index = process.argv.indexOf(`--${name}`)
    return index === -1 ? undefined : process.argv[index + 1]
  }

  const key = arg('key') ?? 'demo-session-key'
  const cloud = await startCloudServer({
    port: Number(arg('port') ?? 4477),
    sessionKeys: {[key]: {email: arg('email') ?? 'demo@example.com', workspaces: [{slug: 'demo', clusters: []}]}},
  })
  process.stdout.write(`Prisma Cloud API stand-in listening on ${cloud.url} (session key ${key})\n`)
}
