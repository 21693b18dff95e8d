/**
 * The bench's terminal table: one row per figure (measured value, target,
 * pass or miss), then the notes that say what each figure is made of.
 */

/** @param {{ id: string, title: string, value?: number, unit?: string, target?: string, pass?: boolean | null, note?: string, error?: string }[]} rows */
export function formatTable(rows) {
  const cells = rows.map((row) => [
    row.id,
    row.title,
    row.error ? 'error' : formatValue(row.value, row.unit),
    row.error ? '' : (row.target ?? ''),
    row.error ? 'ERROR' : row.pass === true ? 'pass' : row.pass === false ? 'MISS' : 'info',
  ])
  const header = ['id', 'benchmark', 'measured', 'target', 'result']
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((cell) => cell[i].length)))
  const line = (cell) => cell.map((text, i) => (i === 2 ? text.padStart(widths[i]) : text.padEnd(widths[i]))).join('  ')
  const out = [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line)]
  const notes = rows.filter((row) => row.note || row.error)
  if (notes.length > 0) {
    out.push('')
    for (const row of notes) out.push(`${row.id}: ${row.error ? `error: ${row.error.split('\n')[0]}` : row.note}`)
  }
  return out.join('\n')
}

function formatValue(value, unit) {
  if (typeof value !== 'number') return String(value)
  if (unit === 'x') return `${value.toFixed(2)}x`
  if (unit === 'ms') return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ms`
  return `${value} ${unit ?? ''}`.trim()
}
