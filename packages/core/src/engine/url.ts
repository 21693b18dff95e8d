/**
 * URL normalisation for matching and storage: lower-case scheme and host, no
 * default port, query parameters sorted (stable for equal names), no fragment.
 * `https://API.example.com:443/v1/x?b=2&a=1#f` → `https://api.example.com/v1/x?a=1&b=2`.
 */
export function normalizeUrl(input: string): string {
  const url = new URL(input)
  url.hash = ''
  const params = [...url.searchParams.entries()]
  // Sort by name only: repeated names keep their order (it can be meaningful).
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  url.search = ''
  for (const [name, value] of params) url.searchParams.append(name, value)
  // URL already drops default ports and lower-cases scheme and host.
  return url.toString()
}
