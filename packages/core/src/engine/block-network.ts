/**
 * `blockNetwork`: the whole test process may reach only loopback and
 * `allowedHosts`, like pytest-recording's `--block-network` and nock's
 * `disableNetConnect()`. The recommended CI setting: a request outside any
 * capture (a client created at import, a forgotten fixture) fails with a
 * clear error instead of reaching a paid API.
 *
 * Refused at `net.Socket.prototype.connect`, which every TCP and TLS client
 * goes through (`net.connect`, `tls.connect`, node:http/https, undici and
 * global fetch, axios): before DNS, before any packet. Unix sockets and
 * pipes pass. A connection with its own `lookup` is judged by the addresses
 * that lookup gives: a user's own MSW handlers still answer (their mocked
 * connections resolve every name to loopback). Live requests of record, hybrid and live-compare captures are
 * let through while their capture runs (`permitLive`).
 *
 * Child processes: `NODE_OPTIONS` gets an `--import` of the same blocker as a
 * `data:` module (no file path to resolve), reading the hosts from
 * `REPLAYKIT_BLOCK_NETWORK`, so a Node child started with the environment
 * (`spawn('node', …)`, `execa`) is blocked too.
 */
import { NetworkBlockedError } from '../errors/classes.js'
import { patchBelowInterception } from './runtime/interception-slot.js'
import { copyId, drop, hold, shared } from './runtime/runtime.js'

/** The environment variable the child-process blocker reads: the allowed hosts as a JSON list. */
export const BLOCK_ENV = 'REPLAYKIT_BLOCK_NETWORK'

export interface BlockNetworkOptions {
  /** Hosts that may be reached: exact names or IPs, or `*.domain` for its subdomains. Loopback always may. */
  allowedHosts?: string[]
  /** Block Node child processes started with this process's environment too (default true). */
  childProcesses?: boolean
}

/** What the installed patch reads on every connect: switched on and off without re-patching. */
interface BlockState {
  enabled: boolean
  allowed: string[]
}

type Blocker = (
  state: BlockState,
  permitted: (host: string) => boolean,
  refuse: (host: string, port: string) => Error,
) => void

/**
 * The blocker itself. Self-contained (it is also sent to child processes as
 * source text): no imports, no closures over this module.
 */
const install: Blocker = (state, permitted, refuse) => {
  const net = (process as unknown as { getBuiltinModule(id: string): typeof import('node:net') }).getBuiltinModule(
    'node:net',
  )
  const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown }
  const original = proto.connect
  const isAllowed = (raw: string): boolean => {
    const host = raw.toLowerCase().replace(/^\[|\]$/g, '')
    if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0:0:0:0:0:0:0:1') return true
    if (/^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(host)) return true
    return state.allowed.some((pattern) => {
      const p = pattern.toLowerCase()
      return p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p
    })
  }
  proto.connect = function connect(this: { destroy(error: Error): void }, ...args: unknown[]) {
    if (!state.enabled) return original.apply(this, args)
    let first = args[0]
    if (Array.isArray(first)) first = first[0]
    let host: string | undefined
    let port = ''
    let options: { host?: string; hostname?: string; port?: unknown; path?: unknown; lookup?: unknown } | undefined
    if (typeof first === 'object' && first !== null) {
      options = first as typeof options & object
      // A pipe or Unix socket has a path and no port (node:http passes `path: null` with a TCP target).
      const pipe = typeof options.path === 'string' && options.path !== '' && options.port == null
      if (!pipe) host = options.host ?? options.hostname ?? 'localhost'
      port = String(options.port ?? '')
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      host = typeof args[1] === 'string' ? args[1] : 'localhost'
      port = String(first)
    }
    if (host === undefined || isAllowed(host) || permitted(host)) return original.apply(this, args)
    const lookup = options?.lookup
    if (options && typeof lookup === 'function') {
      // A custom lookup decides where the name leads (MSW's mocked connections resolve to loopback):
      // judge the addresses it gives instead of the name.
      const name = host
      options.lookup = (hostname: string, dnsOptions: unknown, callback: (...results: unknown[]) => void) =>
        lookup(hostname, dnsOptions, (error: unknown, address: unknown, family: unknown) => {
          if (error) return callback(error)
          const list = Array.isArray(address) ? address.map((entry: { address: string }) => entry.address) : [address]
          if (list.every((entry) => typeof entry === 'string' && isAllowed(entry)))
            return callback(null, address, family)
          callback(refuse(name, port))
        })
      return original.apply(this, args)
    }
    const error = refuse(host, port)
    process.nextTick(() => this.destroy(error))
    return this
  }
}

/** The error a refused connection fails with (also rebuilt in child processes, as a plain Error). */
function refusal(host: string, port: string): Error {
  const error = new NetworkBlockedError(
    `Failed to connect to ${host}${port ? `:${port}` : ''}: blockNetwork is on, and ${host} is not loopback or in allowedHosts. Nothing was sent.`,
    {
      hint: `make the request inside capture(fn) so it is replayed, or allow the host: replaykit({ blockNetwork: true, allowedHosts: [${JSON.stringify(host)}] }).`,
    },
  )
  // @note Also a process warning: a client may replace the socket's error with its own (undici behind a
  // user's MSW server reports "SocketError: closed"), and the reason must still be on screen.
  process.emitWarning(error.message, { code: 'RPK_NETWORK_BLOCKED' })
  return error
}

const childRefusal = (host: string, port: string): Error =>
  Object.assign(
    new Error(
      `[ReplayKit] Failed to connect to ${host}${port ? `:${port}` : ''}: blockNetwork is on, and ${host} is not loopback or in allowedHosts. Nothing was sent.\n  Fix: allow the host with allowedHosts: [${JSON.stringify(host)}].`,
    ),
    { name: 'ReplayKitError', code: 'RPK_NETWORK_BLOCKED' },
  )

/**
 * Hosts of live capture requests, while their capture runs: in the runtime, as the copy of core
 * that installed the blocker may not be the one whose handler lets a request go live.
 */
function permits(): Map<string, number> {
  return shared('network-permits', () => new Map<string, number>())
}

/** Let a capture's live request to `url` connect; returns the release. */
export function permitLive(url: string): () => void {
  let host: string
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase()
  } catch {
    return () => undefined
  }
  const hosts = permits()
  hosts.set(host, (hosts.get(host) ?? 0) + 1)
  let released = false
  return () => {
    if (released) return
    released = true
    const left = (hosts.get(host) ?? 1) - 1
    if (left > 0) hosts.set(host, left)
    else hosts.delete(host)
  }
}

/** Source of the module child processes import through NODE_OPTIONS. */
function childModule(): string {
  return `const allowed = JSON.parse(process.env.${BLOCK_ENV} || '[]');
(${install.toString()})({ enabled: true, allowed }, () => false, ${childRefusal.toString()});`
}

/**
 * Refuse connections to hosts other than loopback and `allowedHosts` in this
 * process and (by default) in Node child processes started from now on.
 * Returns the undo.
 *
 * @example
 * const unblock = blockNetwork({ allowedHosts: ['*.internal'] })
 * await fetch('https://api.openai.com/v1/models') // rejects: RPK_NETWORK_BLOCKED, nothing sent
 */
export function blockNetwork(options: BlockNetworkOptions = {}): () => void {
  const allowed = [...(options.allowedHosts ?? [])]
  const childProcesses = options.childProcesses !== false
  const key = JSON.stringify([allowed, childProcesses])
  // @note One blocker per process (a Vitest setup file runs once per test file, and two copies of core
  // may both be asked), held in the runtime: a second call with the same hosts shares it; other hosts
  // replace it.
  const blocker = shared('block-network', (): { key?: string } => ({}))
  if (blocker.key !== undefined && blocker.key !== key) drop(`block-network ${blocker.key}`)
  blocker.key = key
  return hold(`block-network ${key}`, copyId(), () => installAll(allowed, childProcesses))
}

/**
 * The connect patch, put in once per process and then only switched on and
 * off.
 *
 * @note It must sit below every MSW interceptor (ReplayKit's and the user's):
 * they see a connection first and mock it, and only what they let through
 * reaches the blocker. Removed and patched again (the Jest environment turns
 * blocking on and off per test file), it would land on top of ReplayKit's
 * interception, installed for the life of the process, and refuse a strict
 * replay's requests before the engine could answer them. When interception is
 * already installed at the first call, it is put back on top.
 */
function patchState(): BlockState {
  return shared('block-network-patch', (): BlockState => {
    const created: BlockState = { enabled: false, allowed: [] }
    patchBelowInterception(() => install(created, (host) => permits().has(host.toLowerCase()), refusal))
    return created
  })
}

function installAll(allowed: string[], childProcesses: boolean): () => void {
  const state = patchState()
  state.allowed = allowed
  state.enabled = true
  const off = () => {
    state.enabled = false
  }
  if (!childProcesses) return off
  const before = { options: process.env.NODE_OPTIONS, hosts: process.env[BLOCK_ENV] }
  const flag = `--import=data:text/javascript,${encodeURIComponent(childModule())}`
  process.env[BLOCK_ENV] = JSON.stringify(allowed)
  process.env.NODE_OPTIONS = before.options ? `${before.options} ${flag}` : flag
  return () => {
    off()
    restore('NODE_OPTIONS', before.options)
    restore(BLOCK_ENV, before.hosts)
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}
