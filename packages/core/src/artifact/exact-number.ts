/**
 * Whether a JSON number token reads back as the same number.
 *
 * `JSON.parse` turns every number into a double: `12345678901234567890123`
 * becomes 12345678901234567000000 and `1e400` becomes Infinity (which
 * `JSON.stringify` then writes as `null`). A number is exact when the double
 * it reads as, written back in ECMAScript's shortest form, is the same decimal
 * value as the token (`1.0` and `1` are the same value; `0.1` round-trips).
 *
 * @note Only tokens with more than 15 significant digits or a 3-digit exponent
 * can be inexact (15 digits always survive a double, and every 2-digit exponent
 * is in the normal range), so the quick test lets almost every token through
 * without converting it.
 */

/** True when the token cannot be inexact; cheap enough to run on every number of a file. */
export function surelyExact(token: string): boolean {
  if (token.length <= 15 && token.indexOf('e') < 0 && token.indexOf('E') < 0) return true
  let e = token.indexOf('e')
  if (e < 0) e = token.indexOf('E')
  const mantissa = e < 0 ? token : token.slice(0, e)
  let digits = mantissa.length
  if (mantissa.charCodeAt(0) === 45) digits--
  if (mantissa.indexOf('.') >= 0) digits--
  if (digits > 15) return false
  if (e < 0) return true
  let from = e + 1
  const sign = token.charCodeAt(from)
  if (sign === 43 || sign === 45) from++
  while (from < token.length - 1 && token.charCodeAt(from) === 48) from++
  return token.length - from <= 2
}

/** True when `token` (a valid JSON number) reads as a double whose shortest form is the same decimal value. */
export function isExactNumber(token: string): boolean {
  if (surelyExact(token)) return true
  const value = Number(token)
  if (!Number.isFinite(value)) return false
  return normalise(token) === normalise(String(value))
}

/** A decimal as sign, significant digits (no leading or trailing zeros) and the exponent of its first digit. */
function normalise(text: string): string {
  let sign = ''
  let i = 0
  if (text[0] === '-') {
    sign = '-'
    i = 1
  }
  const e = text.search(/[eE]/)
  const mantissa = e < 0 ? text.slice(i) : text.slice(i, e)
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1))
  const dot = mantissa.indexOf('.')
  const intPart = dot < 0 ? mantissa : mantissa.slice(0, dot)
  const fracPart = dot < 0 ? '' : mantissa.slice(dot + 1)
  let digits = intPart + fracPart
  let point = intPart.length + exponent
  const lead = digits.search(/[1-9]/)
  if (lead < 0) return '0'
  digits = digits.slice(lead)
  point -= lead
  digits = digits.replace(/0+$/, '')
  return `${sign}${digits}e${point}`
}
