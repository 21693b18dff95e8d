/** Paths as printed to people: relative to the working folder when inside it. */
import { isAbsolute, relative } from 'node:path'

export function shown(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}
