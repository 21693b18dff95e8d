/**
 * A local fake of the OpenAI, Anthropic and Gemini APIs (plus plain HTTP routes) for
 * end-to-end tests and benchmarks. See fake-provider/server.ts.
 */
export { cityOf, defaultReply } from './fake-provider/script.js'
export { startFakeProvider } from './fake-provider/server.js'
export type {
  FakeProvider,
  FakeProviderOptions,
  FakeReply,
  FakeReplyScript,
  FakeTurn,
  ReceivedRequest,
} from './fake-provider/types.js'
