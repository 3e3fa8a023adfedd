/**
 * In-memory projects and migrations of the stand-in server, and the background migration worker
 * (PENDING -> IN_PROGRESS -> SUCCESS, or ROLLING_BACK -> ROLLBACK_SUCCESS for a failing migration).
 */
import {EMPTY_SCHEMA, type DmSchema} from './datamodel.js'
import {ProjectData, schemaIndex} from './data-store.js'
import type {Step} from './steps.js'

export type MigrationStatus = 'PENDING' | 'IN_PROGRESS' | 'SUCCESS' | 'ROLLING_BACK' | 'ROLLBACK_SUCCESS' | 'ROLLBACK_FAILURE'
export const OPEN_STATUSES: MigrationStatus[] = ['PENDING', 'IN_PROGRESS', 'ROLLING_BACK']

export interface MigrationRecord {
  projectId: string
  revision: number
  status: MigrationStatus
  applied: number
  rolledBack: number
  errors: string[]
  startedAt: string | null
  finishedAt: string | null
  datamodel: string
  steps: Step[]
  schema: DmSchema
  /** Set when this migration is going to fail: the errors it will report. */
  failWith?: string[]
}

export interface ProjectRecord {
  name: string
  stage: string
  secrets: string[]
  subscriptions: unknown[]
  /** Ascending by revision. */
  migrations: MigrationRecord[]
  /** Models marked as holding rows (besides the rows actually stored in `data`). */
  modelsWithData: Set<string>
  /** The stage's nodes, scalar lists and relations. */
  data: ProjectData
}

export type Connector = 'postgres' | 'mysql' | 'mongo' | 'sqlite'

/** The separator of encoded project ids depends on the server's database connector. */
export function separatorOf(connector: Connector): string {
  return connector === 'postgres' ? '$' : connector === 'mysql' ? '@' : '_'
}

export function projectId(name: string, stage: string, separator = '$'): string {
  return [name, stage].filter((part) => part !== '').join(separator) + (name === '' || stage === '' ? `${separator}default` : '')
}

const DEFAULT_FAILURE = [
  'java.sql.SQLException: The migration step failed to apply.\n\tat com.prisma.deploy.migration.MigrationApplierImpl.applyStep(MigrationApplier.scala:97)\n\tat com.prisma.deploy.migration.MigrationApplierImpl.recurseForward(MigrationApplier.scala:58)\n\tat scala.concurrent.Future.flatMap(Future.scala:303)',
]

export class Store {
  readonly projects = new Map<string, ProjectRecord>()
  cloudSecret: string | null = null
  private failNext: string[] | null = null
  private held = false
  private timer: NodeJS.Timeout

  constructor(
    stepMs: number,
    readonly separator = '$',
  ) {
    this.timer = setInterval(() => this.tick(), Math.max(1, stepMs))
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  id(name: string, stage: string): string {
    return projectId(name, stage, this.separator)
  }

  get(name: string, stage: string): ProjectRecord | undefined {
    return this.projects.get(this.id(name, stage))
  }

  add(name: string, stage: string, secrets: string[]): ProjectRecord {
    const id = this.id(name, stage)
    const record: ProjectRecord = {
      name,
      stage,
      secrets,
      subscriptions: [],
      modelsWithData: new Set(),
      data: new ProjectData(),
      migrations: [
        {
          projectId: id,
          revision: 1,
          status: 'SUCCESS',
          applied: 0,
          rolledBack: 0,
          errors: [],
          startedAt: null,
          finishedAt: null,
          datamodel: '',
          steps: [],
          schema: EMPTY_SCHEMA,
        },
      ],
    }
    this.projects.set(id, record)
    return record
  }

  delete(name: string, stage: string): void {
    this.projects.delete(this.id(name, stage))
  }

  lastSuccess(project: ProjectRecord): MigrationRecord | undefined {
    return [...project.migrations].reverse().find((m) => m.status === 'SUCCESS')
  }

  currentSchema(project: ProjectRecord): DmSchema {
    return this.lastSuccess(project)?.schema ?? EMPTY_SCHEMA
  }

  openMigration(project: ProjectRecord): MigrationRecord | undefined {
    return project.migrations.find((m) => OPEN_STATUSES.includes(m.status))
  }

  /** Oldest open migration, else newest successful one. */
  migrationStatus(project: ProjectRecord): MigrationRecord | undefined {
    return this.openMigration(project) ?? this.lastSuccess(project)
  }

  createMigration(project: ProjectRecord, datamodel: string, steps: Step[], schema: DmSchema): MigrationRecord {
    const revision = Math.max(0, ...project.migrations.map((m) => m.revision)) + 1
    const migration: MigrationRecord = {
      projectId: this.id(project.name, project.stage),
      revision,
      status: 'PENDING',
      applied: 0,
      rolledBack: 0,
      errors: [],
      startedAt: null,
      finishedAt: null,
      datamodel,
      steps,
      schema,
    }
    if (this.failNext) {
      migration.failWith = this.failNext
      this.failNext = null
    }
    project.migrations.push(migration)
    return migration
  }

  failNextMigration(errors?: string[]): void {
    this.failNext = errors && errors.length > 0 ? errors : DEFAULT_FAILURE
  }

  hold(hold: boolean): void {
    this.held = hold
  }

  /** One unit of background work per project with an open migration. */
  private tick(): void {
    if (this.held) return
    const now = new Date().toISOString()
    for (const project of this.projects.values()) {
      const m = this.openMigration(project)
      if (!m) continue
      switch (m.status) {
        case 'PENDING':
          m.status = 'IN_PROGRESS'
          m.startedAt = now
          break
        case 'IN_PROGRESS': {
          const failAt = Math.max(0, m.steps.length - 1)
          if (m.failWith && m.applied >= failAt) {
            m.status = 'ROLLING_BACK'
            m.errors = [...m.failWith]
          } else if (m.applied < m.steps.length) {
            m.applied += 1
          }
          if (m.status === 'IN_PROGRESS' && m.applied >= m.steps.length) {
            project.data.adapt(schemaIndex(this.currentSchema(project)), schemaIndex(m.schema))
            m.status = 'SUCCESS'
            m.finishedAt = now
          }
          break
        }
        case 'ROLLING_BACK':
          if (m.rolledBack < m.applied) m.rolledBack += 1
          else {
            m.status = 'ROLLBACK_SUCCESS'
            m.finishedAt = now
          }
          break
        default:
          break
      }
    }
  }
}
