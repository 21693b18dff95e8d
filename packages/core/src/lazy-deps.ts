/**
 * Core's runtime dependencies, required on first use instead of at import.
 *
 * @note Importing the root entry (the CLI's read commands, a UI) must stay cheap
 * (`npm run bench`, benchmark 10): only a diff needs json-diff-ts, only a
 * coloured message picocolors, only a recording's version check semver, and as
 * static imports the three cost about a quarter of the root's import (ten
 * CommonJS files, each read, compiled and scanned for its exports by Node's
 * ESM loader). All three are CommonJS, so a synchronous `require` from this
 * module's place loads the same copy an `import` would (the callers stay
 * synchronous), in the ESM and the CommonJS build alike.
 *
 * The same goes for the `node:crypto` built-in: loading it brings in about 40 of
 * Node's internal modules (ciphers, keys, streams), and only a hash or a random
 * file name needs it.
 */
import type * as Crypto from 'node:crypto'
import { createRequire } from 'node:module'
import type * as JsonDiff from 'json-diff-ts'
import type Picocolors from 'picocolors'
import type SemverMajor from 'semver/functions/major.js'
import type SemverMinor from 'semver/functions/minor.js'
import type SemverValid from 'semver/functions/valid.js'
import { plainVersion } from './plain-version.js'

let load: NodeJS.Require | undefined
/**
 * `require` relative to this file, made on the first call (rolldown turns `import.meta.url` into
 * `__filename` for CommonJS). From an import of node:module rather than `process.getBuiltinModule`:
 * inside Jest's sandbox the CommonJS build then gets Jest's `createRequire`, and these packages
 * load into the sandbox's module registry as a static import would have.
 *
 * @note Also for ES modules needed synchronously (MSW, inside a `connect` call): `require` of an ES
 * module (Node 22.12 and later, unflagged; core's `engines`) gives the same instance an `import` of
 * it gives, so MSW required here and a user's imported `msw` are one copy.
 */
export function requireDependency<T>(id: string): T {
  load ??= createRequire(import.meta.url)
  return load(id) as T
}

let jsonDiffModule: typeof JsonDiff | undefined
/** json-diff-ts (`diff`, `atomizeChangeset`), for the field changes of a divergence. */
export function jsonDiff(): typeof JsonDiff {
  jsonDiffModule ??= requireDependency<typeof JsonDiff>('json-diff-ts')
  return jsonDiffModule
}

let colors: typeof Picocolors | undefined
function picocolorsModule(): typeof Picocolors {
  colors ??= requireDependency<typeof Picocolors>('picocolors')
  return colors
}

/** The two members of picocolors that core uses, each loading it on first use. */
export const picocolors: Pick<typeof Picocolors, 'createColors' | 'isColorSupported'> = {
  createColors: (enabled) => picocolorsModule().createColors(enabled),
  get isColorSupported(): boolean {
    return picocolorsModule().isColorSupported
  },
}

interface Semver {
  major: (version: string) => number
  minor: (version: string) => number
  valid: (version: string) => string | null
}
let semverFunctions: Semver | undefined
/** semver's own three functions: the functions, not the package index, which loads all of semver (ranges, sorting, …). */
function semverModule(): Semver {
  semverFunctions ??= {
    major: requireDependency<typeof SemverMajor>('semver/functions/major.js'),
    minor: requireDependency<typeof SemverMinor>('semver/functions/minor.js'),
    valid: requireDependency<typeof SemverValid>('semver/functions/valid.js'),
  }
  return semverFunctions
}

const versionFunctions: Semver = {
  // A plain version is its own normal form: semver's `valid` returns it as it is.
  valid: (version) => (plainVersion(version) ? version : semverModule().valid(version)),
  major: (version) => plainVersion(version)?.major ?? semverModule().major(version),
  minor: (version) => plainVersion(version)?.minor ?? semverModule().minor(version),
}
/**
 * The three functions of semver that the version check of a recording uses. A plain
 * `MAJOR.MINOR.PATCH` is answered without loading semver (plain-version.ts); any other
 * string loads it on first use and gets semver's own answer.
 */
export function semver(): Semver {
  return versionFunctions
}

let cryptoModule: typeof Crypto | undefined
function nodeCrypto(): typeof Crypto {
  cryptoModule ??= process.getBuiltinModule('node:crypto')
  return cryptoModule
}

/** `createHash` of `node:crypto`, which loads on the first call. */
export function createHash(algorithm: string): Crypto.Hash {
  return nodeCrypto().createHash(algorithm)
}

/** `randomBytes` of `node:crypto` (the synchronous form), which loads on the first call. */
export function randomBytes(size: number): Buffer {
  return nodeCrypto().randomBytes(size)
}
