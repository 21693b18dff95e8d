// replaykit-plugin.ts: a custom matcher
import type { ReplayKitPlugin } from '@replaykit/core/engine'

export default {
  name: 'ignore-nonce',
  hooks: {
    beforeMatch: ({ request }) => {
      const url = new URL(request.url)
      url.searchParams.delete('nonce')
      return { ...request, url: url.href }
    },
    // Say which requests missed, to spot a field the matcher should normalise too.
    onMiss: ({ request, verdict }) => console.warn(`[ignore-nonce] ${verdict}: ${request.method} ${request.url}`),
  },
} satisfies ReplayKitPlugin
