/**
 * The cheap stand-in for MSW until something needs it: a synchronous guard on
 * the few functions every outgoing connection of the process goes through.
 *
 * A strict replay of the global `fetch` is answered at undici's dispatcher
 * (fetch-dispatcher.ts) and never opens a socket, so a test worker that only
 * replays through an SDK's `fetch` needs no MSW at all, and importing and
 * installing it was most of a worker's setup (docs/performance.md, benchmark
 * 8). Every other route (node:http/https and `ClientRequest`, undici's
 * `request()`/`stream()`/Pool, the npm `undici` package, a late request of a
 * strict capture, a `fetch` a user's dispatcher keeps) reaches one of:
 *
 * - `net.Socket.prototype.connect`: every TCP and TLS client connection;
 * - `http.Agent.prototype.addRequest`: a node:http request about to reuse a
 *   keep-alive socket connected before MSW was installed (MSW's own patch of
 *   it drops such sockets, so the request dials an intercepted one);
 * - `tls.TLSSocket.prototype._wrapHandle`: a TLS socket being made, before
 *   its connect (MSW patches it for TLS layered over an intercepted socket).
 *
 * The first call of any of them, after the guard is in, runs `onFirstUse`
 * (load and install MSW, synchronously) and then hands the same call to
 * whatever MSW put on top, so the very request that triggered it is
 * intercepted like every later one. From then on the guard only forwards.
 *
 * @note Prototype patches, as MSW's own (interceptors' net.ts): ESM callers
 * snapshot `net.connect` at import, but every path ends in these methods.
 * @note Triggered by any connection, inside a capture or not: the guard does
 * not try to tell whose a connection is (undici may open a capture's
 * connection from another capture's async context, request-tag.ts). MSW is
 * then in place for every socket opened after the first capture, as when it
 * was installed at the first capture.
 */
import type { Agent } from 'node:http'

type Method = (this: unknown, ...args: unknown[]) => unknown

interface Patch {
  target: Record<string, unknown>
  name: string
  original: Method
  guard: Method
  /** Taken off while something patched on top of it: left in that chain, forwarding only. */
  removed: boolean
}

export interface NetworkGuard {
  /** Take the guard's patches off, run `below` (which patches the same methods), and put them on top again. */
  reapply(below: () => void): void
  /** Remove the guard (only the patches still on top; a patch someone put above since stays, forwarding). */
  remove(): void
}

/** Put the guard in. `onFirstUse` runs once, synchronously, at the first connection after this. */
export function installNetworkGuard(onFirstUse: () => void): NetworkGuard {
  let used = false
  const patches: Patch[] = []
  const use = (): void => {
    if (used) return
    // @note Marked used only once it worked: a failed load throws to the caller (the connection fails)
    // instead of letting a request through unseen, and the next connection tries again.
    onFirstUse()
    used = true
  }
  const patch = (target: Record<string, unknown>, name: string): void => {
    const original = target[name]
    if (typeof original !== 'function') return
    const entry: Patch = { target, name, original: original as Method, guard: forward, removed: false }
    function forward(this: unknown, ...args: unknown[]): unknown {
      if (used || entry.removed) return entry.original.apply(this, args)
      const before = target[name]
      use()
      const after = target[name]
      // What the load put on top (MSW's patch) takes this very call; it calls down to us, now forwarding.
      if (after !== before && typeof after === 'function') return (after as Method).apply(this, args)
      return entry.original.apply(this, args)
    }
    target[name] = forward
    patches.push(entry)
  }
  // Looked up at install (the first capture), not at import: a worker that never captures loads no node:tls.
  const builtin = (id: string): unknown =>
    (process as unknown as { getBuiltinModule(id: string): unknown }).getBuiltinModule(id)
  const net = builtin('node:net') as typeof import('node:net')
  const http = builtin('node:http') as typeof import('node:http')
  const tls = builtin('node:tls') as typeof import('node:tls')
  const on = (): void => {
    patch(net.Socket.prototype as unknown as Record<string, unknown>, 'connect')
    patch(http.Agent.prototype as Agent & Record<string, unknown>, 'addRequest')
    patch(tls.TLSSocket.prototype as unknown as Record<string, unknown>, '_wrapHandle')
  }
  const off = (): void => {
    for (const entry of patches.splice(0).reverse()) {
      if (entry.target[entry.name] === entry.guard) entry.target[entry.name] = entry.original
      // Someone patched on top of ours since: leave ours in their chain, forwarding from now on.
      else entry.removed = true
    }
  }
  on()
  return {
    reapply(below) {
      if (used) return below()
      off()
      below()
      on()
    },
    remove: off,
  }
}
