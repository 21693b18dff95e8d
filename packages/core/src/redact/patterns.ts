/**
 * Secret patterns, after gitleaks' rules, loosened to catch test keys too.
 * Used twice: to redact bodies and stream events before anything is stored,
 * and to scan every artifact right before it is written (a hit refuses the write).
 */
export interface SecretPattern {
  /** Short name used in placeholders and messages: never the secret itself. */
  name: string
  pattern: RegExp
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { name: 'anthropic-key', pattern: /sk-ant-[a-z]+\d{2}-[A-Za-z0-9_-]{20,}/g },
  { name: 'openai-key', pattern: /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { name: 'google-api-key', pattern: /AIza[\w-]{35}/g },
  { name: 'google-oauth-token', pattern: /ya29\.[\w-]+/g },
  { name: 'github-pat', pattern: /github_pat_\w{82}/g },
  { name: 'github-token', pattern: /gh[pousr]_[0-9A-Za-z]{36}/g },
  { name: 'aws-access-key', pattern: /(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}/g },
  { name: 'jwt', pattern: /ey[A-Za-z0-9]{17,}\.ey[A-Za-z0-9/\\_-]{17,}\.[A-Za-z0-9/\\_-]{10,}={0,2}/g },
  { name: 'huggingface-token', pattern: /hf_[A-Za-z]{34}/g },
  { name: 'slack-token', pattern: /xox[baprs]-[0-9A-Za-z-]{10,}/g },
  {
    name: 'private-key',
    pattern: /-----BEGIN[ A-Z]*PRIVATE KEY-----[\s\S]*?-----END[ A-Z]*PRIVATE KEY-----/g,
  },
  // Bearer tokens last: the placeholder of an earlier rule must not be caught again.
  { name: 'bearer-token', pattern: /Bearer\s+(?!\[REDACTED)[A-Za-z0-9._~+/=-]{8,}/g },
]

/** The first secret found in a text, by pattern name and offset; undefined when clean. */
export function findSecret(
  text: string,
  patterns: readonly SecretPattern[] = SECRET_PATTERNS,
): { name: string; index: number } | undefined {
  for (const { name, pattern } of patterns) {
    pattern.lastIndex = 0
    const match = pattern.exec(text)
    if (match) return { name, index: match.index }
  }
  return undefined
}
