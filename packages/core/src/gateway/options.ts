/**
 * The gateway's options, checked: a typo in an option is an error (RPK_BAD_CONFIG
 * naming it), never a silently ignored key.
 */
import { BadConfigError } from '../errors/classes.js'
import type { GatewayMode, GatewayOptions, GatewayProvider } from './types.js'

export const DEFAULT_UPSTREAMS: Readonly<Record<GatewayProvider, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
}

const KNOWN = new Set([
  'host',
  'port',
  'out',
  'replay',
  'mode',
  'synthetic',
  'failOnSynthetic',
  'upstreams',
  'maxSize',
  'maxAge',
  'keep',
  'policySource',
  'log',
])

export interface CheckedOptions {
  host: string
  port: number
  out?: string
  replay?: string
  mode: GatewayMode
  synthetic: boolean
  failOnSynthetic: boolean
  upstreams: Record<GatewayProvider, string>
  maxSize?: number
  maxAge?: number
  keep?: number
  policySource: string
  log: (line: string) => void
}

/** The options with their defaults, or RPK_BAD_CONFIG naming the wrong one. */
export function checkOptions(options: GatewayOptions): CheckedOptions {
  if (options === null || typeof options !== 'object') bad('startGateway(options): options must be an object')
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) bad(`startGateway(options): unknown option "${key}" (known: ${[...KNOWN].join(', ')})`)
  }
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    bad(`startGateway(options): port must be 0-65535, got ${port}`)
  if (options.mode !== undefined && options.mode !== 'strict' && options.mode !== 'hybrid')
    bad(`startGateway(options): mode must be 'strict' or 'hybrid', got ${JSON.stringify(options.mode)}`)
  if (options.mode !== undefined && options.replay === undefined)
    bad('startGateway(options): mode is for replay: give `replay` (the recording to answer from) too')
  for (const name of ['maxSize', 'maxAge', 'keep'] as const) {
    const value = options[name]
    if (value !== undefined && (!Number.isFinite(value) || value <= 0))
      bad(`startGateway(options): ${name} must be a positive number, got ${value}`)
  }
  const upstreams = { ...DEFAULT_UPSTREAMS }
  for (const [provider, url] of Object.entries(options.upstreams ?? {})) {
    if (!(provider in DEFAULT_UPSTREAMS))
      bad(`startGateway(options): upstreams.${provider} is not a provider (openai, anthropic, gemini)`)
    if (typeof url !== 'string' || !/^https?:\/\//.test(url))
      bad(`startGateway(options): upstreams.${provider} must be an http(s) URL, got ${JSON.stringify(url)}`)
    upstreams[provider as GatewayProvider] = url.replace(/\/+$/, '')
  }
  const checked: CheckedOptions = {
    host: options.host ?? '127.0.0.1',
    port,
    mode: modeOf(options),
    synthetic: options.synthetic === true,
    failOnSynthetic: options.failOnSynthetic === true,
    upstreams,
    policySource: options.policySource ?? 'startGateway options',
    log: options.log ?? (() => {}),
  }
  if (options.out !== undefined) checked.out = options.out
  if (options.replay !== undefined) checked.replay = options.replay
  if (options.maxSize !== undefined) checked.maxSize = options.maxSize
  if (options.maxAge !== undefined) checked.maxAge = options.maxAge
  if (options.keep !== undefined) checked.keep = options.keep
  return checked
}

function modeOf(options: GatewayOptions): GatewayMode {
  if (options.replay !== undefined) return options.mode === 'hybrid' ? 'replay-hybrid' : 'replay-strict'
  return options.synthetic === true ? 'synthetic' : 'live'
}

function bad(message: string): never {
  throw new BadConfigError(message)
}
