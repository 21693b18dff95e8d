// replaykit-plugin.ts: a redaction policy
import type { Run } from '@replaykit/core'
import type { ReplayKitPlugin } from '@replaykit/core/engine'

function dropEmails(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropEmails)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, key === 'email' ? '[REDACTED:email]' : dropEmails(inner)]),
    )
  }
  return value
}

export default {
  name: 'redact-emails',
  hooks: { beforeWrite: ({ run }) => dropEmails(run) as Run },
} satisfies ReplayKitPlugin
