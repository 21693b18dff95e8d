/**
 * Loading the plugins named in the runner's config, inside each worker: each
 * path is resolved from the project root (a relative or absolute file path, or
 * a package name), imported, and its default export (or `plugin` export) is
 * checked and set up. The loaded plugins become the worker's active ones
 * (active.ts), in the order of the list.
 *
 * @see https://github.com/vitest-dev/vitest/blob/main/packages/vitest/src/integrations/snapshot/environments/resolveSnapshotEnvironment.ts the model
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { isAbsolute, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { activatePlugins, activePlugins, loadedFrom } from './active.js'
import { badPlugin, checkPlugin } from './check-plugin.js'
import type { ReplayKitPlugin } from './types.js'

/**
 * Import, check and set up the plugins at `paths` (resolved from `root`), and make them active.
 * @throws PluginError (RPK_BAD_PLUGIN) naming the path that does not resolve, does not load or is not a plugin
 */
export async function loadPlugins(paths: readonly string[], root: string): Promise<ReplayKitPlugin[]> {
  const plugins: ReplayKitPlugin[] = []
  for (const path of paths) {
    const file = resolvePlugin(path, root)
    let module: Record<string, unknown>
    try {
      module = await import(specifierOf(file))
    } catch (error) {
      throw badPlugin(path, `importing ${file} threw: ${messageOf(error)}`, error)
    }
    // @note A CommonJS module's `module.exports = {…}` arrives as the default export too.
    const plugin = module.default ?? module.plugin
    if (plugin === undefined) throw badPlugin(path, 'the module has no default export and no `plugin` export')
    checkPlugin(plugin, path)
    try {
      await plugin.setup?.()
    } catch (error) {
      throw badPlugin(path, `${plugin.name}: setup threw: ${messageOf(error)}`, error)
    }
    const other = plugins.find((loaded) => loaded.store)
    if (plugin.store && other) {
      throw badPlugin(
        path,
        `${plugin.name}: a store is provided by "${other.name}" already (one store holds a test file's recordings)`,
      )
    }
    plugins.push(plugin)
  }
  activatePlugins(plugins)
  return plugins
}

/** The file a configured plugin path names: a path relative to the root, an absolute path, or a package. */
function resolvePlugin(path: string, root: string): string {
  if (path.startsWith('.') || isAbsolute(path)) {
    const file = resolve(root, path)
    if (!existsSync(file))
      throw badPlugin(path, `no file at ${file} (paths are resolved from the project root ${root})`)
    return file
  }
  try {
    return createRequire(join(root, 'package.json')).resolve(path)
  } catch (error) {
    throw badPlugin(path, `the package does not resolve from ${root} (a file path starts with ./)`, error)
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * As loadPlugins, once per worker: a runner's setup runs for every test file, but the
 * plugins' setup runs once (again only when the list or the root changed).
 */
export async function loadPluginsOnce(paths: readonly string[], root: string): Promise<readonly ReplayKitPlugin[]> {
  const key = JSON.stringify([root, paths])
  if (loadedFrom().key === key) return activePlugins()
  const plugins = await loadPlugins(paths, root)
  loadedFrom().key = key
  return plugins
}

/**
 * What `import()` takes for a file.
 * @note The path itself, not a file URL, where it can be (POSIX): tsc's CommonJS build (the one the
 * Jest environment loads) turns `import()` into `require()`, which takes a path but not a URL, and
 * Node 24's require() loads ES modules and TypeScript too. A Windows path needs the URL.
 */
function specifierOf(file: string): string {
  return process.platform === 'win32' ? pathToFileURL(file).href : file
}
