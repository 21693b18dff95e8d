/**
 * `replaykit test [--update-replays [--replace-invalid]] [--mode <mode>] [--runner vitest|jest] [runner args]`:
 * find the project's test runner and run it, re-recording replays on request.
 *
 * Re-recording calls live, paid APIs, so it is never a side effect of the
 * runners' own `-u`: it takes this command (or `REPLAYKIT_UPDATE=1`). The
 * command only sets the environment the plugin and the preset read
 * (`REPLAYKIT_UPDATE`, `REPLAYKIT_REPLACE_INVALID`, `REPLAYKIT_MODE`) and passes every other argument to the
 * runner unchanged, so `replaykit test --update-replays test/agent.test.ts -t weather`
 * works for both runners.
 *
 * @note Registered before cac parses the command line: the runner's own flags
 * must reach it untouched, which cac's option parsing would not allow.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import {
  isReplayKitError,
  MODE_ENV,
  MODES,
  type Mode,
  REPLACE_INVALID_ENV,
  resolveReplaceInvalid,
  resolveUpdateState,
  UPDATE_ENV,
} from '@replaykit/core'
import type { CliIo } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { usageError } from '../usage-error.js'

export type Runner = 'vitest' | 'jest'

export interface TestCommandOptions {
  /** Folder of the project (default: the current directory). */
  cwd?: string
  /** Starts the runner; replaced in tests. Resolves with the exit code. */
  spawnRunner?: (command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) => Promise<number>
}

/** The arguments of `replaykit test`, split into ours and the runner's. */
export interface TestArgs {
  update: boolean
  /** Let the update run replace a `.rpk` that cannot be loaded (only with `update`). */
  replaceInvalid: boolean
  mode?: Mode
  runner?: Runner
  help: boolean
  runnerArgs: string[]
}

export const TEST_USAGE: string = `Usage: replaykit test [--update-replays [--replace-invalid]] [--mode <mode>] [--runner vitest|jest] [runner args]

Runs the project's Vitest or Jest. Every other argument goes to the runner unchanged.

  --update-replays   Re-record every run that executes (live calls), remove obsolete entries
  --replace-invalid  With --update-replays: replace a .rpk that cannot be loaded (hand-edited,
                     corrupt, schema errors) instead of refusing; its old runs are discarded
  --mode <mode>      Mode of every capture: ${MODES.join(', ')}
  --runner <name>    vitest or jest, when the project has both or neither is detected
  -h, --help         Show this help

Examples:
  replaykit test --update-replays
  replaykit test --update-replays test/agent.test.ts -t "weather"
  replaykit test --update-replays --replace-invalid test/agent.test.ts
  replaykit test --mode hybrid -- --reporter=dot`

/** Split the command line (the arguments after `test`). */
export function parseTestArgs(argv: readonly string[]): TestArgs {
  const args: TestArgs = { update: false, replaceInvalid: false, help: false, runnerArgs: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') {
      args.runnerArgs.push(...argv.slice(i + 1))
      break
    }
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined]
    if (flag === '--update-replays') args.update = true
    else if (flag === '--replace-invalid') args.replaceInvalid = true
    else if (flag === '-h' || flag === '--help') args.help = true
    else if (flag === '--mode' || flag === '--runner') {
      const value = inline ?? argv[++i]
      if (value === undefined || value.startsWith('-')) {
        throw usageError(`Failed to read the arguments: ${flag} needs a value.`, `see \`replaykit test --help\`.`, flag)
      }
      if (flag === '--mode') {
        if (!MODES.includes(value as Mode)) {
          throw usageError(
            `Failed to read the arguments: unknown mode ${JSON.stringify(value)}.`,
            `use one of ${MODES.join(', ')}.`,
            flag,
          )
        }
        args.mode = value as Mode
      } else {
        if (value !== 'vitest' && value !== 'jest') {
          throw usageError(
            `Failed to read the arguments: unknown runner ${JSON.stringify(value)}.`,
            'use vitest or jest.',
            flag,
          )
        }
        args.runner = value
      }
    } else args.runnerArgs.push(arg)
  }
  if (args.replaceInvalid && !args.update) {
    throw usageError(
      'Failed to read the arguments: --replace-invalid only applies to a re-recording run.',
      'add --update-replays: `replaykit test --update-replays --replace-invalid <test file>`.',
      '--replace-invalid',
    )
  }
  return args
}

/**
 * Which runner the project uses: its package.json dependencies and `jest` key,
 * then its config files. Throws a usage error when it is both or neither.
 */
export function detectRunner(cwd: string): Runner {
  const found = new Set<Runner>()
  const pkgFile = join(cwd, 'package.json')
  if (existsSync(pkgFile)) {
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as Record<string, unknown>
    const deps = { ...(pkg.dependencies as object), ...(pkg.devDependencies as object) } as Record<string, unknown>
    if ('vitest' in deps) found.add('vitest')
    if ('jest' in deps || 'jest' in pkg) found.add('jest')
    const script =
      typeof (pkg.scripts as Record<string, unknown> | undefined)?.test === 'string'
        ? String((pkg.scripts as Record<string, string>).test)
        : ''
    if (found.size === 2 && /\bvitest\b/.test(script) !== /\bjest\b/.test(script))
      return /\bvitest\b/.test(script) ? 'vitest' : 'jest'
  }
  if (found.size === 0) {
    for (const ext of ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs']) {
      if (existsSync(join(cwd, `vitest.config.${ext}`))) found.add('vitest')
      if (existsSync(join(cwd, `jest.config.${ext}`))) found.add('jest')
    }
  }
  if (found.size === 1) return [...found][0] as Runner
  if (found.size === 0) {
    throw usageError(
      `Failed to find a test runner: ${cwd} has neither Vitest nor Jest in package.json or a config file.`,
      'run the command in the project folder, or pass --runner vitest|jest.',
    )
  }
  throw usageError(
    'Failed to choose a test runner: the project has both Vitest and Jest.',
    'pass --runner vitest or --runner jest.',
  )
}

/** The runner's binary: the nearest node_modules/.bin, else `npx`. */
export function runnerCommand(
  runner: Runner,
  cwd: string,
  runnerArgs: readonly string[],
): { command: string; args: string[] } {
  // `vitest` alone would watch; `replaykit test` is a one-shot run unless asked otherwise.
  const args =
    runner === 'vitest' && !['run', 'watch', 'dev', 'related', 'bench'].includes(runnerArgs[0] ?? '')
      ? ['run', ...runnerArgs]
      : [...runnerArgs]
  const bin = process.platform === 'win32' ? `${runner}.cmd` : runner
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', bin)
    if (existsSync(candidate)) return { command: candidate, args }
    if (dirname(dir) === dir) break
  }
  return { command: process.platform === 'win32' ? 'npx.cmd' : 'npx', args: [runner, ...args] }
}

/** Run `replaykit test …` (the arguments after `test`) and return the exit code: the runner's, or 2. */
export async function runTest(argv: readonly string[], io: CliIo, options: TestCommandOptions = {}): Promise<number> {
  const cwd = options.cwd ?? process.cwd()
  let parsed: TestArgs
  let runner: Runner
  try {
    parsed = parseTestArgs(argv)
    if (parsed.help) {
      io.stdout(`${TEST_USAGE}\n`)
      return EXIT_CODES.ok
    }
    runner = parsed.runner ?? detectRunner(cwd)
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`)
    return EXIT_CODES.usage
  }
  const env: NodeJS.ProcessEnv = { ...process.env, ...io.env }
  if (parsed.update) env[UPDATE_ENV] = '1'
  if (parsed.replaceInvalid) env[REPLACE_INVALID_ENV] = '1'
  if (parsed.mode) env[MODE_ENV] = parsed.mode
  try {
    // A mistyped REPLAYKIT_UPDATE or REPLAYKIT_REPLACE_INVALID in the caller's environment fails here, once.
    resolveUpdateState({ env })
    resolveReplaceInvalid(env)
  } catch (error) {
    if (!isReplayKitError(error)) throw error
    io.stderr(`${error.message}\n`)
    return EXIT_CODES.usage
  }
  const { command, args } = runnerCommand(runner, cwd, parsed.runnerArgs)
  if (parsed.update) {
    const replacing = parsed.replaceInvalid ? '; replacing recordings that cannot be loaded' : ''
    io.stderr(`replaykit: re-recording replays with ${runner} (live calls${replacing})\n`)
  }
  const start = options.spawnRunner ?? spawnInherit
  try {
    return await start(command, args, { cwd, env })
  } catch (error) {
    io.stderr(
      `[ReplayKit] Failed to start ${runner}: ${(error as Error).message}\n  Fix: install it in the project (npm i -D ${runner}).\n`,
    )
    return EXIT_CODES.usage
  }
}

function spawnInherit(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: 'inherit', shell: process.platform === 'win32' })
    child.on('error', reject)
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}
