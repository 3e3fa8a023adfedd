/** Colours for human output: on for colour-capable terminals, off with NO_COLOR, FORCE_COLOR=0 or when piped. */
import {Chalk, type ChalkInstance} from 'chalk'

export type Colors = ChalkInstance

export function colorsFor(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env): Colors {
  return new Chalk({level: colorLevel(stream, env)})
}

export function colorLevel(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env): 0 | 1 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return 0
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return 1
  if (!stream.isTTY || env.TERM === 'dumb') return 0
  return 1
}

/** `x` with the name in bold, backticks kept: the original's way of quoting names. */
export function quoted(c: Colors, name: string): string {
  return `\`${c.bold(name)}\``
}

/** Bolds the backtick-delimited parts of a server message, keeping the backticks. */
export function boldQuoted(c: Colors, text: string): string {
  return text.replaceAll(/`([^`]*)`/g, (_match, inner: string) => `\`${c.bold(inner)}\``)
}

export const symbols =
  process.platform === 'win32' ? {cross: '×', tick: '√', warning: '‼'} : {cross: '✖', tick: '✔', warning: '⚠'}
