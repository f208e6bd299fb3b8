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
const LEASE_MS = 60_000

/** The whole email: a subject of its kind, and one link. */
export function emailFor(kind: NotificationKind, link: string): { subject: string; text: string } {
  return {
    subject: SUBJECTS[kind],
    text: `There is something in Lantern for you to look at:\n\n${link}\n\nThis email holds no case details: sign in to Lantern to see them.\n`,
  }
}

export function createMailer(db: Kysely<Database>, clock: Clock, options: { smtp: SmtpConfig | null; publicUrl: string }) {
  const transport = options.smtp
    ? nodemailer.createTransport(options.smtp.url, { from: options.smtp.from, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 })
    : null

  return {
    enabled: transport !== null,

    /**
     * Sends the due emails once each; a refused or failed send is tried again later, then marked failed. Without an
     * SMTP relay it only expires what is too old. Safe on every instance at once (emails are leased).
     */
    async sendDue(limit = 20): Promise<{ sent: number; failed: number; expired: number }> {
      const now = clock.now()
      const counts = { sent: 0, failed: 0, expired: await repo.expireNotifications(db, new Date(now.getTime() - EMAIL_EXPIRY_HOURS * 3_600_000)) }
      if (!transport) return counts
      const claimed = await repo.claimDueNotifications(db, now, new Date(now.getTime() + LEASE_MS), limit)
      for (const email of claimed) {
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
