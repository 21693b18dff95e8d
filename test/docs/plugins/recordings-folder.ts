// replaykit-plugin.ts: a custom store
import { basename, join } from 'node:path'
import { RpkStore } from '@replaykit/core'
import type { ReplayKitPlugin } from '@replaykit/core/engine'

// Every test file's recordings in one folder at the project root, not beside the tests.
export default {
  name: 'recordings-folder',
  store: ({ testFile }) => new RpkStore(join(process.cwd(), 'recordings', `${basename(testFile)}.rpk`)),
} satisfies ReplayKitPlugin
