/**
 * The contract every provider adapter keeps, written once and run for each (the built-in ones
 * and a user's, see adapter-contract.test.ts), as Polly's `adapterTests()` are:
 * - garbage never throws: any body, stream or URL gives a summary, a prompt text or nothing;
 * - a streamed and a buffered answer to the same request give the same summary;
 * - the refusal body is the provider's error shape: the provider's own client reads our
 *   message from it, once, without retrying;
 * - prompt and answer are read from real wire samples.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { refusalResponse } from '../../src/engine/handle-request.js'
import type { HttpRequestData, HttpResponseData, JsonValue, StreamEvent, ToolCall } from '../../src/index.js'
import { checkAdapter } from '../../src/providers/check-adapter.js'
import { urlPath } from '../../src/providers/json.js'
import type { ProviderAdapter, ResponseSummary } from '../../src/providers/types.js'
import type { WireExchange } from './wire.js'

/** One request sent twice to a provider (or its fake): answered whole, and streamed. */
export interface ContractSample {
  name: string
  buffered: WireExchange
  streamed: WireExchange
  /** The last prompt message, as `promptText` must read it from the request. */
  prompt: string
  /** What the answer holds: its text, or the tool calls (names and arguments; ids differ by provider). */
  answer: { text?: string; toolCalls?: Array<Pick<ToolCall, 'name' | 'arguments'>> }
}

export interface ContractCase {
  adapter: ProviderAdapter
  /** Real wire samples (from the fake provider over loopback), made once before the suite. */
  samples: () => Promise<ContractSample[]>
  /**
   * Call the provider's own client with `baseUrl` (a server answering every request with the
   * refusal) and read the error it throws as the provider's error shape says: the status, and
   * the message found where that shape keeps it (undefined when the body is not that shape).
   */
  clientError: (baseUrl: string) => Promise<{ status: number | undefined; message: string | undefined }>
}

const MESSAGE = '[ReplayKit] strict replay: no recorded response matches POST /x. The request was not sent.'

export function adapterContract(contract: ContractCase): void {
  const { adapter } = contract
  describe(`adapter contract: ${adapter.provider}`, () => {
    let samples: ContractSample[] = []
    beforeAll(async () => {
      samples = await contract.samples()
    })

    test('has the shape registerAdapter accepts', () => {
      expect(() => checkAdapter(adapter, 'contract')).not.toThrow()
    })

    test('garbage bodies, streams and paths never throw', () => {
      const endpoints = [...new Set(samples.map((sample) => endpointOf(adapter, sample.buffered.request)))]
      fc.assert(
        fc.property(
          fc.constantFrom(...endpoints),
          arbitraryRequest(),
          arbitraryResponse(),
          fc.string(),
          fc.string(),
          (endpoint, request, response, method, path) => {
            adapter.endpointFor(method, path)
            plain(adapter.summarizeRequest(endpoint, request))
            plain(adapter.summarizeResponse(endpoint, response))
            const prompt = adapter.promptText(endpoint, request)
            expect(prompt === undefined || typeof prompt === 'string').toBe(true)
            plain(adapter.refusalBody(endpoint, method))
          },
        ),
        { numRuns: 300 },
      )
    })

    test('a streamed and a buffered answer give the same summary', () => {
      expect(samples.length).toBeGreaterThan(0)
      for (const sample of samples) {
        expect(sample.streamed.response.stream, sample.name).toBeDefined()
        const buffered = answerOf(adapter, sample.buffered)
        const streamed = answerOf(adapter, sample.streamed)
        expect(streamed, sample.name).toEqual(buffered)
        expect(
          adapter.summarizeRequest(endpointOf(adapter, sample.streamed.request), sample.streamed.request).stream,
        ).toBe(true)
      }
    })

    test('reads the prompt and the answer of real wire samples', () => {
      for (const sample of samples) {
        for (const wire of [sample.buffered, sample.streamed]) {
          const endpoint = endpointOf(adapter, wire.request)
          expect(adapter.promptText(endpoint, wire.request), sample.name).toBe(sample.prompt)
          const { text, toolCalls } = answerOf(adapter, wire)
          expect({ text, toolCalls }, sample.name).toEqual(sample.answer)
        }
      }
    })

    describe('the refusal', () => {
      let server: ReturnType<typeof createServer>
      let baseUrl = ''
      let requests = 0
      beforeAll(async () => {
        server = createServer((request, response) => {
          requests++
          void refuse(request, response)
        })
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      })
      afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

      test("is the provider's error shape: its own client reads our message, and does not retry", async () => {
        expect(await contract.clientError(baseUrl)).toEqual({ status: 400, message: MESSAGE })
        expect(requests).toBe(1)
      })
    })
  })
}

/** Answer every request as the engine refuses a strict-mode miss for it. */
async function refuse(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const data: HttpRequestData = { method: request.method ?? 'GET', url: `http://127.0.0.1${request.url}`, headers: {} }
  const refusal = refusalResponse(data, MESSAGE)
  request.resume()
  response.writeHead(refusal.status, Object.fromEntries(refusal.headers))
  response.end(Buffer.from(await refusal.arrayBuffer()))
}

function endpointOf(adapter: ProviderAdapter, request: HttpRequestData): string {
  const endpoint = adapter.endpointFor(request.method, urlPath(request.url))
  if (endpoint === undefined) throw new Error(`${adapter.provider} does not serve ${request.method} ${request.url}`)
  return endpoint
}

/** The parts of a summary both transports must agree on (call ids and token counts may differ). */
function answerOf(
  adapter: ProviderAdapter,
  wire: WireExchange,
): Pick<ResponseSummary, 'text' | 'finishReason'> & {
  toolCalls?: Array<Pick<ToolCall, 'name' | 'arguments'>>
} {
  const summary = adapter.summarizeResponse(endpointOf(adapter, wire.request), wire.response)
  const answer: ReturnType<typeof answerOf> = {}
  if (summary.text !== undefined) answer.text = summary.text
  if (summary.toolCalls)
    answer.toolCalls = summary.toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args }))
  if (summary.finishReason !== undefined) answer.finishReason = summary.finishReason
  return answer
}

/** Fails unless `value` survives JSON (what the steps and the recording hold). */
function plain(value: unknown): void {
  expect(JSON.parse(JSON.stringify(value ?? null))).toEqual(value ?? null)
}

const json = (): fc.Arbitrary<JsonValue> => fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<JsonValue>

/** Bodies as the engine stores them: JSON (often a provider-like object), text, base64 or absent. */
function arbitraryBody(): fc.Arbitrary<HttpRequestData['body']> {
  const providerish = fc.dictionary(
    fc.constantFrom(
      'messages',
      'input',
      'contents',
      'model',
      'stream',
      'tools',
      'choices',
      'content',
      'candidates',
      'output',
      'message',
      'usage',
    ),
    json(),
  )
  return fc.oneof(
    fc.constant(undefined),
    json().map((value) => ({ json: value })),
    providerish.map((value) => ({ json: value as JsonValue })),
    fc.string().map((text) => ({ text })),
    fc.string().map((text) => ({ base64: Buffer.from(text).toString('base64') })),
  )
}

function arbitraryRequest(): fc.Arbitrary<HttpRequestData> {
  return arbitraryBody().map((body) => ({
    method: 'POST',
    url: 'http://127.0.0.1/x',
    headers: {},
    ...(body === undefined ? {} : { body }),
  }))
}

function arbitraryResponse(): fc.Arbitrary<HttpResponseData> {
  const event: fc.Arbitrary<StreamEvent> = fc.oneof(
    json().map((value) => ({ json: value })),
    fc.string().map((data) => ({ data })),
    fc.record({ event: fc.string(), json: json() }),
  )
  const stream = fc.record({
    format: fc.constantFrom('sse' as const, 'chunks' as const),
    events: fc.array(event, { maxLength: 8 }),
    completion: fc.constantFrom('clean' as const, 'interrupted' as const, 'error' as const),
  })
  return fc.oneof(
    arbitraryBody().map((body) => ({ status: 200, headers: {}, ...(body === undefined ? {} : { body }) })),
    stream.map((detail) => ({ status: 200, headers: {}, stream: detail })),
  )
}
