import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { ForbiddenError, StaleVersionError } from '../../lib/errors.ts'
import { parseInput } from '../../lib/schema.ts'
import { DEFAULT_EMAIL_KINDS, NOTIFICATION_KIND_NAMES, type NotificationKind } from './notifications.kinds.ts'
import { PreferencesInput } from './notifications.schemas.ts'
import * as repo from './notifications.repository.ts'

export interface NotificationPreferences {
  emailKinds: NotificationKind[]
  /** True until the user has chosen: the defaults apply. */
  defaults: boolean
  /** The version to send back with a change (0 before the first choice). */
  version: number
}

/** Preferences are a person's own: a partner system's token has none. */
function requireUser(actor: Actor): string {
  if (actor.kind !== 'user' || !actor.userId) throw new ForbiddenError('Email preferences belong to a signed-in person')
  return actor.userId
}

export function createNotificationsService(db: Kysely<Database>) {
  return {
    async preferences(actor: Actor): Promise<NotificationPreferences> {
      const row = await repo.findPreference(db, requireUser(actor))
      if (!row) return { emailKinds: [...DEFAULT_EMAIL_KINDS], defaults: true, version: 0 }
      return { emailKinds: row.email_kinds.filter((kind): kind is NotificationKind => (NOTIFICATION_KIND_NAMES as string[]).includes(kind)), defaults: false, version: row.version }
    },

    /** Chooses which emails to receive (none is a choice too); send the version you read (0 the first time). */
    async choose(actor: Actor, rawInput: PreferencesInput): Promise<NotificationPreferences> {
      const userId = requireUser(actor)
      const input = parseInput(PreferencesInput, rawInput)
      const kinds = NOTIFICATION_KIND_NAMES.filter((kind) => input.emailKinds.includes(kind))
      const current = await repo.findPreference(db, userId)
      const applied = await repo.upsertPreference(db, userId, kinds, input.version === 0 ? null : input.version)
      if (!applied) throw new StaleVersionError('Your email preferences', current?.version ?? 0)
      return this.preferences(actor)
    },
  }
}

export type NotificationsService = ReturnType<typeof createNotificationsService>
