/**
 * The names that say a value is a credential, whatever the value looks like:
 * headers, query parameters and JSON members. Compared lower-cased; JSON member
 * names also without `_` and `-` (`apiKey`, `api-key` and `api_key` are one name).
 */

/** Headers that carry credentials in the APIs ReplayKit knows (and cookies). */
export const DEFAULT_REDACTED_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
  'set-cookie',
  'openai-organization',
  'openai-project',
  'x-auth-token',
  'x-access-token',
  'x-amz-security-token',
]

/**
 * Header names of the same kind by shape: `x-…-token`, `…-api-key`, `…-secret`, `…-password`.
 *
 * @note Singular `token` only: rate-limit headers (`x-ratelimit-remaining-tokens`) count tokens of
 * text and must stay readable.
 */
const SECRET_HEADER_SHAPE = /^x-(?:[a-z0-9]+-)*(?:token|secret|password|passwd|auth)$|(?:^|-)api-?key$|-secret$/

/** Whether a lower-case header name is a credential by the built-in rules. */
export function isSecretHeaderName(lower: string): boolean {
  return lower.length <= 100 && SECRET_HEADER_SHAPE.test(lower)
}

/** Headers whose value is a URL: redacted as a URL (a redirect can carry `?access_token=`). */
export const URL_HEADERS: ReadonlySet<string> = new Set(['location', 'content-location'])

/** Query parameters that carry keys (Gemini's `?key=`, OAuth's `access_token`, signed URLs' `sig`). */
export const DEFAULT_REDACTED_QUERY_PARAMS: readonly string[] = [
  'key',
  'api_key',
  'apikey',
  'api-key',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'auth_token',
  'client_secret',
  'password',
  'secret',
  'sig',
  'signature',
  'x-amz-signature',
  'x-amz-security-token',
  'x-amz-credential',
  'x-goog-signature',
  'x-goog-credential',
]

/** JSON members whose string value is a credential, in the normalised form of `fieldKey`. */
export const DEFAULT_REDACTED_FIELDS: readonly string[] = [
  'password',
  'passwd',
  'apikey',
  'token',
  'secret',
  'clientsecret',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'sessiontoken',
  'privatekey',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xapikey',
  'xgoogapikey',
]

/** A JSON member name as the field rules compare it: lower case, without `_` and `-`. */
export function fieldKey(name: string): string {
  return name.length > 64 ? '' : name.toLowerCase().replace(/[-_\s]/g, '')
}
