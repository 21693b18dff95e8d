/**
 * `require` of a dependency, resolved from this package, for the ones loaded
 * on first use rather than at import: where they are needed synchronously
 * (inside a `connect` call, in a sync diff), `import()` cannot serve.
 *
 * @note `require` of an ES module (Node 22.12 and later, unflagged) gives the
 * same instance an `import` of it gives: MSW required here and a user's
 * imported `msw` are one copy, as with a static import.
 */
import { createRequire } from 'node:module'

let load: NodeJS.Require | undefined

/** The module `id`, resolved from @replaykit/core's own files (the ESM and the CommonJS build alike). */
export function requireDependency<T>(id: string): T {
  // @note The CommonJS declaration build rejects `import.meta` (TS1343) and the ESM one accepts it, so no
  // `@ts-expect-error` fits both; the bundler turns it into this file's URL in the CommonJS output.
  // biome-ignore lint/suspicious/noTsIgnore: the directive must hold for one of the two builds only (above).
  // @ts-ignore
  load ??= createRequire(import.meta.url)
  return load(id) as T
}
