// Reads a small text file the user pointed us at, turning every way it can go wrong into a ProjectError that names
// the file and says what to do.
import {open, stat} from 'node:fs/promises'

import {ProjectError} from '../errors.js'

export const MAX_TEXT_FILE_BYTES = 10 * 1024 * 1024

export interface ReadTextOptions {
  /** What the file is, for messages: "prisma.yml", "datamodel file", "--env-file". */
  what: string
  /** Said after the file name, e.g. "(datamodel in /app/prisma.yml)". */
  context?: string
  /** Replaces the "does not exist" message. */
  missingMessage?: string
  maxBytes?: number
}

/** Reads `file` as UTF-8 text. Refuses directories, special files, huge files, binary data and invalid UTF-8. */
export async function readTextFile(file: string, options: ReadTextOptions): Promise<string> {
  const what = options.what
  const context = options.context ? ` ${options.context}` : ''
  const maxBytes = options.maxBytes ?? MAX_TEXT_FILE_BYTES
  if (file.includes('\0')) throw new ProjectError(`The path of the ${what}${context} contains a NUL character. Fix the path.`)
  // Check the kind of file before opening it: opening a FIFO would wait for a writer forever.
  let before
  try {
    before = await stat(file)
  } catch (error) {
    throw fileError(error, file, options)
  }
  if (before.isDirectory()) throw new ProjectError(`The ${what} ${file}${context} is a directory, not a file. Point to the file itself.`)
  if (!before.isFile()) throw new ProjectError(`The ${what} ${file}${context} is not a regular file. Point to a plain text file.`)
  let handle
  try {
    handle = await open(file, 'r')
  } catch (error) {
    throw fileError(error, file, options)
  }
  try {
    const stats = await handle.stat()
    if (stats.isDirectory()) {
      throw new ProjectError(`The ${what} ${file}${context} is a directory, not a file. Point to the file itself.`)
    }
    if (!stats.isFile()) {
      throw new ProjectError(`The ${what} ${file}${context} is not a regular file. Point to a plain text file.`)
    }
    if (stats.size > maxBytes) {
      throw new ProjectError(`The ${what} ${file}${context} is too large (${stats.size} bytes; the limit is ${maxBytes}). Check that it is the right file.`)
    }
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1)
    let length = 0
    for (;;) {
      const {bytesRead} = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
      if (length >= buffer.length) {
        throw new ProjectError(`The ${what} ${file}${context} is too large (over ${maxBytes} bytes). Check that it is the right file.`)
      }
    }
    const bytes = buffer.subarray(0, length)
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      throw new ProjectError(`The ${what} ${file}${context} is saved as UTF-16. Save it with UTF-8 encoding.`)
    }
    if (bytes.includes(0)) {
      throw new ProjectError(`The ${what} ${file}${context} contains binary data (NUL bytes), not text. Check that it is the right file.`)
    }
    try {
      const text = new TextDecoder('utf-8', {fatal: true}).decode(bytes)
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
    } catch {
      throw new ProjectError(`The ${what} ${file}${context} is not valid UTF-8 text. Save it with UTF-8 encoding.`)
    }
  } catch (error) {
    if (error instanceof ProjectError) throw error
    throw fileError(error, file, options)
  } finally {
    await handle.close().catch(() => undefined)
  }
}

function fileError(error: unknown, file: string, options: ReadTextOptions): ProjectError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const what = options.what
  const context = options.context ? ` ${options.context}` : ''
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new ProjectError(options.missingMessage ?? `The ${what} ${file}${context} does not exist.`)
    case 'EISDIR':
      return new ProjectError(`The ${what} ${file}${context} is a directory, not a file. Point to the file itself.`)
    case 'EACCES':
    case 'EPERM':
      return new ProjectError(`The ${what} ${file}${context} cannot be read: permission denied. Check the file's permissions.`)
    case 'ELOOP':
      return new ProjectError(`The ${what} ${file}${context} is a symbolic link loop. Point to a real file.`)
    case 'ENAMETOOLONG':
      return new ProjectError(`The path of the ${what} is too long: ${file.slice(0, 200)}…`)
    default:
      return new ProjectError(`The ${what} ${file}${context} cannot be read (${code ?? String(error)}).`, {cause: error})
  }
}
