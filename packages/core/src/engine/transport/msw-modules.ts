/**
 * MSW's modules, loaded on first use and synchronously: the network guard
 * (network-guard.ts) loads them inside the very `connect` call that needs
 * them, where nothing can be awaited. A user's `msw` and ours stay one copy
 * with one interceptor registry (lazy-deps.ts).
 *
 * @note Importing them at the engine's import cost every test worker about
 * 75 ms (half of its setup), though a strict replay of `fetch` never used them.
 */
import type * as Interceptors from '@mswjs/interceptors'
import type * as InterceptorsHttp from '@mswjs/interceptors/http'
import type * as Msw from 'msw'
import type * as MswExperimental from 'msw/experimental'
import { requireDependency } from '../../lazy-deps.js'

export interface MswModules {
  RequestController: typeof Interceptors.RequestController
  HttpRequestInterceptor: typeof InterceptorsHttp.HttpRequestInterceptor
  http: typeof Msw.http
  passthrough: typeof Msw.passthrough
  defineNetwork: typeof MswExperimental.defineNetwork
  InterceptorSource: typeof MswExperimental.InterceptorSource
}

let loaded: MswModules | undefined

/** MSW's modules, loaded by the first call. */
export function mswModules(): MswModules {
  if (loaded) return loaded
  const interceptors = requireDependency<typeof Interceptors>('@mswjs/interceptors')
  const interceptorsHttp = requireDependency<typeof InterceptorsHttp>('@mswjs/interceptors/http')
  const msw = requireDependency<typeof Msw>('msw')
  const experimental = requireDependency<typeof MswExperimental>('msw/experimental')
  loaded = {
    RequestController: interceptors.RequestController,
    HttpRequestInterceptor: interceptorsHttp.HttpRequestInterceptor,
    http: msw.http,
    passthrough: msw.passthrough,
    defineNetwork: experimental.defineNetwork,
    InterceptorSource: experimental.InterceptorSource,
  }
  return loaded
}
