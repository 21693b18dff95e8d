/**
 * Full test names from jest-circus test entries, the same in the sandbox
 * (through `expect.getState().currentTestIdentity()`) and in the environment
 * (through test events). Describe blocks are joined with ` > `, as in Vitest,
 * so a run's name reads the same in both runners.
 */

/** The parts of a jest-circus test or describe block read here. */
export interface CircusEntry {
  name: string
  parent?: CircusEntry
  invocations?: number
}

/** `describe > nested > test`, without jest-circus's root block. */
export function fullTestName(test: CircusEntry): string {
  return testNamePath(test).join(' > ')
}

/**
 * The name path: describe blocks, outermost first, then the test. Run keys are
 * built from it (core's `runName`), so `describe('x') > test('y > z')` and
 * `describe('x > y') > test('z')`, the same full name, get different keys.
 */
export function testNamePath(test: CircusEntry): string[] {
  const names: string[] = []
  for (let entry: CircusEntry | undefined = test; entry?.parent; entry = entry.parent) names.unshift(entry.name)
  return names
}
