/**
 * A user's own MSW server started the usual way, through the real `vitest`
 * binary with the packed packages: `listen()` in `beforeEach` and `close()` in
 * `afterEach` with back-to-back tests, and `listen()` first called in a later
 * test. Each time the user's server subscribes after ReplayKit's interception
 * (installed by the first capture): their handler must still answer first, the
 * recording must hold only the provider traffic, and the CI replay must pass.
 */
import { beforeAll, expect, test } from 'vitest'
import type { TempProject } from './helpers/project.js'
import { useVitestProject } from './helpers/vitest-project.js'

const e2e = useVitestProject('vitest-user-msw', { devDependencies: { msw: '^3.0.5' } })
let project: TempProject
const vitest = e2e.vitest

beforeAll(() => {
  project = e2e.project
  project.write(
    'src/profile.ts',
    `export async function withProfile(question: string) {
  const profile = await (await fetch('http://user.test/profile')).json()
  return { profile, answer: await askAgent(question) }
}
import { askAgent } from './agent.js'
`,
  )
  project.write(
    'test/mocks.ts',
    `import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
export const server = setupServer(http.get('http://user.test/profile', () => HttpResponse.json({ name: 'mocked' })))
`,
  )
})

const CASE = (name: string) => `test('${name}', async () => {
  const run = await capture(() => withProfile('What is the weather in Oslo?'))
  expect(run).toMatchReplay()
  expect(run.value.profile).toEqual({ name: 'mocked' })
})`

function write(name: string, body: string): string {
  const file = `test/${name}.test.ts`
  project.write(
    file,
    `import { capture } from '@replaykit/vitest'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { withProfile } from '../src/profile.js'
import { server } from './mocks.js'

${body}
`,
  )
  return file
}

async function recordThenReplay(file: string, name: string): Promise<void> {
  const recorded = await vitest([file])
  expect(recorded.code, recorded.output).toBe(0)
  const rpk = project.read(`test/__snapshots__/${name}.test.ts.rpk`)
  expect(rpk).not.toContain('RPK_NO_RESPONSE')
  expect(rpk).not.toContain('user.test')
  const replayed = await vitest([file], { CI: '1' })
  expect(replayed.code, replayed.output).toBe(0)
}

test('listen() in beforeEach and close() in afterEach, tests back to back: recorded right, CI replay passes', async () => {
  const file = write(
    'each',
    `beforeEach(() => server.listen({ onUnhandledFrame: 'bypass' }))
afterEach(() => server.close())
${CASE('first')}
${CASE('second')}
${CASE('third')}`,
  )
  await recordThenReplay(file, 'each')
})

test('listen() first called in a later test: recorded right, CI replay passes', async () => {
  const file = write(
    'later',
    `test('before the server', async () => {
  const run = await capture(() => fetch(process.env.FAKE_URL + '/v1/models').then((r) => r.status))
  expect(run).toMatchReplay()
})
test('with the server', async () => {
  server.listen({ onUnhandledFrame: 'bypass' })
  try {
    const run = await capture(() => withProfile('What is the weather in Oslo?'))
    expect(run).toMatchReplay()
    expect(run.value.profile).toEqual({ name: 'mocked' })
  } finally {
    server.close()
  }
})`,
  )
  await recordThenReplay(file, 'later')
})
