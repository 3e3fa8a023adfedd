// Finds the project's prisma.yml: --project, ./prisma.yml, ./prisma/prisma.yml, or the nearest one upward.
import {access} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'

import {UserError} from '../errors.js'

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

export async function findProjectFile(o: {cwd: string; project?: string}): Promise<string | undefined> {
  if (o.project !== undefined) {
    if (o.project.trim() === '') throw new UserError('--project was given an empty path. Pass the path of your prisma.yml.')
    const file = resolve(o.cwd, o.project)
    if (!(await exists(file))) {
      throw new UserError(`Prisma definition path specified by --project '${file}' does not exist. Pass the path of your prisma.yml (relative to ${o.cwd}).`)
    }
    return file
  }
  const cwd = resolve(o.cwd)
  for (const candidate of [join(cwd, 'prisma.yml'), join(cwd, 'prisma', 'prisma.yml')]) {
    if (await exists(candidate)) return candidate
  }
  let dir = dirname(cwd)
  for (;;) {
    const candidate = join(dir, 'prisma.yml')
    if (await exists(candidate)) return candidate
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}
