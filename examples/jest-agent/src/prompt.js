/** The system prompt of the agent. Change it and the recorded runs no longer match. */
const SYSTEM_PROMPT = 'You are a concise weather assistant. Use get_weather for current conditions.'

module.exports = { SYSTEM_PROMPT }
