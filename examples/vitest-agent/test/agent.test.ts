import { capture } from '@replaykit/vitest'
import { describe, expect, test } from 'vitest'
import { ask, askStreaming } from '../src/agent.js'

describe('weather agent', () => {
  test('answers from the get_weather tool', async () => {
    const run = await capture(() => ask('What is the weather in Oslo?'))
    expect(run).toMatchReplay()
    expect(run.value).toBe('The tool returned: Oslo: 12°C, light rain')
  })

  test('two questions are two runs of one test', async () => {
    const paris = await capture(() => ask('What is the weather in Paris?'))
    const tokyo = await capture(() => ask('What is the weather in Tokyo?'))
    expect(paris).toMatchReplay()
    expect(tokyo).toMatchReplay()
    expect([paris.value, tokyo.value]).toEqual([
      'The tool returned: Paris: 18°C, sunny',
      'The tool returned: Tokyo: 22°C, humid',
    ])
  })

  test('streams an answer without tools', async () => {
    const run = await capture(() => askStreaming('Say hello'))
    expect(run).toMatchReplay()
    expect(run.value).toBe('echo: Say hello')
  })
})
