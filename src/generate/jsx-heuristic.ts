/**
 * prettier 1.16 (which prisma-client-lib formats the clients with) decides whether TypeScript source may hold JSX
 * with the multiline regular expression `/(^[^"'`]*<\/)|(^[^/]{2}.*\/>)/m`, which takes time quadratic in the number of lines on generated code
 * with few quotes: about 85% of the time of a 40-type TypeScript client. prettier's TypeScript parser is loaded with
 * that one call replaced by a linear scan that gives the same answer, so the output is the same, byte for byte, in a
 * fraction of the time.
 */
import {readFileSync, realpathSync} from 'node:fs'
import {createRequire, Module} from 'node:module'
import {dirname, join} from 'node:path'
import {compileFunction} from 'node:vm'

const isTerminator = (code: number) => code === 10 || code === 13 || code === 0x2028 || code === 0x2029

/** `/(^[^"'`]*<\/)|(^[^/]{2}.*\/>)/m.test(text)`, in one pass. */
export function probablyJsx(text: string): boolean {
  const length = text.length
  // first branch: a "</" with no quote between the start of its line and it
  let quoteOnLine = false
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index)
    if (isTerminator(code)) quoteOnLine = false
    else if (code === 34 || code === 39 || code === 96) quoteOnLine = true
    else if (code === 60 && !quoteOnLine && text.charCodeAt(index + 1) === 47) return true
  }

  // second branch: from a line start, two characters other than "/" (line breaks included), then "/>" before the
  // next line break. nextBreak[i] / nextClose[i]: the first line break / "/>" at or after i.
  const nextBreak = new Int32Array(length + 1).fill(length)
  const nextClose = new Int32Array(length + 1).fill(length)
  for (let index = length - 1; index >= 0; index--) {
    const code = text.charCodeAt(index)
    nextBreak[index] = isTerminator(code) ? index : nextBreak[index + 1]
    nextClose[index] = code === 47 && text.charCodeAt(index + 1) === 62 ? index : nextClose[index + 1]
  }
  for (let start = 0; start + 2 <= length; start++) {
    const lineStart = start === 0 || isTerminator(text.charCodeAt(start - 1))
    if (!lineStart || text.charCodeAt(start) === 47 || text.charCodeAt(start + 1) === 47) continue
    const from = start + 2
    if (nextClose[from] < nextBreak[from]) return true
  }
  return false
}

/** prettier's call of the heuristic in its TypeScript parser (the minified text of prettier 1.x's parser-typescript.js). */
const heuristicCall = /new RegExp\(\["\(\^\[\^\\"'`\]\*<\/\)","\|","\(\^\[\^\/\]\{2\}\.\*\/>\)"\]\.join\(""\),"m"\)\.test\((\w+)\)/g

/**
 * Loads prettier's TypeScript parser (the copy prisma-client-lib uses, from `prettierDir`) with its JSX heuristic
 * answered by `probablyJsx`, into the module cache, where prettier's own `require("./parser-typescript")` finds it.
 * The file is compiled as Node would compile it, from its text with that one call replaced; a prettier whose parser
 * does not contain the call exactly once is left to load as it is (slower, same output).
 */
export function preloadLinearTypeScriptParser(prettierDir: string): void {
  let file: string
  let source: string
  try {
    // the path the module cache knows it by (symbolic links resolved, as require resolves them)
    file = realpathSync(join(prettierDir, 'parser-typescript.js'))
    source = readFileSync(file, 'utf8')
  } catch {
    return
  }

  const require = createRequire(file)
  if (require.cache[file]) return

  if ((source.match(heuristicCall) ?? []).length !== 1) return
  const edited = source.replace(heuristicCall, (_call, text: string) => `__probablyJsx(${text})`)
  const compiled = compileFunction(edited, ['exports', 'require', 'module', '__filename', '__dirname', '__probablyJsx'], {filename: file})
  const module = new Module(file)
  module.filename = file
  module.paths = require.resolve.paths('.') ?? []
  compiled.call(module.exports, module.exports, require, module, file, dirname(file), probablyJsx)
  module.loaded = true
  require.cache[file] = module
}
