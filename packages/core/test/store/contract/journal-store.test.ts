/** The journal store keeps the store contract. */
import { appendFileSync } from 'node:fs'
import { journalPathFor } from '../../../src/store/journal-format.js'
import { JournalStore } from '../../../src/store/journal-store.js'
import { storeContract } from './store-contract.js'

storeContract({
  className: 'JournalStore',
  create: (path) => new JournalStore(path, { onWarning: () => {} }),
  // A writer killed mid-append leaves a last line without its end.
  tear: (path) => appendFileSync(journalPathFor(path), '{"op":"append","key":"a 1","steps":[{"kind":"model.req'),
})
