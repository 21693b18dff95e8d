/**
 * The public surface of @replaykit/core, entry by entry (issue 11), checked by
 * `npm run typecheck` (tsc over test/): a name moved to the wrong entry, or a
 * changed signature, fails the typecheck.
 */

import type { RpkFile, Run, RunComparison, RunPair, Step, TimelineRow } from '@replaykit/core'
import * as root from '@replaykit/core'
import * as engine from '@replaykit/core/engine'
import * as errors from '@replaykit/core/errors'
import * as gateway from '@replaykit/core/gateway'
import * as node from '@replaykit/core/node'
import * as runner from '@replaykit/core/runner'
import { expectTypeOf, test } from 'vitest'

test('the root: format, diff, timeline rows, run pairing, errors; no engine', () => {
  expectTypeOf(root.parseRpk).returns.toEqualTypeOf<RpkFile>()
  expectTypeOf(root.compareRuns).parameter(0).toEqualTypeOf<Run>()
  expectTypeOf(root.compareRuns).returns.toEqualTypeOf<RunComparison>()
  expectTypeOf(root.timelineRow).toEqualTypeOf<(step: Step, urls: Map<string, string>) => TimelineRow>()
  expectTypeOf(root.pairRuns).returns.toEqualTypeOf<RunPair[]>()
  expectTypeOf(root.selectRuns).returns.toEqualTypeOf<Array<[string, Run]>>()
  expectTypeOf(root.MODES).toMatchTypeOf<readonly root.Mode[]>()
  expectTypeOf(root.ReplayKitError).toEqualTypeOf(errors.ReplayKitError)
  // @ts-expect-error: the engine is not in the root (it loads msw)
  void root.runCapture
  // @ts-expect-error: blockNetwork is in @replaykit/core/node
  void root.blockNetwork
  // @ts-expect-error: the runner SPI is in @replaykit/core/runner
  void root.assertReplay
})

test('engine, node and runner', () => {
  expectTypeOf(engine.runCapture).returns.resolves.toMatchTypeOf<root.CaptureResult<unknown>>()
  expectTypeOf(node.blockNetwork).returns.toEqualTypeOf<() => void>()
  expectTypeOf(node.BLOCK_ENV).toBeString()
  expectTypeOf(runner.emitReport).parameter(0).toEqualTypeOf<runner.EmitReportInput>()
  expectTypeOf(runner.emitReport).returns.toEqualTypeOf<string | undefined>()
  expectTypeOf(runner.finalAttempts).returns.toEqualTypeOf<root.ReplayEntry[]>()
})

test('gateway: startGateway and gatewayEnv, the interface shared with the CLI', () => {
  expectTypeOf(gateway.startGateway).parameter(0).toEqualTypeOf<gateway.GatewayOptions>()
  expectTypeOf(gateway.startGateway).returns.resolves.toEqualTypeOf<gateway.Gateway>()
  expectTypeOf<ReturnType<gateway.Gateway['close']>>().resolves.toEqualTypeOf<gateway.GatewaySummary>()
  expectTypeOf(gateway.gatewayEnv).returns.toEqualTypeOf<{
    url: string
    env: Record<string, string>
    codexArgs: string[]
  }>()
  expectTypeOf<gateway.GatewayStatus['mode']>().toEqualTypeOf<
    'live' | 'replay-strict' | 'replay-hybrid' | 'synthetic'
  >()
  expectTypeOf(new errors.PortInUseError('x').code).toEqualTypeOf<root.ReplayKitErrorCode>()
  // @ts-expect-error: the gateway is its own entry
  void root.startGateway
})

test('plugins: in the engine entry, by module path; not in the root', () => {
  expectTypeOf(engine.loadPlugins).parameters.toEqualTypeOf<[paths: readonly string[], root: string]>()
  expectTypeOf(engine.loadPlugins).returns.resolves.toEqualTypeOf<engine.ReplayKitPlugin[]>()
  expectTypeOf<engine.PluginHooks['beforeWrite']>().toMatchTypeOf<
    ((event: engine.BeforeWriteEvent) => unknown) | undefined
  >()
  expectTypeOf(new errors.PluginError('x').code).toEqualTypeOf<root.ReplayKitErrorCode>()
  // @ts-expect-error: plugins run code: the engine entry, not the side-effect-free root
  void root.loadPlugins
  const plugin = {
    name: 'p',
    hooks: { beforeWrite: ({ run }: engine.BeforeWriteEvent) => run },
  } satisfies engine.ReplayKitPlugin
  void plugin
})

test('errors: one class per code, each a ReplayKitError with its code', () => {
  expectTypeOf<root.ReplayKitErrorCode>().toEqualTypeOf<(typeof errors.ERROR_CODES)[number]>()
  expectTypeOf(new errors.HashMismatchError('x')).toMatchTypeOf<errors.ReplayKitError>()
  expectTypeOf(new errors.UsageError('x', { hint: 'y', file: '--run' }).code).toEqualTypeOf<root.ReplayKitErrorCode>()
  expectTypeOf(errors.ERROR_CLASSES).toHaveProperty('RPK_WRITE_FAILED')
  // @ts-expect-error: a code that was never raised is gone
  void errors.ERROR_CLASSES.RPK_BAD_SIGNATURE
})
