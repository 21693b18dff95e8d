import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // One fixed fast-check seed for npm test; npm run fuzz explores new ones.
    setupFiles: ['test/setup/fast-check-seed.ts'],
    // End-to-end tests spawn real runners and install packed packages: give them room.
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Vitest's default is one worker less than the cores: one on a 2-core CI machine. Most of this
    // suite's time is spent waiting on the processes it spawns (npm installs, runners, agents), so two
    // files at a time overlap that waiting instead of leaving a core idle.
    maxWorkers: 2,
  },
})
