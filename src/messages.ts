/** Advice that several commands give, written once. */

export const managementSecretVariable = 'PRISMA_MANAGEMENT_API_SECRET'

/** What to set the secret to and where (follows "set" in a sentence). */
export const managementSecretSetting =
  `${managementSecretVariable} to the managementApiSecret your Prisma server was started with, ` +
  `e.g. export ${managementSecretVariable}=<secret>, or a line ${managementSecretVariable}=<secret> in .env ` +
  '(or in the file given with --env-file)'

/** How to give the tool the server's management API secret. */
export const managementSecretAdvice = `Set ${managementSecretSetting}`

/** The way out when a stored credential cannot be used: the explicit secret, which always wins. */
export const secretInstead = `set ${managementSecretVariable} instead`

/** How to name the service and stage to deploy to, for a prisma.yml without a usable endpoint. */
export function endpointAdvice(file: string): string {
  return `Add \`endpoint: http://localhost:4466/<service>/<stage>\` to ${file}, or set PRISMA_MANAGEMENT_API_ENDPOINT`
}

/** The variable that names the endpoint when prisma.yml has none. */
export const endpointVariable = 'PRISMA_MANAGEMENT_API_ENDPOINT'
