/** The generated validator file's text (CommonJS) for a schema (see generate-validator.mjs). */
export function validatorSource(schema: unknown): string
/** The journal entry validator's file text (CommonJS; runs and blobs, in small functions). */
export function entryValidatorSource(schema: unknown): string
