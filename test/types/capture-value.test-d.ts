/**
 * `run.value` under strict TypeScript: checked by `npm run typecheck` (tsc over test/), so a
 * regression fails the typecheck. After `threw` is known false, `value` is the function's type,
 * with no `!` and no `undefined`.
 */
import type { CaptureResult } from '@replaykit/core'
import type { ReplayRun as JestRun } from '@replaykit/jest'
import type { ReplayRun as VitestRun } from '@replaykit/vitest'
import { expectTypeOf, test } from 'vitest'

interface Answer {
  text: string
}

test('value is T once threw is false, error once it is true', () => {
  const check = (run: CaptureResult<Answer> | VitestRun<Answer> | JestRun<Answer>): void => {
    if (run.threw) {
      expectTypeOf(run.value).toEqualTypeOf<undefined>()
      expectTypeOf(run.error).toEqualTypeOf<unknown>()
      return
    }
    expectTypeOf(run.value).toEqualTypeOf<Answer>()
    // @ts-expect-error: no non-null assertion needed, and value is never undefined here
    expectTypeOf(run.value).toEqualTypeOf<Answer | undefined>()
    const text: string = run.value.text
    expectTypeOf(text).toBeString()
  }
  expectTypeOf(check).toBeFunction()
})
