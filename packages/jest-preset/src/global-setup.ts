/**
 * The preset's `globalSetup`: checks the ReplayKit options once, in the main
 * process, before any worker starts or any test runs. A typo
 * (`mode: 'strcit'`) fails the run here with one clear error instead of
 * failing every test file (the environment checks them again, for configs
 * with their own `globalSetup`).
 */
import { type ReplayKitOptions, serializeConfig, withEnvMode } from '@replaykit/core/runner'

interface ProjectConfig {
  testEnvironmentOptions?: Record<string, unknown>
}

export default function globalSetup(_globalConfig: unknown, projectConfig?: ProjectConfig): void {
  const options = projectConfig?.testEnvironmentOptions?.replaykit as ReplayKitOptions | undefined
  withEnvMode(serializeConfig(options, 'testEnvironmentOptions.replaykit in the Jest config'))
}
