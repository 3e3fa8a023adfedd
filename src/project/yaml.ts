// Parses prisma.yml text with js-yaml 3 (the npm alias js-yaml3, loaded lazily), the version the original CLI read
// it with (`safeLoad`): the same YAML 1.1 scalars (`017` is octal, `1:20` is 80), tabs read the same way, the same
// errors. Syntax errors become ProjectErrors with line, column and fix.
import {ProjectError} from '../errors.js'

interface YamlMark {
  line: number
  column: number
}

interface YamlException extends Error {
  reason?: string
  mark?: YamlMark
}

/** Parses YAML text. Duplicate keys are an error; the result may be any YAML value. */
export async function parseYaml(text: string, file: string): Promise<unknown> {
  const {safeLoad} = await import('./js-yaml3.js')
  try {
    return safeLoad(text, {filename: file})
  } catch (error) {
    // js-yaml 3 has no depth limit: thousands of nested lists or mappings overflow the stack while parsing
    if (error instanceof RangeError) {
      throw new ProjectError(`prisma.yml syntax error in ${file}: the values are nested too deeply to read. prisma.yml needs only a few levels.`, {cause: error})
    }

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
