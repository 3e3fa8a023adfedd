/**
 * The state of a resumable import, kept outside the working directory in the user's state folder
 * (`$XDG_STATE_HOME/prisma1-cli/imports`, by default `~/.local/state/...`), one small JSON file per import keyed by
 * the service's endpoint, service, stage and the data's fingerprint, written atomically after each request and
 * removed when the import completes.
 */
import {createHash} from 'node:crypto'
import {mkdir, readdir, readFile, rename, unlink, writeFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {basename, join} from 'node:path'

import {whileWriting} from '../signals.js'

/** `<model>\0<field>\0<id>`: one node's scalar list. */
export type ListKey = string

export interface ImportState {
  version: 1
  /** The data as the user named it (for people reading the file). */
  data: string
  /** Requests the server accepted, in upload order. */
  accepted: number
  /** Values in those requests. */
  sentValues: number
  /** A request sent (or about to be) whose answer has not come. */
  inFlight?: {
    request: number
    /** For a lists request: the lengths of the lists it extends, read before it was sent. */
    lists?: Record<ListKey, number>
  }
}

/** Where the states live, from the environment (XDG_STATE_HOME, else ~/.local/state). */
export function importStateFolder(env: Record<string, string | undefined>): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state')
  return join(base, 'prisma1-cli', 'imports')
}

export class ImportStateStore {
  constructor(readonly folder: string) {}

  static key(o: {url: string; service: string; stage: string; hash: string; requestBytes: number}): string {
    return createHash('sha256').update(JSON.stringify([o.url, o.service, o.stage, o.hash, o.requestBytes])).digest('hex').slice(0, 40)
  }

  path(key: string): string {
    return join(this.folder, `${key}.json`)
  }

  /** The state saved under `key`, or undefined (none, or a file that is not a state: started over). */
  async load(key: string): Promise<ImportState | undefined> {
    let text: string
    try {
      text = await readFile(this.path(key), 'utf8')
    } catch {
      return undefined
    }

    try {
      const state = JSON.parse(text) as ImportState
      if (state?.version !== 1 || !Number.isInteger(state.accepted) || state.accepted < 0) return undefined
      state.sentValues = Number.isInteger(state.sentValues) ? state.sentValues : 0
      return state
    } catch {
      return undefined
    }
  }

  async save(key: string, state: ImportState): Promise<void> {
    await mkdir(this.folder, {mode: 0o700, recursive: true})
    const path = this.path(key)
    const temporary = `${path}.${process.pid}.tmp`
    await whileWriting(async () => {
      await writeFile(temporary, JSON.stringify(state), {mode: 0o600})
      await rename(temporary, path)
    })
  }

  /** Removes the state, and the temporary file of a save that a killed process left behind. */
  async remove(key: string): Promise<void> {
    const name = basename(this.path(key))
    const leftovers = (await readdir(this.folder).catch(() => [] as string[])).filter((file) => file.startsWith(`${name}.`) && file.endsWith('.tmp'))
    await Promise.all([this.path(key), ...leftovers.map((file) => join(this.folder, file))].map((file) => unlink(file).catch(() => {})))
  }
}
