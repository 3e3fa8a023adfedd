/**
 * Service and stage names as the Prisma server accepts them, checked before anything is sent, and the default
 * service name taken from the project's folder.
 */
import {basename, dirname} from 'node:path'

// The server's rules: a service name of up to 140 characters (its message says 30, which holds for stages only), a
// stage name of up to 30. `~` (which the server also allows in service names) is left out: it joins a workspace
// and a service name in the server's project ids.
const limits = {service: 140, stage: 30}
const namePattern = /^[A-Za-z][A-Za-z0-9_-]*$/
// the server keeps these for its own routes
const reserved = new Set(['cluster', 'management', 'export', 'import'])

/** True, or the reason the name would be refused by the server. */
export function validateName(kind: 'service' | 'stage', value: string): string | true {
  if (value === '') return `Enter a ${kind} name.`
  if (reserved.has(value)) return `\`${value}\` is reserved by the Prisma server; choose another ${kind} name.`
  if (!namePattern.test(value) || value.length > limits[kind]) {
    return (
      `\`${value}\` is not a valid ${kind} name: it must start with a letter and may contain up to ${limits[kind]} letters, ` +
      'digits, underscores (_) and hyphens (-).'
    )
  }

  return true
}

/**
 * The folder holding prisma.yml (its parent when that folder is called `prisma`), prefixed `service-` when it starts
 * with a digit, and made into a valid name where possible (other characters become `-`, at most 140 characters).
 * Undefined when nothing usable remains.
 */
export function defaultServiceName(projectDir: string): string | undefined {
  let folder = basename(projectDir)
  if (folder === 'prisma') folder = basename(dirname(projectDir))
  if (/^\d/.test(folder)) folder = `service-${folder}`
  const cleaned = folder.replaceAll(/[^A-Za-z0-9_-]+/g, '-').slice(0, limits.service)
  return validateName('service', cleaned) === true ? cleaned : undefined
}
