/**
 * What a client needs to go through the gateway: the base URL variables the
 * SDKs read, and the Codex CLI overrides (Codex 0.169 ignores OPENAI_BASE_URL:
 * it routes through a custom model provider given with `-c`).
 */

/** @example gatewayEnv('http://127.0.0.1:8787').env.OPENAI_BASE_URL // 'http://127.0.0.1:8787/v1' */
export function gatewayEnv(url: string): { url: string; env: Record<string, string>; codexArgs: string[] } {
  const base = url.replace(/\/+$/, '')
  const provider = `{name="replaykit",base_url="${base}/v1",env_key="OPENAI_API_KEY",wire_api="responses",supports_websockets=false}`
  return {
    url: base,
    env: {
      OPENAI_BASE_URL: `${base}/v1`,
      ANTHROPIC_BASE_URL: base,
      GOOGLE_GEMINI_BASE_URL: base,
    },
    codexArgs: ['-c', 'model_provider=replaykit', '-c', `model_providers.replaykit=${provider}`],
  }
}
