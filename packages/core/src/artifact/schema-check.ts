/**
 * A fast yes/no check compiled from a JSON Schema, for loading large files.
 *
 * Ajv compiles the `.rpk` schema into code that also builds an error object for
 * every `oneOf` and `if` branch that does not match, and compiling it costs a
 * few hundred milliseconds in each process that loads a recording. A valid file
 * only needs "yes": this check answers that with code generated from the same
 * schema object (one plain function per subschema, no error objects), and Ajv
 * is compiled only when the answer is "no", to say what is wrong and where.
 *
 * @note It must never accept what Ajv refuses (tests mutate valid files to check
 * that); refusing more is harmless, since Ajv then decides. It implements only
 * the keywords in KEYWORDS and refuses to compile a schema with any other, so a
 * keyword added to the schema cannot be silently ignored.
 */

export type Check = (value: unknown) => boolean

/** Keywords that do not constrain a value. */
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description'])

const KEYWORDS = new Set([
  'type',
  'enum',
  'const',
  'pattern',
  'minimum',
  'maximum',
  'required',
  'properties',
  'additionalProperties',
  'propertyNames',
  'items',
  'allOf',
  'oneOf',
  'if',
  'then',
  'else',
])

/** Compile a schema to a check; throws when the schema uses a keyword this does not implement. */
export function compileSchemaCheck(schema: unknown): Check {
  const generator = new Generator()
  const root = generator.functionFor(schema)
  const source = `${generator.functions.join('\n')}\nreturn ${root}`
  // Generated code, like Ajv's: the schema is ours, and every literal in it is written with JSON.stringify.
  return new Function('patterns', source)(generator.patterns) as Check
}

class Generator {
  readonly functions: string[] = ['function always() {\nreturn true\n}']
  readonly patterns: RegExp[] = []
  /** One function per schema object: the schema reuses objects (request, body, headers) in many places. */
  private readonly names = new Map<unknown, string>()

  /** The name of the function checking `schema`, or 'always' for a schema that accepts anything. */
  functionFor(schema: unknown): string {
    if (schema === true || isEmptySchema(schema)) return 'always'
    const known = this.names.get(schema)
    if (known) return known
    const name = `check${this.names.size}`
    this.names.set(schema, name)
    const body = this.statements(schema)
    this.functions.push(`function ${name}(x) {\n${body.join('\n')}\nreturn true\n}`)
    return name
  }

  private statements(schema: unknown): string[] {
    if (schema === false) return ['return false']
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw unsupported('a non-object schema')
    const s = schema as Record<string, unknown>
    for (const keyword of Object.keys(s)) {
      if (!ANNOTATIONS.has(keyword) && !KEYWORDS.has(keyword)) throw unsupported(`the keyword ${keyword}`)
    }
    const out: string[] = []
    if (s.type !== undefined) out.push(`if (!(${typeTest(s.type)})) return false`)
    if (s.enum !== undefined) out.push(`if (!(${oneOfValues(s.enum)})) return false`)
    if (s.const !== undefined) out.push(`if (!(${oneOfValues([s.const])})) return false`)
    if (s.pattern !== undefined) {
      // Ajv compiles patterns with the u flag.
      this.patterns.push(new RegExp(s.pattern as string, 'u'))
      out.push(`if (typeof x === 'string' && !patterns[${this.patterns.length - 1}].test(x)) return false`)
    }
    // Negated, so that NaN fails them, as in Ajv.
    if (s.minimum !== undefined) out.push(`if (typeof x === 'number' && !(x >= ${number(s.minimum)})) return false`)
    if (s.maximum !== undefined) out.push(`if (typeof x === 'number' && !(x <= ${number(s.maximum)})) return false`)
    const members = this.objectStatements(s)
    if (members.length > 0) out.push(`if (${typeTest('object')}) {`, ...members, '}')
    if (s.items !== undefined) {
      const item = this.functionFor(s.items)
      if (item !== 'always') {
        out.push(`if (Array.isArray(x)) for (let i = 0; i < x.length; i++) if (!${item}(x[i])) return false`)
      }
    }
    for (const sub of (s.allOf ?? []) as unknown[]) out.push(`if (!${this.functionFor(sub)}(x)) return false`)
    if (s.oneOf !== undefined) {
      const branches = (s.oneOf as unknown[]).map((sub) => this.functionFor(sub))
      out.push('{', 'let passing = 0')
      for (const branch of branches) out.push(`if (${branch}(x) && ++passing > 1) return false`)
      out.push('if (passing !== 1) return false', '}')
    }
    // Without `if`, `then` and `else` are ignored, as Ajv does; they are compiled anyway to refuse unknown keywords.
    const then = s.then === undefined ? 'always' : this.functionFor(s.then)
    const otherwise = s.else === undefined ? 'always' : this.functionFor(s.else)
    if (s.if !== undefined) {
      out.push(`if (${this.functionFor(s.if)}(x) ? !${then}(x) : !${otherwise}(x)) return false`)
    }
    return out
  }

  /** Statements for an object value `x`: required, properties, additionalProperties, propertyNames. */
  private objectStatements(s: Record<string, unknown>): string[] {
    const out: string[] = []
    for (const key of (s.required ?? []) as string[])
      out.push(`if (x[${JSON.stringify(key)}] === undefined) return false`)
    const properties = (s.properties ?? {}) as Record<string, unknown>
    for (const [key, sub] of Object.entries(properties)) {
      const check = this.functionFor(sub)
      if (check === 'always') continue
      out.push(`{ const m = x[${JSON.stringify(key)}]; if (m !== undefined && !${check}(m)) return false }`)
    }
    const additional = s.additionalProperties
    const propertyNames = s.propertyNames === undefined ? 'always' : this.functionFor(s.propertyNames)
    if (additional !== undefined || propertyNames !== 'always') {
      // for-in, as Ajv: inherited enumerable members count too.
      out.push('for (const k in x) {')
      if (propertyNames !== 'always') out.push(`if (!${propertyNames}(k)) return false`)
      if (additional !== undefined) {
        const declared = Object.keys(properties).map((key) => `k === ${JSON.stringify(key)}`)
        if (declared.length > 0) out.push(`if (${declared.join(' || ')}) continue`)
        const other = additional === false ? undefined : this.functionFor(additional)
        if (other === undefined) out.push('return false')
        else if (other !== 'always') out.push(`if (!${other}(x[k])) return false`)
      }
      out.push('}')
    }
    return out
  }
}

/** `{}` (any JSON) and schemas of annotations only. */
function isEmptySchema(schema: unknown): boolean {
  return (
    typeof schema === 'object' &&
    schema !== null &&
    !Array.isArray(schema) &&
    Object.keys(schema).every((keyword) => ANNOTATIONS.has(keyword))
  )
}

function typeTest(type: unknown): string {
  const types = Array.isArray(type) ? type : [type]
  return types.map((one) => `(${oneType(one)})`).join(' || ')
}

function oneType(type: unknown): string {
  switch (type) {
    case 'string':
    case 'boolean':
      return `typeof x === '${type}'`
    case 'null':
      return 'x === null'
    // As Ajv with strict: false (validate.ts), which turns strictNumbers off: NaN and Infinity are numbers, Infinity an integer.
    case 'number':
      return `typeof x === 'number'`
    case 'integer':
      return `typeof x === 'number' && !(x % 1) && !Number.isNaN(x)`
    case 'array':
      return 'Array.isArray(x)'
    case 'object':
      return `typeof x === 'object' && x !== null && !Array.isArray(x)`
    default:
      throw unsupported(`the type ${String(type)}`)
  }
}

/** `x` is one of these primitive values (Ajv compares objects deeply: not needed, not supported). */
function oneOfValues(values: unknown): string {
  if (!Array.isArray(values) || values.length === 0) throw unsupported('an empty or non-array enum')
  return values
    .map((value) => {
      if (value !== null && typeof value === 'object') throw unsupported('an enum or const of objects')
      if (typeof value === 'number') return `x === ${number(value)}`
      return `x === ${JSON.stringify(value)}`
    })
    .join(' || ')
}

function number(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw unsupported(`the number ${String(value)}`)
  return String(value)
}

function unsupported(what: string): Error {
  return new Error(`compileSchemaCheck: ${what} is not supported`)
}
