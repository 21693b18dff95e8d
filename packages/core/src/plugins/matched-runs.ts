/**
 * A run as the plugins' custom matchers see it, for comparing a replay with its
 * recording: every request step's request through the beforeMatch hooks. A
 * field a matcher normalises (a nonce, a trace id) let the request match its
 * recording; the comparison must not then report it as the divergence.
 */
import type { Run, Step } from '../artifact/types.js'
import { activePlugins, runHookSync } from './active.js'

/** `run` with each request as the beforeMatch hooks hand it back; `run` itself when no plugin has one. */
export function asMatched(run: Run): Run {
  // @note Without a beforeMatch hook, no copy: the comparison costs what it did.
  if (!activePlugins().some((plugin) => plugin.hooks?.beforeMatch)) return run
  return { ...run, steps: run.steps.map(matchedStep) }
}

function matchedStep(step: Step): Step {
  if (step.kind !== 'http.request' && step.kind !== 'model.request') return step
  return { ...step, request: runHookSync('beforeMatch', { request: step.request }, 'request').request }
}
