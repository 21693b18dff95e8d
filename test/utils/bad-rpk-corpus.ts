/**
 * The bad-file corpus: one `.rpk` per way a recording can be broken, each with
 * the error code loading it must give. Generated deterministically (nothing
 * committed); the large ones are made when a test asks for them.
 *
 * Shared by the CLI corpus test (packages/cli/test/bad-rpk-corpus.test.ts) and
 * the runner tests of update, strict and local runs: `make(path)` puts the
 * broken thing at exactly `path` (a file, a folder or a symlink), so a caller
 * can place it at `__snapshots__/<test file>.rpk`.
 *
 * @example
 * for (const entry of badRpkCorpus()) { entry.make(join(dir, `${entry.slug}.rpk`)); … expect(code).toBe(entry.expectedCode) }
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { type Body, buildRpk, type RpkFile, type Run, SCHEMA_VERSION, type Step, serializeRpk } from '@replaykit/core'

export interface BadRpk {
  /** What is wrong, in words. */
  name: string
  /** File-name-safe name. */
  slug: string
  /** The ReplayKitError code loading it must give. */
  expectedCode: string
  /** Text the error message contains (besides the file name). */
  says: string
  /** Put the broken file (or folder, or symlink) at `path`; its parent folder is created. */
  make: (path: string) => void
  /** True when a command that exists to fix this (rehash, for a hash mismatch) may change it. */
  fixableByRehash?: boolean
}

const BLOB = `sha256:${'ab'.repeat(32)}`

/** A run with every body and stream form, so each mutation has something to break. */
export function corpusRun(overrides: { steps?: Step[] } = {}): Run {
  const steps: Step[] = overrides.steps ?? [
    {
      kind: 'model.request',
      seq: 0,
      correlationId: 'x1',
      provider: 'openai',
      endpoint: 'chat.completions',
      model: 'gpt-4o-mini',
      stream: true,
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:4010/v1/chat/completions',
        headers: { 'content-type': 'application/json' },
        body: { json: { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] } },
      },
    },
    {
      kind: 'model.response',
      seq: 1,
      correlationId: 'x1',
      provider: 'openai',
      text: 'Hello',
      response: {
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        stream: {
          format: 'sse',
          completion: 'clean',
          events: [{ json: { choices: [{ delta: { content: 'Hello' } }] } }, { data: '[DONE]' }],
        },
      },
    },
    {
      kind: 'http.request',
      seq: 2,
      correlationId: 'x2',
      request: { method: 'GET', url: 'http://127.0.0.1:4011/logo.png', headers: {} },
    },
    {
      kind: 'http.response',
      seq: 3,
      correlationId: 'x2',
      response: { status: 200, headers: { 'content-type': 'image/png' }, body: { base64: 'iVBORw0KGgo=' } },
    },
    {
      kind: 'http.request',
      seq: 4,
      correlationId: 'x3',
      request: { method: 'GET', url: 'http://127.0.0.1:4011/large', headers: {} },
    },
    {
      kind: 'http.response',
      seq: 5,
      correlationId: 'x3',
      response: { status: 200, headers: { 'content-type': 'text/plain' }, body: { blob: BLOB } },
    },
  ]
  return { name: 'corpus', index: 1, outcome: { type: 'return', value: 'Hello' }, steps }
}

/** The good file every text mutation starts from: written by ReplayKit's own writer. */
export function goodRpk(run: Run = corpusRun(), blobs: Record<string, Body> = { [BLOB]: { text: 'large' } }): RpkFile {
  return buildRpk({ runs: { 'corpus 1': run }, blobs, source: 'corpus.test.ts' }, new Date(0))
}

export function goodRpkText(): string {
  return serializeRpk(goodRpk())
}

/** The version line of a file this ReplayKit writes, and a minor version newer than it. */
const VERSION_LINE = `"schemaVersion": "${SCHEMA_VERSION}"`
const NEXT_MINOR = `${SCHEMA_VERSION.split('.')[0]}.${Number(SCHEMA_VERSION.split('.')[1]) + 1}.0`

function put(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, data)
}

function text(edit: (good: string) => string): (path: string) => void {
  return (path) => {
    const good = goodRpkText()
    const out = edit(good)
    if (out === good) throw new Error('bad-rpk-corpus: the edit changed nothing')
    put(path, out)
  }
}

/** A file written by ReplayKit's writer (so the hash matches) whose content breaks a replay rule. */
function content(edit: (run: Run, blobs: Record<string, Body>) => void): (path: string) => void {
  return (path) => {
    const run = corpusRun()
    const blobs: Record<string, Body> = { [BLOB]: { text: 'large' } }
    edit(run, blobs)
    put(path, serializeRpk(goodRpk(run, blobs)))
  }
}

function step<T extends Step['kind']>(run: Run, seq: number): Extract<Step, { kind: T }> {
  return run.steps[seq] as Extract<Step, { kind: T }>
}

/** Every entry of the corpus. `large: false` leaves out the ones that take megabytes to make. */
export function badRpkCorpus(options: { large?: boolean } = {}): BadRpk[] {
  const entries: Array<Omit<BadRpk, 'slug'> & { slug?: string }> = [
    { name: 'empty file', expectedCode: 'RPK_TRUNCATED', says: 'the file is empty', make: (p) => put(p, '') },
    {
      name: 'truncated',
      expectedCode: 'RPK_TRUNCATED',
      says: 'the file is truncated',
      make: text((t) => t.slice(0, Math.floor(t.length / 2))),
    },
    {
      name: 'invalid JSON (merge conflict)',
      expectedCode: 'RPK_INVALID_JSON',
      says: 'invalid JSON at line',
      make: text((t) => t.replace('"runs": {', '<<<<<<< HEAD\n"runs": {')),
    },
    {
      name: 'not a recording',
      expectedCode: 'RPK_SCHEMA',
      says: '$.schemaVersion is missing',
      make: (p) => put(p, '{ "name": "app" }\n'),
    },
    {
      name: 'schema error',
      expectedCode: 'RPK_SCHEMA',
      says: '$.runs["corpus 1"].index',
      make: text((t) => t.replace('"index": 1', '"index": "one"')),
    },
    {
      name: 'hash mismatch after a hand edit',
      expectedCode: 'RPK_HASH_MISMATCH',
      says: 'its content hash does not match',
      make: text((t) => t.replace('"content": "hi"', '"content": "hello"')),
      fixableByRehash: true,
    },
    {
      name: 'future major version',
      expectedCode: 'RPK_FUTURE_VERSION',
      says: 'schema version 2.0.0, newer than',
      make: text((t) => t.replace(VERSION_LINE, '"schemaVersion": "2.0.0"')),
    },
    {
      name: 'future minor version',
      expectedCode: 'RPK_FUTURE_VERSION',
      says: `schema version ${NEXT_MINOR}, newer than`,
      make: text((t) => t.replace(VERSION_LINE, `"schemaVersion": "${NEXT_MINOR}"`)),
    },
    {
      name: 'old major version',
      expectedCode: 'RPK_OLD_VERSION',
      says: 'schema version 0.9.0',
      make: text((t) => t.replace(VERSION_LINE, '"schemaVersion": "0.9.0"')),
    },
    {
      name: 'duplicate runs member',
      expectedCode: 'RPK_DUPLICATE_KEY',
      says: '$.runs appears twice',
      make: text((t) => t.replace('\n  "runs": {', '\n  "runs": {},\n  "runs": {')),
    },
    {
      name: 'duplicate contentHash',
      expectedCode: 'RPK_DUPLICATE_KEY',
      says: '$.contentHash appears twice',
      make: text((t) =>
        t.replace('\n  "contentHash": ', `\n  "contentHash": "sha256:${'0'.repeat(64)}",\n  "contentHash": `),
      ),
    },
    {
      name: 'duplicate member deep in a body',
      expectedCode: 'RPK_DUPLICATE_KEY',
      says: '.messages[0].role appears twice',
      make: text((t) => t.replace('"role": "user"', '"role": "user",\n"role": "system"')),
    },
    {
      name: 'UTF-8 byte order mark',
      expectedCode: 'RPK_ENCODING',
      says: 'byte order mark',
      make: (p) => put(p, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(goodRpkText())])),
    },
    {
      name: 'UTF-16',
      expectedCode: 'RPK_ENCODING',
      says: 'encoded as UTF-16',
      make: (p) => put(p, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(goodRpkText(), 'utf16le')])),
    },
    {
      name: 'NUL byte',
      expectedCode: 'RPK_ENCODING',
      says: 'NUL byte (0x00) at line',
      make: text((t) => t.replace('"hi"', '"h\u0000i"')),
    },
    {
      name: 'stray bytes (Latin-1)',
      expectedCode: 'RPK_ENCODING',
      says: 'is not valid UTF-8: byte 0xE9',
      make: (p) => put(p, Buffer.from(goodRpkText().replace('"hi"', '"hé"'), 'latin1')),
    },
    {
      name: '__proto__ as a run key',
      expectedCode: 'RPK_SCHEMA',
      says: '$.runs.__proto__ is not an allowed member name',
      make: text((t) => t.replace('"corpus 1": {', '"__proto__": {')),
    },
    {
      name: 'number that overflows',
      expectedCode: 'RPK_SCHEMA',
      says: 'is the number 1e400',
      make: text((t) => t.replace(`"endpoint": "chat.completions",`, `"endpoint": "chat.completions", "n": 1e400,`)),
    },
    {
      name: 'integer past 2^53',
      expectedCode: 'RPK_SCHEMA',
      says: 'is the number 12345678901234567890123',
      make: text((t) =>
        t.replace(`"endpoint": "chat.completions",`, `"endpoint": "chat.completions", "n": 12345678901234567890123,`),
      ),
    },
    {
      name: 'nesting deeper than the limit',
      expectedCode: 'RPK_TOO_DEEP',
      says: 'nests deeper than 512 levels',
      make: text((t) => t.replace('"content": "hi"', `"content": ${'['.repeat(100_000)}${']'.repeat(100_000)}`)),
    },
    {
      name: 'status 0',
      expectedCode: 'RPK_SCHEMA',
      says: '.response.status must be >= 200',
      make: content((run) => {
        step<'http.response'>(run, 3).response.status = 0
      }),
    },
    {
      name: 'status 600',
      expectedCode: 'RPK_SCHEMA',
      says: '.response.status must be <= 599',
      make: content((run) => {
        step<'http.response'>(run, 3).response.status = 600
      }),
    },
    {
      name: 'header value with CRLF',
      expectedCode: 'RPK_SCHEMA',
      says: `.response.headers["content-type"] must match pattern`,
      make: content((run) => {
        step<'http.response'>(run, 3).response.headers['content-type'] = 'image/png\r\nx-evil: 1'
      }),
    },
    {
      name: 'header name with a space',
      expectedCode: 'RPK_SCHEMA',
      says: `["content type"] is not an allowed member name`,
      make: content((run) => {
        step<'http.response'>(run, 3).response.headers = { 'content type': 'image/png' }
      }),
    },
    {
      name: 'body marked base64 that is not base64',
      expectedCode: 'RPK_SCHEMA',
      says: '.response.body.base64 is not base64',
      make: content((run) => {
        step<'http.response'>(run, 3).response.body = { base64: 'not base64!' }
      }),
    },
    {
      name: 'missing blob',
      expectedCode: 'RPK_SCHEMA',
      says: 'which is not in $.blobs',
      make: content((_run, blobs) => {
        delete blobs[BLOB]
        blobs[`sha256:${'cd'.repeat(32)}`] = { text: 'other' }
      }),
    },
    {
      name: 'request URL that is not a URL',
      expectedCode: 'RPK_SCHEMA',
      says: 'which is not an absolute URL',
      make: content((run) => {
        step<'http.request'>(run, 2).request.url = '/logo.png'
      }),
    },
    {
      name: 'stream event with json and data',
      expectedCode: 'RPK_SCHEMA',
      says: 'is present beside `json`',
      make: content((run) => {
        const events = step<'model.response'>(run, 1).response.stream?.events
        if (events?.[0]) events[0].data = 'Hello'
      }),
    },
    {
      name: 'SSE event name with a line break',
      expectedCode: 'RPK_SCHEMA',
      says: '.events[1].event must match pattern',
      make: content((run) => {
        const events = step<'model.response'>(run, 1).response.stream?.events
        if (events?.[1]) events[1].event = 'done\ndata: injected'
      }),
    },
    {
      name: 'chunks stream with SSE fields',
      expectedCode: 'RPK_SCHEMA',
      says: 'is set on a `chunks` stream event',
      make: content((run) => {
        const stream = step<'model.response'>(run, 1).response.stream
        if (stream) stream.format = 'chunks'
      }),
    },
    {
      name: 'negative timing',
      expectedCode: 'RPK_SCHEMA',
      says: '.timing.startMs must be >= 0',
      make: content((run) => {
        step<'http.request'>(run, 2).timing = { startMs: -1 }
      }),
    },
    {
      name: 'stream pacing longer than a timer can wait',
      expectedCode: 'RPK_SCHEMA',
      says: '.events[1].atMs is 1e+300 ms',
      make: content((run) => {
        const events = step<'model.response'>(run, 1).response.stream?.events
        if (events?.[1]) events[1].atMs = 1e300
      }),
    },
    {
      name: 'a folder where the file should be',
      expectedCode: 'RPK_UNREADABLE',
      says: 'it is a folder, not a file',
      make: (p) => mkdirSync(p, { recursive: true }),
    },
    {
      name: 'a symlink to nowhere',
      expectedCode: 'RPK_UNREADABLE',
      says: 'the file does not exist',
      make: (p) => {
        mkdirSync(dirname(p), { recursive: true })
        symlinkSync(join(dirname(p), 'nowhere', 'gone.rpk'), p)
      },
    },
    {
      name: 'a symlink to a corrupt file elsewhere',
      expectedCode: 'RPK_TRUNCATED',
      says: 'the file is truncated',
      make: (p) => {
        const target = join(dirname(p), 'elsewhere', `${p.split('/').at(-1)}.target`)
        put(target, goodRpkText().slice(0, 100))
        symlinkSync(target, p)
      },
    },
  ]
  if (options.large !== false) {
    entries.push({
      name: 'duplicate run key in a 17 MB file',
      slug: 'large-duplicate',
      expectedCode: 'RPK_DUPLICATE_KEY',
      says: '$.runs["corpus 1"] appears twice',
      make: (p) => {
        const body = { text: 'x'.repeat(1000) }
        const steps: Step[] = []
        for (let i = 0; i < 8000; i++) {
          steps.push({
            kind: 'http.response',
            seq: i,
            correlationId: `x${i}`,
            response: { status: 200, headers: {}, body },
          })
        }
        const t = serializeRpk(goodRpk(corpusRun({ steps })))
        put(p, t.replace('\n    "corpus 1": {', '\n    "corpus 1": {},\n    "corpus 1": {'))
      },
    })
  }
  return entries.map((entry) => ({ ...entry, slug: entry.slug ?? slugOf(entry.name) }))
}

function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}
