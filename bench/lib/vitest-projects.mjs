/**
 * The two generated Vitest projects of benchmark 5: the same tests, one
 * replaying through @replaykit/vitest, one answered by hand-written MSW
 * handlers. They live under bench/results/ (git-ignored) so that `openai`,
 * `msw` and `vitest` resolve from the repository's node_modules, exactly as in
 * a user's project; the ReplayKit project gets its own installed copy of the
 * built packages (see installPackages).
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGES = fileURLToPath(new URL('../../packages/', import.meta.url))

const AGENT = `import OpenAI from 'openai'

let client

/** One chat completion, buffered or streamed: the code under test. */
export async function ask(question, stream) {
  // Made on first use, after MSW's \`server.listen()\` has patched fetch: the SDK keeps the fetch it is given.
  client ??= new OpenAI({ apiKey: 'sk-bench-not-a-key', baseURL: \`\${process.env.FAKE_URL}/v1\`, maxRetries: 0 })
  const messages = [
    { role: 'system', content: 'You are a terse weather assistant.' },
    { role: 'user', content: question },
  ]
  if (!stream) {
    const completion = await client.chat.completions.create({ model: 'gpt-fake', messages })
    return completion.choices[0].message.content
  }
  const chunks = await client.chat.completions.create({ model: 'gpt-fake', messages, stream: true })
  let text = ''
  for await (const chunk of chunks) text += chunk.choices[0]?.delta?.content ?? ''
  return text
}
`

/** Every fourth test streams its answer. */
const testsOf = (file, tests) =>
  Array.from({ length: tests }, (_, t) => ({
    question: `question ${file}-${t}: weather in city ${t}?`,
    stream: t % 4 === 3,
  }))

const replaykitTest = (file, tests) => `import { capture } from '@replaykit/vitest'
import { describe, expect, test } from 'vitest'
import { ask } from '../src/agent.mjs'

const cases = ${JSON.stringify(testsOf(file, tests))}

describe('suite ${file}', () => {
  for (const { question, stream } of cases) {
    test(question, async () => {
      const run = await capture(() => ask(question, stream))
      expect(run).toMatchReplay()
      expect(run.value).toContain('42')
    })
  }
})
`

const mswTest = (file, tests) => `import { readFileSync } from 'node:fs'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ask } from '../src/agent.mjs'

const bodies = JSON.parse(readFileSync(new URL('./bodies/suite-${file}.json', import.meta.url), 'utf8'))
const encoder = new TextEncoder()
const server = setupServer(
  http.post('*/chat/completions', async ({ request }) => {
    const body = await request.json()
    const answer = bodies[body.messages.at(-1).content]
    if (!body.stream) return HttpResponse.json(JSON.parse(answer.text))
    const events = answer.text.split(/(?<=\\n\\n)/)
    const stream = new ReadableStream({
      start(controller) {
        for (const event of events) controller.enqueue(encoder.encode(event))
        controller.close()
      },
    })
    return new HttpResponse(stream, { headers: { 'content-type': answer.contentType } })
  }),
)
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }))
afterAll(() => server.close())

const cases = ${JSON.stringify(testsOf(file, tests))}

describe('suite ${file}', () => {
  for (const { question, stream } of cases) {
    test(question, async () => {
      const value = await ask(question, stream)
      expect(value).toContain('42')
    })
  }
})
`

// @note The transform cache (fsModuleCache) lives in the project, not in the repository's node_modules,
// which every Vitest run of the repository shares: its entries are keyed by file path and content, not
// by how imports resolved, so a test file cached when @replaykit/vitest resolved elsewhere would keep
// importing that other copy. Both projects start cold and are warmed by the runs before the timed ones.
const config = (
  plugin,
) => `${plugin ? "import replaykit from '@replaykit/vitest'\n" : ''}import { defineConfig } from 'vitest/config'

export default defineConfig({
  ${plugin ? 'plugins: [replaykit()],\n  ' : ''}cacheDir: '.vite-cache',
  test: { include: ['test/**/*.test.mjs'], fsModuleCachePath: '.vite-cache/modules' },
})
`

/**
 * Write both projects under `root` (replacing what was there).
 *
 * @returns {{ replaykit: string, msw: string, fileNames: string[] }}
 */
export function writeProjects(root, { files, tests }) {
  rmSync(root, { recursive: true, force: true })
  const fileNames = Array.from({ length: files }, (_, i) => String(i + 1).padStart(2, '0'))
  const projects = { replaykit: join(root, 'replaykit'), msw: join(root, 'msw') }
  for (const [kind, dir] of Object.entries(projects)) {
    mkdirSync(join(dir, 'src'), { recursive: true })
    mkdirSync(join(dir, 'test', 'bodies'), { recursive: true })
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: `bench-${kind}`, private: true, type: 'module' })}\n`,
    )
    writeFileSync(join(dir, 'vitest.config.mjs'), config(kind === 'replaykit'))
    writeFileSync(join(dir, 'src', 'agent.mjs'), AGENT)
    for (const name of fileNames) {
      const source = kind === 'replaykit' ? replaykitTest(name, tests) : mswTest(name, tests)
      writeFileSync(join(dir, 'test', `suite-${name}.test.mjs`), source)
    }
  }
  installPackages(projects.replaykit, ['core', 'vitest-plugin'])
  return { ...projects, fileNames }
}

/**
 * Put built workspace packages into a project's node_modules as `npm install`
 * leaves a published one: a real folder holding package.json and the files it
 * publishes. Their own dependencies still resolve from the repository.
 *
 * @note Not the workspace symlinks: those resolve to packages/*, outside any
 * node_modules, so Vitest inlines ReplayKit instead of leaving it to Node: Vite
 * transforms every file of its dist and each test worker evaluates them through
 * Vitest's module runner, a cost no installed copy pays. A copy also keeps the
 * timed runs on one build while the packages are rebuilt.
 */
function installPackages(project, folders) {
  for (const folder of folders) {
    const from = join(PACKAGES, folder)
    const manifest = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'))
    const to = join(project, 'node_modules', ...manifest.name.split('/'))
    for (const entry of ['package.json', ...manifest.files])
      cpSync(join(from, entry), join(to, entry), { recursive: true })
  }
}
