/**
 * A plain `MAJOR.MINOR.PATCH` version (`1.1.0`, what every recording ReplayKit
 * writes carries), read without semver.
 *
 * @note Why not always semver: a test worker's first read of a recording checks its
 * version, and requiring semver's functions there loads ten CommonJS files
 * (and, in a fresh process, Node's CommonJS loader) for a three-number string:
 * about a sixth of a worker's `.rpk` read (issue 12, benchmark 8). Anything
 * else (a pre-release, build metadata, a `v` prefix, surrounding spaces) still
 * goes to semver, so every answer is the one semver gives.
 */

/**
 * Three numeric identifiers without leading zeros, as semver's strict grammar has them; at most 15
 * digits each, so each is a safe integer (semver refuses numbers above `MAX_SAFE_INTEGER`).
 */
const PLAIN = /^(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/

export interface PlainVersion {
  major: number
  minor: number
}

/** The major and minor of a plain version, or undefined when `version` is not one (semver decides those). */
export function plainVersion(version: string): PlainVersion | undefined {
  const match = PLAIN.exec(version)
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined
}
