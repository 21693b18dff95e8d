// Writes the published JSON Schema files from the built schema modules, in canonical form.
import { writeFileSync } from 'node:fs'
import { canonicalStringify, rpkSchemaV1 } from '../dist/esm/index.js'

writeFileSync(new URL('../schema/rpk-1.schema.json', import.meta.url), canonicalStringify(rpkSchemaV1))
