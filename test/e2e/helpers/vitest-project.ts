/**
 * The Vitest user project most e2e files start from: the packed
 * `@replaykit/vitest` with the plugin in `vitest.config.ts`, the OpenAI agent
 * in `src/agent.ts`, and a fake provider that each test starts fresh.
 *
 * Registers its own hooks (call it at the top of a test file); the project and
 * the provider exist from the file's first `beforeAll` on.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../../utils/fake-provider.js'
import { OPENAI_AGENT } from './agents.js'
import { createProject, type RunResult, type TempProject } from './project.js'

const VITEST = 'node_modules/vitest/vitest.mjs'

export interface VitestProject {
  readonly project: TempProject
  readonly fake: FakeProvider
  /** `vitest run <args>` in the project, with `FAKE_URL` set; CI and other variables only as given. */
  vitest(args: string[], env?: Record<string, string>): Promise<RunResult>
}

export interface VitestProjectOptions {
  /** More third-party packages the project uses (linked from the repository's node_modules), e.g. `{ msw: '^3.0.5' }`. */
  devDependencies?: Record<string, string>
  /** Options of the fake provider, e.g. `{ freshIds: true }` to answer with new ids on every call. */
  fake?: FakeProviderOptions
}

export function useVitestProject(name: string, options: VitestProjectOptions = {}): VitestProject {
  let fake: FakeProvider | undefined
  let project: TempProject | undefined
  beforeAll(async () => {
    fake = await startFakeProvider(options.fake)
    project = createProject({
      name,
      packageJson: {
        type: 'module',
        devDependencies: { vitest: '^5.1.1', ...options.devDependencies, '@replaykit/vitest': '0.1.0' },
      },
      packages: ['@replaykit/core', '@replaykit/vitest'],
    })
    project.write('src/agent.ts', OPENAI_AGENT)
    project.write(
      'vitest.config.ts',
      `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit()] })
`,
    )
  })
  afterAll(async () => {
    project?.dispose()
    await fake?.close()
  })
  beforeEach(() => fake?.reset())
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('useVitestProject: the project is made in beforeAll; use it in a hook or a test')
    return value
  }
  return {
    get project() {
      return ready(project)
    },
    get fake() {
      return ready(fake)
    },
    vitest(args, env = {}) {
      const p = ready(project)
      return p.run(VITEST, ['run', ...args], { FAKE_URL: ready(fake).url, ...env })
    },
  }
}
