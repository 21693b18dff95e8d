/**
 * Late requests: made by a capture's code after `fn` returned (a
 * fire-and-forget `fetch`, one in a `setTimeout`, a tracing SDK's flush).
 * They still belong to the capture, for as long as the process lives, and
 * are answered by its mode:
 *
 * - strict, hybrid: refused, never sent (hybrid cannot store a new live step
 *   any more), and reported.
 * - record, live-compare: sent live. Recorded into the run when the answer is
 *   stored before the run is sealed (the test ends); reported as not recorded
 *   otherwise.
 *
 * Problems found before the seal are handed to the test (`seal()`); later
 * ones go to the process-wide list that the integrations put in the summary
 * (`takeLateProblems()`).
 */
import { LateRequestError } from '../errors/classes.js'
import type { ReplayKitError } from '../errors.js'
import { createRedactor, type Redactor } from '../redact/index.js'
import { permitLive } from './block-network.js'
import { buildSteps } from './build-run.js'
import { type CaptureContext, elapsed, type LiveExchange } from './context.js'
import { refusalResponse } from './handle-request.js'
import { abandonLiveResponses, expectLiveResponse } from './live-response.js'
import { readRequest } from './read-request.js'
import { decideLate } from './recorder/recorder.js'
import { shared } from './runtime/runtime.js'
import { answerRefusal, type RequestFrame } from './transport/port.js'
import type { LateRequests, Mode, ReplayProblem } from './types.js'

/** Late problems after their test ended, from the captures of every copy of core (runtime.ts). */
function unclaimed(): ReplayProblem[] {
  return shared('late-problems', (): ReplayProblem[] => [])
}

/** Late problems that came after their test ended (oldest first), removed from the list. */
export function takeLateProblems(): ReplayProblem[] {
  return unclaimed().splice(0)
}

/** Answer a request from a capture that has returned. */
export async function handleLateRequest(context: CaptureContext, frame: RequestFrame): Promise<void> {
  const data = context.redactor.request(await readRequest(frame.request.clone()))
  const what = `${data.method} ${data.url}`
  if (decideLate(context.mode) === 'refuse') {
    const message = `a request started by this capture after it returned (${what}) was refused in ${context.mode} mode: it was not sent. Await every request inside capture(fn), or stop the code that makes it before the test ends.`
    report(context, data, message, true)
    // The client's error says the same (an LLM SDK gets a provider-shaped 400 it does not retry).
    return answerRefusal(frame, refusalResponse(data, `[ReplayKit] ${message}`), message)
  }
  const closed = context.closed
  if (!closed || closed.sealed) {
    report(context, data, notRecorded(what), false)
    // Live as the mode says, but outside any capture now: blockNetwork decides.
    return frame.passthrough()
  }
  const exchange: LiveExchange = {
    order: context.exchanges.length,
    request: data,
    source: 'live',
    startMs: elapsed(context),
    late: true,
  }
  context.exchanges.push(exchange)
  const release = permitLive(data.url)
  exchange.onSettled = () => {
    release()
    if (!closed.sealed && exchange.response) rebuild(context)
  }
  expectLiveResponse(frame.id, context, exchange)
  frame.passthrough()
}

/**
 * A tagged request whose capture is gone (nothing of its code was left but
 * the request itself): still answered by the mode the tag names.
 */
let orphanRedactor: Redactor | undefined

export function handleOrphanRequest(mode: Mode, frame: RequestFrame): void {
  const { request } = frame
  // No capture left to take its rules from: the default redaction keeps keys out of the message.
  orphanRedactor ??= createRedactor()
  const url = orphanRedactor.url(request.url)
  const what = `${request.method} ${url}`
  if (decideLate(mode) === 'refuse') {
    const message = `a request started by a finished capture (${what}) was refused in ${mode} mode: it was not sent`
    unclaimed().push(lateProblem(request.method, url, message, true))
    const answer = refusalResponse({ method: request.method, url, headers: {} }, `[ReplayKit] ${message}`)
    answerRefusal(frame, answer, message)
    return
  }
  unclaimed().push(lateProblem(request.method, url, notRecorded(what), false))
  frame.passthrough()
}

/**
 * Seal the run (the test ends): late exchanges not yet complete are left out
 * and reported. Returns every late problem so far; later ones go to
 * `takeLateProblems()`.
 */
export function sealLate(context: CaptureContext): ReplayProblem[] {
  const closed = context.closed
  if (closed && !closed.sealed) {
    closed.sealed = true
    // Answers still due are not waited for any more (and not kept waiting for in live-response.ts).
    abandonLiveResponses(context)
    for (const exchange of context.exchanges) {
      if (exchange.late && !exchange.response) {
        exchange.onSettled?.()
        context.lateProblems.push(
          lateProblem(
            exchange.request.method,
            exchange.request.url,
            notRecorded(`${exchange.request.method} ${exchange.request.url}`),
            false,
          ),
        )
      }
    }
  }
  return [...context.lateProblems]
}

export function lateRequestsOf(context: CaptureContext): LateRequests {
  return {
    seal: () => sealLate(context),
    problems: () => [...context.lateProblems],
  }
}

function notRecorded(what: string): string {
  return `a request started by this capture after it returned was not recorded (${what}): it went live after the run was stored. Await it inside capture(fn).`
}

function report(
  context: CaptureContext,
  request: { method: string; url: string },
  message: string,
  refused: boolean,
): void {
  // Once the test is over the message is all that says which capture it was: name its run.
  const run = context.closed?.run
  const named = run ? `${message} (run "${run.name}" #${run.index})` : message
  const problem = lateProblem(request.method, request.url, named, refused)
  context.lateProblems.push(problem)
  if (context.closed?.sealed) unclaimed().push(problem)
}

function lateProblem(method: string, url: string, message: string, refused: boolean): ReplayProblem {
  return { type: 'late-request', method, url, message: `[ReplayKit] ${message}`, refused }
}

/** Put the late exchanges that are complete into the run, in place (the test holds the same steps array). */
function rebuild(context: CaptureContext): void {
  const run = context.closed?.run
  if (!run) return
  const exchanges = context.exchanges.filter((exchange) => !exchange.late || exchange.response)
  run.steps.splice(0, run.steps.length, ...buildSteps({ ...context, exchanges }))
}

/**
 * The error that fails a test (or, after its test, the test file) for its late
 * requests, or undefined when there were none.
 */
export function lateRequestError(problems: readonly ReplayProblem[], where: string): ReplayKitError | undefined {
  const late = problems.filter((problem) => problem.type === 'late-request')
  if (late.length === 0) return undefined
  return new LateRequestError(
    `Failed to keep the requests of ${where} inside their capture: ${late.length} request(s) came after capture(fn) returned:\n${late.map((p) => `  - ${p.message}`).join('\n')}`,
    { hint: 'await every request inside capture(fn) (flush tracing and analytics clients before fn returns).' },
  )
}
