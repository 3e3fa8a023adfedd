// ESLint: the recommended JavaScript and typescript-eslint rules (syntax only; the type-aware rule sets would
// type-check the whole project a second time on every lint run), plus the direction of imports inside src/:
// commands -> actions -> domain folders -> errors.ts. Commands see actions/ and the renderers of output/ only; each
// domain folder sees its declared neighbours only; output/ sees domain types only; wizard/ asks and returns a choice.
import js from '@eslint/js'
import {defineConfig} from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// What an import names, as regular expressions. Files in a src/ folder reach the rest of src/ through `../`.
const oclif = {regex: '^@oclif/', message: 'Only src/commands, base-command.ts, flags.ts and oclif-runtime.ts use oclif.'}
const inquirer = {regex: '^@inquirer/', message: 'Prompts go through the Prompter of src/wizard.'}
const commandLayer = {
  regex: '^\\.\\./(commands/|actions/|base-command\\.js$|flags\\.js$)',
  message: 'Imports go one way: commands -> actions -> domain, never the reverse.',
}
const network = {
  regex: '^(node:)?(http|https|http2|net|tls|dgram)$|^undici$|^\\.\\./http/',
  message: 'Only src/http and the API clients on it talk to the network.',
}
const fileSystem = {regex: '^(node:)?fs(/promises)?$', message: 'Formatters return strings; they touch no files.'}
const processes = {regex: '^(node:)?child_process$', message: 'Formatters return strings; they start no processes.'}
/** Within src/, a folder may use the listed files and folders (`name/`) only. */
function onlyFrom(names, message) {
  const allowed = names.map((name) => (name.endsWith('/') ? name : `${name.replace('.', '\\.')}$`))
  return {regex: allowed.length === 0 ? '^\\.\\./' : `^\\.\\./(?!${allowed.join('|')})`, message}
}

const typesOnly = (restriction) => ({...restriction, allowTypeImports: true})

/**
 * One folder's imports. `no-restricted-imports` sees import and export statements; `import()` is checked through
 * `no-restricted-syntax` with the same expressions, except for a restriction marked `dynamicImportAllowed` (a
 * module to be loaded on first use only). `extraSyntax` adds more `no-restricted-syntax` entries for these files.
 */
function boundary(files, restrictions, {extraSyntax = []} = {}) {
  const dynamic = restrictions.filter((restriction) => !restriction.dynamicImportAllowed)
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: restrictions.map(({regex, message, allowTypeImports}) => ({regex, message, allowTypeImports})),
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...dynamic.map(({regex, message}) => ({
          // esquery reads a regular expression up to the first slash, so slashes are written as \x2F.
          selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`,
          message,
        })),
        ...extraSyntax,
      ],
    },
  }
}

// Domain modules return data and throw typed errors; the command prints and decides the exit code (console is
// covered by no-console for all of src/).
const quiet = [
  {
    selector: "MemberExpression[object.name='process'][property.name=/^(stdout|stderr|exit)$/]",
    message: 'Domain modules never print or exit: return a result, throw a UserError, or take a callback.',
  },
]
/**
 * A folder below the commands: no oclif, no inquirer, nothing from the command layer, within src/ only `allowed`,
 * never printing or exiting unless `prints` (a folder that writes DEBUG lines itself).
 */
function domainFolder(files, {allowed, why, offline = false, prints = false}) {
  const restrictions = [oclif, inquirer, commandLayer, ...(offline ? [network] : []), onlyFrom(allowed, why)]
  return boundary(files, restrictions, {extraSyntax: prints ? [] : quiet})
}

export default defineConfig(
  {ignores: ['dist/', 'node_modules/', '.cache/', 'coverage/', 'fixtures/']},
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {globals: globals.node},
    linterOptions: {reportUnusedDisableDirectives: 'error'},
    rules: {
      // `_`-prefixed names mark a parameter kept for its position (a callback's signature); everything else unused
      // is an error, as `noUnusedLocals` already makes it for tsc.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'},
      ],
    },
  },
  // CommonJS files (test helpers that run code of the original CLI as it runs itself) load modules with require().
  {
    files: ['**/*.cjs'],
    languageOptions: {sourceType: 'commonjs'},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  {files: ['src/**/*.ts'], rules: {'no-console': 'error'}},

  // Command files are leaves: they parse, call their action, render its result with output/ and return it.
  boundary(['src/commands/*.ts'], [
    {regex: '^\\./', message: 'A command does not import another command.'},
    onlyFrom(
      ['base-command.js', 'flags.js', 'errors.js', 'actions/', 'output/'],
      'A command calls its action (src/actions) and renders with src/output; the domain is the action\'s business.',
    ),
  ]),
  // The use cases: one module per command, each composing the domain for one run through openStage() and the
  // injected Io. An action never prints, prompts on its own, exits or reaches the command layer.
  boundary(
    ['src/actions/**/*.ts'],
    [oclif, inquirer, {regex: '^\\.\\./(commands/|base-command\\.js$|flags\\.js$)', message: 'Imports go one way: commands -> actions -> domain, never the reverse.'}],
    {extraSyntax: quiet},
  ),
  // The base command and the shared flags load with every command, so they stay on oclif, errors.ts, the duration
  // parser behind durationFlag and the Io of actions/io.ts (the base command builds it); the domain is loaded by the
  // command that needs it.
  boundary(['src/base-command.ts', 'src/flags.ts'], [
    {regex: '^\\./(?!(errors|duration|actions/io)\\.js$)', message: 'The base command and shared flags load no domain module.'},
  ]),
  boundary(['src/errors.ts'], [{regex: '^\\.', message: 'errors.ts is the bottom: it imports nothing from src.'}]),
  // Small shared pieces at the top of src/ (duration parsing, signal state, advice texts, finding a program on PATH)
  // sit just above errors.ts.
  boundary(['src/duration.ts', 'src/signals.ts', 'src/messages.ts', 'src/find-program.ts'], [
    oclif,
    {regex: '^\\./(?!errors\\.js$)', message: 'Shared pieces at the top of src/ use errors.ts only.'},
  ]),

  // The domain folders: each knows errors.ts and the few modules listed, nothing above.
  // tokens/ also holds the clipboard copy of a printed token, so it may start a process, never reach the network.
  domainFolder(['src/tokens/**/*.ts'], {
    allowed: ['errors.js', 'messages.js', 'find-program.js'],
    why: 'tokens/ signs with the values it is given and imports errors.ts and the shared advice only.',
    offline: true,
  }),
  // Which hosts are Prisma Cloud is decided in one place, cloud-api/hosts.ts (pure, no network).
  domainFolder(['src/project/**/*.ts'], {
    allowed: ['errors.js', 'messages.js', 'signals.js', 'cloud-api/hosts.js'],
    why: 'project/ reads the project file; the command combines it with other modules.',
    offline: true,
  }),
  // ${env:NAME} in config.yml is resolved by prisma.yml's one resolver.
  domainFolder(['src/global-config/**/*.ts'], {
    allowed: ['errors.js', 'project/variables.js', 'project/endpoint-rewrite.js'],
    why: 'global-config/ owns ~/.prisma/config.yml and imports errors.ts, the variable resolver and the atomic writer only.',
    offline: true,
  }),
  // The management API and the cloud API share the GraphQL transport of src/http; the caller passes a token string
  // and a URL, so neither knows tokens or the project. The cloud API's session policy (login, logout) keeps the
  // session key in the global config.
  domainFolder(['src/management-api/**/*.ts'], {
    allowed: ['errors.js', 'duration.js', 'time.js', 'messages.js', 'http/'],
    why: 'An API client takes its token and URL from the caller.',
  }),
  domainFolder(['src/cloud-api/**/*.ts'], {
    allowed: ['errors.js', 'duration.js', 'time.js', 'signals.js', 'http/', 'global-config/'],
    why: 'An API client takes its token and URL from the caller.',
  }),
  domainFolder(['src/http/**/*.ts'], {allowed: ['errors.js', 'duration.js', 'time.js'], why: 'src/http is the transport only.'}),

  // deploy/ is the deploy flow against the management client it is given: task lines through the progress writer,
  // the result as events, hooks run as processes, the clients generated after the migration.
  domainFolder(['src/deploy/**/*.ts'], {
    allowed: ['errors.js', 'duration.js', 'time.js', 'find-program.js', 'http/', 'management-api/', 'output/', 'generate/'],
    why: 'deploy/ runs the deploy flow with the client it is given; prisma.yml, the endpoint and the credential are the action\'s.',
  }),
  // generate/ runs the project's own client generators; progress goes through the writer it is given.
  domainFolder(['src/generate/**/*.ts'], {
    allowed: ['errors.js', 'duration.js', 'signals.js', 'http/', 'output/', 'project/', 'tokens/'],
    why: 'generate/ writes the clients of a project; it neither prompts nor reaches the command layer.',
  }),
  // data/ runs seed, reset, export and import against a service's API; progress goes through the callbacks and
  // renderers it is given (the deploy's progress writer), never to the terminal directly.
  domainFolder(['src/data/**/*.ts'], {
    allowed: ['errors.js', 'duration.js', 'time.js', 'signals.js', 'http/', 'management-api/errors.js', 'output/', 'deploy/hooks.js'],
    why: 'data/ moves a service\'s data; it neither prompts nor reaches the command layer.',
  }),
  // auth/ finds the credentials a token command or deploy needs (project, global config, cloud API, signing); its
  // DEBUG lines go through the callback it is given.
  domainFolder(['src/auth/**/*.ts'], {
    allowed: ['errors.js', 'messages.js', 'tokens/', 'project/', 'global-config/', 'cloud-api/'],
    why: 'auth/ finds credentials; it neither deploys, prompts nor formats.',
  }),

  // upgrade/ turns a Prisma 1 datamodel into Prisma ORM files: text in, text out (graphql loaded on first use), no
  // files, no processes, no network.
  boundary(['src/upgrade/**/*.ts'], [
    oclif,
    inquirer,
    commandLayer,
    network,
    fileSystem,
    processes,
    onlyFrom([], 'upgrade/ is pure: it imports nothing else from src.'),
  ], {extraSyntax: quiet}),
  // The wizard asks through the prompter it is given and returns a choice: inquirer only through import() on first
  // use (the terminal's prompter). What it offers comes from the action (actions/deploy-endpoint.ts), which probes
  // the servers and writes the chosen endpoint into prisma.yml; the wizard reaches no server and writes no file.
  boundary(
    ['src/wizard/**/*.ts'],
    [
      oclif,
      commandLayer,
      network,
      fileSystem,
      processes,
      typesOnly({...inquirer, message: 'Load inquirer with import() where it prompts.', dynamicImportAllowed: true}),
      typesOnly(
        onlyFrom(
          ['errors.js', 'messages.js', 'cloud-api/hosts.js', 'project/endpoint.js'],
          'The wizard asks and returns a choice; servers and prisma.yml are the action\'s.',
        ),
      ),
    ],
    {extraSyntax: quiet},
  ),
  // Formatters: chalk, durations and domain types in, strings out.
  boundary(['src/output/**/*.ts'], [
    oclif,
    inquirer,
    commandLayer,
    network,
    fileSystem,
    processes,
    typesOnly(onlyFrom(['duration.js'], 'Formatters see domain types only.')),
  ]),
)
