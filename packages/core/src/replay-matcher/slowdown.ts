/**
 * The slowdown gate: compares the code's own time (network excluded) in a
 * replay with the recorded one.
 */
import type { RunTiming } from '../artifact/types.js'
import { BadConfigError } from '../errors/classes.js'
import type { SlowdownGate } from './types.js'

export interface SlowdownCheck {
  slow: boolean
  ownMs?: number
  recordedOwnMs?: number
  /** New own time over the recorded one; absent when either is unknown or the recorded one is 0. */
  ratio?: number
  /** Why the run failed the gate, with both times and the ratio. */
  message?: string
}

/** Throws RPK_BAD_CONFIG for a gate that cannot work (a ratio below 1, a negative floor). */
export function validateGate(gate: SlowdownGate, where: string): void {
  if (typeof gate.maxRatio !== 'number' || !Number.isFinite(gate.maxRatio) || gate.maxRatio < 1) {
    throw new BadConfigError(
      `Failed to read the slowdown gate: maxRatio is ${JSON.stringify(gate.maxRatio)}, it must be a number ≥ 1.`,
      {
        file: where,
        hint: 'use e.g. slowdown: { maxRatio: 2, minMs: 20 } (fail when twice as slow and 20 ms slower).',
      },
    )
  }
  if (gate.minMs !== undefined && (typeof gate.minMs !== 'number' || !(gate.minMs >= 0))) {
    throw new BadConfigError(
      `Failed to read the slowdown gate: minMs is ${JSON.stringify(gate.minMs)}, it must be a number ≥ 0.`,
      { file: where, hint: 'minMs is the smallest slowdown in milliseconds that may fail a run; leave it out for 0.' },
    )
  }
}

/**
 * Check a replayed run against the gate. Without a gate, or without a recorded
 * time, nothing fails; the times and the ratio are still returned for the report.
 */
export function checkSlowdown(
  recorded: RunTiming | undefined,
  actual: RunTiming | undefined,
  gate: SlowdownGate | undefined,
): SlowdownCheck {
  const check: SlowdownCheck = { slow: false }
  if (actual) check.ownMs = actual.ownMs
  if (recorded) check.recordedOwnMs = recorded.ownMs
  if (!recorded || !actual) return check
  if (recorded.ownMs > 0) check.ratio = round(actual.ownMs / recorded.ownMs)
  if (!gate) return check
  const floor = gate.minMs ?? 0
  const slower = actual.ownMs - recorded.ownMs
  const overRatio = actual.ownMs > recorded.ownMs * gate.maxRatio
  if (!overRatio || slower < floor || slower <= 0) return check
  check.slow = true
  const ratio =
    recorded.ownMs > 0 ? `${formatRatio(actual.ownMs / recorded.ownMs)}× the recorded time` : 'recorded 0 ms'
  check.message =
    `The run got slower: its own time (network excluded) was ${ms(actual.ownMs)}, the recording's ${ms(recorded.ownMs)} ` +
    `(${ratio}; the gate allows ${formatRatio(gate.maxRatio)}×` +
    `${floor > 0 ? ` and ignores slowdowns under ${ms(floor)}` : ''}).`
  return check
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`
}

function formatRatio(value: number): string {
  return value >= 10 ? value.toFixed(1) : value.toFixed(2)
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
