/** Finds a program the way a shell does, for hooks and the clipboard tools alike. */
import {statSync} from 'node:fs'
import {delimiter, isAbsolute, join, resolve} from 'node:path'

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** Finds a program like the shell would: a path as is, else each PATH folder (with PATHEXT on Windows). */
export function findProgram(program: string, env: Record<string, string | undefined>, cwd: string, platform = process.platform): string | undefined {
  const extensions =
    platform === 'win32'
      ? ['', ...(env.PATHEXT ?? env.Pathext ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)]
      : ['']
  const candidates = (base: string) => extensions.map((extension) => base + extension)
  if (program.includes('/') || (platform === 'win32' && program.includes('\\')) || isAbsolute(program)) {
    return candidates(resolve(cwd, program)).find((path) => isFile(path))
  }

  const path = env.PATH ?? env.Path ?? ''
  for (const folder of path.split(platform === 'win32' ? ';' : delimiter)) {
    if (!folder) continue
    const found = candidates(join(folder, program)).find((candidate) => isFile(candidate))
    if (found) return found
  }

  return undefined
}

