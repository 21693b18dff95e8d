/**
 * One-line descriptions of steps for report headers:
 * `openai chat.completions, gpt-4o-mini`, `POST http://127.0.0.1:4010/v1/search`.
 */
import type { Step } from '../artifact/types.js'

const MAX_URL = 80

/** A short description of a step; `url` is the exchange's request URL, for responses. */
export function stepDetail(step: Step, url?: string): string {
  switch (step.kind) {
    case 'model.request':
      return [`${step.provider} ${step.endpoint}`, step.model].filter(Boolean).join(', ')
    case 'model.response':
      return [step.provider, String(step.response.status), step.finishReason].filter(Boolean).join(', ')
    case 'http.request':
      return `${step.request.method} ${shortUrl(step.request.url)}`
    case 'http.response':
      return url === undefined ? String(step.response.status) : `${step.response.status} from ${shortUrl(url)}`
    case 'tool.request':
      return `${step.name} (${step.callId})`
    case 'tool.response':
      return step.isError ? `${step.callId}, error` : step.callId
    case 'error.event':
      return step.code ?? oneLine(step.message, MAX_URL)
  }
}

/** A URL without its query string, shortened to fit a header. */
export function shortUrl(url: string): string {
  const bare = url.split('?')[0] ?? url
  return oneLine(bare, MAX_URL)
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
