/**
 * Who drew a value: the code under test, or the machinery around it.
 *
 * MSW and @mswjs/interceptors make request ids with Math.random and
 * crypto.randomUUID, tough-cookie stamps cookies with new Date(), undici and
 * ReplayKit's engine read the clock. Those draws happen in different numbers
 * when recording (real network) and when replaying (answers from the tape), so
 * recording them would shift every value the code itself draws. They are
 * recognised by the file of the calling frame.
 */
import { fileURLToPath } from 'node:url'

/** Packages whose draws are never recorded. */
const MACHINERY = /[\\/]node_modules[\\/](?:msw|@mswjs|undici|@replaykit)[\\/]/
const DEPENDENCY = /[\\/]node_modules[\\/]/
/**
 * `<root>/src/determinism/x.ts`, or a bundled file of the build (`<root>/dist/<esm|cjs>/chunks/x.js`,
 * wherever the bundler put this module): captures `<root>/`, `src|dist`, `/`.
 */
const OWN_FILE = /^(.*[\\/])(?:(src)([\\/])determinism[\\/][^\\/]+|(dist)([\\/])(?:esm|cjs)[\\/].+)$/
/** Frames to look at: enough to see past a helper library or two to the code that called it. */
const FRAME_LIMIT = 10
const NEAR_FRAMES = 4

type Verdict = 'machinery' | 'dependency' | 'code'

const verdicts = new Map<string, Verdict>()
let ownRoot: string | undefined | null = null

/**
 * True when a draw made through `patched` comes from the machinery: the first
 * frame outside third-party helpers is in MSW, interceptors, undici, ReplayKit
 * or Node's internals. A helper library (in node_modules) called by the
 * machinery counts as machinery; called by the code under test, as the code.
 */
export function drawnByMachinery(patched: (...args: never[]) => unknown, site?: DrawSite): boolean {
  // Stack capture costs per frame and per capture: the nearest four decide most draws (an SDK's draw
  // after an await is SDK frame, Node's task queue, then the awaiting code); the deep look is for helpers.
  // A draw that needed the deep look last time (its site) gets it at once: one capture instead of two.
  // The verdict is the same either way: the first deciding frame of the same stack.
  const deep = site ? site.deep.has(site.ordinal) : false
  if (!deep) {
    const near = verdictOf(callerFrames(patched, NEAR_FRAMES))
    if (near !== undefined) {
      if (site) site.deep.delete(site.ordinal)
      return near
    }
  }
  const frames = callerFrames(patched, FRAME_LIMIT)
  if (site) {
    if (decidedWithin(frames, NEAR_FRAMES)) site.deep.delete(site.ordinal)
    else site.deep.add(site.ordinal)
  }
  return verdictOf(frames) ?? false
}

/**
 * Where a draw stands, to guess how deep its stack must be looked at: the `ordinal`-th draw
 * through one patched function in one capture is, test after test, the same line of the same
 * code. `deep` holds the ordinals (of that patched function) that needed the deep look last time.
 */
export interface DrawSite {
  ordinal: number
  deep: Set<number>
}

/** Whether the frames' verdict was decided by the first `count` of them (the near look would have done). */
function decidedWithin({ files }: CallerFrames, count: number): boolean {
  const near = files.slice(0, count)
  return verdictOf({ files: near, whole: false }) !== undefined
}

interface CallerFrames {
  /** File names of the calling frames, nearest first (builtins, which have none, left out). */
  files: string[]
  /** True when these are all the frames there are. */
  whole: boolean
}

/** True: machinery; false: the code under test; undefined: only helper libraries in the frames seen so far. */
function verdictOf({ files, whole }: CallerFrames): boolean | undefined {
  for (const file of files) {
    const verdict = classify(file)
    if (verdict === 'machinery') return true
    if (verdict === 'code') return false
  }
  return whole ? false : undefined
}

function callerFrames(patched: (...args: never[]) => unknown, frames: number): CallerFrames {
  const limit = Error.stackTraceLimit
  const prepare = Error.prepareStackTrace
  const holder: { stack?: unknown } = {}
  try {
    Error.stackTraceLimit = frames
    Error.prepareStackTrace = (_error, sites) => sites
    Error.captureStackTrace(holder, patched)
    // V8 formats lazily: read the stack before putting prepareStackTrace back.
    const sites = (holder.stack as NodeJS.CallSite[] | undefined) ?? []
    const files: string[] = []
    for (const site of sites) {
      const file = site.getFileName()
      if (file) files.push(file)
    }
    return { files, whole: sites.length < frames }
  } finally {
    Error.prepareStackTrace = prepare
    Error.stackTraceLimit = limit
  }
}

function classify(file: string): Verdict {
  let verdict = verdicts.get(file)
  if (verdict) return verdict
  if (file.startsWith('node:internal/deps/')) {
    // Node's bundled undici and friends: the transport, drawing differently live and replayed.
    verdict = 'machinery'
  } else if (file.startsWith('node:')) {
    // Other Node frames only pass a call on (node:crypto's getRandomValues wrapper) or resume one
    // (node:internal/process/task_queues after an await): whoever is further up decides. Treating
    // them as machinery made an SDK's draw recorded or not depending on whether it ran before or
    // after an await.
    verdict = 'dependency'
  } else {
    const path = toPath(file)
    const root = ownFolder()
    if (MACHINERY.test(path) || (root !== undefined && path.startsWith(root))) verdict = 'machinery'
    else verdict = DEPENDENCY.test(path) ? 'dependency' : 'code'
  }
  // Bounded: file names are few, but eval'd code can make new ones.
  if (verdicts.size > 2_000) verdicts.clear()
  verdicts.set(file, verdict)
  return verdict
}

function toPath(file: string): string {
  if (!file.startsWith('file:')) return file
  try {
    return fileURLToPath(file)
  } catch {
    return file
  }
}

/**
 * The folder holding ReplayKit core's own code, found from this module's own
 * file (no `import.meta` here: the package is also compiled to CommonJS):
 * `…/core/src/` in the repository, `…/core/dist/` when built (both builds, bundled).
 */
function ownFolder(): string | undefined {
  if (ownRoot !== null) return ownRoot
  // The nearest frame left is classify(), in this very file.
  const self = callerFrames(ownFolder, 1).files[0]
  ownRoot = self === undefined ? undefined : ownFolderOf(toPath(self))
  return ownRoot
}

/** The folder of core's own code that `file` (this module's file, in the sources or a build) lies in. */
export function ownFolderOf(file: string): string | undefined {
  const match = OWN_FILE.exec(file)
  return match ? `${match[1]}${match[2] ?? match[4]}${match[3] ?? match[5]}` : undefined
}
