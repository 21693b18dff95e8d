/**
 * A pattern's source that fast-check's `stringMatching` can generate values
 * from: it knows no look-arounds, so the guards are dropped (a look-behind for
 * a run's first character, the bearer rule's placeholder guard) or written out
 * as text (the URL credentials' scheme before and `@` after).
 */
export function generableSource(source: string): string {
  return source
    .replace('(?!\\[REDACTED)', '')
    .replace(/\(\?<!\[[^\]]*\]\)/g, '')
    .replace(/^\(\?<=(.*?:\\\/\\\/)\)/, '$1')
    .replace('(?=@)', '@')
}
