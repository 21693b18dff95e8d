import { registerHooks } from 'node:module'
const specs = process.argv.slice(2)
const files = new Set()
registerHooks({ resolve(s, c, next) { const r = next(s, c); files.add(r.url); return r } })
const out = []
for (const spec of specs) {
  const before = new Set(files)
  const t = performance.now()
  await import(spec)
  const added = [...files].filter(f => !before.has(f))
  out.push(`${spec}: ${(performance.now() - t).toFixed(1)} ms, +${added.length} files`)
  if (process.env.LIST) out.push(...added.map(f => '   ' + f.replace(/.*node_modules\//, '')))
}
console.log(out.join('\n'))
