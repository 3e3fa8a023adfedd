// A folder as {relative path: content}, for byte-for-byte comparison of generated trees.
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'

export function readTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {}
  const walk = (path: string) => {
    for (const entry of readdirSync(path, {withFileTypes: true})) {
      const full = join(path, entry.name)
      if (entry.isDirectory()) walk(full)
      else tree[relative(dir, full)] = readFileSync(full, 'latin1')
    }
  }
  walk(dir)
  return tree
}

/** The transcript with the project folder and the elapsed times made neutral. */
export function neutralTranscript(text: string, dir: string): string {
  return text.split(dir).join('<dir>').replace(/\.\.\. \d+(\.\d)?m?s/g, '... <time>')
}
