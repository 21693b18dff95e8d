/**
 * A benchmark worker: a child process that loads one contender module and
 * runs it on request, so each contender's global patches (MSW, nock,
 * ReplayKit's interceptor) live in a process of their own and cannot answer
 * for another contender.
 *
 * The contender module exports `setup(config)`, which returns
 * `{ iteration?, measure?, teardown? }`. Messages from the parent:
 * - `{ type: 'setup', config }` → `{ type: 'ready' }`
 * - `{ type: 'batch', iterations }` → `{ type: 'batch', msPerIteration, cpuMsPerIteration, stats }`: mean wall
 *   and CPU time of one iteration, and what the contender's optional `stats()` returns
 * - `{ type: 'measure', args }` → `{ type: 'measure', result }`: whatever `measure(args)` returns
 * - `{ type: 'teardown' }` → `{ type: 'done' }`, then the worker exits
 */
import { pathToFileURL } from 'node:url'

const contender = await import(pathToFileURL(process.argv[2]).href)
let state

process.on('message', async (message) => {
  try {
    if (message.type === 'setup') {
      state = await contender.setup(message.config)
      reply({ type: 'ready' })
    } else if (message.type === 'batch') {
      const { iteration } = state
      const started = performance.now()
      const cpu = process.cpuUsage()
      for (let i = 0; i < message.iterations; i++) await iteration()
      const used = process.cpuUsage(cpu)
      reply({
        type: 'batch',
        msPerIteration: (performance.now() - started) / message.iterations,
        // CPU time of this process (user + system): unlike wall time, not stretched while the machine is busy.
        cpuMsPerIteration: (used.user + used.system) / 1000 / message.iterations,
        stats: state.stats?.(),
      })
    } else if (message.type === 'measure') {
      reply({ type: 'measure', result: await state.measure(message.args) })
    } else if (message.type === 'teardown') {
      await state?.teardown?.()
      reply({ type: 'done' })
      process.disconnect()
    }
  } catch (error) {
    reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  }
})

function reply(message) {
  process.send?.(message)
}
