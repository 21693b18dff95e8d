/**
 * MSW's modules, loaded on first use and synchronously: the network guard
 * (network-guard.ts) loads them inside the very `connect` call that needs
 * them, where nothing can be awaited.
 *
 * @note `require` of ES modules (Node 22.12 and later, unflagged) gives the
 * same module instances an `import` of them gives: a user's `msw` and ours
 * share one copy and one interceptor registry, as with a static import.
 * Importing them at the engine's import cost every test worker about 75 ms
 * (half of its setup), though a strict replay of `fetch` never used them.
 */
import { createRequire } from 'node:module'
import type * as Interceptors from '@mswjs/interceptors'
import type * as InterceptorsHttp from '@mswjs/interceptors/http'
import type * as Msw from 'msw'
import type * as MswExperimental from 'msw/experimental'

export interface MswModules {
  RequestController: typeof Interceptors.RequestController
  HttpRequestInterceptor: typeof InterceptorsHttp.HttpRequestInterceptor
  http: typeof Msw.http
  passthrough: typeof Msw.passthrough
  defineNetwork: typeof MswExperimental.defineNetwork
  InterceptorSource: typeof MswExperimental.InterceptorSource
}

let loaded: MswModules | undefined

/** MSW's modules, resolved from this package (the ESM and the CommonJS build alike). */
export function mswModules(): MswModules {
  if (loaded) return loaded
  // @note The CommonJS declaration build rejects `import.meta` (TS1343) and the ESM one accepts it, so no
  // `@ts-expect-error` fits both; the bundler turns it into this file's URL in the CommonJS output.
  // biome-ignore lint/suspicious/noTsIgnore: the directive must hold for one of the two builds only (above).
  // @ts-ignore
  const load = createRequire(import.meta.url)
  const interceptors = load('@mswjs/interceptors') as typeof Interceptors
  const interceptorsHttp = load('@mswjs/interceptors/http') as typeof InterceptorsHttp
  const msw = load('msw') as typeof Msw
  const experimental = load('msw/experimental') as typeof MswExperimental
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
