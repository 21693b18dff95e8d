/**
 * Printing a timeline for `replaykit inspect`: durations and an aligned table.
 * The rows themselves are built by core (`timelineRow` of `@replaykit/core`).
 */

/** Milliseconds for people: `12.5 ms`; one decimal at most. */
export function ms(value: number): string {
  return `${Number(value.toFixed(1))} ms`
}

/** Rows as an aligned text table with a header. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  // A loop, not Math.max(...lengths): spreading 130,000 rows as arguments overflows the stack.
  const widths = header.map((title) => title.length)
  for (const row of rows) {
    for (let column = 0; column < widths.length; column++) {
      const length = (row[column] ?? '').length
      if (length > (widths[column] as number)) widths[column] = length
    }
  }
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)]
}
