import { describe, expect, test } from 'vitest'
import { replaykit } from '../src/plugin.js'
import { ReplayKitReporter } from '../src/reporter.js'

interface Hooks {
  config: () => { test: { setupFiles: string[] } }
  configureVitest: (context: unknown) => void
}

function fakeVitest(argv: string[], run: () => void): { provided: Record<string, unknown>; reporters: unknown[] } {
  const provided: Record<string, unknown> = {}
  const reporters: unknown[] = []
  const saved = process.argv
  process.argv = argv
  try {
    const plugin = replaykit({ report: 'quiet' }) as unknown as Hooks
    expect(plugin.config().test.setupFiles).toEqual(['@replaykit/vitest/setup'])
    const vitest = { config: { reporters } }
    const project = (root: string) => ({
      config: { root, setupFiles: [] as string[] },
      provide: (key: string, value: unknown) => {
        provided[`${root}:${key}`] = value
      },
    })
    plugin.configureVitest({ vitest, project: project('/a') })
    plugin.configureVitest({ vitest, project: project('/b') })
    run()
  } finally {
    process.argv = saved
  }
  return { provided, reporters }
}

describe('replaykit() plugin', () => {
  test('adds the setup file, provides the options to each project, and one reporter', () => {
    const { provided, reporters } = fakeVitest(['node', 'vitest', 'run'], () => undefined)
    expect(reporters).toHaveLength(1)
    expect(reporters[0]).toBeInstanceOf(ReplayKitReporter)
    expect(provided['/a:replaykit']).toMatchObject({ root: '/a', config: { report: 'quiet' } })
    expect(provided['/b:replaykit']).toMatchObject({ root: '/b' })
  })

  test('reads --update-replays after -- from the command line, never -u', () => {
    const update = fakeVitest(['node', 'vitest', 'run', '--', '--update-replays'], () => undefined)
    expect(update.provided['/a:replaykit']).toMatchObject({ update: 'changed' })
    const all = fakeVitest(['node', 'vitest', 'run', '--', '--update-replays=all'], () => undefined)
    expect(all.provided['/a:replaykit']).toMatchObject({ update: 'all' })
    // -u is Vitest's snapshot flag: it leaves the update policy at the environment's default
    // (new outside CI, none in CI), so both environments are pinned here.
    const savedCI = process.env.CI
    try {
      delete process.env.CI
      const local = fakeVitest(['node', 'vitest', 'run', '-u'], () => undefined)
      expect((local.provided['/a:replaykit'] as { update: string }).update).toBe('new')
      process.env.CI = 'true'
      const ci = fakeVitest(['node', 'vitest', 'run', '-u'], () => undefined)
      expect((ci.provided['/a:replaykit'] as { update: string }).update).toBe('none')
    } finally {
      if (savedCI === undefined) delete process.env.CI
      else process.env.CI = savedCI
    }
  })

  test('passes --replace-invalid after -- to the workers as REPLAYKIT_REPLACE_INVALID=1', () => {
    const saved = process.env.REPLAYKIT_REPLACE_INVALID
    delete process.env.REPLAYKIT_REPLACE_INVALID
    try {
      fakeVitest(['node', 'vitest', 'run', '--', '--update-replays'], () => undefined)
      expect(process.env.REPLAYKIT_REPLACE_INVALID).toBeUndefined()
      fakeVitest(['node', 'vitest', 'run', '--', '--update-replays', '--replace-invalid'], () => undefined)
      expect(process.env.REPLAYKIT_REPLACE_INVALID).toBe('1')
    } finally {
      if (saved === undefined) delete process.env.REPLAYKIT_REPLACE_INVALID
      else process.env.REPLAYKIT_REPLACE_INVALID = saved
    }
  })

  test('rejects bad options when the config loads', () => {
    expect(() => replaykit({ mode: 'nope' as never })).toThrow(/replaykit\(\) options in the Vitest config/)
  })
})
