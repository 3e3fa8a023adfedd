/**
 * The one duration syntax of the tool (`deploy --timeout`, `login --timeout`, `--expires-in`, PRISMA_REQUEST_TIMEOUT):
 * a positive number with an optional unit, `500ms`, `90s`, `1.5m`, `10min`, `12h`, `7d`, `2w`, `5y`; a bare number
 * means seconds. Values are milliseconds.
 */
import {ProjectError, UsageError} from './errors.js'

const second = 1000
const minute = 60 * second
const hour = 60 * minute
const day = 24 * hour
const week = 7 * day
// years as jsonwebtoken/ms count them (365.25 days), so `5y` is the original's 157788000 seconds
const year = 365.25 * day

const units: Record<string, number> = {
  d: day,
  day,
  days: day,
  h: hour,
  hour,
  hours: hour,
  hr: hour,
  hrs: hour,
  m: minute,
  min: minute,
  mins: minute,
  minute,
  minutes: minute,
  ms: 1,
  s: second,
  sec: second,
  second,
  seconds: second,
  secs: second,
  w: week,
  week,
  weeks: week,
  y: year,
  year,
  years: year,
  yr: year,
  yrs: year,
}

/**
 * Where a duration came from: a bad command-line flag is a usage error (exit 2), a bad variable of the environment
 * (or .env) a setting of the project (PROJECT_INVALID, exit 1).
 */
export type DurationSource = 'flag' | 'env'

/**
 * `text` → milliseconds (> 0, at most 100 years). `name` is the flag or variable the text came from (`--timeout`,
 * `PRISMA_REQUEST_TIMEOUT`); the error names it.
 */
export function parseDuration(text: string, name: string, source: DurationSource = 'flag'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(text))
  const factor = match ? (match[2] === '' ? second : units[match[2].toLowerCase()]) : undefined
  const ms = match && factor ? Math.round(Number(match[1]) * factor) : Number.NaN
  if (!Number.isFinite(ms) || ms <= 0 || ms > 100 * year) {
    const message =
      `${name} must be a duration such as 90s, 10m or 1h (got "${text}"): a positive number followed by a unit, ` +
      'ms, s, m, h, d (days), w (weeks) or y (years); a plain number means seconds.'
    throw source === 'flag' ? new UsageError(message) : new ProjectError(message)
  }

  return ms
}

/** `3_600_000` → `1h`, `604_800_000` → `1w`, `1500` → `1500ms`: the shortest exact rendering, in the syntax above. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['y', year],
    ['w', week],
    ['d', day],
    ['h', hour],
    ['m', minute],
    ['s', second],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`
  }

  return `${ms}ms`
}

/** For messages: `10 min`, `30 s`, `1.5 s`, `500 ms`. */
export function describeDuration(ms: number): string {
  if (ms >= minute && ms % minute === 0) return `${ms / minute} min`
  if (ms % second === 0) return `${ms / second} s`
  if (ms < second) return `${ms} ms`
  return `${(ms / second).toFixed(1)} s`
}

/** `123ms`, or `1.2s` from one second on: elapsed time, as the original prints it after a step. */
export function formatElapsed(ms: number): string {
  if (ms < second) return `${Math.round(ms)}ms`
  return `${(ms / second).toFixed(1)}s`
}
