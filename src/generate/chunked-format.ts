/**
 * prisma-client-lib formats each generated client with prettier in one call, which holds the whole file's syntax
 * tree and document at once: about 500 MB live for the TypeScript client of 200 types. Prettier formats the
 * statements of a file one after the other, each on its own, and keeps one blank line between two statements where
 * the source has one or more. So the file is cut into runs of top-level statements at blank lines, each run is
 * formatted alone, and the results are joined with one blank line: the same text, byte for byte, with only one run's
 * tree alive at a time. Where the cutting cannot be sure of the syntax, the file is formatted in one call.
 */

/** Keywords and comment openers that start a top-level statement, which no expression or type continues with. */
const statementStart = /^(export|import|const|let|var|type|interface|declare|function|class|enum|abstract)\b|^\/[*/]/

/** A line end after which the previous statement cannot go on (an operator or an open bracket would continue it). */
const statementEnd = /([;})\]"'`\w$]|\*\/)$/

/**
 * The source cut at blank lines that separate top-level statements: each piece starts at a line that begins a
 * statement (see `statementStart`) at depth 0, outside strings, template literals and comments, after a blank line.
 * Undefined when the scan does not end cleanly (an unterminated string, unbalanced brackets): then it is not cut.
 */
export function topLevelPieces(code: string): string[] | undefined {
  const cuts: number[] = []
  // what encloses the current position: a bracket, a template literal, or `${` inside a template literal
  const stack: string[] = []
  let lineStart = 0
  let previousLineBlank = false
  let lastContentLine = ''
  let index = 0
  const length = code.length
  while (index < length) {
    const top = stack.at(-1)
    const char = code[index]
    if (top === '`') {
      if (char === '\\') index += 2
      else if (char === '`') {
        stack.pop()
        index++
      } else if (char === '$' && code[index + 1] === '{') {
        stack.push('${')
        index += 2
      } else index++
      continue
    }
    if (index === lineStart && stack.length === 0) {
      const lineEnd = code.indexOf('\n', index)
      const line = code.slice(index, lineEnd === -1 ? length : lineEnd)
      if (line.trim() === '') {
        previousLineBlank = index > 0
      } else {
        if (previousLineBlank && statementStart.test(line) && statementEnd.test(lastContentLine.trimEnd())) cuts.push(index)
        previousLineBlank = false
      }
    }
    if (char === '\n') {
      if (stack.length === 0) {
        const line = code.slice(lineStart, index)
        if (line.trim() !== '') lastContentLine = line
      } else previousLineBlank = false
      lineStart = index + 1
      index++
      continue
    }
    if (char === '/' && code[index + 1] === '/') {
      const end = code.indexOf('\n', index)
      index = end === -1 ? length : end
      continue
    }
    if (char === '/' && code[index + 1] === '*') {
      const end = code.indexOf('*/', index + 2)
      if (end === -1) return undefined
      // a comment over several lines: its lines are not line starts of the statement level
      const inner = code.slice(index, end + 2)
      const lastBreak = inner.lastIndexOf('\n')
      if (lastBreak !== -1) {
        lineStart = index + lastBreak + 1
        if (stack.length === 0) lastContentLine = inner.slice(lastBreak + 1)
      }
      index = end + 2
      continue
    }
    if (char === '"' || char === "'") {
      let end = index + 1
      while (end < length && code[end] !== char && code[end] !== '\n') end += code[end] === '\\' ? 2 : 1
      if (code[end] !== char) return undefined
      index = end + 1
      continue
    }
    if (char === '`') stack.push('`')
    else if (char === '(' || char === '[' || char === '{') stack.push(char)
    else if (char === ')' || char === ']' || char === '}') {
      const open = stack.pop()
      const expected = char === ')' ? '(' : char === ']' ? '[' : '{'
      if (open !== expected && !(char === '}' && open === '${')) return undefined
    }
    index++
  }
  if (stack.length > 0) return undefined
  const pieces: string[] = []
  let from = 0
  for (const cut of cuts) {
    pieces.push(code.slice(from, cut))
    from = cut
  }
  pieces.push(code.slice(from))
  return pieces
}

/**
 * Formats `code` as `format` would in one call, piece by piece (see the module comment). A piece that `format`
 * rejects makes it format the whole file in one call, so that a syntax error reads as it would without the cutting.
 */
export function formatInPieces(code: string, format: (code: string) => string): string {
  const pieces = topLevelPieces(code)
  if (pieces === undefined || pieces.length < 2) return format(code)
  const formatted: string[] = []
  for (const piece of pieces) {
    try {
      const text = format(piece)
      if (text !== '') formatted.push(text)
    } catch {
      return format(code)
    }
  }
  return formatted.join('\n')
}
