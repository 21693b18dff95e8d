/** The system prompt of the agent. Change it and the recorded runs no longer match: try `npm run demo`. */
export const SYSTEM_PROMPT = 'You are a concise weather assistant. Use get_weather for current conditions.'
