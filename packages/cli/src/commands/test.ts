/**
 * `replaykit test [--update-replays[=all] [--replace-invalid]] [--mode <mode>] [--runner vitest|jest] [runner args]`:
 * find the project's test runner and run it, re-recording replays on request.
 *
 * Re-recording calls live, paid APIs, so it is never a side effect of the
 * runners' own `-u`: it takes this command (or `REPLAYKIT_UPDATE`). The
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
import { isReplayKitError, MODES, type Mode } from '@replaykit/core'
import {
  findOrphanedRpks,
  MODE_ENV,
  REPLACE_INVALID_ENV,
  removeOrphanedRpks,
  resolveReplaceInvalid,
  resolveUpdateState,
  UPDATE_ENV,
  UPDATE_STATES,
  type UpdateState,
} from '@replaykit/core/runner'
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
  /** `--update-replays` (`changed`) or `--update-replays=<state>`; undefined without the flag. */
  update?: UpdateState
  /** Let the update run replace a `.rpk` that cannot be loaded (only with `update`). */
  replaceInvalid: boolean
  mode?: Mode
  runner?: Runner
  help: boolean
  runnerArgs: string[]
}

export const TEST_USAGE: string = `Usage: replaykit test [--update-replays[=all] [--replace-invalid]] [--mode <mode>] [--runner vitest|jest] [runner args]

Runs the project's Vitest or Jest. Every other argument goes to the runner unchanged.

  --update-replays   Record missing runs and re-record only the runs that diverge from their
                     recording (replayed first; only new or changed requests go live).
                     Matching runs and their files stay byte-for-byte as they are
  --update-replays=all
                     Re-record every run that executes (live calls), remove obsolete entries;
                     with no test filter, also delete the .rpk files of deleted test files
  --replace-invalid  With --update-replays: replace a .rpk that cannot be loaded (hand-edited,
                     corrupt, schema errors) instead of refusing; its old runs are discarded
  --mode <mode>      Mode of the captures (${MODES.join(', ')}): overrides the config's mode;
                     a capture's own \`mode\` option still wins
  --runner <name>    vitest or jest, when the project has both or neither is detected
  -h, --help         Show this help

Examples:
  replaykit test --update-replays
  replaykit test --update-replays=all
  replaykit test --update-replays test/agent.test.ts -t "weather"
  replaykit test --update-replays --replace-invalid test/agent.test.ts
  replaykit test --mode hybrid -- --reporter=dot`

/** Split the command line (the arguments after `test`). */
export function parseTestArgs(argv: readonly string[]): TestArgs {
  const args: TestArgs = { replaceInvalid: false, help: false, runnerArgs: [] }
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
    if (flag === '--update-replays') args.update = updateValue(inline)
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
  if (args.replaceInvalid && args.update !== 'all' && args.update !== 'changed') {
    throw usageError(
      'Failed to read the arguments: --replace-invalid only applies to a re-recording run.',
      'add --update-replays: `replaykit test --update-replays --replace-invalid <test file>`.',
      '--replace-invalid',
    )
  }
  return args
}

/** The state `--update-replays[=<value>]` asks for. */
function updateValue(inline: string | undefined): UpdateState {
  if (inline === undefined) return 'changed'
  if (!UPDATE_STATES.includes(inline as UpdateState)) {
    throw usageError(
      `Failed to read the arguments: --update-replays=${inline} is not one of ${UPDATE_STATES.map((v) => `--update-replays=${v}`).join(', ')}.`,
      'use --update-replays (re-record what changed) or --update-replays=all (re-record everything).',
      '--update-replays',
    )
  }
  return inline as UpdateState
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
  if (parsed.update) env[UPDATE_ENV] = parsed.update
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
  if (parsed.update === 'all' || parsed.update === 'changed') {
    const replacing = parsed.replaceInvalid ? '; replacing recordings that cannot be loaded' : ''
    const what = parsed.update === 'all' ? 'every run' : 'missing and diverged runs'
    io.stderr(`replaykit: re-recording ${what} with ${runner} (live calls${replacing})\n`)
  }
  const start = options.spawnRunner ?? spawnInherit
  try {
    const code = await start(command, args, { cwd, env })
    removeOrphans(cwd, parsed, io)
    return code
  } catch (error) {
    io.stderr(
      `[ReplayKit] Failed to start ${runner}: ${(error as Error).message}\n  Fix: install it in the project (npm i -D ${runner}).\n`,
    )
    return EXIT_CODES.usage
  }
}

/**
 * A full update run (`--update-replays=all` and no runner argument: the whole
 * suite, no filter) deletes the `.rpk` files of deleted test files. Other runs
 * leave them; the runners' summaries list them.
 */
function removeOrphans(cwd: string, parsed: TestArgs, io: CliIo): void {
  if (parsed.update !== 'all' || parsed.runnerArgs.length > 0) return
  const removed = removeOrphanedRpks(cwd, findOrphanedRpks(cwd))
  if (removed.length > 0) {
    io.stderr(`replaykit: removed ${removed.length} recording(s) of deleted test files: ${removed.join(', ')}\n`)
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
