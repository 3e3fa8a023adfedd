// The import rules of eslint.config.js fire where they should and stay quiet where the layout allows an import:
// each case lints a few lines as if they were a file of that folder.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {test} from 'node:test'

import {ESLint} from 'eslint'

import {repoRoot} from '../helpers/cli.js'

const eslint = new ESLint({cwd: repoRoot})

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {filePath: join(repoRoot, file)})
  return result.messages.map((message) => `${message.ruleId}: ${message.message}`)
}

const cases: {file: string; code: string; expected: RegExp[]}[] = [
  {
    file: 'src/upgrade/example.ts',
    code: "import {writeFile} from 'node:fs/promises'\nexport const write = writeFile\n",
    expected: [/Formatters return strings; they touch no files/],
  },
  {
    file: 'src/upgrade/example.ts',
    code: "import {loadProject} from '../project/index.js'\nexport const load = loadProject\n",
    expected: [/upgrade\/ is pure/],
  },
  {
    file: 'src/actions/upgrade.ts',
    code: "import {planUpgrade} from '../upgrade/index.js'\nimport {loadProject} from '../project/index.js'\nexport const parts = [planUpgrade, loadProject]\n",
    expected: [],
  },
  {
    file: 'src/project/example.ts',
    code: "import {Flags} from '@oclif/core'\nexport const flags = Flags\n",
    expected: [/no-restricted-imports: .*Only src\/commands, base-command.ts, flags.ts and oclif-runtime.ts use oclif/],
  },
  {
    file: 'src/project/example.ts',
    code: "export async function sign() {\n  return import('../tokens/index.js')\n}\n",
    expected: [/no-restricted-syntax: project\/ reads the project file/],
  },
  {
    file: 'src/management-api/example.ts',
    code: "import {signHs256} from '../tokens/index.js'\nexport const sign = signHs256\n",
    expected: [/An API client takes its token and URL from the caller/],
  },
  {
    file: 'src/actions/example.ts',
    code: "import {loadProject} from '../project/index.js'\nimport {ManagementClient} from '../management-api/client.js'\nexport const parts = [loadProject, ManagementClient]\n",
    expected: [],
  },
  {
    file: 'src/actions/example.ts',
    code: "import {BaseCommand} from '../base-command.js'\nexport const base = BaseCommand\n",
    expected: [/commands -> actions -> domain, never the reverse/],
  },
  {
    file: 'src/actions/example.ts',
    code: "export function report(line: string) {\n  process.stdout.write(line)\n}\n",
    expected: [/Domain modules never print or exit/],
  },
  {
    file: 'src/commands/example.ts',
    code: "import {loadProject} from '../project/index.js'\nexport const load = loadProject\n",
    expected: [/A command calls its action/],
  },
  {
    file: 'src/commands/example.ts',
    code: "import {info} from '../actions/info.js'\nimport {formatServiceInfo} from '../output/services.js'\nexport const parts = [info, formatServiceInfo]\n",
    expected: [],
  },
  {
    file: 'src/deploy/example.ts',
    code: "import {openStage} from '../actions/stage.js'\nexport const open = openStage\n",
    expected: [/commands -> actions -> domain, never the reverse/, /deploy\/ runs the deploy flow/],
  },
  {
    file: 'src/deploy/example.ts',
    code: "import {chooseEndpoint} from '../wizard/index.js'\nexport const choose = chooseEndpoint\n",
    expected: [/deploy\/ runs the deploy flow/],
  },
  {
    file: 'src/wizard/example.ts',
    code: "import {writeEndpoint} from '../project/endpoint-rewrite.js'\nexport const write = writeEndpoint\n",
    expected: [/The wizard asks and returns a choice/],
  },
  {
    file: 'src/wizard/example.ts',
    code: "import {writeFile} from 'node:fs/promises'\nexport const write = writeFile\n",
    expected: [/touch no files/],
  },
  {
    file: 'src/wizard/example.ts',
    code: "import {probeServer} from '../management-api/probe.js'\nexport const probe = probeServer\n",
    expected: [/The wizard asks and returns a choice/],
  },
  {
    file: 'src/auth/example.ts',
    code: "export function report(line: string) {\n  process.stderr.write(line)\n}\n",
    expected: [/Domain modules never print or exit/],
  },
  {
    file: 'src/output/example.ts',
    code: "import {readFileSync} from 'node:fs'\nexport const read = readFileSync\n",
    expected: [/Formatters return strings; they touch no files/],
  },
  {
    file: 'src/output/example.ts',
    code: "import {loadProject} from '../project/index.js'\nexport const load = loadProject\n",
    expected: [/Formatters see domain types only/],
  },
  {
    file: 'src/output/example.ts',
    code: "import type {Project} from '../project/index.js'\nexport const name = (project: Project) => project.name\n",
    expected: [],
  },
  {
    file: 'src/wizard/example.ts',
    code: "import input from '@inquirer/input'\nexport const ask = input\n",
    expected: [/Load inquirer with import\(\) where it prompts/],
  },
  {
    file: 'src/wizard/example.ts',
    code: "export async function ask() {\n  return import('@inquirer/input')\n}\n",
    expected: [],
  },
  {
    file: 'src/global-config/example.ts',
    code: "export function report(line: string) {\n  process.stderr.write(line)\n}\n",
    expected: [/Domain modules never print or exit/],
  },
  {
    file: 'src/tokens/example.ts',
    code: "export function report(line: string) {\n  console.log(line)\n}\n",
    expected: [/no-console/],
  },
  {
    file: 'src/commands/example.ts',
    code: "import Deploy from './deploy.js'\nexport default Deploy\n",
    expected: [/A command does not import another command/],
  },
  {
    file: 'src/errors.ts',
    code: "import {parseDuration} from './duration.js'\nexport const parse = parseDuration\n",
    expected: [/errors.ts is the bottom/],
  },
]

for (const {file, code, expected} of cases) {
  const first = code.split('\n').find((line) => /import|process|console/.test(line))!.trim()
  test(`${file}: ${first} ${expected.length === 0 ? 'is allowed' : 'is refused'}`, async () => {
    const found = await problems(file, code)
    assert.equal(found.length, expected.length, found.join('\n'))
    for (const [index, pattern] of expected.entries()) assert.match(found[index], pattern)
  })
}
