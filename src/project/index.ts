// The project file (prisma.yml): locating, environment, variables, schema, endpoint parsing and loading.
export {apiEndpoint, type ParsedEndpoint, parseEndpoint, SHARED_HOSTS} from './endpoint.js'
export {loadEnvironment, type LoadEnvironmentOptions} from './env-file.js'
export {findProjectFile} from './locate.js'
export {type LoadProjectOptions, loadProject, missingEndpoint, NOT_FOUND_MESSAGE, type Project, type ProjectSubscription} from './load.js'
export {MAX_TEXT_FILE_BYTES, readTextFile} from './read-text.js'
export {
  type DatabaseType,
  KNOWN_PROPERTIES,
  type PrismaDefinition,
  type SubscriptionDefinition,
  validateDefinition,
  type WebhookWithHeaders,
} from './schema.js'
export {type ResolvedDocument, resolveVariables, type VariableContext} from './variables.js'
export {parseYaml} from './yaml.js'
