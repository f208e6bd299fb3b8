// Expected failures, each with the HTTP status it maps to. Unexpected ones are plain Errors.

export interface FieldError {
  /** JSON path of the failing field, e.g. `names/0/text` or `dobEarliest`. */
  field: string
  message: string
}

export class DomainError extends Error {
  readonly status: number
  readonly title: string
  constructor(status: number, title: string, message: string) {
    super(message)
    this.status = status
    this.title = title
  }
}

export class ValidationError extends DomainError {
  readonly errors: FieldError[]
  constructor(errors: FieldError[], message = 'The request has invalid fields') {
    super(400, 'Invalid request', message)
    this.errors = errors
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Sign in, or send a valid bearer token') {
    super(401, 'Not signed in', message)
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You do not have access to this') {
    super(403, 'Forbidden', message)
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(404, 'Not found', `${what} was not found`)
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(409, 'Conflict', message)
  }
}

/** A stale write: the version the client read is no longer current. */
export class StaleVersionError extends ConflictError {
  readonly currentVersion: number
  constructor(what: string, currentVersion: number) {
    super(`${what} has changed since you read it (now version ${currentVersion}); read it again and reapply your change`)
    this.currentVersion = currentVersion
  }
}
