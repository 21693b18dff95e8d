/** The generated validator module's text for a schema (see generate-validator.mjs). */
export function validatorSource(schema: unknown): string
