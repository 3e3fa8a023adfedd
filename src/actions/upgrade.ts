/**
 * `prisma upgrade` as a use case: read the datamodel (prisma.yml's files, or the deployed one with fromServer), the
 * connector (the flag, the server, or the database URL's scheme), optionally the live database's catalog, plan the
 * Prisma ORM files and write them into one folder, all or nothing.
 */
import {randomBytes} from 'node:crypto'
import {mkdir, readdir, rename, rm, stat, writeFile} from 'node:fs/promises'
import {dirname, join, relative, resolve} from 'node:path'

import {FailedError, NotFoundError, ProjectError, UserError} from '../errors.js'
import {loadProject, type Project} from '../project/index.js'
import {type Catalog, type Connector, type Datamodel, DatamodelProblems, planUpgrade, projectId, readDatamodel, type SchemaNote} from '../upgrade/index.js'

export interface UpgradeOptions {
  cwd: string
  env: Record<string, string | undefined>
  home: string
  /** --project */
  project?: string
  /** --env-file */
  envFile?: string
  /** --out; default `prisma-orm` beside prisma.yml. */
  out?: string
  /** postgres or mysql (checked here: an unknown one is bad input like a bad datamodel). */
  connector?: string
  /** Take the datamodel and the connector from the server's Management API. */
  fromServer?: boolean
  /** Read the catalog of this database to decide what the datamodel alone does not. */
  databaseUrl?: string
  /** Write into a folder that is not empty. */
  force?: boolean
  /** The command's parsed flags, for ${opt:NAME} in prisma.yml. */
  options?: Record<string, unknown>
  signal?: AbortSignal
}

export interface UpgradeIo {
  /** A step the user may want to follow ("Reading the database catalog"). */
  progress: (line: string) => void
  /** A warning or hint (prisma.yml warnings). */
  notice: (line: string) => void
  debug?: (line: string) => void
}

export interface UpgradeResult {
  /** The folder written. */
  out: string
  files: string[]
  connector: Connector
  datamodelVersion: '1.0' | '1.1'
  /** Where the datamodel came from: the datamodel files, or the server. */
  source: 'files' | 'server'
  /** The Postgres schema `service$stage` or the MySQL database `service@stage`. */
  projectId: string
  /** The shape of DATABASE_URL for this service. */
  databaseUrl: string
  /** Whether the live database's catalog was read (--database-url). */
  catalogRead: boolean
  assumptions: string[]
  /** What the database's catalog showed beyond the datamodel (with --database-url). */
  findings: string[]
  /** Every construct of schema.prisma that needed a comment. */
  notes: SchemaNote[]
}

/** Plans and writes the Prisma ORM files for the service of prisma.yml. */
export async function upgrade(o: UpgradeOptions, io: UpgradeIo): Promise<UpgradeResult> {
  const project = await loadProject({
    cwd: o.cwd,
    env: o.env,
    envFile: o.envFile,
    options: o.options,
    project: o.project,
    requireDatamodel: !o.fromServer,
  })
  for (const warning of project.warnings) io.notice(warning)
  if (project.definition.databaseType === 'document') {
    throw new ProjectError(
      `${project.file} says databaseType: document, a MongoDB service. prisma upgrade writes Prisma ORM schemas for the ` +
        'PostgreSQL and MySQL layouts only: Prisma ORM reads MongoDB documents differently (embedded types become composite ' +
        'types, relations are stored as id arrays), and no mapping of a Prisma 1 MongoDB database is written yet. ' +
        'Use `prisma db pull` of Prisma ORM on the MongoDB database instead.',
      {},
    )
  }

  if (o.connector !== undefined && o.connector !== 'postgres' && o.connector !== 'mysql') {
    throw new FailedError(`--connector is postgres or mysql, the databases whose Prisma 1 layout prisma upgrade knows (got "${o.connector}").`)
  }
  const out = resolve(o.cwd, o.out ?? join(project.dir, 'prisma-orm'))
  await checkOut(out, Boolean(o.force))

  const endpoint = project.endpoint
  const assumptions: string[] = []
  let connector = o.connector as Connector | undefined
  let text: string
  let source: UpgradeResult['source']
  let sourceName: string
  if (o.fromServer) {
    const deployed = await readDeployed(project, o, io)
    if (connector !== undefined && deployed.connector !== undefined && connector !== deployed.connector) {
      throw new FailedError(
        `--connector ${connector} contradicts the server, whose database is ${deployed.connector}. Leave out --connector with --from-server.`,
        {},
      )
    }
    connector ??= deployed.connector
    text = deployed.datamodel
    source = 'server'
    sourceName = `the datamodel deployed to ${endpoint!.url}`
  } else {
    text = project.datamodel.text
    source = 'files'
    sourceName = project.datamodel.files.map((file) => relative(project.dir, file) || file).join(', ') || 'the datamodel'
  }
  if (connector === undefined && o.databaseUrl !== undefined) connector = connectorOfUrl(o.databaseUrl)
  if (connector === undefined) {
    throw new FailedError(
      'The database of this service is unknown: prisma.yml does not say whether the Prisma 1 server ran on PostgreSQL or MySQL. ' +
        'Pass --connector postgres or --connector mysql, or --from-server to ask the server.',
      {},
    )
  }

  let datamodel: Datamodel
  try {
    datamodel = await readDatamodel(text, {connector, source: sourceName})
  } catch (error) {
    if (!(error instanceof DatamodelProblems)) throw error
    throw new ProjectError(
      `${error.message}. The Prisma 1 server would have refused this datamodel, so no database has its layout: fix ${
        source === 'server' ? 'the deployed datamodel' : 'the datamodel'
      } and run prisma upgrade again.`,
      {},
    )
  }

  const service = endpoint?.service ?? 'default'
  const stage = endpoint?.stage ?? 'default'
  if (!endpoint) assumptions.push('prisma.yml has no endpoint, so the service is the server\'s default one: "default" in stage "default".')

  let catalog: Catalog | undefined
  if (o.databaseUrl !== undefined) {
    io.progress('Reading the database catalog')
    const {readCatalog} = await import('./upgrade-catalog.js')
    catalog = await readCatalog({
      connector,
      debug: io.debug,
      projectId: projectId({connector, service, stage, workspace: endpoint?.workspace}),
      url: o.databaseUrl,
    })
  }

  const plan = planUpgrade({assumptions, catalog, connector, datamodel, service, source: sourceName, stage, workspace: endpoint?.workspace})
  await writeAll(out, plan.files, Boolean(o.force))
  return {
    assumptions: plan.assumptions,
    catalogRead: catalog !== undefined,
    connector,
    databaseUrl: plan.urlShape,
    datamodelVersion: plan.layout.version,
    files: plan.files.map((file) => join(out, file.name)),
    findings: plan.findings,
    notes: plan.notes,
    out,
    projectId: plan.projectId,
    source,
  }
}

function connectorOfUrl(url: string): Connector | undefined {
  if (/^postgres(ql)?:/i.test(url)) return 'postgres'
  if (/^(mysql|mariadb):/i.test(url)) return 'mysql'
  throw new FailedError('--database-url must be a postgresql:// or mysql:// URL of the database the Prisma 1 server used.')
}

async function readDeployed(project: Project, o: UpgradeOptions, io: UpgradeIo): Promise<{datamodel: string; connector?: Connector}> {
  if (!project.endpoint) {
    throw new ProjectError(`${project.file} has no endpoint, so there is no server to ask: add the endpoint, or leave out --from-server.`)
  }
  const {openStage} = await import('./stage.js')
  const context = await openStage({
    cwd: o.cwd,
    env: o.env,
    flags: {...o.options, 'env-file': o.envFile, project: o.project},
    io,
    signal: o.signal,
  })
  const client = await context.managementClient()
  io.progress(`Reading the deployed datamodel from ${context.endpoint.url}`)
  const name = context.endpoint.managementName
  const answer = await client.request<{project?: {datamodel?: string | null} | null; serverInfo?: {primaryConnector?: string | null} | null}>(
    'upgradeDatamodel',
    'query upgradeDatamodel($name: String!, $stage: String!) { project(name: $name, stage: $stage) { datamodel } serverInfo { primaryConnector } }',
    {name, stage: context.endpoint.stage},
    {idempotent: true},
  )
  const datamodel = answer.project?.datamodel
  if (datamodel === undefined || datamodel === null || datamodel.trim() === '') {
    throw new NotFoundError(`The server at ${context.endpoint.url} has no datamodel for ${name} in stage ${context.endpoint.stage}: deploy it first, or leave out --from-server.`)
  }
  const primary = answer.serverInfo?.primaryConnector ?? undefined
  if (primary === 'mongo') {
    throw new ProjectError(
      `The server at ${context.endpoint.url} runs on MongoDB. prisma upgrade writes Prisma ORM schemas for the PostgreSQL and MySQL layouts only; ` +
        'use `prisma db pull` of Prisma ORM on the MongoDB database instead.',
      {},
    )
  }
  const connector = primary === 'postgres' ? 'postgres' : primary === 'mysql' ? 'mysql' : undefined
  if (primary !== undefined && connector === undefined) io.notice(`The server names its database "${primary}", which prisma upgrade does not know; pass --connector.`)
  return {connector, datamodel}
}

async function checkOut(out: string, force: boolean): Promise<void> {
  const info = await stat(out).catch(() => undefined)
  if (info === undefined) return
  if (!info.isDirectory()) {
    throw new FailedError(`${out} exists and is not a folder: choose another --out.`)
  }
  const entries = await readdir(out)
  if (entries.length > 0 && !force) {
    throw new FailedError(`${out} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}). Pass --force to replace the files prisma upgrade writes there, or choose another --out.`)
  }
}

/** Writes every file into a fresh folder beside `out`, then moves them in: a failure leaves `out` as it was. */
async function writeAll(out: string, files: Array<{name: string; text: string}>, force: boolean): Promise<void> {
  const parent = dirname(out)
  const staging = join(parent, `.${randomBytes(4).toString('hex')}.prisma-upgrade.tmp`)
  try {
    await mkdir(parent, {recursive: true})
    await mkdir(staging)
    for (const file of files) await writeFile(join(staging, file.name), file.text)
  } catch (error) {
    await rm(staging, {force: true, recursive: true}).catch(() => {})
    throw new FailedError(`Cannot write into ${parent}: ${(error as NodeJS.ErrnoException).code ?? String(error)}. Choose a writable --out.`, {cause: error})
  }
  try {
    const exists = await stat(out).catch(() => undefined)
    if (exists === undefined) {
      await rename(staging, out)
      return
    }
    if (!force && (await readdir(out)).length > 0) throw new FailedError(`${out} is not empty: pass --force, or choose another --out.`)
    for (const file of files) await rename(join(staging, file.name), join(out, file.name))
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new FailedError(`Cannot write into ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}. Choose a writable --out.`, {cause: error})
  } finally {
    await rm(staging, {force: true, recursive: true}).catch(() => {})
  }
}
