// Builds the package in the current folder to dist/esm and dist/cjs, each with .d.ts.
//
// @note Plain tsc twice instead of a bundler: tsdown's declaration plugin needs a
// package the registry does not serve, and tsc alone gives both module formats
// with declarations. Jest users load the CommonJS build; everyone else the ESM one.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tsc = join(root, 'node_modules', '.bin', 'tsc')
const cwd = process.cwd()

const formats = {
  esm: ['--module', 'nodenext', '--moduleResolution', 'nodenext'],
  cjs: ['--module', 'commonjs', '--moduleResolution', 'bundler'],
}

rmSync(join(cwd, 'dist'), { recursive: true, force: true })
for (const [format, flags] of Object.entries(formats)) {
  const outDir = join(cwd, 'dist', format)
  try {
    execFileSync(tsc, ['-p', 'tsconfig.build.json', '--outDir', outDir, ...flags], { cwd, stdio: 'inherit' })
  } catch {
    console.error(`build failed: tsc reported errors for the ${format} build of ${cwd}`)
    process.exit(1)
  }
  mkdirSync(outDir, { recursive: true })
  // Mark each output folder with its module type so Node reads its .js files right.
  const type = format === 'esm' ? 'module' : 'commonjs'
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type })}\n`)
}

// Every target of the package's `exports` map must exist after the build: a
// subpath that points nowhere fails only in a user's install otherwise.
const { exports: map = {} } = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'))
const missing = exportTargets(map).filter((target) => !target.includes('*') && !existsSync(join(cwd, target)))
if (missing.length > 0) {
  console.error(`build failed: package.json exports of ${cwd} point to missing files: ${missing.join(', ')}`)
  process.exit(1)
}

/** The file paths of an exports map (strings at any depth of its conditions). */
function exportTargets(value) {
  if (typeof value === 'string') return [value]
  if (value === null || typeof value !== 'object') return []
  return Object.values(value).flatMap(exportTargets)
}
