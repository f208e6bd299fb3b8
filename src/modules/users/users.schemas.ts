import { Type } from '@sinclair/typebox'
import { Instant, InstantOut, Nullable, OneOf, Text, Uuid, Version } from '../../lib/schema.ts'
import { ROLES, type Role } from '../access/roles.ts'

export const RoleSchema = OneOf(ROLES as unknown as readonly [Role, ...Role[]])

export const SignInInput = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320, errorMessage: 'Enter your email address' }),
    password: Type.String({ minLength: 1, maxLength: 1000, errorMessage: 'Enter your password' }),
  },
  { additionalProperties: false },
)

export const SessionResponse = Type.Object({ token: Type.String(), expiresAt: InstantOut(), userId: Uuid() })

export const NewUserInput = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320, errorMessage: 'Enter an email address like name@example.gov.uk' }),
    displayName: Text(200, { minLength: 1 }),
    password: Type.String({ minLength: 12, maxLength: 1000, errorMessage: 'The password must be at least 12 characters' }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 10, errorMessage: 'Give at least one role' }),
  },
  { additionalProperties: false },
)

export const UserUpdateInput = Type.Object(
  {
    version: Version,
    displayName: Type.Optional(Text(200, { minLength: 1 })),
    roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, maxItems: 10 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const UserResponse = Type.Object({
  id: Uuid(),
  agencyId: Uuid(),
  email: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  active: Type.Boolean(),
  version: Type.Integer(),
})

export const ApiTokenInput = Type.Object(
  {
    name: Text(200, { minLength: 1 }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 10 }),
    expiresAt: Type.Optional(Nullable(Instant())),
  },
  { additionalProperties: false },
)
