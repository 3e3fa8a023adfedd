/** What the tool says after the endpoint wizard: the endpoint written, or the variable to set. */

export function formatEndpointWritten(endpoint: string, previous: string | undefined, fileName = 'prisma.yml'): string {
  return `Written endpoint \`${endpoint}\` to ${fileName}${previous === undefined ? '' : ` (it was \`${previous}\`)`}`
}

/**
 * prisma.yml takes its endpoint from a variable: it stays as it is, and the user learns what to set so that the
 * chosen endpoint becomes the default.
 */
export function formatEndpointVariableHint(variable: string, endpoint: string, fileName = 'prisma.yml'): string {
  const env = /^\$\{\s*env:([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(variable.trim())
  if (env) {
    return (
      `${fileName} takes its endpoint from the environment variable ${env[1]}, so the file was not changed. ` +
      `Deploying to \`${endpoint}\` this time; to make it the default, set ${env[1]}=${endpoint} ` +
      '(for example in the .env file passed with --env-file).'
    )
  }

  return (
    `${fileName} takes its endpoint from \`${variable}\`, so the file was not changed. ` +
    `Deploying to \`${endpoint}\` this time; to make it the default, make \`${variable}\` resolve to it.`
  )
}
