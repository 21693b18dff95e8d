/**
 * blockNetwork put in after a strict capture that loaded no MSW (a file of its
 * own: it needs a process where neither MSW nor a blocker was installed yet).
 * Until MSW is needed, the network guard (engine/transport/network-guard.ts)
 * stands where MSW stood: the blocker must go below it, or a strict capture's
 * connection would be refused as network before the guard could load MSW and
 * the engine answer it. undici's own `request()` (the npm package) connects
 * with `net.connect` only, so it meets `Socket.prototype.connect` first.
 */
import { request } from 'undici'
import { expect, test } from 'vitest'
import { interceptionControls } from '../../src/engine/runtime/interception-slot.js'
import { runCapture } from '../../src/public/engine.js'
import { blockNetwork } from '../../src/public/node.js'

const LLM = 'http://api.example.test/v1/chat/completions'

test('a blocker put in while only the guard is installed goes below it: a strict capture is answered by the engine', async () => {
  // The first capture: strict, no request. The guard is in, MSW is not (it has no putLast yet).
  await runCapture(() => 1, { mode: 'strict' })
  expect(interceptionControls().putLast).toBeUndefined()
  const unblock = blockNetwork({ childProcesses: false })
  try {
    const result = await runCapture(
      async () => {
        try {
          const response = await request(LLM, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) })
          await response.body.dump()
          return { status: response.statusCode }
        } catch (rejected) {
          return { rejected: String((rejected as { code?: string }).code ?? rejected) }
        }
      },
      { mode: 'strict' },
    )
    // The engine's refusal (a provider-shaped 400), not the blocker's RPK_NETWORK_BLOCKED: MSW was loaded in time.
    expect(result.value).toEqual({ status: 400 })
    expect(interceptionControls().putLast).toBeDefined()
  } finally {
    unblock()
  }
})
