// The Jest preset: `preset: '@replaykit/jest'` in a Jest config.
//
// - testEnvironment: jest-environment-node plus the ReplayKit engine, loaded outside the
//   test sandbox (MSW 3 is ESM-only and cannot be required inside it).
// - globalSetup: checks the ReplayKit options once, before any test runs.
// - setupFilesAfterEnv: registers expect(run).toMatchReplay().
// - reporters: Jest's default one, then the replay summary. A config with its own `reporters`
//   replaces these: add '@replaykit/jest/reporter' there.
const { join } = require('node:path')

const dist = join(__dirname, 'dist', 'cjs')

module.exports = {
  testEnvironment: join(dist, 'environment.js'),
  globalSetup: join(dist, 'global-setup.js'),
  setupFilesAfterEnv: [join(dist, 'setup.js')],
  reporters: ['default', join(dist, 'reporter.js')],
}
