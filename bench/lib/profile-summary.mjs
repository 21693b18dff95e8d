/**
 * Summarise a V8 CPU profile (`.cpuprofile`, from `--cpu-prof` or the
 * inspector's Profiler): self time per function and per package, the way a
 * flame graph's bottom row reads, for docs/performance.md.
 */
import { sep } from 'node:path'

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
    const where = shortUrl(url)
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
