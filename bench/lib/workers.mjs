/**
 * The parent side of benchmark workers (see worker-host.mjs), and the
 * side-by-side runner: contenders alternate in rounds so that a slow phase of
 * the machine (another process, a GC, thermal drift) lands on all of them.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { median } from './stats.mjs'

const HOST = fileURLToPath(new URL('./worker-host.mjs', import.meta.url))

/**
 * Start a worker process running one contender module.
 *
 * @param {string} file absolute path of the contender module
 * @param {unknown} config passed to its `setup(config)`
 * @param {{ execArgv?: string[], env?: Record<string, string> }} [options]
 */
export async function startWorker(file, config, options = {}) {
  const child = fork(HOST, [file], {
    execArgv: options.execArgv ?? [],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  /** @type {{ resolve: (value: any) => void, reject: (error: Error) => void } | undefined} */
  let waiting
  let exited = false
  child.on('message', (message) => {
    const current = waiting
    waiting = undefined
    if (!current) return
    if (message.type === 'error') current.reject(new Error(`${file}: ${message.message}`))
    else current.resolve(message)
  })
  child.on('exit', (code, signal) => {
    exited = true
    const current = waiting
    waiting = undefined
    current?.reject(new Error(`${file}: worker exited (${signal ?? `code ${code}`}) before answering`))
  })
  const ask = (message) =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error(`${file}: worker has exited`))
      waiting = { resolve, reject }
      child.send(message)
    })
  await ask({ type: 'setup', config })
  return {
    /** Mean wall and CPU ms of one iteration over a batch, and the contender's stats after it. */
    batch: async (iterations) => {
      const reply = await ask({ type: 'batch', iterations })
      return { ms: reply.msPerIteration, cpuMs: reply.cpuMsPerIteration, stats: reply.stats }
    },
    measure: async (args) => (await ask({ type: 'measure', args })).result,
    close: async () => {
      if (exited) return
      const gone = new Promise((resolve) => child.once('exit', resolve))
      await ask({ type: 'teardown' }).catch(() => undefined)
      await gone
    },
    kill: () => {
      if (!exited) child.kill()
    },
  }
}

/**
 * Run contenders side by side, in `plan.workers` sets of fresh worker processes (default 1), one set
 * after the other: in each set a warm-up batch each, then `rounds` rounds in which every contender
 * runs one batch, the order rotating each round. Samples are pooled over the sets.
 *
 * @note Why several sets: the same build, the same code and machine, gave a worker process that ran
 * its whole life at 0.58 ms a request and the next at 0.91 ms (V8's tiering and the heap's layout
 * differ from process to process), so a ratio of one process per contender moved by ±0.3 between
 * runs, more than most changes it was meant to show. A test worker is one such process; the median
 * over a few is what a suite's workers pay.
 *
 * @param {{ name: string, file: string, config: unknown }[]} contenders
 * @param {{ rounds: number, iterations: number, warmup: number, workers?: number }} plan
 * @returns {Promise<Record<string, { median: number, samples: number[], first: number, cpu: number, firstCpu: number, stats: unknown[] }>>}
 *   ms per iteration; `first`: of the warm-up batches, the first block fresh workers ran (median over
 *   the sets); `cpu`, `firstCpu`: the same in the workers' CPU time; `stats`: what the contender's
 *   `stats()` said at the end of each set
 */
export async function sideBySide(contenders, plan) {
  const samples = contenders.map(() => [])
  const cpu = contenders.map(() => [])
  const first = contenders.map(() => [])
  const firstCpu = contenders.map(() => [])
  // Each set's last `stats()` of each contender (counts since its worker started).
  const stats = contenders.map(() => [])
  const sets = plan.workers ?? 1
  for (let set = 0; set < sets; set++) {
    const workers = []
    try {
      for (const contender of contenders) workers.push(await startWorker(contender.file, contender.config))
      // The warm-up is the first block a fresh worker runs, as a test file's first tests do: kept as `first`.
      for (let i = 0; i < workers.length; i++) {
        const batch = await workers[i].batch(plan.warmup)
        first[i].push(batch.ms)
        firstCpu[i].push(batch.cpuMs)
      }
      for (let round = 0; round < plan.rounds; round++) {
        for (let k = 0; k < workers.length; k++) {
          const i = (set + round + k) % workers.length
          const batch = await workers[i].batch(plan.iterations)
          samples[i].push(batch.ms)
          cpu[i].push(batch.cpuMs)
          stats[i][set] = batch.stats
        }
      }
    } finally {
      for (const worker of workers) await worker.close().catch(() => worker.kill())
    }
  }
  const out = {}
  contenders.forEach((contender, i) => {
    out[contender.name] = {
      median: median(samples[i]),
      samples: samples[i],
      first: median(first[i]),
      cpu: median(cpu[i]),
      firstCpu: median(firstCpu[i]),
      stats: stats[i],
    }
  })
  return out
}

/** Run one contender's `measure(args)` in a fresh worker and stop it. */
export async function measureOnce(file, config, args, options = {}) {
  const worker = await startWorker(file, config, options)
  try {
    return await worker.measure(args)
  } finally {
    await worker.close().catch(() => worker.kill())
  }
}
