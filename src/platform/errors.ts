import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DomainError, StaleVersionError, ValidationError, type FieldError } from '../lib/errors.ts'

// Every error leaves as application/problem+json (RFC 9457), naming each failing field.
// 5xx details stay in the log, with the request id; the caller sees a plain message.

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  instance: string
  errors?: FieldError[]
  currentVersion?: number
}

function send(reply: FastifyReply, problem: Problem) {
  return reply.code(problem.status).type('application/problem+json').send(problem)
}

function problemOf(error: FastifyError | Error, request: FastifyRequest): Problem {
  const instance = request.url.split('?')[0] ?? request.url
  if (error instanceof DomainError) {
    return {
      type: 'about:blank',
      title: error.title,
      status: error.status,
      detail: error.message,
      instance,
      ...(error instanceof ValidationError ? { errors: error.errors } : {}),
      ...(error instanceof StaleVersionError ? { currentVersion: error.currentVersion } : {}),
    }
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500
  if (status >= 500) {
    return { type: 'about:blank', title: 'Something went wrong', status: 500, detail: `Something went wrong on our side. Quote request ${request.id} if you contact support.`, instance }
  }
  // Fastify's own 4xx: malformed JSON, wrong content type, body too large.
  const code = 'code' in error ? error.code : undefined
  const detail = code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'The body is not valid JSON' : error.message
  return {
    type: 'about:blank',
    title: status === 413 ? 'Too large' : status === 415 ? 'Unsupported media type' : 'Invalid request',
    status,
    detail,
    instance,
    ...(status === 400 ? { errors: [{ field: '', message: detail }] } : {}),
  }
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const problem = problemOf(error, request)
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
    return send(reply, problem)
  })
  app.setNotFoundHandler((request, reply) =>
    send(reply, { type: 'about:blank', title: 'Not found', status: 404, detail: `There is nothing at ${request.method} ${request.url.split('?')[0]}`, instance: request.url.split('?')[0] ?? '' }),
  )
}
