/**
 * Tries to open a URL in the user's browser. Never fails: without a browser (CI, SSH, containers) the caller has
 * printed the URL already. `BROWSER` names the program to use (`BROWSER=none` turns this off).
 */
import {spawn} from 'node:child_process'

export function openBrowser(url: string, o: {env?: Record<string, string | undefined>; platform?: NodeJS.Platform} = {}): Promise<boolean> {
  const env = o.env ?? process.env
  const platform = o.platform ?? process.platform
  let command: string
  let args: string[]
  if (env.BROWSER) {
    if (env.BROWSER === 'none') return Promise.resolve(false)
    command = env.BROWSER
    args = [url]
  } else if (platform === 'darwin') {
    command = 'open'
    args = [url]
  } else if (platform === 'win32') {
    command = 'explorer.exe'
    args = [url]
  } else {
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return Promise.resolve(false)
    command = 'xdg-open'
    args = [url]
  }

  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, {detached: true, shell: false, stdio: 'ignore'})
      child.once('error', () => resolve(false))
      child.once('spawn', () => {
        child.unref()
        resolve(true)
      })
    } catch {
      resolve(false)
    }
  })
}
