/**
 * The `replaykit` command line: parses the arguments with cac, runs one
 * command, prints its text or its JSON, and turns every error into a clear
 * message and exit code 2 (docs/cli.md).
 */

import { type CAC, cac } from 'cac'
import { argumentError, reportable } from './argument-error.js'
import { useColor } from './color.js'
import { DEFAULT_MAX_RATIO, DEFAULT_MIN_MS } from './commands/assert-defaults.js'
import type { CliIo, CommandContext, CommandResult, GlobalOptions } from './context.js'
import { EXIT_CODES } from './exit-codes.js'
import { rawOptionValues } from './raw-option-values.js'

import { VERSION } from './version.js'

type Options = Record<string, unknown>
type Action = (args: string[], options: Options, context: CommandContext) => CommandResult | Promise<CommandResult>

/** The command names, for messages about unknown ones. */
const COMMANDS = ['test', 'record', 'replay', 'inspect', 'diff', 'assert', 'report', 'rehash', 'migrate', 'listen']

/**
 * Each command's module, loaded only when that command runs.
 *
 * @note Lazy (citty's `subCommands: { x: () => import('./x.mjs') }`): `--version`,
 * `--help` and a usage error load neither core nor the capture engine (msw), so
 * `replaykit --version` stays fast (`startup-` rows of `npm run bench`), and a
 * read command loads only core's root entry.
 */
const load = {
  assert: () => import('./commands/assert.js'),
  diff: () => import('./commands/diff.js'),
  inspect: () => import('./commands/inspect.js'),
  listen: () => import('./commands/listen/command.js'),
  migrate: () => import('./commands/migrate.js'),
  record: () => import('./commands/record.js'),
  rehash: () => import('./commands/rehash.js'),
  replay: () => import('./commands/replay.js'),
  reportMerge: () => import('./commands/report-merge.js'),
  test: () => import('./commands/test.js'),
}

/** Commands that run a program given after `--`. */
const RUNS_PROGRAM = new Set(['record', 'replay'])

/**
 * Run the CLI with `argv` (the arguments after the program name) and return
 * the exit code. Never throws and never calls `process.exit`.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  // The runner's own flags must reach it untouched: `test` is handled before cac parses anything.
  if (argv[0] === 'test') return (await load.test()).runTest(argv.slice(1), io)
  // `listen` has actions, each with its own flags and --help: it parses its arguments itself.
  if (argv[0] === 'listen') {
    return (await load.listen()).runListen(argv.slice(1), io, { reportError, fromCacError, globalOptions })
  }
  let action: { run: Action; args: string[]; options: Options; name: string } | undefined
  const runs = (): string[] => rawOptionValues(argv, '--run')
  const plugins = (): string[] => rawOptionValues(argv, '--plugin', 'module path')
  const cli = buildCli(
    runs,
    plugins,
    (run, name) =>
      (...values: unknown[]) => {
        const options = values.pop() as Options
        action = { run, args: values as string[], options, name }
      },
    io,
  )
  // Flags of the command line as far as they could be read, for reporting an error the right way.
  let global: GlobalOptions = {
    json: argv.includes('--json'),
    quiet: false,
    color: false,
    debug: argv.includes('--debug'),
  }
  try {
    const parsed = cli.parse(['node', 'replaykit', ...argv], { run: false })
    global = globalOptions(parsed.options, io)
    if (parsed.options.help) return EXIT_CODES.ok // cac printed the help.
    if (parsed.options.version) {
      io.stdout(`${VERSION}\n`)
      return EXIT_CODES.ok
    }
    if (!cli.matchedCommand) throw noCommand(parsed.args[0], parsed.options, cli)
    const extra = parsed.options['--'] as string[] | undefined
    if (extra && extra.length > 0 && !RUNS_PROGRAM.has(cli.matchedCommandName ?? '')) {
      throw argumentError(
        `Failed to read the arguments: unexpected arguments after \`--\` (${extra.join(' ')}).`,
        `\`replaykit ${cli.matchedCommandName}\` takes no arguments after \`--\`; see \`replaykit ${cli.matchedCommandName} --help\`.`,
        '--',
      )
    }
    try {
      cli.runMatchedCommand()
    } catch (error) {
      throw fromCacError(error, cli.matchedCommandName ?? '')
    }
    if (!action) return EXIT_CODES.ok
    const { createContext } = await import('./context.js')
    const context = createContext(global, io)
    const result = await action.run(action.args, action.options, context)
    if (global.json) {
      const write = result.jsonStream === 'stderr' ? io.stderr : io.stdout
      // Every object carries the process's exit code (docs/cli.md), whatever the command put in it.
      const json = { ...result.json, exitCode: result.exitCode }
      const { redactPrinted } = await import('@replaykit/core')
      write(`${redactPrinted(JSON.stringify(json, null, 2))}\n`)
    }
    return result.exitCode
  } catch (error) {
    return await reportError(error, global, io, action?.name ?? cli.matchedCommandName)
  }
}

/** Run the CLI in this process and set its exit code (the bin shim calls this). */
export async function run(options: { preload?: string; bin?: string } = {}): Promise<void> {
  const io = processIo()
  if (options.preload) io.preload = options.preload
  if (options.bin) io.bin = options.bin
  process.exitCode = await main(process.argv.slice(2), io)
}

function buildCli(
  runs: () => string[],
  plugins: () => string[],
  bind: (run: Action, name: string) => (...values: unknown[]) => void,
  io: CliIo,
): CAC {
  const cli = cac('replaykit')
  cli.option('--json', 'Print one JSON object on stdout (schemas in docs/cli.md)')
  cli.option('--quiet', 'Print failures only')
  cli.option('--no-color', 'Plain text without colours (also NO_COLOR=1)')
  cli.option('--debug', 'Show stack traces of errors')
  cli.option('-v, --version', 'Print the version')
  // cac shows a negated flag's implicit default ("--no-color … (default: true)") and pads with spaces: tidy both.
  cli.help((sections) =>
    sections.map((section) => ({
      ...section,
      body: section.body
        .split('\n')
        .map((line) => line.replace(' (default: true)', '').trimEnd())
        .join('\n'),
    })),
  )

  const program = (options: Options): string[] => ((options['--'] as string[] | undefined) ?? []).map(String)
  const preload = (): string => {
    if (!io.preload) throw new Error('the capture preload is not known (run replaykit through its bin)')
    return io.preload
  }

  // Listed for --help only: main() hands `test` to runTest before parsing.
  cli.command('test [...args]', 'Run Vitest or Jest; --update-replays re-records (replaykit test --help)')
  // Listed for --help only: main() hands `listen` to runListen before parsing.
  cli.command(
    'listen <action>',
    'Background gateway for any program: start|status|stop|env|run|prune (replaykit listen --help)',
  )

  cli
    .command('report <action> [...files]', 'report merge <files|folders…> [--out <file>]: merge sharded JSON reports')
    .option('--out <file>', 'Write the merged report here')
    .action(
      bind(async (args, options, context) => {
        const [action, files] = args as unknown as [string, string[]]
        if (action !== 'merge') {
          throw argumentError(
            `Failed to run: unknown report action \`${action}\`.`,
            'use `replaykit report merge <files…> --out <file>`.',
            action,
          )
        }
        return (await load.reportMerge()).reportMerge(
          files,
          options.out === undefined ? {} : { out: String(options.out) },
          context,
        )
      }, 'report merge'),
    )

  cli
    .command('record', 'Run a Node program (after --) and record its HTTP traffic into a .rpk file')
    .usage('record -o <file> [--name <name>] [--plugin <path>…] -- <command…>')
    .option('-o, --output <file>', 'The .rpk file to write (other runs in it are kept)')
    .option('--name <name>', 'Name of the run (default: record)')
    .option('--plugin <path>', 'A plugin module (repeatable), resolved from the working folder (docs/plugins.md)')
    .action(
      bind(
        async (_args, options, context) =>
          (await load.record()).record(
            program(options),
            {
              output: stringOption(options.output),
              name: stringOption(options.name) ?? 'record',
              preload: preload(),
              plugins: plugins(),
            },
            context,
          ),
        'record',
      ),
    )

  cli
    .command('replay <file>', 'Run a program (after --) answered from a recording, and report divergences')
    .usage(
      'replay <file> [--run <name>] [--mode <mode>] [--ignore-response-path <path>…] [--plugin <path>…] -- <command…>',
    )
    .option('--run <name>', 'The run to replay, when the file has several')
    .option('--mode <mode>', 'strict (default: no network), hybrid or live-compare')
    .option(
      '--ignore-response-path <path>',
      'live-compare: a JSON path into responses left out of the comparison (repeatable), e.g. $.usage',
    )
    .option('--plugin <path>', 'A plugin module (repeatable), resolved from the working folder (docs/plugins.md)')
    .action(
      bind(
        async ([file], options, context) =>
          (await load.replay()).replay(
            file as string,
            program(options),
            {
              run: runs()[0],
              mode: stringOption(options.mode),
              ignoreResponsePaths: listOption(options.ignoreResponsePath, '--ignore-response-path'),
              preload: preload(),
              plugins: plugins(),
            },
            context,
          ),
        'replay',
      ),
    )

  cli
    .command('inspect <file>', 'Show the runs of a .rpk file and a timeline of their steps')
    .option('--run <name>', 'Only the run with this key or name (repeatable)')
    .action(
      bind(
        async ([file], _options, context) => (await load.inspect()).inspect(file as string, { run: runs() }, context),
        'inspect',
      ),
    )

  cli
    .command(
      'diff <a> <b>',
      'Compare the runs of two .rpk files and show the first divergence of each (exit 1 when they differ)',
    )
    .option('--run <name>', 'Only the run with this key or name (repeatable)')
    .action(
      bind(
        async ([a, b], _options, context) =>
          (await load.diff()).diff(a as string, b as string, { run: runs() }, context),
        'diff',
      ),
    )

  cli
    .command('assert <baseline> <candidate>', 'Exit 1 when the candidate diverges from the baseline (the CI gate)')
    .option('--strict', 'Also fail when a run got slower (own time past --max-ratio and --min-ms)')
    .option('--max-ratio <ratio>', `Slowdown ratio allowed with --strict (default ${DEFAULT_MAX_RATIO})`)
    .option('--min-ms <ms>', `Slowdown in ms always allowed with --strict (default ${DEFAULT_MIN_MS})`)
    .action(
      bind(
        async ([baseline, candidate], options, context) =>
          (await load.assert()).assertRecordings(
            baseline as string,
            candidate as string,
            assertOptions(options),
            context,
          ),
        'assert',
      ),
    )

  cli
    .command('rehash <file>', 'Store the content hash of a .rpk file after a deliberate hand edit')
    .action(bind(async ([file], _options, context) => (await load.rehash()).rehash(file as string, context), 'rehash'))

  cli
    .command('migrate <file>', 'Rewrite a .rpk file of an older schema version at the current one')
    .action(
      bind(async ([file], _options, context) => (await load.migrate()).migrate(file as string, context), 'migrate'),
    )

  return cli
}

function stringOption(value: unknown): string | undefined {
  return value === undefined ? undefined : String(value)
}

/** A repeatable option's values (cac gives one value as a string, several as an array, none as `true`). */
function listOption(value: unknown, flag: string): string[] {
  if (value === undefined) return []
  const values = Array.isArray(value) ? value : [value]
  if (values.some((item) => typeof item !== 'string' && typeof item !== 'number')) {
    throw argumentError(
      `Failed to read the arguments: option \`${flag} <path>\` needs a value.`,
      `write ${flag} '$.usage' (repeat it for more paths).`,
      flag,
    )
  }
  return values.map(String)
}

function globalOptions(options: Options, io: CliIo): GlobalOptions {
  return {
    json: options.json === true,
    quiet: options.quiet === true,
    color: useColor(options.color !== false, io),
    debug: options.debug === true,
  }
}

function assertOptions(options: Options): { strict: boolean; maxRatio: number; minMs: number } {
  const strict = options.strict === true
  for (const flag of ['maxRatio', 'minMs'] as const) {
    if (options[flag] !== undefined && !strict) {
      const name = flag === 'maxRatio' ? '--max-ratio' : '--min-ms'
      throw argumentError(
        `Failed to read the arguments: ${name} only applies with --strict.`,
        `add --strict to gate on slowdowns, or leave out ${name}.`,
        name,
      )
    }
  }
  return {
    strict,
    maxRatio: numberOption(
      options.maxRatio,
      '--max-ratio',
      DEFAULT_MAX_RATIO,
      (n) => n > 0,
      'a number above 0, like 1.5',
    ),
    minMs: numberOption(
      options.minMs,
      '--min-ms',
      DEFAULT_MIN_MS,
      (n) => n >= 0,
      'a number of milliseconds, 0 or more',
    ),
  }
}

function numberOption(
  value: unknown,
  flag: string,
  fallback: number,
  valid: (n: number) => boolean,
  expected: string,
): number {
  if (value === undefined) return fallback
  const number = typeof value === 'number' ? value : Number.NaN
  if (Array.isArray(value) || !Number.isFinite(number) || !valid(number)) {
    throw argumentError(
      `Failed to read the arguments: ${flag} must be ${expected}, not ${JSON.stringify(value)}.`,
      `pass ${flag} once with ${expected}.`,
      flag,
    )
  }
  return number
}

/** The error for a command line without a known command (after checking its flags). */
function noCommand(name: unknown, options: Options, cli: CAC): Error {
  for (const key of Object.keys(options)) {
    if (key !== '--' && !cli.globalCommand.hasOption(key)) {
      return argumentError(
        `Failed to read the arguments: unknown option \`${key.length > 1 ? '--' : '-'}${key}\`.`,
        'run `replaykit --help` for the commands and their options.',
      )
    }
  }
  if (name === undefined) {
    return argumentError(
      'Failed to run: no command given.',
      `run one of ${COMMANDS.join(', ')}; \`replaykit --help\` describes them.`,
    )
  }
  return argumentError(
    `Failed to run: unknown command \`${String(name)}\`.`,
    `use one of ${COMMANDS.join(', ')}; \`replaykit --help\` describes them.`,
    String(name),
  )
}

/** cac's own argument errors (unknown option, missing argument, …) as usage errors. */
function fromCacError(error: unknown, command: string): unknown {
  if (!(error instanceof Error) || error.name !== 'CACError') return error
  const message = error.message
    .replace(/^Unknown option/, 'unknown option')
    .replace(/^missing required args for command/, 'missing argument for')
    .replace(/^Unused args:/, 'too many arguments:')
    .replace(/^option (.*) value is missing$/, 'option $1 needs a value')
  // mri reads `--min-ms -5` as a flag without a value followed by the flags -5.
  const negative = /^unknown option `-[\d.]+`$/.test(message) ? ' (write a negative number as --option=-5)' : ''
  return argumentError(`Failed to read the arguments: ${message}${negative}.`, `see \`replaykit ${command} --help\`.`)
}

/**
 * Print `error` (its JSON with --json) and return exit code 2.
 *
 * @note Async: core's error classes are loaded here, when something failed, not at start (argument-error.ts).
 */
async function reportError(
  thrown: unknown,
  options: GlobalOptions,
  io: CliIo,
  command: string | undefined,
): Promise<number> {
  const error = await reportable(thrown)
  const { isReplayKitError } = await import('@replaykit/core/errors')
  const known = isReplayKitError(error)
  const message = known
    ? error.message
    : `[ReplayKit] Failed to run \`replaykit${command ? ` ${command}` : ''}\`: ${error instanceof Error ? error.message : String(error)}\n  Fix: this is a bug in ReplayKit; run again with --debug and report the stack trace.`
  io.stderr(`${message}\n`)
  if (options.debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`)
  if (options.json) {
    const details = known
      ? {
          code: error.code,
          message: bareMessage(error.message, error.file),
          file: error.file ?? null,
          hint: error.hint ?? null,
        }
      : { code: 'INTERNAL', message: bareMessage(message, undefined), file: null, hint: null }
    io.stdout(
      `${JSON.stringify({ command: command ?? null, ok: false, exitCode: EXIT_CODES.usage, error: details }, null, 2)}\n`,
    )
  }
  return EXIT_CODES.usage
}

/** The message without the `[ReplayKit] file:` prefix and the fix, which JSON carries in their own members. */
function bareMessage(message: string, file: string | undefined): string {
  let text = message.replace(/^\[ReplayKit\] /, '')
  if (file !== undefined && text.startsWith(`${file}: `)) text = text.slice(file.length + 2)
  return text.split('\n  Fix: ')[0] ?? text
}

/** Streams whose reader went away: nothing more is written to them. */
const closed = { stdout: false, stderr: false }
const watched = { stdout: false, stderr: false }

/**
 * Listen for the end of a stream's reader before the first write to it.
 *
 * @note stderr at its first write: `process.stderr` is made when first read
 * (a pipe or a file stream, and Node's modules for it), which a command that
 * writes nothing there (`--version`, `inspect`, …) need not pay.
 */
function watchPipe(name: 'stdout' | 'stderr'): void {
  if (watched[name]) return
  watched[name] = true
  process[name].on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED' || closed[name]) closed[name] = true
    else throw error
  })
}

/**
 * The process's streams. When the reader of one goes away (`replaykit inspect
 * file | head`), writing fails with EPIPE: like other Unix tools the command
 * then stops writing to it and finishes quietly, with its own exit code,
 * instead of crashing with an unhandled 'error' event.
 */
function processIo(): CliIo {
  // stdout at once: cac prints --help to it itself, and isTTY below makes it anyway.
  watchPipe('stdout')
  return {
    stdout: (text) => {
      if (!closed.stdout) process.stdout.write(text)
    },
    stderr: (text) => {
      watchPipe('stderr')
      if (!closed.stderr) process.stderr.write(text)
    },
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  }
}
