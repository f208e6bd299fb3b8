import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { DEFAULT_EMAIL_KINDS, type NotificationKind } from './notifications.kinds.ts'
import { insertNotificationsFor } from './notifications.repository.ts'

/**
 * Queues an email, in the caller's transaction, to every user of the agency with one of the roles (or the one
 * user) who wants this kind. The email itself carries a link to `linkPath` and nothing else about the case; the
 * mailer (notifications.mailer.ts) sends it after the transaction commits.
 */
export async function queueEmails(
  trx: Kysely<Database>,
  target: { agencyId: string; roles: readonly string[]; userId?: string | null; kind: NotificationKind; linkPath: string },
): Promise<number> {
  return insertNotificationsFor(trx, { ...target, userId: target.userId ?? null, defaultKinds: DEFAULT_EMAIL_KINDS })
}
