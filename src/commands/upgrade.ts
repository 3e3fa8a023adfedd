import {Flags} from '@oclif/core'

import type {UpgradeResult} from '../actions/upgrade.js'
import {BaseCommand} from '../base-command.js'
import {projectFlags} from '../flags.js'

export type {UpgradeResult} from '../actions/upgrade.js'

export default class Upgrade extends BaseCommand {
  static override summary = 'Write a Prisma ORM 7 schema that maps onto the Prisma 1 database as it is, and the SQL that modernizes it'

  static override description = `Writes into --out (default: prisma-orm/ beside prisma.yml), all or nothing: schema.prisma (Prisma ORM over the unchanged Prisma 1 database), prisma.config.ts (DATABASE_URL), upgrade.sql (idempotent statements that modernize the database, each commented) and schema.upgraded.prisma (the schema after upgrade.sql).

The layout follows from the datamodel, its version (1.0 or 1.1) and the connector. --database-url reads the live database's catalog where the datamodel alone does not decide (a database first deployed with datamodel 1.0, relation tables kept after a rename); without it every assumption is listed.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --connector postgres',
    '<%= config.bin %> <%= command.id %> --from-server --out ../app/prisma',
    '<%= config.bin %> <%= command.id %> --connector mysql --database-url "mysql://root:secret@localhost:3306" --json',
  ]

  static override flags = {
    out: Flags.string({description: 'Folder to write the files into (default: prisma-orm/ beside prisma.yml)', helpValue: 'DIR'}),
    connector: Flags.string({description: 'The database the Prisma 1 server used: postgres or mysql', helpValue: 'postgres|mysql'}),
    'from-server': Flags.boolean({description: 'Take the deployed datamodel and the connector from the server', default: false}),
    'database-url': Flags.string({description: 'Read this database\'s catalog to decide what the datamodel alone does not', helpValue: 'URL'}),
    force: Flags.boolean({description: 'Write into a folder that is not empty', default: false}),
    ...projectFlags,
  }

  async run(): Promise<UpgradeResult> {
    const {flags} = await this.parse(Upgrade)
    const {upgrade} = await import('../actions/upgrade.js')
    const {homedir} = await import('node:os')
    const env = {...process.env}
    const io = this.io()
    const result = await upgrade(
      {
        connector: flags.connector,
        cwd: process.cwd(),
        databaseUrl: flags['database-url'],
        env,
        envFile: flags['env-file'],
        force: flags.force,
        fromServer: flags['from-server'],
        home: env.HOME || homedir(),
        options: flags,
        out: flags.out,
        project: flags.project,
      },
      {debug: io.debug, notice: io.notice, progress: io.notice},
    )
    this.log(`Wrote ${result.files.map((file) => file.slice(result.out.length + 1)).join(', ')} into ${result.out} (datamodel ${result.datamodelVersion}, ${result.connector}).`)
    this.log(`Set DATABASE_URL=${result.databaseUrl}`)
    if (result.connector === 'postgres') this.log(`With @prisma/adapter-pg pass the schema to the adapter: new PrismaPg({connectionString}, {schema: '${result.projectId}'})`)
    for (const finding of result.findings) this.log(`Read from the database: ${finding}`)
    for (const assumption of result.assumptions) this.log(`Assumed: ${assumption}`)
    if (result.notes.length > 0) this.log(`${result.notes.length} fields carry a comment in schema.prisma where Prisma ORM differs from Prisma 1.`)
    return result
  }
}
