/**
 * A gateway in a process of its own, as `replaykit listen` runs it: the benchmark's client and
 * the gateway must not share an event loop, or the client's own work would count as the
 * gateway's. Started with `fork(gateway-host.mjs)`; the first IPC message is the
 * GatewayOptions, answered with `{ type: 'ready', url }`; `{ type: 'status' }` answers the
 * GatewayStatus with the process's memory; `{ type: 'close' }` answers the summary and exits.
 */
import { startGateway } from '@replaykit/core/gateway'

let gateway
process.on('message', async (message) => {
  try {
    if (message.type === 'start') {
      gateway = await startGateway(message.options)
      process.send({ type: 'ready', url: gateway.url })
    } else if (message.type === 'status') {
      globalThis.gc?.()
      process.send({ type: 'status', status: gateway.status(), memory: process.memoryUsage() })
    } else if (message.type === 'close') {
      const summary = await gateway.close()
      process.send({ type: 'closed', summary }, () => process.exit(0))
    }
  } catch (error) {
    process.send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  }
})
