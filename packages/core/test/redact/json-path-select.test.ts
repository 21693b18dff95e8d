import { describe, expect, test } from 'vitest'
import type { JsonValue } from '../../src/artifact/types.js'
import { isReplayKitError } from '../../src/errors.js'
import { compileJsonPath, removePaths, replacePaths } from '../../src/redact/index.js'

const body: JsonValue = {
  model: 'gpt-4o-mini',
  user: { email: 'ada@example.com', name: 'Ada' },
  items: [
    { id: 1, token: 't1' },
    { id: 2, token: 't2', nested: { password: 'p2' } },
  ],
  'odd key': { 'a.b': true },
  password: 'top',
}

const paths = (...sources: string[]) => sources.map((source) => compileJsonPath(source))

describe('compileJsonPath', () => {
  test('reads every supported form, with or without the leading $', () => {
    expect(compileJsonPath('$.user.email').selectors).toEqual([
      { type: 'key', key: 'user', deep: false },
      { type: 'key', key: 'email', deep: false },
    ])
    expect(compileJsonPath('user.email').selectors).toEqual(compileJsonPath('$.user.email').selectors)
    expect(compileJsonPath('items[*].token').selectors).toEqual([
      { type: 'key', key: 'items', deep: false },
      { type: 'any', deep: false },
      { type: 'key', key: 'token', deep: false },
    ])
    expect(compileJsonPath(`$["odd key"]['a.b'][0].*`).selectors).toEqual([
      { type: 'key', key: 'odd key', deep: false },
      { type: 'key', key: 'a.b', deep: false },
      { type: 'index', index: 0, deep: false },
      { type: 'any', deep: false },
    ])
    expect(compileJsonPath('$..password').selectors).toEqual([{ type: 'key', key: 'password', deep: true }])
    expect(compileJsonPath('$["say \\"hi\\""]').selectors).toEqual([{ type: 'key', key: 'say "hi"', deep: false }])
    expect(compileJsonPath('$').selectors).toEqual([])
  })

  test.each([
    ['', 'the path is empty'],
    ['$.', 'expected a member name'],
    ['$.user.', 'expected a member name'],
    ['$[abc]', 'is not an index'],
    ['$[-1]', 'is not an index'],
    ['$["open', 'unterminated quoted name'],
    ['$[0', 'missing "]"'],
    ['$user', 'expected "." or "["'],
    ['$..', 'expected a member name'],
  ])('refuses %j with RPK_BAD_CONFIG naming the path and the fix', (source, why) => {
    let error: unknown
    try {
      compileJsonPath(source, 'match.ignorePaths')
    } catch (caught) {
      error = caught
    }
    expect(isReplayKitError(error)).toBe(true)
    const typed = error as { code: string; message: string; hint: string; file: string }
    expect(typed.code).toBe('RPK_BAD_CONFIG')
    expect(typed.message).toContain(JSON.stringify(source))
    expect(typed.message).toContain(why)
    expect(typed.file).toBe('match.ignorePaths')
    expect(typed.hint).toMatch(/items\[\*\]\.token/)
  })
})

describe('removePaths', () => {
  test('removes the selected members from a copy', () => {
    expect(removePaths(body, paths('$.user.email', 'items[*].token', '$["odd key"]["a.b"]'))).toEqual({
      model: 'gpt-4o-mini',
      user: { name: 'Ada' },
      items: [{ id: 1 }, { id: 2, nested: { password: 'p2' } }],
      'odd key': {},
      password: 'top',
    })
  })

  test('removes array elements by index and by wildcard', () => {
    expect(removePaths({ a: [1, 2, 3] }, paths('$.a[1]'))).toEqual({ a: [1, 3] })
    expect(removePaths({ a: [1, 2, 3] }, paths('$.a[*]'))).toEqual({ a: [] })
    expect(removePaths({ a: { x: 1, y: 2 }, b: 3 }, paths('$.a.*'))).toEqual({ a: {}, b: 3 })
  })

  test('removes at any depth with ..', () => {
    expect(removePaths(body, paths('$..password'))).toEqual({
      model: 'gpt-4o-mini',
      user: { email: 'ada@example.com', name: 'Ada' },
      items: [
        { id: 1, token: 't1' },
        { id: 2, token: 't2', nested: {} },
      ],
      'odd key': { 'a.b': true },
    })
    expect(removePaths({ a: [{ id: 1 }, { b: { id: 2 } }] }, paths('$..[0]'))).toEqual({ a: [{ b: { id: 2 } }] })
  })

  test('ignores paths that select nothing, and removing the root gives null', () => {
    expect(removePaths(body, paths('$.nope', 'items[7].token', 'model.deeper'))).toEqual(body)
    expect(removePaths(body, paths('$'))).toBeNull()
    expect(removePaths('text', paths('$.a'))).toBe('text')
  })

  test('never changes its input and shares nothing with it', () => {
    const input = JSON.parse(JSON.stringify(body)) as JsonValue
    const before = JSON.stringify(input)
    const out = removePaths(input, paths('$.user.email')) as { items: unknown[]; user: object }
    expect(JSON.stringify(input)).toBe(before)
    expect(out.items).not.toBe((input as { items: unknown[] }).items)
  })

  test('keeps a __proto__ member as data', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as JsonValue
    const out = removePaths(input, paths('$.a')) as Record<string, unknown>
    expect(Object.keys(out)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('replacePaths', () => {
  test('replaces selected members, giving the replacer the value and its path', () => {
    const seen: unknown[] = []
    const out = replacePaths(body, paths('items[*].token', 'user'), (value, path) => {
      seen.push([value, path])
      return '[REDACTED:path]'
    })
    expect(out).toMatchObject({
      user: '[REDACTED:path]',
      items: [
        { id: 1, token: '[REDACTED:path]' },
        { id: 2, token: '[REDACTED:path]' },
      ],
    })
    expect(seen).toEqual([
      [{ email: 'ada@example.com', name: 'Ada' }, ['user']],
      ['t1', ['items', 0, 'token']],
      ['t2', ['items', 1, 'token']],
    ])
  })

  test('does not create members that are not there', () => {
    expect(replacePaths({ a: 1 }, paths('$.b', '$.a.c'), () => 'x')).toEqual({ a: 1 })
  })
})
