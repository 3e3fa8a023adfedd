/**
 * Generated files are first written to a temporary folder beside the output and then moved into place, so that a
 * generation that fails or is interrupted leaves the previous client as it was. Files of the output folder that the
 * generator does not write are kept (as the original keeps them).
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {mkdir, rename, stat, writeFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {GenerateError, UserError} from '../errors.js'
import {whileWriting} from '../signals.js'

export interface GeneratedFile {
  name: string
  content: string
}

function outputProblem(what: string, error?: unknown): GenerateError {
  const reason = error === undefined ? '' : ` (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`
  return new GenerateError(`${what}${reason}. Change the output of this generator in prisma.yml, or fix the folder's permissions, and run prisma generate again.`, {
    cause: error,
  })
}

async function kindOf(path: string): Promise<'file' | 'folder' | 'missing'> {
  try {
    // without the trailing slash, a file at the path is reported as a file (not as ENOTDIR)
    return (await stat(path.length > 1 ? path.replace(/\/+$/, '') : path)).isDirectory() ? 'folder' : 'file'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    throw error
  }
}

/** Checks, before anything is generated, that `path` can become a folder (`folder`) or a file (`file`). */
export async function checkOutput(path: string, needs: 'file' | 'folder', generator: string): Promise<void> {
  let kind
  try {
    kind = await kindOf(path)
  } catch (error) {
    throw outputProblem(`The output ${path} of the ${generator} generator cannot be read`, error)
  }
  if (kind !== 'missing' && kind !== needs) {
    throw outputProblem(
      needs === 'folder'
        ? `The output ${path} of the ${generator} generator is a file, but this generator writes a folder of files there`
        : `The output ${path} of the ${generator} generator is a folder, but this generator writes one .graphql file there`,
    )
  }
}

async function makeFolder(path: string, generator: string): Promise<void> {
  try {
    await mkdir(path, {recursive: true})
  } catch (error) {
    throw outputProblem(`The folder ${path} for the output of the ${generator} generator cannot be created`, error)
  }
}

const pending = new Set<string>()
let exitHookInstalled = false

/** A temporary folder beside `path`, removed when it is done with or when the process ends (Ctrl-C). */
function temporaryFolder(path: string, generator: string): string {
  let folder: string
  try {
    folder = mkdtempSync(join(dirname(path), `.${basename(path)}.generating-`))
  } catch (error) {
    throw outputProblem(`No temporary folder can be created beside ${path} for the ${generator} generator`, error)
  }
  pending.add(folder)
  if (!exitHookInstalled) {
    exitHookInstalled = true
    process.once('exit', () => {
      for (const left of pending) rmSync(left, {force: true, recursive: true})
    })
  }
  return folder
}

function removeTemporary(folder: string): void {
  rmSync(folder, {force: true, recursive: true})
  pending.delete(folder)
}

/**
 * Writes `files` into the folder `output` (created when missing) through a temporary folder; `afterWrite` runs on
 * the temporary files before they are moved (the Go client is formatted there). Returns the paths written.
 */
export async function replaceFolderFiles(options: {
  output: string
  generator: string
  files: GeneratedFile[]
  afterWrite?: (folder: string) => void
}): Promise<string[]> {
  const {output, generator} = options
  await checkOutput(output, 'folder', generator)
  await makeFolder(output, generator)
  const folder = temporaryFolder(output, generator)
  try {
    for (const file of options.files) await writeFile(join(folder, file.name), file.content)
    options.afterWrite?.(folder)
    await whileWriting(async () => {
      for (const file of options.files) await rename(join(folder, file.name), join(output, file.name))
    })
  } catch (error) {
    if (error instanceof UserError) throw error
    throw outputProblem(`The ${generator} generator could not write its files into ${output}`, error)
  } finally {
    removeTemporary(folder)
  }

  return options.files.map((file) => join(output, file.name))
}

/** Writes one file (the graphql-schema generator's) through a temporary folder beside it. */
export async function replaceFile(options: {output: string; generator: string; content: string}): Promise<string> {
  const {output, generator} = options
  await checkOutput(output, 'file', generator)
  await makeFolder(dirname(output), generator)
  const folder = temporaryFolder(output, generator)
  try {
    const temporary = join(folder, basename(output))
    await writeFile(temporary, options.content)
    await whileWriting(() => rename(temporary, output))
  } catch (error) {
    throw outputProblem(`The ${generator} generator could not write ${output}`, error)
  } finally {
    removeTemporary(folder)
  }

  return output
}

/** `go fmt <file>`, as the original runs it after writing the Go client; a missing `go` is not an error. */
export function goFormat(file: string): void {
  spawnSync('go', ['fmt', file], {stdio: 'ignore'})
}
