/**
 * Benchmark 8: appending one completed exchange to a recording that already
 * holds 100 / 1,000 / 3,000 / 10,000 exchanges, through the journal store (one
 * line, O_APPEND, under the file lock: issue 11 asks ≤ 1 ms at 3,000, flat from
 * 100 to 10,000), beside the `.rpk` store's whole-file save of the same append
 * (re-read, re-validate, re-hash, rewrite: what a capture saving as it goes
 * paid before the journal).
 *
 * Runs in this process on core's build: the store is synchronous, the fake
 * provider is idle meanwhile, and no contender is compared here.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { median, round, timeMedian } from '../lib/stats.mjs'

const CORE = new URL('../../packages/core/dist/esm/index.js', import.meta.url).href
const SIZES = [100, 1_000, 3_000, 10_000]
const TARGET_MS = 1
/** The 10,000 figure over the 100 figure: "flat" allows noise, not growth. */
const FLAT_RATIO = 1.5

/** One chat exchange (about 1 KB), as the gateway records it. */
function exchange(i) {
  const id = `c${i}`
  return [
    {
      kind: 'model.request',
      seq: 2 * i,
      correlationId: id,
      provider: 'openai',
      endpoint: 'chat.completions',
      model: 'gpt-4o-mini',
      stream: false,
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:4010/v1/chat/completions',
        headers: { 'content-type': 'application/json', authorization: '[REDACTED:authorization]' },
        body: {
          json: {
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: `question ${i}: ${'lorem ipsum '.repeat(20)}` }],
          },
        },
      },
    },
    {
      kind: 'model.response',
      seq: 2 * i + 1,
      correlationId: id,
      provider: 'openai',
      text: `answer ${i}`,
      finishReason: 'stop',
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          json: {
            id: `chatcmpl-${i}`,
            choices: [{ message: { role: 'assistant', content: `answer ${i}: ${'dolor sit amet '.repeat(20)}` } }],
          },
        },
      },
    },
  ]
}

/** A session run of `size` exchanges. */
function sessionRun(size) {
  const steps = Array.from({ length: size }, (_, i) => exchange(i)).flat()
  return { name: 'session', index: 1, outcome: { type: 'return' }, steps }
}

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  const { JournalStore, RpkStore } = await import(CORE)
  const samples = ctx.quick ? 30 : 300
  const quiet = { onWarning: () => {} }
  const journalMs = {}
  // @note Warm the JIT on a throwaway journal first: otherwise the first size measured pays for it.
  const warm = mkdtempSync(join(ctx.tmp, 'journal-warm-'))
  const warmStore = new JournalStore(join(warm, 'warm.rpk'), quiet)
  for (let i = 0; i < (ctx.quick ? 200 : 2_000); i++) warmStore.append('warm 1', exchange(i))
  rmSync(warm, { recursive: true, force: true })
  const journals = SIZES.map((size) => {
    const dir = mkdtempSync(join(ctx.tmp, `journal-${size}-`))
    const store = new JournalStore(join(dir, 'session.rpk'), quiet)
    // @note Full runs fill the journal the way a capture does, one append per exchange; quick runs
    // write the same exchanges as one `put` line (the append measured does not read the journal either way).
    if (ctx.quick) store.put('session 1', sessionRun(size))
    else for (let i = 0; i < size; i++) store.append('session 1', exchange(i))
    store.append('session 1', exchange(size))
    return { size, dir, store, next: size + 1, samples: [] }
  })
  // @note Round-robin over the sizes, one append each per round: a stall of the (shared) machine
  // then lands on every size alike instead of on whichever size was being measured.
  appendRoundRobin(journals, samples)
  for (const journal of journals) {
    journalMs[journal.size] = median(journal.samples)
    rmSync(journal.dir, { recursive: true, force: true })
  }
  // The gateway's way (issue 13): the lock taken once and the journal kept open (hold()), against a
  // lock per append, alternating one append each, at 3,000.
  const modes = ['per-append', 'held'].map((mode) => {
    const modeDir = mkdtempSync(join(ctx.tmp, `journal-${mode}-`))
    const store = new JournalStore(join(modeDir, 'session.rpk'), quiet)
    if (mode === 'held') store.hold()
    store.put('session 1', sessionRun(3_000))
    store.append('session 1', exchange(3_000))
    return { mode, dir: modeDir, store, next: 3_001, samples: [] }
  })
  appendRoundRobin(modes, samples * 4)
  for (const each of modes) {
    each.store.release?.()
    rmSync(each.dir, { recursive: true, force: true })
  }
  const [perAppend, held] = modes.map((each) => ({
    median: median(each.samples),
    p99: [...each.samples].sort((a, b) => a - b)[Math.floor(0.99 * (each.samples.length - 1))],
  }))
  // The whole-file save at 3,000: the .rpk store appends by rewriting the file.
  const dir = mkdtempSync(join(ctx.tmp, 'rpk-3000-'))
  const rpk = new RpkStore(join(dir, 'session.rpk'))
  rpk.put('session 1', sessionRun(3_000))
  let next = 3_000
  const whole = await timeMedian(() => rpk.append('session 1', exchange(next++)), {
    runs: ctx.quick ? 1 : 5,
    warmup: ctx.quick ? 0 : 1,
  })
  rmSync(dir, { recursive: true, force: true })

  const rows = SIZES.map((size) => ({
    id: `journal-append-${size}`,
    title: `11. journal store: append one exchange to ${size.toLocaleString('en')}`,
    value: round(journalMs[size], 3),
    unit: 'ms',
    target: `<= ${TARGET_MS} ms`,
    pass: journalMs[size] <= TARGET_MS,
    note: `median of ${samples} appends (one JSON line, O_APPEND, under the file lock, redacted and screened)`,
  }))
  rows.push({
    id: 'journal-append-held-3000',
    title: '11. journal store, lock held (the gateway): append one exchange to 3,000',
    value: round(held.median, 3),
    unit: 'ms',
    target: 'info',
    pass: null,
    note: `median of ${samples * 4} appends, p99 ${round(held.p99, 3)} ms; a lock per append, alternating: median ${round(perAppend.median, 3)} ms, p99 ${round(perAppend.p99, 3)} ms`,
  })
  const ratio = journalMs[10_000] / journalMs[100]
  rows.push({
    id: 'journal-append-flat',
    title: '11. journal store: append at 10,000 over append at 100',
    value: round(ratio, 2),
    unit: 'x',
    target: `<= ${FLAT_RATIO}x`,
    pass: ratio <= FLAT_RATIO,
    note: `${round(journalMs[100], 3)} ms at 100, ${round(journalMs[10_000], 3)} ms at 10,000`,
  })
  rows.push({
    id: 'journal-append-rpk-3000',
    title: '11. .rpk store (whole-file save): append one exchange to 3,000',
    value: round(whole.median, 1),
    unit: 'ms',
    target: 'info',
    pass: null,
    note: `${round(whole.median / journalMs[3_000], 0)}x the journal append at 3,000 (re-read, validate, hash, rewrite)`,
  })
  return rows
}

/**
 * `rounds` appends to each journal, one each per round: a stall of the (shared) machine then
 * lands on every journal alike. Each append's time goes to its journal's `samples`.
 * @param {{ store: { append(key: string, steps: unknown[]): unknown }, next: number, samples: number[] }[]} journals
 */
function appendRoundRobin(journals, rounds) {
  for (let round = 0; round < rounds; round++) {
    for (const journal of journals) {
      const steps = exchange(journal.next++)
      const started = performance.now()
      journal.store.append('session 1', steps)
      journal.samples.push(performance.now() - started)
    }
  }
}
