/**
 * `replaykit replay FILE.rpk [--run NAME] [--mode strict|hybrid|live-compare] -- <command...>`:
 * run a program again, answered from the recording (strict: no network at all),
 * then report the first divergence from the recorded run.
 *
 * Exit code: the program's own when it failed; otherwise 1 when the run
 * diverged (strict and live-compare) and 0 when it matched.
 */
import {
  compareLiveRun,
  compareRuns,
  compileJsonPath,
  divergenceJson,
  formatDivergence,
  MODES,
  type Mode,
  type Run,
} from '@replaykit/core'
import { strategyOf } from '@replaykit/core/engine'
import type { CommandContext, CommandResult } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { loadRecording } from '../load.js'
import { type CliPlugins, loadCliPlugins } from '../plugins.js'
import { runProgram } from '../run-program.js'
import { usageError } from '../usage-error.js'

export interface ReplayOptions {
  run: string | undefined
  mode: string | undefined
  /** `--ignore-response-path`, repeatable: response paths a live-compare comparison leaves out. */
  ignoreResponsePaths?: string[]
  preload: string
  /** `--plugin`, repeatable: plugin module paths, resolved from the working folder. */
  plugins?: string[]
}

export async function replay(
  file: string,
  command: string[],
  options: ReplayOptions,
  context: CommandContext,
): Promise<CommandResult> {
  const mode = replayMode(options.mode)
  const ignoreResponsePaths = responsePaths(options.ignoreResponsePaths ?? [], mode)
  const recorded = pickRun(file, options.run)
  // A bad plugin path fails here, before the program runs (a PluginError naming it).
  const plugins = await loadCliPlugins(options.plugins ?? [])
  try {
    return await replayWith(plugins, file, recorded, mode, ignoreResponsePaths, command, options, context)
  } finally {
    await plugins.unload()
  }
}

async function replayWith(
  plugins: CliPlugins,
  file: string,
  recorded: Run,
  mode: Mode,
  ignoreResponsePaths: string[],
  command: string[],
  options: ReplayOptions,
  context: CommandContext,
): Promise<CommandResult> {
  const result = await runProgram(
    command,
    // The program itself is told how to re-record it, not the test runner's command.
    {
      mode,
      name: recorded.name,
      index: recorded.index,
      recording: recorded,
      rerecord: recordCommand(file, recorded.name, command),
      plugins: plugins.session,
    },
    options.preload,
  )
  if (!result.run) {
    context.note(`replaykit: the program exited (code ${result.exitCode}) without a capture; nothing to compare.`)
    return {
      exitCode: result.exitCode || EXIT_CODES.failed,
      json: { command: 'replay', ok: false, exitCode: result.exitCode || EXIT_CODES.failed, file },
      jsonStream: 'stderr',
    }
  }
  // live-compare compares like with like, as toMatchReplay does: ids aligned, volatile response fields left out.
  // Compared as the plugins' matchers saw the requests: a field they normalise is no divergence.
  const [expected, actual] = [plugins.asMatched(recorded), plugins.asMatched(result.run)]
  const comparison =
    strategyOf(mode).judges === 'live'
      ? compareLiveRun(expected, actual, { ignoreResponsePaths })
      : compareRuns(expected, actual)
  const gated = strategyOf(mode).gated
  const problems = result.problems.map((problem) => ({
    ...problem,
    message: cliRerecord(problem.message, file, recorded.name, command),
  }))
  for (const problem of problems) context.note(`replaykit: ${problem.message}`)
  if (!comparison.equal) {
    plugins.onDivergence(`${recorded.name} ${recorded.index}`, comparison)
    context.note(
      formatDivergence(comparison, {
        color: context.options.color,
        title: `replaykit: the run diverged from ${file} (${mode})`,
      }),
    )
  } else context.note(`replaykit: the run matched ${file} (${mode}, ${result.run.steps.length} steps).`)
  const diverged = gated && !comparison.equal
  const exitCode = result.exitCode !== 0 ? result.exitCode : diverged ? EXIT_CODES.failed : EXIT_CODES.ok
  return {
    exitCode,
    json: {
      command: 'replay',
      ok: !diverged && result.exitCode === 0,
      exitCode,
      file,
      mode,
      programExitCode: result.exitCode,
      equal: comparison.equal,
      divergence: divergenceJson(comparison),
      problems,
    },
    jsonStream: 'stderr',
  }
}

function replayMode(value: string | undefined): Mode {
  const mode = value ?? 'strict'
  // A mode that records makes a recording instead of replaying one: that is `replaykit record`.
  if (!(MODES as readonly string[]).includes(mode) || strategyOf(mode as Mode).records) {
    throw usageError(
      `Failed to read the arguments: --mode must be strict, hybrid or live-compare, not ${JSON.stringify(mode)}.`,
      'use `replaykit record` to record; replay takes --mode strict (default), hybrid or live-compare.',
      '--mode',
    )
  }
  return mode as Mode
}

/** The paths, each parsed before the program runs: a mistyped one is an error, not a path that ignores nothing. */
function responsePaths(paths: string[], mode: Mode): string[] {
  if (paths.length > 0 && strategyOf(mode).judges !== 'live') {
    throw usageError(
      `Failed to read the arguments: --ignore-response-path applies to --mode live-compare only, not ${mode}.`,
      'add --mode live-compare, or drop --ignore-response-path.',
      '--ignore-response-path',
    )
  }
  for (const path of paths) compileJsonPath(path, '--ignore-response-path')
  return paths
}

function pickRun(file: string, name: string | undefined): Run {
  const rpk = loadRecording(file)
  const runs = Object.entries(rpk.runs)
  const found = name === undefined ? runs : runs.filter(([key, run]) => key === name || run.name === name)
  if (found.length === 1) return found[0]![1]
  const keys = runs.map(([key]) => JSON.stringify(key)).join(', ') || 'none'
  throw usageError(
    name === undefined
      ? `Failed to pick a run: the file has ${runs.length} runs (${keys}).`
      : `Failed to pick a run: no single run is named ${JSON.stringify(name)} (runs: ${keys}).`,
    'name the run with --run <key>.',
    file,
  )
}

/**
 * The engine's refusal names the test runner's re-record command; a program run by
 * `replaykit replay` is re-recorded with `replaykit record`, so the printed message says that.
 */
export function cliRerecord(message: string, file: string, name: string, command: readonly string[]): string {
  return message.replace(
    /`(?:npx )?replaykit test --update-replays[^`]*`/g,
    `\`${recordCommand(file, name, command)}\``,
  )
}

/** `replaykit record -o <file> --name <name> -- <command…>`, quoted for a POSIX shell. */
function recordCommand(file: string, name: string, command: readonly string[]): string {
  return ['replaykit', 'record', '-o', file, '--name', name, '--', ...command].map(shellQuote).join(' ')
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}
