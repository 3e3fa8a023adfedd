/**
 * What a Prisma server of a given version does differently, where clients can see it: how the Management API checks
 * tokens, and whether it answers `serverInfo`. The stand-in picks its behaviour from its `--version` with these.
 * Each line cites the server source (GitHub prisma/prisma1, at the tag named) it follows.
 */

/**
 * How management tokens are checked:
 * - 'jwt-scala': 1.34.7+ (images/prisma-prod/.../PrismaProdDependencies.scala wires SymmetricManagementAuth, HS256
 *   with managementApiSecret only; deploy/server/auth/SymmetricManagementAuth.scala), and 1.0–1.26, which also
 *   wired AsymmetricManagementAuth (RS256 with a public key: 1.26.6 PrismaProdDependencies.scala, `legacySecret`).
 * - 'jwt-native-rs': 1.27–1.34.6 (PrismaProdDependencies.scala wires `JnaAuth(Algorithm.HS256)`, the Rust library
 *   libs/jwt-native-rs: src/lib.rs `verify_token`, src/grant.rs; libs/jwt-native/.../Algorithm.scala: "RS* not
 *   supported").
 */
export type TokenCheck = 'jwt-scala' | 'jwt-native-rs'

export interface ServerLine {
  tokenCheck: TokenCheck
  /** RS256 with a PEM public key can be configured (1.0–1.26). */
  rs256: boolean
  /** `serverInfo` query (deploy/schema/SchemaBuilder.scala, 1.8+). */
  serverInfo: boolean
  /** `clusterInfo` query (1.0–1.11). */
  clusterInfo: boolean
}

/** [major, minor, patch] of a version such as 1.34.6 or 1.26.0-beta; a version without digits (`local`) is the latest. */
export function versionParts(version: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version)
  if (!match) return undefined
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)]
}

function atLeast(parts: [number, number, number] | undefined, min: [number, number, number]): boolean {
  if (!parts) return true
  for (let i = 0; i < 3; i++) if (parts[i] !== min[i]) return parts[i] > min[i]
  return true
}

/** The behaviour of the server line a version belongs to. */
export function serverLine(version: string): ServerLine {
  const parts = versionParts(version)
  const nativeRs = atLeast(parts, [1, 27, 0]) && !atLeast(parts, [1, 34, 7])
  return {
    tokenCheck: nativeRs ? 'jwt-native-rs' : 'jwt-scala',
    rs256: !atLeast(parts, [1, 27, 0]),
    serverInfo: atLeast(parts, [1, 8, 0]),
    clusterInfo: !atLeast(parts, [1, 12, 0]),
  }
}
