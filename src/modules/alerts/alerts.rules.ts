import type { Kysely } from 'kysely'
import type { Database, EventPayload } from '../../db/database.ts'
import { uuidv7 } from '../../lib/ids.ts'
import type { Role } from '../access/roles.ts'
import type { LiveEvent } from '../events/events.model.ts'
import { appendEvent } from '../events/events.outbox.ts'
import { queueEmails } from '../notifications/notifications.queue.ts'
import { CASE_ROLES, isCaseAgencyKind, policeForceCodeOfAuthority, SUPERVISOR_ROLE } from './recipients.ts'
import * as repo from './alerts.repository.ts'

// Who must know, told at once (issue 7): each rule names the agencies (and roles) to alert when an event happens.
// Alerts are written in the transaction of the event that raises them, so they cannot be lost between the two.

export const ALERT_RULES = {
  child_matched_elsewhere: 'Your child was encountered or matched elsewhere: an encounter search or a new record matched their open episode',
  placed_child_missing: 'A child placed in your area has gone missing',
  referred_child_missing: 'A child with an open NRM referral has gone missing',
  repeat_missing: 'A child has gone missing for the third time (or more) in 90 days',
} as const
export type AlertRule = keyof typeof ALERT_RULES
export const ALERT_RULE_NAMES = Object.keys(ALERT_RULES) as [AlertRule, ...AlertRule[]]

/** Repeat missing: the third missing episode within this many days (the coordinator's pattern work, APP stage 8). */
export const REPEAT_MISSING_DAYS = 90
export const REPEAT_MISSING_COUNT = 3

/**
 * An `identity.matched` event alerts at or above this match probability. Issue 5's matcher emits the event only
 * for candidates at or above it (and this rule checks again), so a weak candidate in a search list alerts nobody.
 */
export const IDENTITY_MATCH_ALERT_PROBABILITY = 0.9

interface Recipient {
  agencyId: string
  kind: string
  roles: Role[]
  userId: string | null
}

/** Raises one alert for one recipient, unless the same one is still open; publishes and emails it. */
async function raise(
  trx: Kysely<Database>,
  cause: LiveEvent,
  rule: AlertRule,
  recipient: Recipient,
  subject: { personId: string; episodeId: string },
  detail: EventPayload,
): Promise<void> {
  const alert = await repo.insertAlertOnce(trx, {
    id: uuidv7(),
    rule,
    dedupe_key: `${rule}:${recipient.agencyId}:${recipient.userId ?? ''}:${subject.episodeId}`,
    person_id: subject.personId,
    episode_id: subject.episodeId,
    agency_id: recipient.agencyId,
    roles: recipient.roles,
    user_id: recipient.userId,
    detail: JSON.stringify({ ...detail, causeEventSeq: cause.seq }),
    raised_at: new Date(cause.occurredAt),
    acknowledged_at: null,
    acknowledged_by_user_id: null,
    escalated_at: null,
    escalated_to_role: null,
  })
  if (!alert) return
  await appendEvent(trx, {
    type: 'alert.raised',
    actor: null,
    personId: subject.personId,
    episodeId: subject.episodeId,
    subject: { type: 'alert', id: alert.id },
    payload: { alertId: alert.id, rule },
    audience: [{ agencyId: recipient.agencyId, roles: recipient.roles, userId: recipient.userId }],
  })
  await queueEmails(trx, { agencyId: recipient.agencyId, roles: recipient.roles, userId: recipient.userId, kind: 'alert_raised', linkPath: `/alerts/${alert.id}` })
}

/** Everyone working cases at each agency, except those who already know (the agency that acted, the episode's owner). */
async function caseWorkersOf(trx: Kysely<Database>, agencyIds: readonly (string | null)[], except: readonly (string | null)[]): Promise<Recipient[]> {
  const wanted = [...new Set(agencyIds.filter((id): id is string => id !== null && !except.includes(id)))]
  const agencies = await repo.findAgencies(trx, wanted)
  return agencies.flatMap((agency) => (isCaseAgencyKind(agency.kind) ? [{ agencyId: agency.id, kind: agency.kind, roles: CASE_ROLES[agency.kind], userId: null }] : []))
}

/** A child goes missing (reported, or an ended episode reopened): the placement, referral and repeat rules. */
async function alertsForMissing(trx: Kysely<Database>, event: LiveEvent, episodeId: string): Promise<void> {
  const facts = await repo.findMissingFacts(trx, episodeId, REPEAT_MISSING_DAYS)
  // An A ("away": whereabouts known) is not missing; an episode already over alerts nobody.
  if (!facts || facts.ended_at !== null || facts.la_category === 'A') return
  const subject = { personId: facts.person_id, episodeId }
  const alreadyKnow = [event.actorAgencyId, facts.owning_agency_id]

  // The host authority and the host force: the force of the area the child is placed in.
  if (facts.placement) {
    const forceCode = policeForceCodeOfAuthority(facts.placement.host_code)
    const hostForce = forceCode ? await repo.findAgencyByCode(trx, forceCode) : undefined
    const detail = { careEpisodeId: facts.placement.id, responsibleAgencyId: facts.placement.responsible_agency_id, hostAgencyId: facts.placement.host_agency_id }
    for (const recipient of await caseWorkersOf(trx, [facts.placement.host_agency_id, hostForce?.id ?? null], alreadyKnow))
      await raise(trx, event, 'placed_child_missing', recipient, subject, detail)
  }

  // The competent authority deciding an open referral, and the child's guardian (or the guardian service).
  if (facts.open_referrals.length > 0) {
    const detail = { referralIds: facts.open_referrals.map((referral) => referral.id) }
    for (const recipient of await caseWorkersOf(trx, facts.open_referrals.map((referral) => referral.competent_authority_id), alreadyKnow))
      await raise(trx, event, 'referred_child_missing', recipient, subject, detail)
    for (const guardian of facts.guardians)
      await raise(trx, event, 'referred_child_missing', { agencyId: guardian.guardian_agency_id, kind: 'ictg_service', roles: [...CASE_ROLES.ictg_service], userId: guardian.guardian_user_id }, subject, detail)
  }

  // The third time in 90 days: the owning agency's coordinator (a force) or missing-from-care lead (an authority).
  if (facts.missing_in_window >= REPEAT_MISSING_COUNT) {
    const [owner] = await repo.findAgencies(trx, [facts.owning_agency_id])
    if (owner && isCaseAgencyKind(owner.kind))
      await raise(trx, event, 'repeat_missing', { agencyId: owner.id, kind: owner.kind, roles: [SUPERVISOR_ROLE[owner.kind]], userId: null }, subject, {
        missingEpisodesIn90Days: facts.missing_in_window,
      })
  }
}

/** A match above the threshold: the owning force or authority, the other agency's linked record, the responsible authority. */
async function alertsForMatch(trx: Kysely<Database>, event: LiveEvent): Promise<void> {
  const probability = event.payload.matchProbability
  if (!event.episodeId || typeof probability !== 'number' || probability < IDENTITY_MATCH_ALERT_PROBABILITY) return
  const facts = await repo.findMatchFacts(trx, event.episodeId)
  if (!facts || facts.ended_at !== null) return
  const detail: EventPayload = {
    matchProbability: probability,
    source: typeof event.payload.source === 'string' ? event.payload.source : null,
    matchedByAgencyId: event.actorAgencyId,
    otherPersonId: typeof event.payload.otherPersonId === 'string' ? event.payload.otherPersonId : null,
  }
  // "Elsewhere": the agency whose search or record made the match is not told about it.
  const recipients = await caseWorkersOf(trx, [facts.owning_agency_id, facts.linked_agency_id, facts.responsible_agency_id], [event.actorAgencyId])
  for (const recipient of recipients) await raise(trx, event, 'child_matched_elsewhere', recipient, { personId: facts.person_id, episodeId: facts.id }, detail)
}

/** Applies the alert rules to an event, in its transaction (called by `recordEvent`). */
export async function raiseAlerts(trx: Kysely<Database>, event: LiveEvent): Promise<void> {
  if ((event.type === 'episode.reported' || event.type === 'episode.reopened') && event.episodeId) await alertsForMissing(trx, event, event.episodeId)
  if (event.type === 'identity.matched') await alertsForMatch(trx, event)
}
