/**
 * `replaykit listen <action>`: the background gateway's lifecycle (docs/gateway.md).
 * Parsed on its own, like `test`, so that each action has its own flags and
 * `--help`; the actions load core's gateway only when they need it.
 */
import { type CAC, cac } from 'cac'
import type { CliIo, CommandContext, CommandResult, GlobalOptions } from '../../context.js'
import { EXIT_CODES } from '../../exit-codes.js'
import { usageError } from '../../usage-error.js'
import { gatewayOptions, pathFlag, retentionFlags, single } from './flags.js'
import { CONFIG_ENV, SERVE_ACTION, stateFiles } from './state.js'

type Options = Record<string, unknown>
type Action = (args: string[], options: Options, context: CommandContext) => Promise<CommandResult> | CommandResult

/** How main reports an error and turns cac's own errors into usage errors (shared with the other commands). */
export interface ListenHost {
  reportError: (error: unknown, options: GlobalOptions, io: CliIo, command: string | undefined) => Promise<number>
  fromCacError: (error: unknown, command: string) => unknown
  globalOptions: (options: Options, io: CliIo) => GlobalOptions
}

const ACTIONS = ['start', 'status', 'stop', 'env', 'run', 'prune']

/** Run `replaykit listen …` (`argv` after `listen`) and return the exit code. */
export async function runListen(argv: readonly string[], io: CliIo, host: ListenHost): Promise<number> {
  let global: GlobalOptions = {
    json: argv.includes('--json'),
    quiet: false,
    color: false,
    debug: argv.includes('--debug'),
  }
  let action: { run: Action; args: string[]; options: Options; name: string } | undefined
  const cli = buildCli(io, (run, name) => (...values: unknown[]) => {
    const options = values.pop() as Options
    action = { run, args: values as string[], options, name }
  })
  let name: string | undefined
  try {
    const parsed = cli.parse(['node', 'replaykit', ...argv], { run: false })
    global = host.globalOptions(parsed.options, io)
    if (parsed.options.help) return EXIT_CODES.ok // cac printed the help.
    name = cli.matchedCommandName ? `listen ${cli.matchedCommandName}` : 'listen'
    if (!cli.matchedCommand) throw noAction(parsed.args[0])
    const extra = parsed.options['--'] as string[] | undefined
    if (extra && extra.length > 0 && cli.matchedCommandName !== 'run') {
      throw usageError(
        `Failed to read the arguments: unexpected arguments after \`--\` (${extra.join(' ')}).`,
        `\`replaykit ${name}\` takes no arguments after \`--\`; see \`replaykit ${name} --help\`.`,
        '--',
      )
    }
    try {
      cli.runMatchedCommand()
    } catch (error) {
      throw host.fromCacError(error, name)
    }
    if (!action) return EXIT_CODES.ok
    const { createContext } = await import('../../context.js')
    const context = createContext(global, io)
    const result = await action.run(action.args, action.options, context)
    if (global.json) {
      const write = result.jsonStream === 'stderr' ? io.stderr : io.stdout
      const { redactPrinted } = await import('@replaykit/core')
      write(`${redactPrinted(JSON.stringify({ ...result.json, exitCode: result.exitCode }, null, 2))}\n`)
    }
    return result.exitCode
  } catch (error) {
    return await host.reportError(error, global, io, name ?? 'listen')
  }
}

function buildCli(io: CliIo, bind: (run: Action, name: string) => (...values: unknown[]) => void): CAC {
  const cli = cac('replaykit listen')
  cli.option('--json', 'Print one JSON object on stdout (schemas in docs/cli.md)')
  cli.option('--quiet', 'Print failures only')
  cli.option('--no-color', 'Plain text without colours (also NO_COLOR=1)')
  cli.option('--debug', 'Show stack traces of errors')
  cli.help((sections) =>
    sections.map((section) => ({
      ...section,
      body: section.body
        .split('\n')
        // The background process's own action is not for people.
        .filter((line) => !line.includes(SERVE_ACTION))
        .map((line) => line.replace(' (default: true)', '').trimEnd())
        .join('\n'),
    })),
  )
  const files = () => stateFiles(io.env)
  const cwd = process.cwd()
  const bin = (): string => {
    if (!io.bin) throw new Error('the replaykit binary is not known (run replaykit through its bin)')
    return io.bin
  }

  startOptions(cli.command('start', 'Start the background listener (one per state folder) and print its URL'))
    .example('  $ replaykit listen start --out agent-session.rpk')
    .example('  $ replaykit listen start --replay agent-session.rpk --port 0 --json')
    .action(
      bind(async (_args, options, context) => {
        const { startListener, startResult } = await import('./start.js')
        const gateway = gatewayOptions(options, cwd)
        return startResult(await startListener(gateway, files(), bin(), context), files(), context)
      }, 'listen start'),
    )

  cli
    .command('status', 'Whether a listener runs (checked against the process and its health route), and its counts')
    .action(
      bind(async (_args, _options, context) => (await import('./status.js')).status(files(), context), 'listen status'),
    )

  cli
    .command('stop', 'Stop the listener, finish its artifact and report what was written')
    .action(bind(async (_args, _options, context) => (await import('./stop.js')).stop(files(), context), 'listen stop'))

  cli
    .command('env', 'Print the exports that route clients through the listener (and the Codex CLI arguments)')
    .option('--shell <shell>', 'sh (default; also bash, zsh), fish or powershell')
    .example('  $ eval "$(replaykit listen env)"')
    .example('  $ replaykit listen env --shell fish | source')
    .action(
      bind(async (_args, options, context) => {
        const { env, shellFlag } = await import('./env.js')
        const shell = shellFlag(single(options.shell, '--shell'))
        return env(files(), shell, (line) => {
          if (!context.options.json) io.stdout(`${line}\n`)
        })
      }, 'listen env'),
    )

  startOptions(
    cli.command('run', 'Start a listener, run a command (after --) with the env set, stop, exit with its code'),
  )
    .usage('run [start options] -- <command…>')
    .example('  $ replaykit listen run --out session.rpk -- python agent.py')
    .action(
      bind(async (_args, options, context) => {
        const { runWithListener } = await import('./run.js')
        const command = ((options['--'] as string[] | undefined) ?? []).map(String)
        return runWithListener(command, gatewayOptions(options, cwd), files(), bin(), context)
      }, 'listen run'),
    )

  cli
    .command('prune', 'Remove rotated files of a session past the retention (--keep N, --max-age D)')
    .option('--out <file>', 'The session artifact whose rotated files are pruned (default: the last listener’s)')
    .option('--keep <n>', 'Keep the newest N rotated files')
    .option('--max-age <age>', 'Remove rotated files older than this (30m, 6h, 7d)')
    .action(
      bind(async (_args, options, context) => {
        const { prune } = await import('./prune.js')
        return prune(pathFlag(options.out, '--out', cwd), retentionFlags(options), files(), context)
      }, 'listen prune'),
    )

  cli.command(SERVE_ACTION, 'the background listener itself (started by `listen start`)').action(
    bind(async () => {
      const { serve } = await import('./serve.js')
      const exitCode = await serve(JSON.parse(io.env[CONFIG_ENV] ?? '{}'), files())
      return { exitCode, json: {} }
    }, `listen ${SERVE_ACTION}`),
  )

  return cli
}

/** The flags `start` and `run` share. */
function startOptions(command: ReturnType<CAC['command']>): ReturnType<CAC['command']> {
  return command
    .option('--port <n>', 'Port on 127.0.0.1 (default 0: a free one)')
    .option('--out <file>', 'The .rpk recorded into, continuously (default .replaykit/recordings/listen-<time>.rpk)')
    .option('--replay <file>', 'Answer from this recording instead of the upstream')
    .option('--mode <mode>', 'With --replay: strict (default: nothing leaves the machine) or hybrid (misses go live)')
    .option(
      '--upstream <provider=url>',
      'Forward a provider elsewhere: openai=URL, anthropic=URL, gemini=URL (repeatable)',
    )
    .option('--synthetic', 'Allow synthetic answers (each is marked in the artifact and in status)')
    .option('--fail-on-synthetic', 'Refuse synthetic answers')
    .option('--max-size <size>', 'Rotate the artifact into numbered files past this size (50mb)')
    .option('--max-age <age>', 'Rotate the artifact into numbered files past this age (1h)')
    .option('--keep <n>', 'Rotated files kept (older ones removed)')
}

function noAction(name: unknown): Error {
  if (name === undefined) {
    return usageError(
      'Failed to run: `replaykit listen` needs an action.',
      `use one of ${ACTIONS.join(', ')}; \`replaykit listen --help\` describes them.`,
    )
  }
  return usageError(
    `Failed to run: unknown listen action \`${String(name)}\`.`,
    `use one of ${ACTIONS.join(', ')}; \`replaykit listen --help\` describes them.`,
    String(name),
  )
}
