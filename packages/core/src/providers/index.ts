export { AdapterShapeError } from '../errors/classes.js'
export { anthropicAdapter } from './anthropic.js'
export { checkAdapter } from './check-adapter.js'
export { geminiAdapter } from './gemini.js'
export { openaiAdapter } from './openai.js'
export {
  adapterForProvider,
  adapters,
  findAdapter,
  PROVIDER_ADAPTERS,
  registerAdapter,
  shareAdapters,
} from './registry.js'
export { parseSseText } from './sse-text.js'
export type {
  AdapterFields,
  AdapterMatch,
  ProviderAdapter,
  RequestSummary,
  ResponseSummary,
  ToolResult,
} from './types.js'
