/**
 * Temporary user projects outside the workspace, in the system's temp folder.
 *
 * The ReplayKit packages are installed from their packed tarballs (real
 * copies, exactly the files a user gets). Third-party packages (vitest, jest,
 * msw, the SDKs) are linked from the repository's node_modules: the tests must
 * not reach the registry, and a link keeps the setup to a second.
 */
import { execFileSync, spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type PackageName, packPackage, REPO_ROOT } from './packages.js'

export interface RunResult {
  code: number
  stdout: string
  stderr: string
  /** stdout and stderr together, for assertions that do not care where a line went. */
  output: string
}

export interface TempProject {
  readonly dir: string
  write(file: string, text: string): void
  read(file: string): string
  exists(file: string): boolean
  remove(file: string): void
  /** Run a Node script of the project (a runner's bin) with a clean environment plus `env`. */
  run(script: string, args: string[], env?: Record<string, string>): Promise<RunResult>
  dispose(): void
}

export interface ProjectOptions {
  name: string
  packageJson: Record<string, unknown>
  packages: PackageName[]
}

const SKIP = new Set(['.bin', '.package-lock.json', '@replaykit'])

/** Create a project with node_modules in place. */
export function createProject(options: ProjectOptions): TempProject {
  const dir = mkdtempSync(join(tmpdir(), `replaykit-e2e-${options.name}-`))
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: options.name, private: true, ...options.packageJson }, null, 2)}\n`,
  )
  const modules = join(dir, 'node_modules')
  mkdirSync(join(modules, '@replaykit'), { recursive: true })
  const rootModules = join(REPO_ROOT, 'node_modules')
  for (const entry of readdirSync(rootModules)) {
    if (!SKIP.has(entry)) symlinkSync(join(rootModules, entry), join(modules, entry), 'junction')
  }
  for (const name of options.packages) {
    const target = join(modules, name)
    mkdirSync(target, { recursive: true })
    execFileSync('tar', ['-xzf', packPackage(name), '-C', target, '--strip-components=1'])
  }
  const path = (file: string): string => join(dir, file)
  return {
    dir,
    write(file, text) {
      mkdirSync(dirname(path(file)), { recursive: true })
      writeFileSync(path(file), text)
    },
    read: (file) => readFileSync(path(file), 'utf8'),
    exists: (file) => existsSync(path(file)),
    remove: (file) => rmSync(path(file), { recursive: true, force: true }),
    run: (script, args, env = {}) => runNode(dir, script, args, env),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** A clean environment: no CI, no ReplayKit or Vitest variables of the outer test run, no colours. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'SystemRoot', 'USERPROFILE']) {
    if (process.env[key] !== undefined) env[key] = process.env[key]
  }
  return { ...env, NO_COLOR: '1', ...extra }
}

/** Run a Node script with the test run's own Node, in a clean environment plus `env`. */
export function runNode(
  cwd: string,
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: cleanEnv(env) })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    // A hung runner must not hang the suite: the caller's test timeout is the real limit.
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? 1, stdout, stderr, output: `${stdout}\n${stderr}` })
    })
  })
}
