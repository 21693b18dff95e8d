/**
 * One row per step of a run's timeline (`replaykit inspect`, and any UI): what
 * was called, with which model, the status, the duration and a short text (the
 * prompt, the answer, the tool arguments), each on one line, secrets replaced.
 * Building rows is format logic and lives here; printing them is the CLI's.
 */
import type { Body, JsonValue, Step } from '../artifact/types.js'
import { adapterForProvider } from '../providers/registry.js'
import { redactPrinted } from '../redact/printed.js'

/** The longest text shown in a row. */
export const MAX_TEXT = 60
const MAX_CALL = 56

export interface TimelineRow {
  seq: number
  kind: Step['kind']
  correlationId: string
  /** `openai chat.completions`, `GET http://host/v1/search`, a tool name. */
  call: string
  model: string | null
  status: number | null
  startMs: number | null
  durationMs: number | null
  /** At most {@link MAX_TEXT} characters on one line. */
  text: string
}

/** The row of `step`; `urls` carries each request's URL to its response's row (pass one Map per run). */
export function timelineRow(step: Step, urls: Map<string, string>): TimelineRow {
  const row: TimelineRow = {
    seq: step.seq,
    kind: step.kind,
    correlationId: step.correlationId,
    call: '',
    model: null,
    status: null,
    startMs: step.timing?.startMs ?? null,
    durationMs: step.timing?.durationMs ?? null,
    text: '',
  }
  switch (step.kind) {
    case 'model.request':
      urls.set(step.correlationId, step.request.url)
      row.call = `${step.provider} ${step.endpoint}${step.stream ? ' (stream)' : ''}`
      row.model = step.model ?? null
      row.text = promptText(step)
      break
    case 'model.response':
      row.call = step.provider
      row.status = step.response.status
      row.text =
        step.text ?? (step.toolCalls ?? []).map((call) => `${call.name}(${compact(call.arguments)})`).join(', ')
      break
    case 'http.request':
      urls.set(step.correlationId, step.request.url)
      row.call = `${step.request.method} ${step.request.url}`
      row.text = bodyText(step.request.body)
      break
    case 'http.response': {
      const url = urls.get(step.correlationId)
      row.call = url ?? ''
      row.status = step.response.status
      const stream = step.response.stream
      row.text = stream
        ? `(${stream.format}: ${stream.events.length} events, ${stream.completion})`
        : bodyText(step.response.body)
      break
    }
    case 'tool.request':
      row.call = `${step.name} (${step.callId})`
      row.text = compact(step.arguments)
      break
    case 'tool.response':
      row.call = step.callId
      row.text = `${step.isError ? 'error: ' : ''}${typeof step.output === 'string' ? toolOutputText(step.output) : compact(step.output)}`
      break
    case 'error.event':
      row.call = step.code ?? ''
      row.text = step.message
      break
  }
  row.call = clip(row.call, MAX_CALL)
  row.text = clip(row.text, MAX_TEXT)
  return row
}

/**
 * The last message of the prompt, read by the adapter of the step's provider; the body as
 * JSON when no adapter in this process knows the provider or the body has no conversation.
 */
function promptText(step: Extract<Step, { kind: 'model.request' }>): string {
  const text = adapterForProvider(step.provider)?.promptText(step.endpoint, step.request)
  if (text !== undefined) return text
  return bodyText(step.request.body)
}

function bodyText(body: Body | undefined): string {
  if (!body) return ''
  if ('json' in body) return compact(body.json)
  if ('text' in body) return body.text
  if ('base64' in body) return `(binary, ${Math.floor((body.base64.length * 3) / 4)} bytes)`
  return `(stored body ${body.blob.slice(0, 'sha256:'.length + 12)}…)`
}

/**
 * Codex CLI's `exec_command` result: `Chunk ID: …`, `Wall time: …`, `Process exited with code N`,
 * `Original token count: …`, then `Output:` and what the command printed (Codex 0.169.0).
 */
const CODEX_EXEC_RESULT =
  /^Chunk ID: [0-9a-f]+\nWall time: [^\n]*\n(?:Process exited with code (-?\d+)\n)?(?:Original token count: [^\n]*\n)?Output:\n/

/** What a tool printed, first: a Codex shell result's header would fill the row before the output. */
function toolOutputText(output: string): string {
  const header = CODEX_EXEC_RESULT.exec(output)
  if (!header) return output
  const printed = output.slice(header[0].length)
  return header[1] === undefined || header[1] === '0' ? printed : `(exit ${header[1]}) ${printed}`
}

function compact(value: JsonValue | undefined): string {
  return value === undefined ? '' : JSON.stringify(value)
}

/** One line, at most `max` characters. Secrets are replaced before the cut: half a key no longer looks like one. */
export function clip(text: string, max: number): string {
  const line = redactPrinted(text).replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
