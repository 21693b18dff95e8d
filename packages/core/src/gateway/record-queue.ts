/**
 * The gateway's recording work, taken off the relay's path: each finished
 * exchange is recorded (its steps built, screened, serialised and appended; a
 * stream's events were parsed and redacted as they arrived) by one job of this queue, one job (or a few short ones) per turn
 * of the event loop, with the sockets' I/O served between jobs.
 *
 * Why: 32 streams that end together used to be recorded back to back on the
 * event loop (a 100-event stream costs 2–5 ms), and every chunk of every
 * other stream waited behind all of them: the worst gap between two chunks
 * grew by 60 to 220 ms (benchmark 12). Now a chunk waits for one job at most.
 *
 * Durability is unchanged: a job runs before its response is ended (the job
 * ends it last, or the caller once the job has settled), so a client that has
 * a whole answer finds it in the artifact even after a `kill -9`.
 *
 * @note One queue per process, not per gateway: what it shares out is the
 * process's one event loop.
 */

/** Jobs run back to back until this much time is spent; then the sockets get a turn. */
const SLICE_MS = 1

/**
 * How long the queue waits for a job that awaits something (a compressed body's last bytes,
 * decoded on libuv's pool) before it runs the next one: a job that never settles must not hold
 * every later exchange's response (a capture-path fault never breaks the client).
 */
const JOB_WAIT_MS = 2_000

type Job = () => unknown

interface Queued {
  job: Job
  resolve: () => void
}

export class RecordQueue {
  private readonly jobs: Queued[] = []
  private scheduled = false

  constructor(private readonly waitMs: number = JOB_WAIT_MS) {}

  /**
   * Run `job` in its turn; resolves once it has settled (or thrown: a recording fault is the
   * job's to report, and must not hold up the client's response or the jobs after it).
   */
  run(job: Job): Promise<void> {
    return new Promise((resolve) => {
      this.jobs.push({ job, resolve })
      this.schedule()
    })
  }

  /** Jobs waiting for their turn. */
  get pending(): number {
    return this.jobs.length
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    // setImmediate, not a microtask: the I/O already read in this turn (other streams' chunks) is relayed first.
    setImmediate(() => void this.drain())
  }

  private async drain(): Promise<void> {
    const started = performance.now()
    try {
      while (this.jobs.length > 0) {
        const next = this.jobs.shift() as Queued
        const settled = settle(next.job)
        void settled.then(next.resolve)
        await atMost(settled, this.waitMs)
        if (performance.now() - started >= SLICE_MS) break
      }
    } finally {
      this.scheduled = false
      if (this.jobs.length > 0) this.schedule()
    }
  }
}

export const recordQueue: RecordQueue = new RecordQueue()

/** Run `job`; resolves once it has settled, whether it returned, threw or rejected (the job reports its own faults). */
function settle(job: Job): Promise<void> {
  try {
    return Promise.resolve(job()).then(
      () => undefined,
      () => undefined,
    )
  } catch {
    return Promise.resolve()
  }
}

/** `promise`, or `ms` later, whichever comes first. */
function atMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}
