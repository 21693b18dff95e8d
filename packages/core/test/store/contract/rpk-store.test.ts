/** The `.rpk` store keeps the store contract. */
import { writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { tempPathIn } from '../../../src/artifact/temp-files.js'
import { RpkStore } from '../../../src/store/rpk-store.js'
import { storeContract } from './store-contract.js'

storeContract({
  className: 'RpkStore',
  create: (path) => new RpkStore(path),
  // A writer killed mid-write leaves half a temp file beside the .rpk; the .rpk itself is only ever renamed into place.
  tear: (path) => writeFileSync(tempPathIn(dirname(path)), '{"schemaVersion":"1.0.0","runs":{"a 1":{'),
})
