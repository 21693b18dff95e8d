/**
 * Making an entry safe to write before it reaches the journal: redacted with
 * the store's rules (the built-in ones by default: auth headers, key
 * parameters, secret patterns), screened for anything still like a credential
 * (the same check as the `.rpk` writer: store/secret-refusal.ts), and checked
 * against the schema. A refused entry writes nothing.
 */
import type { Body, JsonValue, Run, Step } from '../artifact/types.js'
import { SchemaError } from '../errors/classes.js'
import type { Redactor } from '../redact/redactor.js'
import { startRun } from './journal-apply.js'
import type { JournalEntry } from './journal-format.js'
import { entryProblem } from './journal-read.js'
import { screenRuns } from './secret-refusal.js'

/** The entry as it is written: redacted, screened and checked. */
export function prepareEntry(entry: JournalEntry, redactor: Redactor, file: string): JournalEntry {
  // Checked before redaction, which relies on the shape (a request has a URL, a response headers).
  // With the entry's own validator (small functions), not the whole-file one: see validateJournalEntry.
  const problem = entryProblem(entry, 'entry')
  if (problem) {
    throw new SchemaError(`Failed to write to the journal: run "${entry.key}" ${problem}. Nothing was written.`, {
      file,
      hint: 'pass steps shaped as docs/schema.md describes (each with kind, seq and correlationId).',
    })
  }
  const safe: JournalEntry =
    entry.op === 'put'
      ? { op: 'put', key: entry.key, run: { ...entry.run, steps: redactSteps(entry.run.steps, redactor) } }
      : { op: 'append', key: entry.key, steps: redactSteps(entry.steps, redactor) }
  if (entry.op === 'append' && entry.blobs && safe.op === 'append') safe.blobs = redactBlobs(entry.blobs, redactor)
  const run: Run = safe.op === 'put' ? safe.run : { ...startRun(safe.key), steps: safe.steps }
  // The blobs are screened with the run that brings them (the scan reads every member but the name).
  const screenedRun = safe.op === 'append' && safe.blobs ? ({ ...run, blobs: safe.blobs } as Run) : run
  const screened = screenRuns(new Map([[safe.key, screenedRun]]), file)
  if (screened.error) throw screened.error
  return safe
}

function redactBlobs(blobs: Record<string, Body>, redactor: Redactor): Record<string, Body> {
  const out: Record<string, Body> = {}
  for (const [hash, body] of Object.entries(blobs)) {
    if ('json' in body) out[hash] = { json: redactor.json(body.json) }
    else if ('text' in body) out[hash] = { text: redactor.text(body.text) }
    else out[hash] = body
  }
  return out
}

function redactSteps(steps: readonly Step[], redactor: Redactor): Step[] {
  return steps.map((step) => redactStep(step, redactor))
}

function redactStep(step: Step, redactor: Redactor): Step {
  switch (step.kind) {
    case 'http.request':
    case 'model.request':
      return { ...step, request: redactor.request(step.request) }
    case 'http.response':
    case 'model.response': {
      const out = { ...step, response: redactor.response(step.response) }
      if (out.kind === 'model.response' && out.text !== undefined) out.text = redactor.text(out.text)
      return out
    }
    case 'tool.request':
      return { ...step, arguments: redactor.json(step.arguments as JsonValue) }
    case 'tool.response':
      return { ...step, output: redactor.json(step.output as JsonValue) }
    case 'error.event':
      return { ...step, message: redactor.text(step.message) }
    default:
      return step
  }
}
