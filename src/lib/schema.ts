import { FormatRegistry, Type, type SchemaOptions, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox'
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'
import type { ValueError } from '@sinclair/typebox/errors'
import { ValidationError, type FieldError } from './errors.ts'
import { isIsoDate } from './dates.ts'
import { isUuid } from './ids.ts'

// JSON Schema (TypeBox) is the one description of every input: the API validates with it, the OpenAPI
// document is built from it, and services check their inputs against it, so every caller gets the same
// field-by-field errors.

FormatRegistry.Set('date', isIsoDate)
FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value))
FormatRegistry.Set('uuid', isUuid)
FormatRegistry.Set('email', (value) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))

export const IsoDate = (options: SchemaOptions = {}) =>
  Type.String({ format: 'date', errorMessage: 'must be a date like 2009-03-14', ...options })
export const Instant = (options: SchemaOptions = {}) =>
  Type.String({ format: 'date-time', errorMessage: 'must be a date and time like 2026-11-21T14:30:00Z', ...options })
export const Uuid = (options: SchemaOptions = {}) => Type.String({ format: 'uuid', errorMessage: 'must be an id', ...options })
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])
export const Text = (maxLength: number, options: SchemaOptions = {}) =>
  Type.String({ maxLength, errorMessage: `must be text of at most ${maxLength} characters`, ...options })

/** A union of string literals from a list of codes, with a message naming the allowed values. */
export function OneOf<const T extends readonly [string, ...string[]]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>(
    Type.Union(
      values.map((value) => Type.Literal(value)),
      { errorMessage: `must be one of ${values.join(', ')}`, ...options },
    ),
  )
}

/** An instant in a response: a Date in code, an RFC 3339 string on the wire. */
export const InstantOut = (options: SchemaOptions = {}) => Type.Unsafe<Date>({ type: 'string', format: 'date-time', ...options })

export const Version = Type.Integer({ minimum: 1, errorMessage: 'must be the version you read (a whole number)' })

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>()

function compile<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = compiled.get(schema)
  if (!check) {
    check = TypeCompiler.Compile(schema)
    compiled.set(schema, check)
  }
  return check as TypeCheck<T>
}

/** Field errors for a value against a schema: one per failing field, with the schema's own message if it has one. */
export function fieldErrors(schema: TSchema, value: unknown): FieldError[] {
  const check = compile(schema)
  if (check.Check(value)) return []
  const byField = new Map<string, string>()
  collect(check.Errors(value), byField)
  return [...byField].map(([field, message]) => ({ field, message }))
}

function collect(errors: Iterable<ValueError>, byField: Map<string, string>) {
  for (const error of errors) {
    const field = error.path.replace(/^\//, '')
    if (byField.has(field)) continue
    // A union that failed (a nullable object, say): when one branch got further into the value,
    // report that branch's own field errors rather than "expected union value".
    if (error.errors.length > 0 && error.value !== null && error.value !== undefined) {
      const deeper = error.errors.map((branch) => [...branch]).find((branch) => branch.some((inner) => inner.path.length > error.path.length))
      if (deeper) {
        collect(deeper, byField)
        continue
      }
    }
    const custom = (error.schema as { errorMessage?: unknown }).errorMessage
    byField.set(field, error.value === undefined ? 'is required' : typeof custom === 'string' ? custom : error.message)
  }
}

/** Returns the value typed by the schema, or throws ValidationError naming each failing field. */
export function parseInput<T extends TSchema>(schema: T, value: unknown): Static<T> {
  const errors = fieldErrors(schema, value)
  if (errors.length > 0) throw new ValidationError(errors)
  return value as Static<T>
}

export function compileCheck(schema: TSchema): (value: unknown) => boolean {
  const check = compile(schema)
  return (value) => check.Check(value)
}
