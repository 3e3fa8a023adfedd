/**
 * The client generation `prisma deploy` runs after a deploy that applied a migration (as the original does since
 * 1.31), for the prisma.yml the deploy loaded. It runs after the post-deploy hooks and before seeding; a failure is
 * reported and leaves the deploy as it is.
 */
import {GenerateError, InterruptedError, isUserError, UserError} from '../errors.js'
import type {Colors} from '../output/colors.js'
import type {Progress} from '../output/progress.js'
import {GenerateEntriesError, type GeneratedOutput, type GenerateResult, type NotGenerated} from './index.js'

export const generatedTwiceWarning =
  'Warning: The `prisma1 generate` command was executed twice. Since Prisma 1.31, the Prisma client is generated automatically after running `prisma1 deploy`. It is not necessary to generate it via a `post-deploy` hook any more, you can therefore remove the hook if you do not need it otherwise.'

/** As the original decides it: a post-deploy hook that mentions both "prisma" and "generate". */
export function hookCallsGenerate(hooks: string[]): boolean {
  return hooks.some((hook) => hook.includes('prisma') && hook.includes('generate'))
}

export interface AfterDeployOptions {
  /** prisma.yml's generate entries. */
  entries: Array<{generator: string}>
  /** The deploy applied a migration (not a dry run, something changed, the migration succeeded). */
  applied: boolean
  noGenerate?: boolean
  skipHooks?: boolean
  hooks: string[]
  revision?: number
  generate?: () => Promise<GenerateResult>
  progress: Progress
  colors: Colors
}

export interface AfterDeployResult {
  generated?: GeneratedOutput[]
  /** The entries that could not be generated (the others were). */
  notGenerated?: NotGenerated[]
  /** The paragraph saying that generation failed while the deploy stands. */
  failure?: UserError
}

export async function generateAfterDeploy(o: AfterDeployOptions): Promise<AfterDeployResult> {
  if (o.entries.length === 0 || o.noGenerate || o.generate === undefined) return {}
  if (!o.applied) {
    o.progress.log('\nThe Prisma client was not regenerated, since the service did not change. Run `prisma generate` to regenerate it.')
    return {}
  }
  if (!o.skipHooks && hookCallsGenerate(o.hooks)) o.progress.log(o.colors.yellow(generatedTwiceWarning))
  try {
    return {generated: (await o.generate()).generated}
  } catch (error) {
    o.progress.interrupt()
    if (!isUserError(error) || error instanceof InterruptedError) throw error
    const revision = o.revision === undefined ? '' : ` (revision ${o.revision})`
    return {
      ...(error instanceof GenerateEntriesError ? {generated: error.result.generated, notGenerated: error.result.notGenerated} : {}),
      failure: new GenerateError(
        `The deploy succeeded and stays deployed${revision}, but generating the clients of prisma.yml failed: ${error.text.trimEnd()}\n` +
          'Fix this and run `prisma generate`; there is no need to deploy again.',
        {cause: error},
      ),
    }
  }
}
