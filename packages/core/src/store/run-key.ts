/**
 * Keys of runs inside a `.rpk`: `"<run name> <counter>"`, the shape of `.snap`
 * keys, so a reviewer finds a run by its test's name.
 *
 * The run name is the test's name path (describe blocks, then the test) joined
 * with ` > `, each part escaped (`\` as `\\`, `>` as `\>`), so that
 * `describe('x') > test('y > z')` and `describe('x > y') > test('z')` get
 * different keys. A name without `>` or `\` reads exactly as before.
 *
 * @note Recordings made before the escaping stored the plain joined name; the
 * store reads that key when the escaped one is absent (`legacyRunName`), so no
 * existing file needs migrating. The counter continues over tests that share
 * a name (like Vitest's snapshot keys), so such tests never overwrite each other.
 */

/** The separator of the name path, as Vitest and ReplayKit print full test names. */
export const NAME_SEPARATOR = ' > '

/** The run name of a name path: parts escaped, joined with ` > `. Empty parts are left out, as Vitest does. */
export function runName(path: readonly string[]): string {
  return path
    .filter((part) => part !== '')
    .map((part) => part.replaceAll('\\', '\\\\').replaceAll('>', '\\>'))
    .join(NAME_SEPARATOR)
}

/** The name a run of this path was stored under before names were escaped (the plain full test name). */
export function legacyRunName(path: readonly string[]): string {
  return path.filter((part) => part !== '').join(NAME_SEPARATOR)
}

/** The key a run is stored under. */
export function runKey(name: string, index: number): string {
  return `${name} ${index}`
}

/** True when `key` belongs to the test called `name` (any counter). */
export function keyBelongsTo(key: string, name: string): boolean {
  // @note Not a plain prefix test: the test "a" must not claim "a 1 1", which belongs to the test "a 1".
  return key.length > name.length + 1 && key.startsWith(`${name} `) && /^\d+$/.test(key.slice(name.length + 1))
}
