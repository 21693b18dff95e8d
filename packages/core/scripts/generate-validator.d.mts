/** The generated validator file's text (CommonJS) for a schema (see generate-validator.mjs). */
export function validatorSource(schema: unknown): string
