/**
 * Copies a token to the system clipboard with the platform's own tool, spawned without a shell and fed on stdin
 * (never on the command line, where other users could see it in the process list).
 */
import {spawn} from 'node:child_process'

import {FailedError} from '../errors.js'
import {findProgram} from '../find-program.js'

interface Tool {
  command: string
  args: string[]
}

function candidates(env: Record<string, string | undefined>, platform: NodeJS.Platform): Tool[] {
  if (platform === 'darwin') return [{args: [], command: 'pbcopy'}]
  if (platform === 'win32') return [{args: [], command: 'clip.exe'}, {args: [], command: 'clip'}]
  const tools: Tool[] = []
  if (env.WAYLAND_DISPLAY) tools.push({args: [], command: 'wl-copy'})
  if (env.DISPLAY) {
    tools.push({args: ['-selection', 'clipboard'], command: 'xclip'}, {args: ['--clipboard', '--input'], command: 'xsel'})
  }

  // Windows Subsystem for Linux
  tools.push({args: [], command: 'clip.exe'})
  return tools
}

function runTool(path: string, args: string[], text: string, env: Record<string, string | undefined>): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false
    const done = (ok: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(ok)
    }

    // xclip and wl-copy keep a background process serving the selection: wait for exit, not for the streams
    const child = spawn(path, args, {env: env as NodeJS.ProcessEnv, shell: false, stdio: ['pipe', 'ignore', 'ignore']})
    const timer = setTimeout(() => {
      child.kill()
      done(false)
    }, 5000)
    child.on('error', () => done(false))
    child.on('exit', (code) => done(code === 0))
    child.stdin.on('error', () => done(false))
    child.stdin.end(text)
  })
}

/** Copies `text`; throws a FailedError naming the tools tried when none is available or none succeeds. */
export async function copyToClipboard(
  text: string,
  o: {env?: Record<string, string | undefined>; platform?: NodeJS.Platform} = {},
): Promise<string> {
  const env = o.env ?? process.env
  const platform = o.platform ?? process.platform
  const tools = candidates(env, platform)
  for (const tool of tools) {
    const path = findProgram(tool.command, env, process.cwd(), platform)
    if (path && (await runTool(path, tool.args, text, env))) return tool.command
  }

  throw new FailedError(
    'Could not copy the token: no clipboard is available here (looked for ' +
      (platform === 'darwin' ? 'pbcopy' : platform === 'win32' ? 'clip.exe' : 'wl-copy with WAYLAND_DISPLAY, xclip or xsel with DISPLAY, clip.exe') +
      '). ' +
      'Run the command without --copy to print the token instead.',
  )
}
