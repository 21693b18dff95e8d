/**
 * The ReplayKit packages as a user gets them: `npm pack` of each built
 * package, once per test run (cached in the temp folder by the content of the
 * package, so the Vitest and Jest suites share one pack of core).
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT: string = fileURLToPath(new URL('../../..', import.meta.url))

/** Workspace folders under packages/ by npm name. */
export const PACKAGE_FOLDERS = {
  '@replaykit/core': 'core',
  '@replaykit/vitest': 'vitest-plugin',
  '@replaykit/jest': 'jest-preset',
  '@replaykit/cli': 'cli',
} as const

export type PackageName = keyof typeof PACKAGE_FOLDERS

/** Path of the tarball of a package, packed from its current build. */
export function packPackage(name: PackageName): string {
  const folder = join(REPO_ROOT, 'packages', PACKAGE_FOLDERS[name])
  if (!existsSync(join(folder, 'dist'))) {
    throw new Error(`${name} is not built: run \`npm run build\` at the repository root before the end-to-end tests.`)
  }
  const cache = join(tmpdir(), 'replaykit-e2e-packs', `${PACKAGE_FOLDERS[name]}-${fingerprint(folder)}`)
  const done = (): string | undefined => {
    if (!existsSync(cache)) return undefined
    const tgz = readdirSync(cache).find((file) => file.endsWith('.tgz'))
    return tgz ? join(cache, tgz) : undefined
  }
  const cached = done()
  if (cached) return cached
  mkdirSync(join(tmpdir(), 'replaykit-e2e-packs'), { recursive: true })
  const staging = mkdtempSync(join(tmpdir(), 'replaykit-e2e-packs', 'staging-'))
  execFileSync('npm', ['pack', '--silent', '--pack-destination', staging], { cwd: folder, stdio: 'pipe' })
  try {
    renameSync(staging, cache)
  } catch {
    // Another suite packed the same content at the same time: use theirs.
    rmSync(staging, { recursive: true, force: true })
  }
  const packed = done()
  if (!packed) throw new Error(`npm pack of ${name} produced no tarball`)
  return packed
}

/** A hash of the files npm would pack (package.json, dist, and the preset file): a new build packs again. */
function fingerprint(folder: string): string {
  const hash = createHash('sha256')
  const visit = (path: string): void => {
    const stat = statSync(path)
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry))
      return
    }
    hash.update(relative(folder, path))
    hash.update(readFileSync(path))
  }
  for (const entry of ['package.json', 'README.md', 'dist', 'jest-preset.cjs', 'bin', 'schema']) {
    if (existsSync(join(folder, entry))) visit(join(folder, entry))
  }
  return hash.digest('hex').slice(0, 16)
}
