/**
 * Orphaned recordings: `__snapshots__/<name>.rpk` files whose test file
 * `<name>` no longer exists beside the folder (the test file was deleted or
 * renamed). No test run opens them, so nothing else would ever report them.
 */
import { type Dirent, existsSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { SNAPSHOT_FOLDER } from './rpk-path.js'

// Folders never searched: dependencies, VCS data, build output of common tools.
const SKIP = new Set(['node_modules', '.git', 'dist', 'coverage'])

/** The orphaned `.rpk` files under `root`, as absolute paths, sorted. */
export function findOrphanedRpks(root: string): string[] {
  const orphans: string[] = []
  const visit = (dir: string): void => {
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || SKIP.has(entry.name) || entry.name.startsWith('.')) continue
      const path = join(dir, entry.name)
      if (entry.name === SNAPSHOT_FOLDER) orphans.push(...orphansIn(path))
      else visit(path)
    }
  }
  visit(root)
  return orphans.sort()
}

function orphansIn(folder: string): string[] {
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return []
  }
  return names
    .filter((name) => name.endsWith('.rpk') && !existsSync(join(dirname(folder), name.slice(0, -'.rpk'.length))))
    .map((name) => join(folder, name))
}

/** Delete orphaned `.rpk` files (a full update run); returns the paths relative to `root`, `/`-separated. */
export function removeOrphanedRpks(root: string, orphans: readonly string[]): string[] {
  for (const file of orphans) rmSync(file, { force: true })
  return orphans.map((file) => relative(root, file).split('\\').join('/'))
}
