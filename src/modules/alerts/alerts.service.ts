import type { Kysely } from 'kysely'
import type { Database, EventPayload } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import type { Clock } from '../../lib/clock.ts'
import { pageWindow, type Page, type PageRequest } from '../../lib/pagination.ts'
import { ConflictError, ForbiddenError, NotFoundError, StaleVersionError } from '../../lib/errors.ts'
import { appendEvent } from '../events/events.outbox.ts'
import { queueEmails } from '../notifications/notifications.queue.ts'
import { ALERT_RULES, type AlertRule } from './alerts.rules.ts'
import { isCaseAgencyKind, SUPERVISOR_ROLE } from './recipients.ts'
import * as repo from './alerts.repository.ts'

export interface Alert {
  id: string
  rule: AlertRule
  title: string
  personId: string | null
  episodeId: string | null
  agencyId: string
  roles: string[]
  userId: string | null
  detail: EventPayload
  raisedAt: Date
  acknowledgedAt: Date | null
  acknowledgedByUserId: string | null
  escalatedAt: Date | null
  escalatedToRole: string | null
  version: number
}

export interface AlertQuery extends Partial<PageRequest> {
  state?: 'open' | 'acknowledged' | 'all'
}

function toAlert(row: repo.AlertRow): Alert {
  const rule = row.rule as AlertRule
  return {
    id: row.id,
    rule,
    title: ALERT_RULES[rule],
    personId: row.person_id,
    episodeId: row.episode_id,
    agencyId: row.agency_id,
    roles: row.roles,
    userId: row.user_id,
    detail: row.detail,
    raisedAt: row.raised_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedByUserId: row.acknowledged_by_user_id,
    escalatedAt: row.escalated_at,
    escalatedToRole: row.escalated_to_role,
    version: row.version,
  }
}

/** Whether an alert reaches this actor: their agency, and a role it names (and the user, if it names one), or its escalation role. */
function reaches(actor: Actor, alert: repo.AlertRow): boolean {
  if (alert.agency_id !== actor.agencyId) return false
  const addressed = actor.roles.some((role) => alert.roles.includes(role)) && (alert.user_id === null || alert.user_id === actor.userId)
  const escalated = alert.escalated_to_role !== null && actor.roles.some((role) => role === alert.escalated_to_role)
  return addressed || escalated
}

export function createAlertsService(db: Kysely<Database>, clock: Clock, options: { escalateAfterMinutes: number }) {
  return {
    /** Minutes an alert may stay unacknowledged before it escalates (ALERT_ESCALATION_MINUTES). */
    escalateAfterMinutes: options.escalateAfterMinutes,

    /** The alerts that reach the actor, unacknowledged first, then newest first; by default only those nobody has acknowledged. */
    async list(actor: Actor, query: AlertQuery): Promise<Page<Alert>> {
      const window = pageWindow(query)
      const filter: repo.AlertFilter = { agencyId: actor.agencyId, state: query.state ?? 'open', roles: actor.roles, userId: actor.userId }
      const [rows, total] = await Promise.all([repo.listAlerts(db, filter, window), repo.countAlerts(db, filter)])
      return { page: window.page, pageSize: window.pageSize, total, items: rows.map(toAlert) }
    },

    async get(actor: Actor, id: string): Promise<Alert> {
      const row = await repo.findAlert(db, id)
      if (!row || !reaches(actor, row)) throw new NotFoundError('Alert')
      return toAlert(row)
    },

    /** One alert for its page: with the name of the colleague who acknowledged it (of the same agency), if anyone has. */
    async detail(actor: Actor, id: string): Promise<Alert & { acknowledgedByName: string | null }> {
      const alert = await this.get(actor, id)
      const acknowledgedByName = alert.acknowledgedByUserId ? await repo.acknowledgerName(db, alert.acknowledgedByUserId, alert.agencyId) : null
      return { ...alert, acknowledgedByName }
    },

    /** A person (never a system token) of the alerted agency and role says they have it; once. */
    async acknowledge(actor: Actor, id: string, version: number): Promise<Alert> {
      return db.transaction().execute(async (trx) => {
        const current = await repo.lockAlert(trx, id)
        if (!current || !reaches(actor, current)) throw new NotFoundError('Alert')
        if (actor.kind !== 'user' || !actor.userId) throw new ForbiddenError('An alert is acknowledged by a person: sign in as yourself')
        if (current.acknowledged_at) throw new ConflictError('This alert has already been acknowledged')
        const row = await repo.acknowledgeAlert(trx, id, version, actor.userId, clock.now())
        if (!row) throw new StaleVersionError('The alert', current.version)
        await appendEvent(trx, {
          type: 'alert.acknowledged',
          actor,
          personId: row.person_id,
          episodeId: row.episode_id,
          subject: { type: 'alert', id },
          payload: { alertId: id, rule: row.rule },
          audience: [{ agencyId: row.agency_id, roles: [...row.roles, ...(row.escalated_to_role ? [row.escalated_to_role] : [])], userId: null }],
        })
        return toAlert(row)
      })
    },

    /**
     * Alerts nobody acknowledged within the escalation time go to the supervising role of the agency, once:
     * published to that role and emailed to those who want it. Safe on every instance at once (SKIP LOCKED).
     */
    async escalateUnacknowledged(limit = 200): Promise<number> {
      const now = clock.now()
      const cutoff = new Date(now.getTime() - options.escalateAfterMinutes * 60_000)
      return db.transaction().execute(async (trx) => {
        const kinds = new Map<string, string>()
        const roleOf = async (alert: repo.AlertRow) => {
          let kind = kinds.get(alert.agency_id)
          if (!kind) {
            kind = (await repo.findAgencies(trx, [alert.agency_id]))[0]?.kind ?? ''
            kinds.set(alert.agency_id, kind)
          }
          return isCaseAgencyKind(kind) ? SUPERVISOR_ROLE[kind] : (alert.roles[0] ?? '')
        }
        const escalated = await repo.escalateUnacknowledged(trx, cutoff, now, roleOf, limit)
        for (const alert of escalated) {
          const role = alert.escalated_to_role ?? ''
          await appendEvent(trx, {
            type: 'alert.escalated',
            actor: null,
            personId: alert.person_id,
            episodeId: alert.episode_id,
            subject: { type: 'alert', id: alert.id },
            payload: { alertId: alert.id, rule: alert.rule, escalatedToRole: role },
            audience: [{ agencyId: alert.agency_id, roles: [role, ...alert.roles], userId: null }],
          })
          await queueEmails(trx, { agencyId: alert.agency_id, roles: [role], kind: 'alert_escalated', linkPath: `/alerts/${alert.id}` })
        }
        return escalated.length
      })
    },
  }
}

export type AlertsService = ReturnType<typeof createAlertsService>
