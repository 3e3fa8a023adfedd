// Preloaded with `node --import` (through NODE_OPTIONS) by the start-up tests: writes the file paths of every
// module the process loaded to the file named by RECORD_MODULES_TO, one per line. ES modules are seen by a
// loader hook (it runs on its own thread and appends as they load); CommonJS modules are read from
// require.cache when the process exits, with one line about the environment.
import {appendFileSync} from 'node:fs'
import {createRequire, register} from 'node:module'

const target = process.env.RECORD_MODULES_TO
if (target) {
  register('./record-modules-hooks.mjs', import.meta.url, {data: {target}})
  const require = createRequire(import.meta.url)
  process.once('exit', () => {
    const builtins = (process.moduleLoadList ?? []).filter((name) => name.startsWith('NativeModule ')).map((name) => `node:${name.slice(13)}`)
    // bin/run.js switches oclif's engine check off while it loads oclif and must restore the environment
    const engineCheck = `env:OCLIF_DISABLE_ENGINE_WARNING=${process.env.OCLIF_DISABLE_ENGINE_WARNING ?? '(unset)'}`
    appendFileSync(target, [...Object.keys(require.cache), ...builtins, engineCheck].map((path) => `${path}\n`).join(''))
  })
}
