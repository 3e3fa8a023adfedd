/** Advice that several commands give, written once. */

export const managementSecretVariable = 'PRISMA_MANAGEMENT_API_SECRET'

/** How to give the tool the server's management API secret. */
export const managementSecretAdvice =
  `Set ${managementSecretVariable} to the managementApiSecret your Prisma server was started with, ` +
  `e.g. export ${managementSecretVariable}=<secret>, or a line ${managementSecretVariable}=<secret> in .env ` +
  '(or in the file given with --env-file)'
