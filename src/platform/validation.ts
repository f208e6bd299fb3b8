import type { FastifyInstance } from 'fastify'
import type { TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ValidationError } from '../lib/errors.ts'
import { fieldErrors } from '../lib/schema.ts'

// Request bodies, queries and params are checked with the same TypeBox schemas the services use,
// so an API client and a form get the same field errors.
export function registerValidation(app: FastifyInstance) {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const prefix = httpPart === 'body' || httpPart === undefined ? '' : `${httpPart === 'querystring' ? 'query' : httpPart}/`
    return (raw: unknown) => {
      // Query strings and path parameters arrive as text: convert "2" to 2 where the schema wants a number.
      const data = httpPart === 'body' ? raw : Value.Convert(schema as TSchema, raw)
      const errors = fieldErrors(schema as TSchema, data)
      if (errors.length === 0) return { value: data }
      return { error: new ValidationError(errors.map((error) => ({ ...error, field: `${prefix}${error.field}` }))) }
    }
  })
}
