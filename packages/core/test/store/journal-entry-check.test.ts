/**
 * How a journal entry is checked against the schema: an entry a writer builds
 * (the gateway, once per exchange) by the entry's own validator of small
 * functions, a line read from disk by the whole-file validator; both refuse
 * the same entries with the same message (docs/performance.md, issue 13's RSS).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { Run, Step } from '../../src/artifact/types.js'
import type { JournalEntry } from '../../src/store/journal-format.js'
import { entryProblem } from '../../src/store/journal-read.js'
import { JournalStore } from '../../src/store/journal-store.js'
import { sampleRun } from '../fixtures/sample-runs.js'

const wholeFile = vi.hoisted(() => ({ calls: 0 }))
// Only validateRpk runs the whole-file validator (artifact/validate.ts): count its calls.
vi.mock('../../src/artifact/validate.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/artifact/validate.js')>()
  return {
    ...real,
    validateRpk: (value: unknown) => {
      wholeFile.calls++
      return real.validateRpk(value)
    },
  }
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-entry-check-'))
  wholeFile.calls = 0
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('the writer checks an entry with the entry validator', () => {
  test('appends never run the whole-file validator; reading the journal back does', () => {
    const store = new JournalStore(join(dir, 'agent.rpk'), { onWarning: () => {} })
    const [request, response] = sampleRun().steps as [Step, Step]
    for (let i = 0; i < 20; i++) {
      store.append('agent 1', [
        { ...request, seq: 2 * i, correlationId: `x${i}` },
        { ...response, seq: 2 * i + 1, correlationId: `x${i}` },
      ] as Step[])
    }
    expect(wholeFile.calls).toBe(0)
    // A journal read from disk is a file: each line gets the whole-file check.
    expect(new JournalStore(join(dir, 'agent.rpk')).read()?.runs['agent 1']?.steps).toHaveLength(40)
    expect(wholeFile.calls).toBeGreaterThanOrEqual(20)
  })

  test('a bad step is still refused before anything is written, naming the same path', () => {
    const store = new JournalStore(join(dir, 'agent.rpk'))
    const bad = [{ ...sampleRun().steps[0], seq: -1 }] as Step[]
    expect(() => store.append('agent 1', bad)).toThrowError(/run "agent 1" \$\.steps\[0\]\.seq must be >= 0/)
    expect(wholeFile.calls).toBe(0)
  })
})

describe('the entry validator and the whole-file validator agree', () => {
  const streamed: Step = {
    kind: 'model.response',
    seq: 2,
    correlationId: 'x2',
    provider: 'openai',
    toolCalls: [{ id: 'c1', name: 'read', arguments: { path: 'a.ts' } }],
    response: {
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'text/event-stream' },
      stream: {
        format: 'sse',
        lineEnding: '\n',
        events: [{ event: 'message', id: '1', data: '{"a":1}', atMs: 1 }],
        completion: 'clean',
      },
    },
  }
  const extra: Step[] = [
    streamed,
    { kind: 'http.request', seq: 3, correlationId: 'h', request: { method: 'GET', url: '/v1/models', headers: {} } },
    { kind: 'http.response', seq: 4, correlationId: 'h', response: { status: 200, headers: {}, body: { text: 'x' } } },
    { kind: 'tool.request', seq: 5, correlationId: 't', callId: 'c1', name: 'read', arguments: {} },
    { kind: 'tool.response', seq: 6, correlationId: 't', callId: 'c1', output: 'ok', isError: false },
    { kind: 'error.event', seq: 7, correlationId: 'e', message: 'upstream reset', code: 'ECONNRESET' },
  ]
  const run: Run = { ...sampleRun(), steps: [...sampleRun().steps, ...extra] }
  const blobs = { [`sha256:${'a'.repeat(64)}`]: { json: { system: 'be careful' } } }
  const entries: JournalEntry[] = [
    { op: 'put', key: 'agent 1', run },
    { op: 'append', key: 'agent 1', steps: run.steps, blobs },
  ]

  /** Every way to break one value: wrong types, a line break, a number out of range, a member removed or added. */
  function variants(entry: JournalEntry): JournalEntry[] {
    const out: JournalEntry[] = []
    const replacements: unknown[] = [null, 12, -1, 1.5, 'x\ny', 'é', [], {}, true, 'sha256:0']
    const walk = (value: unknown, edit: (replace: (old: unknown) => unknown) => JournalEntry): void => {
      for (const replacement of replacements) out.push(edit(() => replacement))
      if (value === null || typeof value !== 'object') return
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          walk(item, (replace) => edit((old) => (old as unknown[]).map((x, j) => (j === i ? replace(x) : x))))
        })
        return
      }
      out.push(edit((old) => ({ ...(old as object), zz: 1 })))
      out.push(edit((old) => ({ ...(old as object), 'bad name': 'v', 'x-ok': 'a\u0001b' })))
      for (const key of Object.keys(value)) {
        out.push(edit((old) => Object.fromEntries(Object.entries(old as object).filter(([k]) => k !== key))))
        walk((value as Record<string, unknown>)[key], (replace) =>
          edit((old) => ({ ...(old as object), [key]: replace((old as Record<string, unknown>)[key]) })),
        )
      }
    }
    const { op: _op, key: _key, ...held } = entry
    walk(held, (replace) => ({ op: entry.op, key: entry.key, ...(replace(held) as object) }) as JournalEntry)
    return out
  }

  test('on valid entries and on every one-value breakage of them: the same verdict and message', () => {
    let refused = 0
    let checked = 0
    for (const entry of entries) {
      expect(entryProblem(entry, 'entry')).toBeUndefined()
      expect(entryProblem(entry, 'file')).toBeUndefined()
      for (const variant of variants(entry)) {
        // A variant without its steps or run is not an entry a writer builds: the journal's line parser refuses it first.
        if (
          variant.op === 'put' ? typeof variant.run !== 'object' || variant.run === null : !Array.isArray(variant.steps)
        )
          continue
        const problem = entryProblem(variant, 'file')
        expect(entryProblem(variant, 'entry'), JSON.stringify(variant).slice(0, 300)).toBe(problem)
        checked++
        if (problem) refused++
      }
    }
    expect(checked).toBeGreaterThan(2000)
    expect(refused).toBeGreaterThan(1500)
  })
})
