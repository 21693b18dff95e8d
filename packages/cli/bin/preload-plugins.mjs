// Loaded before the capture preload into a program that `replaykit record|replay --plugin PATH -- <command>`
// runs: imports, checks and sets up the plugins, so their request hooks run in the program's capture.
// Plain ESM, outside src/: its top-level await (the program's first line waits for the plugins'
// setup) has no CommonJS form, and src/ is built as CommonJS too.
import { loadPlugins, unloadPluginsOnExit } from '@replaykit/core/engine'

const raw = process.env.REPLAYKIT_SESSION
const plugins = raw ? JSON.parse(raw).plugins : undefined
if (plugins) {
  await loadPlugins(plugins.paths, plugins.root)
  // On beforeExit, as the capture preload writes its run: the event loop is empty then, so no
  // request (and no request hook) is in flight any more.
  unloadPluginsOnExit()
}
