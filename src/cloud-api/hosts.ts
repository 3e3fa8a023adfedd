/**
 * Which servers belong to Prisma Cloud, in one place: the cloud session is only ever sent for these, endpoints on
 * the demo servers carry a workspace, and the wizard lists them. Pure: no network.
 */

export interface DemoServer {
  /** The cluster name the cloud API and the original use. */
  cluster: string
  /** The name the wizard shows. */
  display: string
  region: string
  /** The server's origin. */
  origin: string
}

/** The (long gone) shared demo servers, by host. */
export const demoServers: Readonly<Record<string, DemoServer>> = {
  'eu1.prisma.sh': {cluster: 'prisma-eu1', display: 'demo-eu1', origin: 'https://eu1.prisma.sh', region: 'eu-west-1'},
  'us1.prisma.sh': {cluster: 'prisma-us1', display: 'demo-us1', origin: 'https://us1.prisma.sh', region: 'us-west-2'},
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, '')
  } catch {
    return undefined
  }
}

/** `prisma.sh` and its sub-domains (from a URL): the only hosts the cloud session is ever used for. */
export function isPrismaCloudHost(serverUrl: string): boolean {
  const host = hostOf(serverUrl)
  return host !== undefined && (host === 'prisma.sh' || host.endsWith('.prisma.sh'))
}

/** The demo server a cluster name or URL stands for, if any. */
export function demoServer(o: {name?: string; url?: string}): DemoServer | undefined {
  const byName = Object.values(demoServers).find((server) => server.cluster === o.name)
  if (byName) return byName
  const host = o.url === undefined ? undefined : hostOf(o.url)
  return host === undefined ? undefined : demoServers[host]
}
