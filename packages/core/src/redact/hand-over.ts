/**
 * What the engine tells the redactor about values it made for it alone (a
 * response just read off the wire), which nobody else holds or will see
 * unredacted:
 *
 * - handed over: the redactor may redact it in place instead of deep-copying
 *   it, so a large body is held once, not twice;
 * - JSON text: a `{ text }` body that holds a whole JSON document, kept as text
 *   because it is too large to hold parsed (engine/body.ts); the redactor
 *   redacts the strings in it as it would those of the parsed value.
 *
 * Everything else keeps the redactor's documented contract: its input is never
 * changed and what it returns is a fresh copy; text is redacted as text.
 */

const handed = new WeakSet<object>()
const jsonTexts = new WeakSet<object>()

/**
 * Give up a value to the redactor: the next redactor method it is passed to
 * may change it in place (and may return parts of it). The caller must not
 * use the value afterwards other than through what the redactor returns.
 */
export function handOver<T extends object>(value: T): T {
  handed.add(value)
  return value
}

/** Whether a value was handed over; the mark is used up (a value is redacted in place once). */
export function takeHandedOver(value: object): boolean {
  return handed.delete(value)
}

/** Mark a text body as holding a JSON document (honoured only in a handed-over response). */
export function markJsonText<T extends { text: string }>(body: T): T {
  jsonTexts.add(body)
  return body
}

/** Whether a text body was marked as holding a JSON document; the mark is used up. */
export function takeJsonText(body: object): boolean {
  return jsonTexts.delete(body)
}
