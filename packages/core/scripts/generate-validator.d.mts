/** The generated validator module's text for a schema (see generate-validator.mjs). */
export function validatorSource(schema: unknown): string
/** The journal entry validator's module text (runs and blobs, in small functions). */
export function entryValidatorSource(schema: unknown): string
