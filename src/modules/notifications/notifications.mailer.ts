import nodemailer from 'nodemailer'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { SmtpConfig } from '../../config.ts'
import type { Clock } from '../../lib/clock.ts'
import { SUBJECTS, type NotificationKind } from './notifications.kinds.ts'
import * as repo from './notifications.repository.ts'

// Sends queued emails through the SMTP relay in the configuration. An email says there is something to look at
// and links to it: no name, no date of birth, no place, nothing about the case (issue 7).

/** After a failed attempt the next waits this long; after the last, the email has failed. */
export const EMAIL_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000]
export const EMAIL_MAX_ATTEMPTS = EMAIL_RETRY_DELAYS_MS.length + 1
/** Emails older than this are not sent: what they point to is on the person's board by then. */
export const EMAIL_EXPIRY_HOURS = 24
/** How long an instance holds the emails it claimed: another instance sends none of them before then. */
export const EMAIL_LEASE_MS = 2 * 60_000
/** The SMTP timeouts of one send: connecting, the greeting, then an idle socket. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }
/** The longest one send can take: an email is only begun while this much of the lease is left. */
export const EMAIL_SEND_BUDGET_MS = SMTP_TIMEOUTS.connectionTimeout + SMTP_TIMEOUTS.greetingTimeout + SMTP_TIMEOUTS.socketTimeout

/** The whole email: a subject of its kind, and one link. */
export function emailFor(kind: NotificationKind, link: string): { subject: string; text: string } {
  return {
    subject: SUBJECTS[kind],
    text: `There is something in Lantern for you to look at:\n\n${link}\n\nThis email holds no case details: sign in to Lantern to see them.\n`,
  }
}

export function createMailer(
  db: Kysely<Database>,
  clock: Clock,
  options: { smtp: SmtpConfig | null; publicUrl: string; leaseMs?: number; sendBudgetMs?: number },
) {
  const transport = options.smtp ? nodemailer.createTransport(options.smtp.url, { from: options.smtp.from, ...SMTP_TIMEOUTS }) : null
  const leaseMs = options.leaseMs ?? EMAIL_LEASE_MS
  const sendBudgetMs = options.sendBudgetMs ?? EMAIL_SEND_BUDGET_MS

  return {
    enabled: transport !== null,

    /**
     * Sends the due emails once each; a refused or failed send is tried again later, then marked failed. Without an
     * SMTP relay it only expires what is too old. Safe on every instance at once: emails are leased, and one is only
     * begun while its send can end within the lease (a slow relay hands the rest back, for any instance to send).
     */
    async sendDue(limit = 20): Promise<{ sent: number; failed: number; expired: number }> {
      const now = clock.now()
      const counts = { sent: 0, failed: 0, expired: await repo.expireNotifications(db, new Date(now.getTime() - EMAIL_EXPIRY_HOURS * 3_600_000)) }
      if (!transport) return counts
      const leaseEnds = now.getTime() + leaseMs
      const claimed = await repo.claimDueNotifications(db, now, new Date(leaseEnds), limit)
      for (const [index, email] of claimed.entries()) {
        if (clock.now().getTime() + sendBudgetMs > leaseEnds) {
          await repo.releaseNotifications(db, claimed.slice(index).map((rest) => rest.id), clock.now())
          break
        }
        if (!email.active) {
          counts.expired += 1
          await repo.markNotification(db, email.id, { status: 'expired', attempts: email.attempts, lastError: 'the user is no longer active' })
          continue
        }
        const { subject, text } = emailFor(email.kind as NotificationKind, `${options.publicUrl}${email.link_path}`)
        try {
          await transport.sendMail({ to: email.email, subject, text })
          counts.sent += 1
          await repo.markNotification(db, email.id, { status: 'sent', attempts: email.attempts, sentAt: clock.now(), lastError: null })
        } catch (error) {
          const message = error instanceof Error ? error.message.slice(0, 200) : 'failed'
          const delay = EMAIL_RETRY_DELAYS_MS[email.attempts - 1]
          counts.failed += 1
          if (email.attempts >= EMAIL_MAX_ATTEMPTS || delay === undefined)
            await repo.markNotification(db, email.id, { status: 'failed', attempts: email.attempts, lastError: message })
          else await repo.markNotification(db, email.id, { status: 'pending', attempts: email.attempts, nextAttemptAt: new Date(clock.now().getTime() + delay), lastError: message })
        }
      }
      return counts
    },

    close(): void {
      transport?.close()
    },
  }
}

export type Mailer = ReturnType<typeof createMailer>
