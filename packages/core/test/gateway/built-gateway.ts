/**
 * The built gateway in a process of its own, recording `out` and forwarding
 * OpenAI traffic to `upstream`: what the kill -9 and lock tests stop, freeze
 * or kill while it works.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'

const BUILT = fileURLToPath(new URL('../../dist/esm/public/gateway.js', import.meta.url))

export interface BuiltGateway {
  child: ChildProcessByStdio<null, Readable, null>
  url: string
}

/** `others`: upstreams for the other providers (`{ anthropic: URL }`). */
export async function spawnBuiltGateway(
  out: string,
  upstream: string,
  others: Record<string, string> = {},
): Promise<BuiltGateway> {
  const upstreams = { ...others, openai: upstream }
  const script = `import { startGateway } from ${JSON.stringify(BUILT)}
const g = await startGateway({ out: ${JSON.stringify(out)}, upstreams: ${JSON.stringify(upstreams)} })
console.log(g.url)`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve) =>
    child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim())),
  )
  return { child, url }
}
