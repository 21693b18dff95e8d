/** The agent's one tool: a fixed table, so that answers are the same on every run. */
const CONDITIONS = {
  Oslo: '12°C, light rain',
  Paris: '18°C, sunny',
  Tokyo: '22°C, humid',
}

function getWeather(city) {
  return `${city}: ${CONDITIONS[city] ?? '15°C, cloudy'}`
}

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}

module.exports = { getWeather, weatherTool }
