/**
 * Reduce a provider conversation to a `FakeTurn`: the provider modules list the user texts
 * and tool outputs in order; this decides which ones the script sees.
 */
import type { FakeTurn } from './types.js'

export type Entry = { type: 'user'; text: string } | { type: 'tool'; output: string }

export function buildTurn(
  base: Pick<FakeTurn, 'provider' | 'endpoint' | 'model' | 'tools'>,
  entries: Entry[],
): FakeTurn {
  const lastUser = entries.findLastIndex((entry) => entry.type === 'user')
  const last = entries[lastUser]
  return {
    ...base,
    lastUserText: last?.type === 'user' ? last.text : '',
    toolOutputs: entries.slice(lastUser + 1).flatMap((entry) => (entry.type === 'tool' ? [entry.output] : [])),
    hasToolResult: entries.some((entry) => entry.type === 'tool'),
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : []
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** Text of a content value: a string, or the `text` of its parts joined. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content))
    return objects(content)
      .map((part) => str(part.text) ?? '')
      .join('')
  return content === undefined ? '' : JSON.stringify(content)
}
