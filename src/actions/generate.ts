/** `prisma generate`: the clients and schema listed under prisma.yml's generate:, as the original wrote them. */
import {type GenerateResult, runGenerate} from '../generate/index.js'
import type {Io} from './io.js'
import {readProject, type StageOptions} from './stage.js'

export type {GenerateResult} from '../generate/index.js'

export type GenerateOptions = Pick<StageOptions, 'cwd' | 'env' | 'flags'> & {
  /** --endpoint: the schema of the deployed service instead of the datamodel. */
  fromEndpoint: boolean
}

export async function generate(o: GenerateOptions, io: Io): Promise<GenerateResult> {
  const project = await readProject({...o, io})
  return runGenerate({fromEndpoint: o.fromEndpoint, progress: io.progress, project})
}
