// Parses prisma.yml text with js-yaml 4 (loaded lazily), reading every scalar and every tab as the original CLI's
// js-yaml 3 did (its `safeLoad`), and turning syntax errors into ProjectErrors with line, column and fix.
import type {Schema} from 'js-yaml'

import {ProjectError} from '../errors.js'

interface YamlMark {
  line: number
  column: number
}

interface YamlException extends Error {
  reason?: string
  mark?: YamlMark
}

type JsYaml = typeof import('js-yaml')

/**
 * YAML 1.1 integers as js-yaml 3 resolved them: `_` between digits, leading-zero octal (`017`), `0b`/`0x`, and
 * base 60 (`1:20` is 80); no `0o` prefix (so `0o17` stays text, and `08` too).
 */
const INT_PATTERNS = [
  /^[-+]?0$/,
  /^[-+]?0b[01_]*[01][01_]*$/,
  /^[-+]?0x[0-9a-fA-F_]*[0-9a-fA-F][0-9a-fA-F_]*$/,
  /^[-+]?0[0-7_]*[0-7][0-7_]*$/,
  /^[-+]?[1-9][0-9_]*$/,
  /^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$/,
]

function isYaml11Int(text: string): boolean {
  // js-yaml 3 refused a trailing `_` except right before a base-60 `:` part (which cannot end with `_`)
  return !text.endsWith('_') && INT_PATTERNS.some((pattern) => pattern.test(text))
}

function yaml11Int(text: string): number {
  let digits = text.replaceAll('_', '')
  let sign = 1
  if (digits.startsWith('-') || digits.startsWith('+')) {
    if (digits.startsWith('-')) sign = -1
    digits = digits.slice(1)
  }
  if (digits === '0') return 0
  if (digits.startsWith('0b')) return sign * Number.parseInt(digits.slice(2), 2)
  if (digits.startsWith('0x')) return sign * Number.parseInt(digits.slice(2), 16)
  if (digits.startsWith('0')) return sign * Number.parseInt(digits, 8)
  if (digits.includes(':')) return sign * base60(digits.split(':').map((part) => Number.parseInt(part, 10)))
  return sign * Number.parseInt(digits, 10)
}

/** YAML 1.1 floats as js-yaml 3 resolved them: `_` in digits, base 60 (`1:20.5`), `.inf`, `.nan`, no leading zeros. */
const FLOAT_PATTERN = new RegExp(
  '^(?:[-+]?(?:0|[1-9][0-9_]*)(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?' +
    '|\\.[0-9_]+(?:[eE][-+]?[0-9]+)?' +
    '|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*' +
    '|[-+]?\\.(?:inf|Inf|INF)' +
    '|\\.(?:nan|NaN|NAN))$',
)

function isYaml11Float(text: string): boolean {
  return FLOAT_PATTERN.test(text) && !text.endsWith('_')
}

function yaml11Float(text: string): number {
  let value = text.replaceAll('_', '').toLowerCase()
  const sign = value.startsWith('-') ? -1 : 1
  if (value.startsWith('-') || value.startsWith('+')) value = value.slice(1)
  if (value === '.inf') return sign * Number.POSITIVE_INFINITY
  if (value === '.nan') return Number.NaN
  if (value.includes(':')) return sign * base60(value.split(':').map((part) => Number.parseFloat(part)))
  return sign * Number.parseFloat(value)
}

/** `[1, 20, 30]` (hours, minutes, seconds) → 4830. */
function base60(parts: number[]): number {
  return parts.reduce((total, part) => total * 60 + part, 0)
}

let schema: Schema | undefined

/** js-yaml 4's default schema with js-yaml 3's integer and float rules (same tags, same places in the order). */
function yaml11Schema(yaml: JsYaml): Schema {
  schema ??= yaml.DEFAULT_SCHEMA.extend({
    implicit: [
      new yaml.Type('tag:yaml.org,2002:int', {kind: 'scalar', resolve: (data: string | null) => data !== null && isYaml11Int(data), construct: yaml11Int}),
      new yaml.Type('tag:yaml.org,2002:float', {
        kind: 'scalar',
        resolve: (data: string | null) => data !== null && isYaml11Float(data),
        construct: yaml11Float,
      }),
    ],
  })
  return schema
}

/**
 * js-yaml 3 did not count tabs as indentation: a line's indentation was its leading spaces, and tabs after them were
 * skipped like spaces (so `\tdatamodel: x` is a top-level key). js-yaml 4 refuses a tab where a mapping or list entry
 * starts. So, outside block scalars (`|`, `>`), each line's leading whitespace is rewritten to what js-yaml 3 saw: its
 * leading spaces, except on the first entry of a nested block, where js-yaml 3 took the entry's column as the
 * block's indentation (there every tab becomes one space, keeping the columns); a tab after a `-` or `?` indicator
 * becomes a space. Whitespace inside quoted and multi-line plain values is folded away by both versions alike.
 */
function untab(text: string): string {
  const lines = text.split('\n')
  let blockScalarIndent: number | undefined
  // The document's first entry starts the root block: js-yaml 3 took its column as the root's indentation.
  let previous = {indent: -1, opens: true}
  for (const [index, line] of lines.entries()) {
    const spaces = /^ */.exec(line)![0].length
    const content = line.replace(/(^|[ \t])#.*$/, '').replace(/[ \t\r]+$/, '')
    if (blockScalarIndent !== undefined) {
      if (content.trim() === '' || spaces > blockScalarIndent) continue
      blockScalarIndent = undefined
    }
    if (content.trim() === '') continue
    let rewritten = line
    const leading = /^[ \t]*/.exec(line)![0]
    if (leading.includes('\t')) {
      const nested = previous.opens && spaces > previous.indent
      rewritten = (nested ? leading.replaceAll('\t', ' ') : ' '.repeat(spaces)) + line.slice(leading.length)
    }
    rewritten = rewritten.replace(/^( *(?:[-?][ \t]+)+)/, (indicators) => indicators.replaceAll('\t', ' '))
    lines[index] = rewritten
    const indent = /^ */.exec(rewritten)![0].length
    previous = {indent, opens: /(?:^|[ \t])-$|:$/.test(content)}
    if (/(?:^|[ \t])[|>][1-9+-]*$/.test(content)) blockScalarIndent = indent
  }
  return lines.join('\n')
}

/** Parses YAML text. Duplicate keys are an error; the result may be any YAML value. */
export async function parseYaml(text: string, file: string): Promise<unknown> {
  const yaml = await import('js-yaml')
  const source = text.includes('\t') ? untab(text) : text
  try {
    return yaml.load(source, {filename: file, json: false, schema: yaml11Schema(yaml)})
  } catch (error) {
    const exception = error as YamlException
    if (exception?.name !== 'YAMLException') throw error
    throw new ProjectError(describeYamlError(exception, text, file), {cause: error})
  }
}

function describeYamlError(error: YamlException, text: string, file: string): string {
  const reason = error.reason ?? error.message
  const line = error.mark ? error.mark.line + 1 : undefined
  const column = error.mark ? error.mark.column + 1 : undefined
  const where = line !== undefined ? ` at line ${line}, column ${column}` : ''
  const sourceLine = line !== undefined ? text.split(/\r?\n/)[line - 1] : undefined
  let fix = 'Fix the YAML syntax there (indentation, colons after keys, matching quotes and brackets).'
  if (/tab/i.test(reason) || (sourceLine !== undefined && /^\s*\t/.test(sourceLine))) {
    fix = 'Indent with spaces: a tab in the indentation is not counted as indentation.'
  } else if (/duplicated mapping key/i.test(reason)) {
    fix = 'A key appears twice in the same mapping: remove or rename one of them.'
  } else if (/unknown tag/i.test(reason)) {
    fix = 'Remove the YAML tag (the word starting with !) or quote the value.'
  } else if (/unidentified alias|unknown anchor/i.test(reason)) {
    fix = 'An alias (*name) refers to an anchor (&name) that is not defined before it.'
  } else if (/end of the stream|unexpected end/i.test(reason)) {
    fix = 'The file ends in the middle of a value: close the open quote or bracket.'
  } else if (/maxDepth/i.test(reason)) {
    fix = 'The values are nested too deeply; prisma.yml needs only a few levels.'
  } else if (/single document/i.test(reason)) {
    fix = 'prisma.yml must hold one YAML document: remove the second "---" line and what follows, or merge them.'
  } else if (/bad indentation/i.test(reason)) {
    fix = 'Align the keys of one mapping at the same indentation, using spaces.'
  }
  return `prisma.yml syntax error in ${file}${where}: ${reason}. ${fix}`
}
