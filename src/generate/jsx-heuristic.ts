/**
 * prettier 1.16 (which prisma-client-lib formats the clients with) decides whether TypeScript source may hold JSX
 * with the multiline regular expression below, which takes time quadratic in the number of lines on generated code
 * with few quotes: about 85% of the time of a 40-type TypeScript client. While a client is rendered, the regular
 * expression of that one pattern is replaced by a linear scan that gives the same answer, so the output is the same,
 * byte for byte, in a fraction of the time. Every other regular expression is the engine's own.
 */
const heuristicSource = '(^[^"\'`]*</)|(^[^/]{2}.*/>)'

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

/** Runs `render` (synchronous) with prettier's JSX heuristic answered by `probablyJsx`. */
export function withLinearJsxHeuristic<T>(render: () => T): T {
  const original = globalThis.RegExp
  function RegExpWithLinearHeuristic(this: unknown, ...args: [string | RegExp, string?]) {
    if (args[0] === heuristicSource && args[1] === 'm') return {test: probablyJsx}
    return new.target ? new original(...args) : original(...args)
  }
  RegExpWithLinearHeuristic.prototype = original.prototype
  Object.setPrototypeOf(RegExpWithLinearHeuristic, original)
  globalThis.RegExp = RegExpWithLinearHeuristic as unknown as RegExpConstructor
  try {
    return render()
  } finally {
    globalThis.RegExp = original
  }
}
