/**
 * The last check before runs are written: a run in which a value still looks
 * like a credential after redaction is refused, alone. The file's other runs
 * are written as usual, and the error names the test, the JSON path of the
 * value and the pattern, never the value, with a redaction rule that removes it.
 *
 * @note Only recorded content is scanned: the run's own name (the test's name)
 * is written by ReplayKit itself and is no secret, like the file's metadata.
 */
import { formatJsonPath, type PathSegment } from '../artifact/json-path.js'
import { scanForSecret } from '../artifact/secret-scan.js'
import type { JsonValue, Run } from '../artifact/types.js'
import { SecretDetectedError } from '../errors/classes.js'
import type { ReplayKitError } from '../errors.js'
import { SECRET_PATTERNS } from '../redact/patterns.js'

/** Where a run holds something that looks like a credential. */
export interface SecretHit {
  /** The run's key (full test name and counter). */
  key: string
  /** JSON path in the run, e.g. `$.steps[1].response.body.json.token`. */
  path: string
  /** Name of the secret pattern that matched. */
  pattern: string
}

/** What `screenRuns` keeps and what it refuses. */
export interface Screened {
  kept: Map<string, Run>
  /** One error for every refused run; undefined when none was. */
  error?: ReplayKitError
  refused: string[]
}

/**
 * Split the runs about to be written into those without a secret and the refused ones.
 *
 * @example const { kept, error } = screenRuns(pending, rpkPath)
 */
export function screenRuns(runs: ReadonlyMap<string, Run>, rpkPath: string): Screened {
  const kept = new Map<string, Run>()
  const hits: SecretHit[] = []
  for (const [key, run] of runs) {
    const hit = findInRun(run)
    if (hit) hits.push({ key, ...hit })
    else kept.set(key, run)
  }
  if (hits.length === 0) return { kept, refused: [] }
  return { kept, refused: hits.map((hit) => hit.key), error: refusal(hits, rpkPath) }
}

/** The first value in a run's recorded content that looks like a credential. */
export function findInRun(run: Run): { path: string; pattern: string } | undefined {
  const { name: _ownName, ...recorded } = run
  return findInValue(recorded as unknown as JsonValue, [])
}

function findInValue(value: JsonValue, path: PathSegment[]): { path: string; pattern: string } | undefined {
  if (typeof value === 'string') {
    const hit = scanString(value)
    return hit ? { path: formatJsonPath(path), pattern: hit } : undefined
  }
  if (value === null || typeof value !== 'object') return undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i)
      const hit = findInValue(value[i] as JsonValue, path)
      path.pop()
      if (hit) return hit
    }
    return undefined
  }
  for (const key of Object.keys(value)) {
    path.push(key)
    const inName = scanString(key)
    const hit = inName ? { path: formatJsonPath(path), pattern: inName } : findInValue(value[key] as JsonValue, path)
    path.pop()
    if (hit) return hit
  }
  return undefined
}

/** A string as read and as written (JSON escaping can complete a pattern). */
function scanString(text: string): string | undefined {
  const found = scanForSecret(text)
  if (found) return found.name
  const escaped = JSON.stringify(text)
  return escaped.length === text.length + 2 ? undefined : scanForSecret(escaped)?.name
}

function refusal(hits: readonly SecretHit[], rpkPath: string): ReplayKitError {
  const lines = hits.map((hit) => `"${hit.key}" at ${hit.path} (looks like a ${hit.pattern})`)
  const patterns = [...new Set(hits.map((hit) => hit.pattern))]
  const rule = patterns
    .map((name) => SECRET_PATTERNS.find((p) => p.name === name)?.pattern)
    .filter((pattern): pattern is RegExp => pattern !== undefined)
    .map((pattern) => `/${pattern.source}/`)
  return new SecretDetectedError(
    `Failed to record ${hits.length === 1 ? 'a run' : `${hits.length} runs`}: a value still looks like a credential after redaction, so ${
      hits.length === 1 ? 'this run was' : 'these runs were'
    } not written (the file's other runs were): ${lines.join('; ')}.`,
    {
      file: rpkPath,
      hint: `add this rule to the capture or plugin config and run the test again: redact: { patterns: [${rule.join(', ')}] } (a policy hook that keeps the value overrides it: let it return undefined there).`,
    },
  )
}
