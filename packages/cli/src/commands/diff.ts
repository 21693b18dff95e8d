/**
 * `replaykit diff A B [--run NAME]`: compare the runs of two recordings by key
 * and show the first divergence of each run that differs. Exits like diff(1):
 * 0 when the runs are equal, 1 when any run differs or is only on one side,
 * 2 on trouble (an unreadable file, a bad argument).
 */
import { checkRunNames, countPairs as count, divergenceJson, formatDivergence, pairRuns } from '@replaykit/core'
import type { CommandContext, CommandResult } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { loadRecording } from '../load.js'

export interface DiffOptions {
  run: string[]
}

export function diff(fileA: string, fileB: string, options: DiffOptions, context: CommandContext): CommandResult {
  const a = loadRecording(fileA)
  const b = loadRecording(fileB)
  checkRunNames(options.run, [
    { path: fileA, rpk: a },
    { path: fileB, rpk: b },
  ])
  const pairs = pairRuns(a, b, options.run)
  const { info, failure, colors: c } = context

  info(`A: ${fileA}`)
  info(`B: ${fileB}`)
  for (const pair of pairs) {
    const name = `run ${JSON.stringify(pair.key)}`
    if (pair.status === 'equal') info(`${c.green('=')} ${name}: equal`)
    else if (pair.status === 'only-in-a') failure(`${c.red('-')} ${name}: only in A`)
    else if (pair.status === 'only-in-b') failure(`${c.green('+')} ${name}: only in B`)
    else {
      failure('')
      failure(
        formatDivergence(pair.comparison, {
          color: context.options.color,
          title: `${c.yellow('≠')} ${name}`,
          expectedLabel: 'A',
          actualLabel: 'B',
        }),
      )
      failure('')
    }
  }
  const summary = {
    runs: pairs.length,
    equal: count(pairs, 'equal'),
    differ: count(pairs, 'differ'),
    onlyInA: count(pairs, 'only-in-a'),
    onlyInB: count(pairs, 'only-in-b'),
  }
  info(
    `${summary.runs} run${summary.runs === 1 ? '' : 's'}: ${summary.equal} equal, ${summary.differ} differ, ${summary.onlyInA} only in A, ${summary.onlyInB} only in B`,
  )

  const equal = summary.runs === summary.equal
  const exitCode = equal ? EXIT_CODES.ok : EXIT_CODES.failed
  return {
    exitCode,
    json: {
      command: 'diff',
      ok: equal,
      exitCode,
      a: fileA,
      b: fileB,
      equal,
      summary,
      runs: pairs.map((pair) => ({
        key: pair.key,
        status: pair.status,
        divergence: 'comparison' in pair && !pair.comparison.equal ? divergenceJson(pair.comparison) : null,
      })),
    },
  }
}
