/**
 * Helpers for the CLI tests: build the package when its dist is older than its
 * sources, spawn the built binary, and make fixture recordings in temp folders.
 *
 * @note The binary imports `@replaykit/core` from packages/core/dist: the root
 * `npm test` builds every package before vitest; when running these tests alone,
 * build core first (`npm run build -w @replaykit/core`).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT: string = fileURLToPath(new URL('../../../', import.meta.url))
const PACKAGE = join(ROOT, 'packages', 'cli')
export const NODE: string = join(ROOT, 'node_modules', '.bin', 'node')
export const BIN: string = join(PACKAGE, 'bin', 'replaykit.js')
const LOCK = join(PACKAGE, '.build-lock')

function newest(folder: string): number {
  let latest = 0
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

function stale(): boolean {
  const outputs = ['esm', 'cjs'].map((format) => join(PACKAGE, 'dist', format, 'main.js'))
  if (!outputs.every(existsSync)) return true
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs))
  return newest(join(PACKAGE, 'src')) > built
}

/**
 * Build the CLI when its sources changed since the last build. Test files run
 * in parallel workers, so one builds (holding a lock folder) while the others wait.
 */
export async function ensureBuilt(): Promise<void> {
  for (let waited = 0; stale(); waited += 100) {
    try {
      mkdirSync(LOCK)
    } catch {
      // Another worker is building; a lock older than two minutes was left by a killed run.
      if (waited > 120_000 || Date.now() - statSync(LOCK, { throwIfNoEntry: false })!.mtimeMs > 120_000) {
        rmSync(LOCK, { recursive: true, force: true })
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
      continue
    }
    try {
      if (stale()) {
        const result = spawnSync(NODE, [join(ROOT, 'scripts', 'build-package.mjs')], { cwd: PACKAGE, encoding: 'utf8' })
        if (result.status !== 0) throw new Error(`building @replaykit/cli failed:\n${result.stdout}${result.stderr}`)
      }
    } finally {
      rmSync(LOCK, { recursive: true, force: true })
    }
  }
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Run the built `replaykit` in `cwd`. The environment is cleared of colour and
 * CI variables so outputs are the same everywhere; pass them in `env` to test them.
 */
export function cli(args: readonly string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const result = spawnSync(NODE, [BIN, ...args], { cwd, env: cleanEnv(env), encoding: 'utf8' })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** `cli` without blocking, to run many invocations at once. */
export function cliAsync(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [BIN, ...args], { cwd, env: cleanEnv(env) })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env }
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'CI', 'REPLAYKIT_UPDATE']) delete base[name]
  return { ...base, ...env }
}

/** A fresh temp folder; remove it with `rmSync(dir, { recursive: true })`. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'replaykit-cli-'))
}

/** Output made comparable: temp paths and write times replaced. */
export function normalize(text: string, dir: string): string {
  return text
    .split(dir)
    .join('<tmp>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
}
