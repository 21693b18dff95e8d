/**
 * Summarise a V8 CPU profile (`.cpuprofile`, from `--cpu-prof` or the
 * inspector's Profiler): self time per function and per package, the way a
 * flame graph's bottom row reads, for docs/performance.md.
 */
import { readFileSync } from 'node:fs'
import { sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * @param {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number } }[], samples: number[], timeDeltas: number[] }} profile
 * @param {number} [top]
 */
export function summarize(profile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map()
  let total = 0
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0
    total += us
    self.set(id, (self.get(id) ?? 0) + us)
  })
  const functions = new Map()
  const packages = new Map()
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame
    const where = shortUrl(sourceUrl(url, lineNumber))
    const key = `${functionName || '(anonymous)'} ${where}${url ? `:${lineNumber + 1}` : ''}`
    functions.set(key, (functions.get(key) ?? 0) + us)
    const group = packageOf(url, functionName)
    packages.set(group, (packages.get(group) ?? 0) + us)
  }
  const rank = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, ms: Math.round(us / 10) / 100, share: Math.round((us / total) * 1000) / 10 }))
  return { totalMs: Math.round(total / 1000), functions: rank(functions).slice(0, top), packages: rank(packages) }
}

function shortUrl(url) {
  if (!url) return ''
  const path = url.replace(/^file:\/\//, '')
  const at = path.lastIndexOf(`node_modules${sep}`)
  if (at >= 0) return path.slice(at + 'node_modules/'.length)
  const packages = path.indexOf(`${sep}packages${sep}`)
  return packages >= 0 ? path.slice(packages + 1) : path
}

/** Which package a frame belongs to: ReplayKit's own, a dependency, Node's internals, or V8's. */
function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)'
  if (url.startsWith('node:')) return 'node internals'
  const path = url.replace(/^file:\/\//, '')
  const at = path.lastIndexOf('node_modules/')
  if (at >= 0) {
    const rest = path.slice(at + 'node_modules/'.length).split('/')
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  const packages = path.match(/\/packages\/([^/]+)\//)
  if (packages) return `@replaykit/${packages[1]}`
  return 'bench'
}

/**
 * What a replayed request's time is spent on: each sample goes to the innermost frame on its
 * stack that belongs to one of these parts of the work (so undici's `Headers` called by
 * `replayResponse` counts as building the response), else to the package of the sampled frame.
 * The rules name ReplayKit's functions and source modules: a frame in a bundled chunk of
 * `packages/core/dist` is read as the module its line lies in (sourceUrl).
 */
const PARTS = [
  ['draw attribution (stack captures)', (name) => name === 'drawnByMachinery' || name === 'callerFrames'],
  [
    'run-queue, thread meter, client-wait reads',
    (name, url) => name === 'runQueueMs' || name === 'readMeter' || url.includes('/engine/client-wait.'),
  ],
  ['redaction of the request', (name, url) => name === 'redactRequest' || url.includes('/redact/')],
  [
    'matching (match key, verdict)',
    (_name, url) =>
      url.includes('/engine/match-key.') ||
      url.includes('/recorder/') ||
      url.includes('/engine/recording-index.') ||
      url.includes('/artifact/canonical'),
  ],
  [
    'request body and headers read',
    (name, url) =>
      name === 'readRequest' ||
      name === 'decodeBody' ||
      name === 'partsOf' ||
      name === 'storedHeaders' ||
      url.includes('/engine/body.'),
  ],
  [
    'replayed response built (and SSE events)',
    (name, url) => url.includes('/engine/replay-response.') || name === 'timed',
  ],
  [
    'capture bookkeeping (context, clocks, run, steps)',
    (name, url) =>
      ['createContext', 'finish', 'startClock', 'stopClock', 'checkCaptureOptions', 'endExchange', 'settle'].includes(
        name,
      ) ||
      url.includes('/engine/build-run.') ||
      url.includes('/engine/exchange-steps.'),
  ],
  [
    'interception: MSW (socket, HTTP bytes, events)',
    (_name, url) => /node_modules\/(@mswjs|msw|rettime|@msw|until-async|@open-draft)\//.test(url),
  ],
  [
    'request handling (handleRequest, plugin hooks, determinism)',
    (name, url) =>
      ['handleRequest', 'dispatchFrame', 'replay', 'runHook', 'tapeForDraw'].includes(name) ||
      url.includes('/determinism/'),
  ],
  ['interception: fetch-dispatcher (frame, answer into fetch)', (_name, url) => url.includes('/engine/transport/')],
]

/** Where the code under test starts: what it calls is its own, not the part that called it. */
const BOUNDARY = new Set(['runCapture', 'runInContext'])

export function whereItGoes(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const memo = new Map()
  const partOf = (id) => {
    if (memo.has(id)) return memo.get(id)
    const { functionName, lineNumber } = byId.get(id).callFrame
    const url = sourceUrl(byId.get(id).callFrame.url, lineNumber)
    let part = BOUNDARY.has(functionName) ? null : PARTS.find(([, test]) => test(functionName, url))?.[0]
    if (part === undefined) part = parent.has(id) ? partOf(parent.get(id)) : null
    memo.set(id, part)
    return part
  }
  const parts = new Map()
  let total = 0
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0
    total += us
    const { functionName, url } = byId.get(id).callFrame
    const own = url.includes('/packages/core/') ? 'rest of ReplayKit (runCapture and the like)' : undefined
    const part = partOf(id) ?? own ?? `the rest: ${packageOf(url, functionName)}`
    parts.set(part, (parts.get(part) ?? 0) + us)
  })
  return [...parts]
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => ({ name, ms: Math.round(us / 10) / 100, share: Math.round((us / total) * 1000) / 10 }))
}

/** Line starts of the `// src/<module>.ts` markers the bundler writes before each module's code, per chunk file. */
const markers = new Map()

/**
 * The source module a frame of a bundled file lies in: rolldown puts one module after another
 * into a chunk, each after a `// src/engine/x.ts` line, so the last marker at or above the
 * frame's line names it (`…/packages/core/src/engine/x.ts`). Other URLs are returned unchanged.
 */
export function sourceUrl(url, lineNumber) {
  const dist = url.match(/^(.*\/packages\/[^/]+\/)dist\/(?:esm|cjs)\//)
  if (!dist) return url
  let lines = markers.get(url)
  if (!lines) {
    lines = []
    try {
      readFileSync(url.startsWith('file:') ? fileURLToPath(url) : url, 'utf8')
        .split('\n')
        .forEach((line, at) => {
          if (/^\/\/ src\/\S+\.ts$/.test(line)) lines.push([at, line.slice(3)])
        })
    } catch {
      // Gone since the profile was taken: the chunk's own name is all there is.
    }
    markers.set(url, lines)
  }
  let module
  for (const [at, name] of lines) {
    if (at > lineNumber) break
    module = name
  }
  return module ? `${dist[1]}${module}` : url
}
