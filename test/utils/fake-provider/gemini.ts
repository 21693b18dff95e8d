/**
 * Fake Gemini `generateContent` and `streamGenerateContent` (`?alt=sse`: `data:` frames
 * separated by CRLF CRLF; without it: one JSON array). Function calls have no id, as in the
 * real API; the last chunk carries finishReason and usageMetadata.
 */
import { type CallStamp, digest, FIXED_STAMP, pieces, tokens } from './ids.js'
import { type FakeResponse, json } from './respond.js'
import { scriptedReply } from './script.js'
import { buildTurn, type Entry, objects, str, textOf } from './turn.js'
import type { FakeReplyScript, FakeTurn } from './types.js'

export function geminiTurn(body: Record<string, unknown>, model: string, endpoint: string): FakeTurn {
  const entries: Entry[] = []
  for (const content of objects(body.contents)) {
    if (content.role === 'model') continue
    const parts = objects(content.parts)
    const responses = parts.filter((part) => part.functionResponse !== undefined)
    if (responses.length > 0) {
      for (const part of responses) entries.push({ type: 'tool', output: JSON.stringify(part.functionResponse) })
    } else {
      entries.push({ type: 'user', text: textOf(parts) })
    }
  }
  const tools = objects(body.tools)
    .flatMap((tool) => objects(tool.functionDeclarations))
    .map((declaration) => str(declaration.name) ?? '')
  return buildTurn({ provider: 'gemini', endpoint, model, tools }, entries)
}

export function generateContent(
  body: Record<string, unknown>,
  model: string,
  stream: 'sse' | 'array' | false,
  script: FakeReplyScript | undefined,
  stamp: CallStamp = FIXED_STAMP,
): FakeResponse {
  const endpoint = stream ? 'streamGenerateContent' : 'generateContent'
  const reply = scriptedReply(geminiTurn(body, model, endpoint), script)
  const answer = reply.type === 'text' ? reply.text : JSON.stringify(reply.arguments)
  const promptTokens = tokens(body.contents)
  const usageMetadata = {
    promptTokenCount: promptTokens,
    candidatesTokenCount: tokens(answer),
    totalTokenCount: promptTokens + tokens(answer),
  }
  const chunk = (parts: unknown[], last: boolean) => ({
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
    ...(last ? { usageMetadata } : { usageMetadata: { promptTokenCount: promptTokens } }),
    modelVersion: model,
    responseId: digest(body, stamp.salt),
  })
  const parts: Record<string, unknown>[][] =
    reply.type === 'text'
      ? pieces(reply.text).map((text) => [{ text }])
      : [[{ functionCall: { name: reply.name, args: reply.arguments } }]]
  if (parts.length === 0) parts.push([{ text: '' }])
  if (!stream) return json(200, chunk(reply.type === 'text' ? [{ text: reply.text }] : parts.flat(), true))
  const chunks = parts.map((p, i) => chunk(p, i === parts.length - 1))
  if (stream === 'array') return json(200, chunks)
  return {
    type: 'sse',
    frames: chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`),
    malformedFrame: 'data: {"candidates": [\r\n\r\n',
  }
}

/** Gemini's error body. */
export function geminiError(status: number, message: string): FakeResponse {
  const state = status === 401 ? 'UNAUTHENTICATED' : status === 429 ? 'RESOURCE_EXHAUSTED' : 'INVALID_ARGUMENT'
  return json(status, { error: { code: status, message, status: state } })
}
