/** The agent's one tool: a fixed table, so that answers are the same on every run. */
const CONDITIONS: Record<string, string> = {
  Oslo: '12°C, light rain',
  Paris: '18°C, sunny',
  Tokyo: '22°C, humid',
}

export function getWeather(city: string): string {
  return `${city}: ${CONDITIONS[city] ?? '15°C, cloudy'}`
}

export const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}
