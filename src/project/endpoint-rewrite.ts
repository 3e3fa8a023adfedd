/**
 * Puts a new endpoint into the text of a prisma.yml without touching anything else: the value of the top-level
 * `endpoint:` key is replaced where it stands (quoting style, anchors, tags and a trailing comment stay), or the key
 * is appended when the file has none. Comments, blank lines, key order and line endings are kept byte for byte.
 *
 * The original tool commented the old line out and inserted a new one after it, which mangled files whose endpoint
 * had a trailing comment or no final newline; here the text edit is checked by parsing both versions and comparing
 * them, so a file the editor does not understand is reported rather than damaged.
 */
import {randomBytes} from 'node:crypto'
import {constants as fsConstants} from 'node:fs'
import {open, readFile, realpath, rename, stat, unlink} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {ProjectError} from '../errors.js'
import {whileWriting} from '../signals.js'

export interface EndpointRewrite {
  /** The whole new file text. */
  text: string
  /** The previous value as written in the file (quotes removed), when there was an `endpoint:` key with a value. */
  previous?: string
  /** Whether the key existed (`replaced`) or was added at the end (`added`). */
  action: 'added' | 'replaced'
}

// A top-level `endpoint` key, plain or quoted, with optional spaces before the colon.
// (A byte order mark may precede it on the first line.)
const endpointKey = /^\uFEFF?(?:endpoint|"endpoint"|'endpoint')[ \t]*:(?=[ \t]|\r?\n|$)/

interface Line {
  start: number
  /** End of the content, before the line break. */
  end: number
  /** Start of the next line. */
  next: number
}

function splitLines(text: string): Line[] {
  const lines: Line[] = []
  let start = 0
  while (start < text.length) {
    const lf = text.indexOf('\n', start)
    const next = lf === -1 ? text.length : lf + 1
    let end = lf === -1 ? text.length : lf
    if (end > start && text[end - 1] === '\r') end -= 1
    lines.push({start, end, next})
    start = next
  }
  return lines
}

/** The line break the file uses (CRLF when its first line break is one). */
function lineBreakOf(text: string): string {
  const lf = text.indexOf('\n')
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n'
}

function quoteLike(style: 'double' | 'plain' | 'single', value: string): string {
  if (style === 'single') return `'${value.replaceAll("'", "''")}'`
  if (style === 'double') return JSON.stringify(value)
  return value
}

/** A URL can be written plain unless it contains something YAML would read differently. */
function needsQuotes(value: string): boolean {
  return value === '' || /[\s#]|: |^[!&*?|>'"%@`{[\]},-]/.test(value) || /:$/.test(value)
}

interface ValueSpan {
  /** Where the value starts and ends in the text (end is exclusive). */
  start: number
  end: number
  style: 'block' | 'double' | 'none' | 'plain' | 'single'
  /** The raw value text, unquoted, for the message about the previous value. */
  raw?: string
}

/**
 * Finds the value of the key whose line is `line` (index into lines). Handles plain, single- and double-quoted
 * scalars on one line, an empty value, and block scalars or plain scalars continued on indented lines (those are
 * replaced as a whole by a one-line value).
 */
function findValue(text: string, lines: Line[], index: number, keyLength: number): ValueSpan {
  const line = lines[index]
  let pos = line.start + keyLength
  // skip spaces, then node properties (`&anchor`, `!tag`) that stay in place
  const skipSpaces = () => {
    while (pos < line.end && (text[pos] === ' ' || text[pos] === '\t')) pos += 1
  }

  skipSpaces()
  while (pos < line.end && (text[pos] === '&' || text[pos] === '!')) {
    while (pos < line.end && text[pos] !== ' ' && text[pos] !== '\t') pos += 1
    skipSpaces()
  }

  const continuationEnd = (blockScalar = false): number => {
    // following lines indented deeper than the key (column 0) belong to the value; trailing blank lines do not,
    // and outside a block scalar a comment line ends the value
    let end = -1
    for (let i = index + 1; i < lines.length; i += 1) {
      const content = text.slice(lines[i].start, lines[i].end)
      if (content.trim() === '') continue
      if (!/^[ \t]/.test(content)) break
      if (!blockScalar && /^[ \t]*#/.test(content)) break
      end = lines[i].end
    }

    return end
  }

  if (pos >= line.end || text[pos] === '#') {
    const end = continuationEnd()
    if (end === -1) {
      // empty value (null), maybe a comment after the colon
      return {start: pos, end: pos, style: 'none'}
    }

    // the value sits on the following, indented line(s): replace it there and keep the line break and indentation
    let next = index + 1
    while (text.slice(lines[next].start, lines[next].end).trim() === '') next += 1
    const start = lines[next].start + (text.slice(lines[next].start, lines[next].end).length -
      text.slice(lines[next].start, lines[next].end).trimStart().length)
    const body = text.slice(start, end)
    const quote = body[0] === "'" ? 'single' : body[0] === '"' ? 'double' : 'plain'
    const raw = body.split(/\r?\n/).map((part) => part.trim()).join(' ')
    return {start, end, style: quote, raw: quote === 'plain' ? raw : raw.slice(1, -1)}
  }

  const first = text[pos]
  if (first === "'" || first === '"') {
    let i = pos + 1
    for (;;) {
      if (i >= line.end) throw new UnsupportedLayout('the quoted endpoint value spans several lines')
      if (first === '"' && text[i] === '\\') {
        i += 2
        continue
      }

      if (text[i] === first) {
        if (first === "'" && text[i + 1] === "'") {
          i += 2
          continue
        }

        break
      }

      i += 1
    }

    const quoted = text.slice(pos, i + 1)
    const raw = first === "'" ? quoted.slice(1, -1).replaceAll("''", "'") : (JSON.parse(quoted) as string)
    return {start: pos, end: i + 1, style: first === "'" ? 'single' : 'double', raw}
  }

  if (first === '|' || first === '>') {
    const end = continuationEnd(true)
    const raw = end === -1 ? '' : text.slice(lines[index + 1].start, end).trim()
    return {start: pos, end: end === -1 ? line.end : end, style: 'block', raw}
  }

  // plain scalar: up to ` #` or the end of the line, without trailing spaces; may continue on indented lines
  let end = line.end
  const comment = text.slice(pos, line.end).search(/[ \t]#/)
  if (comment !== -1) end = pos + comment
  while (end > pos && (text[end - 1] === ' ' || text[end - 1] === '\t')) end -= 1
  const continued = comment === -1 ? continuationEnd() : -1
  if (continued !== -1) {
    const rawAll = text.slice(pos, continued)
    return {start: pos, end: continued, style: 'plain', raw: rawAll.split(/\r?\n/).map((part) => part.trim()).join(' ')}
  }

  return {start: pos, end, style: 'plain', raw: text.slice(pos, end)}
}

class UnsupportedLayout extends Error {}

/**
 * Returns the text of a prisma.yml with `endpoint` set to `url`. Pure; throws a ProjectError naming `fileName` when
 * the file is laid out in a way this editor cannot change safely (for example a flow mapping `{endpoint: …}`).
 */
export function replaceEndpoint(text: string, url: string, fileName = 'prisma.yml'): EndpointRewrite {
  const lines = splitLines(text)
  let result: EndpointRewrite | undefined
  try {
    for (let index = 0; index < lines.length; index += 1) {
      const line = lines[index]
      const match = endpointKey.exec(text.slice(line.start, line.end))
      if (!match) continue
      const value = findValue(text, lines, index, match[0].length)
      let replacement: string
      if (value.style === 'none') {
        // `endpoint:` with nothing (or only a comment) after it
        const before = text[value.start - 1]
        const spaced = before === ' ' || before === '\t' ? '' : ' '
        const trailing = value.start < line.end ? ' ' : ''
        replacement = spaced + (needsQuotes(url) ? JSON.stringify(url) : url) + trailing
      } else if (value.style === 'single' || value.style === 'double') {
        replacement = quoteLike(value.style, url)
      } else {
        replacement = needsQuotes(url) ? JSON.stringify(url) : url
      }

      const previous = value.style === 'none' ? undefined : value.raw
      result = {
        text: text.slice(0, value.start) + replacement + text.slice(value.end),
        ...(previous === undefined || previous === '' || previous === '~' || previous === 'null' ? {} : {previous}),
        action: 'replaced',
      }
      break
    }
  } catch (error) {
    if (error instanceof UnsupportedLayout) throw cannotEdit(fileName, error.message)
    throw error
  }

  if (!result) {
    const lineBreak = lineBreakOf(text)
    const separator = text === '' || text.endsWith('\n') ? '' : lineBreak
    const value = needsQuotes(url) ? JSON.stringify(url) : url
    result = {text: `${text}${separator}endpoint: ${value}${lineBreak}`, action: 'added'}
  }

  return result
}

function cannotEdit(fileName: string, reason: string): ProjectError {
  return new ProjectError(
    `Could not write the endpoint into ${fileName}: ${reason}. ` +
      `Put the endpoint on one line as \`endpoint: <url>\` at the top level of ${fileName} and run the command again.`,
  )
}

/**
 * Checks that the edited text means the same as the original apart from `endpoint`. js-yaml is loaded only here,
 * on the write path.
 */
async function verifyRewrite(before: string, after: string, url: string, fileName: string): Promise<void> {
  const yaml = await import('js-yaml')
  let parsedBefore: unknown
  let parsedAfter: unknown
  try {
    parsedBefore = yaml.load(before)
  } catch {
    // the original does not parse; the loader reports that with its own message before we ever get here
    parsedBefore = undefined
  }

  try {
    parsedAfter = yaml.load(after)
  } catch {
    throw cannotEdit(fileName, 'the edited file would not be valid YAML')
  }

  const isMapping = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
  if (!isMapping(parsedAfter) || parsedAfter.endpoint !== url) {
    throw cannotEdit(fileName, 'the endpoint key could not be located safely')
  }

  if (parsedBefore === undefined || parsedBefore === null) return
  if (!isMapping(parsedBefore)) throw cannotEdit(fileName, 'the file is not a YAML mapping')
  const {endpoint: _oldEndpoint, ...restBefore} = parsedBefore
  const {endpoint: _newEndpoint, ...restAfter} = parsedAfter
  const {isDeepStrictEqual} = await import('node:util')
  if (!isDeepStrictEqual(restBefore, restAfter)) throw cannotEdit(fileName, 'other keys would have changed')
}

export interface WrittenEndpoint {
  /** The value the file held before, when it had one. */
  previous?: string
  action: 'added' | 'replaced'
}

/**
 * Sets `endpoint` in the prisma.yml at `file` (following a symbolic link to the real file) and writes it atomically:
 * a temporary file next to it with the same mode, flushed to disk, then renamed over the original. On any failure
 * the original is left as it was.
 */
export async function writeEndpoint(file: string, url: string): Promise<WrittenEndpoint> {
  const fileName = basename(file)
  const fileError = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    return new ProjectError(
      `Could not write the endpoint into ${file} (${code}); the file was left as it was. ` +
        `Check that the file and its folder are writable, or add \`endpoint: ${url}\` to it yourself.`,
      {cause: error},
    )
  }

  let target: string
  let before: string
  try {
    target = await realpath(file)
    before = await readFile(target, 'utf8')
  } catch (error) {
    throw fileError(error)
  }

  const rewrite = replaceEndpoint(before, url, fileName)
  await verifyRewrite(before, rewrite.text, url, fileName)
  try {
    await writeFileAtomic(target, rewrite.text)
  } catch (error) {
    throw fileError(error)
  }

  return rewrite.previous === undefined ? {action: rewrite.action} : {action: rewrite.action, previous: rewrite.previous}
}

/**
 * Replaces `file` with `content` atomically, keeping the file's permission bits (0644 for a new file), or giving it
 * `o.mode` (a file that holds credentials).
 */
export async function writeFileAtomic(file: string, content: string, o: {mode?: number} = {}): Promise<void> {
  // Ctrl-C or SIGTERM during the replacement ends the process only after it (src/signals.ts)
  return whileWriting(() => replaceFile(file, content, o.mode))
}

async function replaceFile(file: string, content: string, fixedMode: number | undefined): Promise<void> {
  let mode = fixedMode ?? 0o644
  try {
    if (fixedMode === undefined) mode = (await stat(file)).mode & 0o7777
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }

  const dir = dirname(file)
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, mode)
  let renamed = false
  try {
    try {
      await handle.writeFile(content, 'utf8')
      // the umask applies at creation; set the exact bits of the original explicitly
      await handle.chmod(mode)
      await handle.sync()
    } finally {
      await handle.close()
    }

    await rename(temp, file)
    renamed = true
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined)
  }

  // make the rename itself durable; some file systems do not allow syncing a folder, which is fine
  try {
    const folder = await open(dir, fsConstants.O_RDONLY)
    try {
      await folder.sync()
    } finally {
      await folder.close()
    }
  } catch {
    // best effort
  }
}
