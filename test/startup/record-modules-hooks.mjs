// Loader hooks for record-modules.mjs: appends the URL of each module the ES module loader loads.
import {appendFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

let target

export function initialize(data) {
  target = data.target
}

export async function load(url, context, nextLoad) {
  appendFileSync(target, `${url.startsWith('file:') ? fileURLToPath(url) : url}\n`)
  return nextLoad(url, context)
}
