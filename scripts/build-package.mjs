// Builds the package in the current folder to dist/esm and dist/cjs: JavaScript bundled by
// rolldown, declarations by tsc.
//
// @note Bundled because loading is what a test worker's setup and the CLI's start pay for: plain
// tsc gave one file per source file (core: 160), and Node's loader resolves, stats, reads and
// compiles each one (about two thirds of a worker's setup in a CPU profile, docs/performance.md).
// Each entry of the package's `exports` (plus `buildEntries`, the files its bin and preset load by
// path) becomes one file; code shared by entries goes into chunks (dist/<format>/chunks), so a
// module such as the error classes stays one copy per format, and dynamic `import()`s stay lazy.
// Dependencies stay external: users' installs dedupe them, and MSW must be the one copy theirs is.
// A file that code reaches as `new URL('./file', import.meta.url)` (core's generated schema
// validator, required on first use) is copied to dist/<format>/assets and the URL rewritten to it.
// tsc still writes the .d.ts files (per source file, the layout the `types` conditions point at):
// rolldown's declaration bundling needs a plugin the registry does not serve here.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'rolldown'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tsc = join(root, 'node_modules', '.bin', 'tsc')
const cwd = process.cwd()
const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'))

// The CommonJS declarations: `preserve` rather than `commonjs`, because tsc's commonjs mode refuses
// `import.meta`, which rolldown turns into `__filename` for that build; the .d.ts text is the same.
const formats = {
  esm: { module: 'module', tsc: ['--module', 'nodenext', '--moduleResolution', 'nodenext'] },
  cjs: { module: 'commonjs', tsc: ['--module', 'preserve', '--moduleResolution', 'bundler'] },
}

const input = entries(manifest)
const buildId = sourceHash(join(cwd, 'src'), `${manifest.name}@${manifest.version}`)
if (Object.keys(input).length === 0) fail(`package.json of ${cwd} names no entry under dist/esm or dist/cjs`)

rmSync(join(cwd, 'dist'), { recursive: true, force: true })
for (const [format, { module, tsc: flags }] of Object.entries(formats)) {
  const outDir = join(cwd, 'dist', format)
  try {
    const args = ['-p', 'tsconfig.build.json', '--outDir', outDir, '--emitDeclarationOnly', ...flags]
    execFileSync(tsc, args, { cwd, stdio: 'inherit' })
  } catch {
    fail(`tsc reported errors for the ${format} declarations of ${cwd}`)
  }
  try {
    await build({
      cwd,
      input,
      platform: 'node',
      // What core's load cache of checked recordings is keyed by (artifact/checked-cache.ts).
      transform: { define: { __REPLAYKIT_BUILD_ID__: JSON.stringify(buildId) } },
      // Everything that is not this package's own source: dependencies, peers and node: builtins.
      external: (id) => !id.startsWith('.') && !isAbsolute(id),
      // `new URL('./x', import.meta.url)` of a source file: the file becomes an asset and the URL
      // points at it from wherever the code lands (an entry or a chunk; src/artifact/validate.ts).
      experimental: { resolveNewUrlToAsset: true },
      logLevel: 'warn',
      plugins: format === 'esm' ? [fsWithoutEsmFacade()] : [],
      output: {
        dir: outDir,
        format,
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
        // Readable output: stack traces and profiles name real functions, and a user can read it.
        minify: false,
        // What every test worker compiles (issue 12, benchmark 8): ASCII, so that V8 gets one-byte
        // source strings (a single `…` in a comment made a whole chunk two-byte), and without the
        // JSDoc and line comments (a third of the bytes; the .d.ts files keep the JSDoc, and the
        // `// src/…` markers of each module stay). Legal comments and `@__PURE__` annotations stay.
        charset: 'ascii',
        comments: { legal: true, annotation: true, jsdoc: false },
        sourcemap: false,
        // CommonJS consumers read `exports.x`; no `default` interop wrapper for named exports.
        exports: 'named',
      },
    })
  } catch (error) {
    fail(`rolldown could not bundle the ${format} build of ${cwd}: ${error?.message ?? error}`)
  }
  mkdirSync(outDir, { recursive: true })
  // Mark each output folder with its module type so Node reads its .js files right.
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type: module })}\n`)
}

// Every target of the package's `exports` map must exist after the build: a
// subpath that points nowhere fails only in a user's install otherwise.
const missing = exportTargets(manifest.exports ?? {}).filter(
  (target) => !target.includes('*') && !existsSync(join(cwd, target)),
)
if (missing.length > 0) fail(`package.json exports of ${cwd} point to missing files: ${missing.join(', ')}`)

/**
 * The bundle's inputs, `{ 'public/engine': 'src/public/engine.ts' }`, from every JavaScript target of
 * `exports` under dist/esm or dist/cjs and every file of `buildEntries` (both formats are built
 * from the one list, so an entry exported in one format only still has its twin).
 */
function entries({ exports: map = {}, buildEntries = [] }) {
  const targets = [...exportTargets(map), ...buildEntries]
  const input = {}
  for (const target of targets) {
    const match = /^\.\/dist\/(?:esm|cjs)\/(.+)\.js$/.exec(target)
    if (!match) continue
    const source = `src/${match[1]}.ts`
    if (!existsSync(join(cwd, source))) fail(`${target} (package.json of ${cwd}) has no source ${source}`)
    input[match[1]] = source
  }
  return input
}

/**
 * For the ESM build: `import { a, b as c } from "node:fs"` becomes `const { a, b: c } =
 * process.getBuiltinModule("node:fs")`, the module object as `require('node:fs')` gives it to the
 * CommonJS build.
 *
 * @note Node's ESM facade of a built-in reads every export of it once, and node:fs's `promises`
 * getter loads 34 more internal modules (fs/promises, streams, readline): about a tenth of importing
 * core's root entry (benchmark 10), for code that never touches fs/promises. The other built-ins'
 * facades load nothing more, so they stay imports. The facade's bindings follow the module object
 * only after `syncBuiltinESMExports()`; these are read once, as a CommonJS `const { a } = require()`.
 */
function fsWithoutEsmFacade() {
  const NAMED = /^import \{([^}]*)\} from "node:fs";$/gm
  return {
    name: 'replaykit:fs-without-esm-facade',
    renderChunk(code, chunk) {
      const rest = code.replace(NAMED, '').match(/^import\b.*"node:fs";$/m)
      if (rest) fail(`${chunk.fileName}: an import of node:fs the build does not rewrite: ${rest[0]}`)
      return code.replace(
        NAMED,
        (_, names) => `const {${names.replace(/\s+as\s+/g, ': ')}} = process.getBuiltinModule("node:fs");`,
      )
    },
  }
}

/** A hash of every file under `dir` (names and contents) and `label`: a new build of changed code gets a new one. */
function sourceHash(dir, label) {
  const hash = createHash('sha256').update(label)
  for (const file of readdirSync(dir, { recursive: true }).sort()) {
    const path = join(dir, file)
    if (statSync(path).isFile()) hash.update(`\0${file}\0`).update(readFileSync(path))
  }
  return hash.digest('hex').slice(0, 32)
}

/** The file paths of an exports map (strings at any depth of its conditions). */
function exportTargets(value) {
  if (typeof value === 'string') return [value]
  if (value === null || typeof value !== 'object') return []
  return Object.values(value).flatMap(exportTargets)
}

function fail(message) {
  console.error(`build failed: ${message}`)
  process.exit(1)
}
