/**
 * Which proxy a request goes through, from the environment it is given (the process environment merged with .env):
 * `https_proxy`/`HTTPS_PROXY` for https:// addresses (falling back to the HTTP proxy), `http_proxy`/`HTTP_PROXY`
 * for http:// ones, none for hosts listed in `no_proxy`/`NO_PROXY`. The rules are those of undici's
 * EnvHttpProxyAgent, which this tool used before: entries separated by commas or spaces, an optional `:port`,
 * `*` for every host, and a leading `.` or `*.` for a domain and its subdomains.
 */
import {FailedError} from '../errors.js'

export type Env = Record<string, string | undefined>

const defaultPorts: Record<string, number> = {'http:': 80, 'https:': 443}

function variable(env: Env, name: string): string | undefined {
  return env[name.toLowerCase()] || env[name] || undefined
}

/** The proxy for `target`, or undefined when the request goes direct. */
export function proxyFor(target: URL, env: Env): URL | undefined {
  const http = variable(env, 'HTTP_PROXY')
  const chosen = target.protocol === 'https:' ? (variable(env, 'HTTPS_PROXY') ?? http) : target.protocol === 'http:' ? http : undefined
  if (!chosen || bypassesProxy(target, variable(env, 'NO_PROXY') ?? '')) return undefined
  try {
    return new URL(chosen.includes('://') ? chosen : `http://${chosen}`)
  } catch {
    throw new ProxySettingError(chosen)
  }
}

/** Whether NO_PROXY exempts `target`. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const value = noProxy.trim()
  if (value === '*') return true
  // `host` keeps the brackets of an IPv6 address, which NO_PROXY entries carry too
  const hostname = target.host.replace(/:\d*$/, '').toLowerCase()
  const port = Number.parseInt(target.port, 10) || defaultPorts[target.protocol] || 0
  for (const entry of value.split(/[\s,]/)) {
    if (!entry) continue
    const withPort = /^(.+):(\d+)$/.exec(entry)
    const host = (withPort ? withPort[1] : entry).toLowerCase()
    if (withPort && Number(withPort[2]) !== port) continue
    if (/^[.*]/.test(host) ? hostname.endsWith(host.replace(/^\*/, '')) : hostname === host) return true
  }

  return false
}

export class ProxySettingError extends FailedError {
  constructor(value: string) {
    super(`The proxy address "${redactProxyCredentials(value)}" (HTTPS_PROXY or HTTP_PROXY) is not a URL. Set it like http://proxy.example:3128.`)
    this.name = 'ProxySettingError'
  }
}

/** A proxy address fit for a message: user name and password replaced. */
export function redactProxyCredentials(value: string | URL): string {
  const text = String(value)
  try {
    const url = new URL(text)
    if (!url.username && !url.password) return url.origin
    return `${url.protocol}//***@${url.host}`
  } catch {
    return text.replace(/\/\/[^@/]*@/, '//***@')
  }
}
