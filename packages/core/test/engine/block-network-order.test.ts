/**
 * blockNetwork and the interceptor in either order (a file of its own: it
 * needs a process where no blocker was installed yet). ReplayKit's own
 * interception must see a capture's request before the blocker does, or a
 * strict replay of `api.example.test` would be refused as network instead of
 * being answered by the engine; and what the engine lets through must still
 * meet the blocker. The Jest environment turns the blocker on and off per test
 * file while interception stays installed: this is that sequence.
 */
import { expect, test } from 'vitest'
import { runCapture } from '../../src/public/engine.js'
import { blockNetwork } from '../../src/public/node.js'

const LLM = 'http://api.example.test/v1/chat/completions'

async function strictCall(): Promise<{ status?: number; rejected?: unknown }> {
  const result = await runCapture(
    async () => {
      try {
        const response = await fetch(LLM, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) })
        return { status: response.status }
      } catch (rejected) {
        return { rejected: String((rejected as { cause?: unknown }).cause ?? rejected) }
      }
    },
    { mode: 'strict' },
  )
  return result.value ?? {}
}

test('a strict capture is answered by the engine whichever was installed first; outside captures the blocker refuses', async () => {
  // Interception first (an earlier capture), then the blocker, twice over (one Jest test file after another).
  await runCapture(() => 1, { mode: 'record' })
  for (let file = 0; file < 2; file++) {
    const unblock = blockNetwork()
    try {
      // The engine's refusal (a provider-shaped 400), not the blocker's: the request never reached a socket.
      expect(await strictCall()).toEqual({ status: 400 })
      // Outside a capture the interceptor lets it through to the blocker below it: refused before DNS.
      // Behind the interceptor undici reports the socket as closed, so the reason comes as a process warning.
      const warnings: Array<Error & { code?: string }> = []
      const onWarning = (warning: Error) => warnings.push(warning)
      process.on('warning', onWarning)
      const outside = await fetch(LLM).catch((error: unknown) => error)
      await new Promise((resolve) => setImmediate(resolve))
      process.off('warning', onWarning)
      expect(outside).toBeInstanceOf(Error)
      expect((outside as { cause?: { code?: string } }).cause?.code).not.toBe('ENOTFOUND')
      expect(warnings.map((warning) => warning.code)).toContain('RPK_NETWORK_BLOCKED')
    } finally {
      unblock()
    }
  }
})
