/**
 * The options of `listen start` and `listen run`, read and checked into the
 * gateway's options. Every value is checked here, before anything starts: a
 * typo is a usage error naming the flag (exit 2).
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { journalPathFor } from '@replaykit/core'
import type { GatewayOptions, GatewayProvider } from '@replaykit/core/gateway'
import { usageError } from '../../usage-error.js'

type Options = Record<string, unknown>

const PROVIDERS: readonly GatewayProvider[] = ['openai', 'anthropic', 'gemini']

/** Sizes: bytes, or with a unit (1024-based): `500kb`, `64mb`, `1gb`. */
const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
}
/** Durations: milliseconds, or with a unit: `30s`, `15m`, `6h`, `7d`. */
const AGE_UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** The gateway's options from the start flags; paths are made absolute against `cwd`. */
export function gatewayOptions(options: Options, cwd: string): GatewayOptions {
  const result: GatewayOptions = { policySource: 'cli flags' }
  const port = single(options.port, '--port')
  if (port !== undefined)
    result.port = integer(port, '--port', 0, 65535, 'a port number from 0 to 65535 (0 picks a free one)')
  const out = pathFlag(options.out, '--out', cwd)
  const replay = pathFlag(options.replay, '--replay', cwd)
  // A killed listener leaves only `<file>.journal` until the `.rpk` is first saved: replayable too.
  if (replay !== undefined && !existsSync(replay) && !existsSync(journalPathFor(replay))) {
    throw usageError(
      `Failed to read the arguments: the recording to replay, ${replay}, does not exist.`,
      'give --replay the .rpk a live `replaykit listen start --out FILE.rpk` session wrote.',
      '--replay',
    )
  }
  if (out !== undefined && replay !== undefined && out === replay) {
    throw usageError(
      'Failed to read the arguments: --out and --replay name the same file.',
      'record the replayed session into another file, or leave out --out.',
      '--out',
    )
  }
  if (out !== undefined) result.out = out
  if (replay !== undefined) result.replay = replay
  const mode = single(options.mode, '--mode')
  if (mode !== undefined) {
    if (mode !== 'strict' && mode !== 'hybrid') {
      throw usageError(
        `Failed to read the arguments: --mode must be strict or hybrid, not ${JSON.stringify(mode)}.`,
        'use --mode strict (no request leaves the machine) or --mode hybrid (misses go live).',
        '--mode',
      )
    }
    if (replay === undefined) {
      throw usageError(
        'Failed to read the arguments: --mode only applies with --replay.',
        'add --replay FILE.rpk to answer from a recording, or leave out --mode (live is the default).',
        '--mode',
      )
    }
    result.mode = mode
  }
  const upstreams = upstreamFlags(options.upstream)
  if (Object.keys(upstreams).length > 0) result.upstreams = upstreams
  if (booleanFlag(options.synthetic, '--synthetic')) result.synthetic = true
  if (booleanFlag(options.failOnSynthetic, '--fail-on-synthetic')) result.failOnSynthetic = true
  const maxSize = single(options.maxSize, '--max-size')
  if (maxSize !== undefined)
    result.maxSize = withUnit(maxSize, '--max-size', SIZE_UNITS, 'a size like 50mb, 512kb or a number of bytes')
  const maxAge = single(options.maxAge, '--max-age')
  if (maxAge !== undefined)
    result.maxAge = withUnit(maxAge, '--max-age', AGE_UNITS, 'a duration like 30m, 6h, 7d or a number of ms')
  const keep = single(options.keep, '--keep')
  if (keep !== undefined)
    result.keep = integer(keep, '--keep', 0, Number.MAX_SAFE_INTEGER, 'a number of files, 0 or more')
  return result
}

/** The retention flags of `listen prune`. */
export function retentionFlags(options: Options): { keep?: number; maxAge?: number } {
  const result: { keep?: number; maxAge?: number } = {}
  const keep = single(options.keep, '--keep')
  if (keep !== undefined)
    result.keep = integer(keep, '--keep', 0, Number.MAX_SAFE_INTEGER, 'a number of files, 0 or more')
  const maxAge = single(options.maxAge, '--max-age')
  if (maxAge !== undefined)
    result.maxAge = withUnit(maxAge, '--max-age', AGE_UNITS, 'a duration like 30m, 6h, 7d or a number of ms')
  return result
}

export function pathFlag(value: unknown, flag: string, cwd: string): string | undefined {
  const path = single(value, flag)
  if (path === undefined) return undefined
  if (typeof path !== 'string' && typeof path !== 'number') {
    throw usageError(
      `Failed to read the arguments: option \`${flag} <file>\` needs a value.`,
      `write ${flag} FILE.rpk.`,
      flag,
    )
  }
  return resolve(cwd, String(path))
}

/** The one value of a flag; given twice is an error (cac gives an array). */
export function single(value: unknown, flag: string): unknown {
  if (Array.isArray(value)) {
    throw usageError(
      `Failed to read the arguments: ${flag} is given ${value.length} times.`,
      `give ${flag} once.`,
      flag,
    )
  }
  return value
}

function booleanFlag(value: unknown, flag: string): boolean {
  const one = single(value, flag)
  if (one === undefined || one === false) return false
  if (one === true) return true
  throw usageError(
    `Failed to read the arguments: ${flag} takes no value (got ${JSON.stringify(one)}).`,
    `write ${flag} alone to turn it on.`,
    flag,
  )
}

function integer(value: unknown, flag: string, min: number, max: number, expected: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw usageError(
      `Failed to read the arguments: ${flag} must be ${expected}, not ${JSON.stringify(value === true ? '' : value)}.`,
      `pass ${flag} with ${expected}.`,
      flag,
    )
  }
  return value
}

function withUnit(value: unknown, flag: string, units: Record<string, number>, expected: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(
    typeof value === 'number' || typeof value === 'string' ? String(value) : '',
  )
  const factor = match ? units[(match[2] as string).toLowerCase()] : undefined
  const number = match && factor !== undefined ? Number(match[1]) * factor : Number.NaN
  if (!Number.isFinite(number) || number <= 0) {
    throw usageError(
      `Failed to read the arguments: ${flag} must be ${expected}, not ${JSON.stringify(value === true ? '' : value)}.`,
      `pass ${flag} with ${expected}.`,
      flag,
    )
  }
  return Math.round(number)
}

/** `--upstream openai=URL` (repeatable, one per provider). */
function upstreamFlags(value: unknown): Partial<Record<GatewayProvider, string>> {
  const upstreams: Partial<Record<GatewayProvider, string>> = {}
  if (value === undefined) return upstreams
  for (const item of Array.isArray(value) ? value : [value]) {
    const text = typeof item === 'string' ? item : ''
    const at = text.indexOf('=')
    const provider = text.slice(0, at) as GatewayProvider
    const url = text.slice(at + 1)
    if (at < 0 || !PROVIDERS.includes(provider)) {
      throw usageError(
        `Failed to read the arguments: --upstream must be PROVIDER=URL with PROVIDER one of ${PROVIDERS.join(', ')}, not ${JSON.stringify(item === true ? '' : item)}.`,
        'write e.g. --upstream openai=https://my-proxy.example/v1 (repeat it for each provider).',
        '--upstream',
      )
    }
    if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) {
      throw usageError(
        `Failed to read the arguments: --upstream ${provider}= needs an http(s) URL, not ${JSON.stringify(url)}.`,
        `write e.g. --upstream ${provider}=http://127.0.0.1:8080.`,
        '--upstream',
      )
    }
    if (upstreams[provider] !== undefined) {
      throw usageError(
        `Failed to read the arguments: --upstream names ${provider} twice.`,
        `give one --upstream ${provider}=URL.`,
        '--upstream',
      )
    }
    upstreams[provider] = url.replace(/\/+$/, '')
  }
  return upstreams
}
