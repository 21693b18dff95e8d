/**
 * Writes a module's source at `file` (its folders made) and imports it: the
 * determinism tests place drawing modules where machinery, helpers and plain
 * code live (node_modules/msw, node_modules/<lib>, the app), since draws are
 * told apart by the file of the calling frame.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export async function loadModuleFile<T>(file: string, source: string): Promise<T> {
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, source)
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T
}
