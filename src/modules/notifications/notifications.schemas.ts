import { Type, type Static } from '@sinclair/typebox'
import { OneOf } from '../../lib/schema.ts'
import { NOTIFICATION_KIND_NAMES, NOTIFICATION_KINDS } from './notifications.kinds.ts'

const Kind = OneOf(NOTIFICATION_KIND_NAMES, {
  description: Object.entries(NOTIFICATION_KINDS)
    .map(([kind, meaning]) => `${kind}: ${meaning}`)
    .join('; '),
})

export const PreferencesInput = Type.Object(
  {
    emailKinds: Type.Array(Kind, { maxItems: NOTIFICATION_KIND_NAMES.length, uniqueItems: true, errorMessage: 'must list kinds of email, each once' }),
    version: Type.Integer({ minimum: 0, errorMessage: 'must be the version you read (0 before your first choice)' }),
  },
  { additionalProperties: false },
)
export type PreferencesInput = Static<typeof PreferencesInput>

export const PreferencesResponse = Type.Object({
  emailKinds: Type.Array(Kind),
  defaults: Type.Boolean({ description: 'True until you have chosen' }),
  version: Type.Integer(),
})
