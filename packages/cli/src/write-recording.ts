/**
 * Writing a recording from the CLI: the core writer's canonical text, secret
 * scan and atomic replace. Used where `writeRpkFile` cannot be (it refuses to
 * replace a file that does not load, which is the file `rehash` and `migrate` fix).
 */
import { assertNoSecrets, atomicWrite, type RpkFile, serializeRpk } from '@replaykit/core'

export function writeRecording(file: string, rpk: RpkFile): void {
  const text = serializeRpk(rpk)
  assertNoSecrets(text, file)
  atomicWrite(file, text)
}
