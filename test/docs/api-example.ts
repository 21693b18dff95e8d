import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readRpkFile, writeRpkFile } from '@replaykit/core'
import { runCapture } from '@replaykit/core/engine'

export async function recordThenReplay(): Promise<string> {
  // A local API stands in for OpenAI, Anthropic or any HTTP service.
  const server = createServer((_request, response) => response.end(JSON.stringify({ answer: 'sunny' })))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ask`
  const ask = async (): Promise<{ answer: string }> => (await fetch(url)).json()

  // 1. Record: the request goes out; the run holds the exchange, the outcome and the timing.
  const recorded = await runCapture(ask, { mode: 'record', name: 'ask' })
  server.close()
  const file = join(mkdtempSync(join(tmpdir(), 'replaykit-')), 'ask.rpk')
  writeRpkFile(file, { runs: { 'ask 1': recorded.run } })

  // 2. Load the recording (undefined when the file does not exist) and replay it: no network.
  const recording = readRpkFile(file)?.runs['ask 1']
  if (!recording) throw new Error(`no run "ask 1" in ${file}`)
  const replayed = await runCapture(ask, { mode: 'strict', recording })
  if (replayed.threw) throw replayed.error
  // `value` is typed { answer: string } here; `problems` lists unmatched or unused requests.
  return `${replayed.value.answer}, ${replayed.run.steps.length} steps, ${replayed.problems.length} problems`
}
