/**
 * JSON paths as users read them in reports: `$.runs["agent 1"].steps[3].kind`.
 * Identifier-like keys use dot notation, anything else bracket notation.
 */
export type PathSegment = string | number

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

export function formatJsonPath(segments: readonly PathSegment[]): string {
  let out = '$'
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (IDENTIFIER.test(segment)) out += `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

/** Segments of a JSON Pointer (`/runs/a~1b/steps/0`), numbers for array-looking parts. */
export function pointerSegments(pointer: string): PathSegment[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9]\d*)$/.test(part) ? Number(part) : part))
}
