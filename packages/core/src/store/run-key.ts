/**
 * Keys of runs inside a `.rpk`: `"<full test name> <counter>"`, the shape of
 * `.snap` keys, so a reviewer finds a run by its test's name.
 */

/** The key a run is stored under. */
export function runKey(name: string, index: number): string {
  return `${name} ${index}`
}

/** True when `key` belongs to the test called `name` (any counter). */
export function keyBelongsTo(key: string, name: string): boolean {
  // @note Not a plain prefix test: the test "a" must not claim "a 1 1", which belongs to the test "a 1".
  return key.length > name.length + 1 && key.startsWith(`${name} `) && /^\d+$/.test(key.slice(name.length + 1))
}
