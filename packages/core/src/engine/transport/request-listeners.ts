/**
 * The `request` listeners of the socket-level source every MSW HTTP
 * interceptor forwards from (ours and a user's MSW server), in the order they
 * are called. Read from MSW's process-wide registry, so it needs no MSW
 * module loaded: none listens until one is.
 *
 * @note Keyed by @mswjs/interceptors (its registry and symbol), not by ReplayKit: read, never owned.
 */
export function mswRequestListeners(): unknown[] {
  const registry = (globalThis as { __MSW_INTERCEPTORS_REGISTRY?: Map<symbol, unknown> }).__MSW_INTERCEPTORS_REGISTRY
  const source = registry?.get(Symbol.for('node-http-request-source')) as
    | { listeners?: (type: string) => unknown[] }
    | undefined
  return source?.listeners?.('request') ?? []
}
