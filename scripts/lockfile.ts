// Reading a package-lock.json (lockfileVersion 2/3) the way npm installs `--omit=dev`: dependencies, optional
// dependencies and required peers, resolved as Node resolves them. Shared by the benchmark and the budget test.

export interface LockEntry {
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, {optional?: boolean}>
}

/** Lock key of the package `name` as required from the package at lock key `from`. */
export function resolveLockKey(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from
  for (;;) {
    const key = base ? `${base}/node_modules/${name}` : `node_modules/${name}`
    if (packages[key]) return key
    if (!base) return undefined
    const index = base.lastIndexOf('/node_modules/')
    base = index === -1 ? '' : base.slice(0, index)
  }
}

/** Every lock key a production install of the package at `start` brings in, `start` included. */
export function productionClosure(packages: Record<string, LockEntry>, start: string): Set<string> {
  const seen = new Set<string>()
  const queue = [start]
  while (queue.length > 0) {
    const key = queue.pop()!
    if (seen.has(key)) continue
    seen.add(key)
    const entry = packages[key]
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((name) => !entry.peerDependenciesMeta?.[name]?.optional)
    for (const name of [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers]) {
      const found = resolveLockKey(packages, key, name)
      if (found) queue.push(found)
    }
  }

  return seen
}
