import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { addDays, startOfLondonDay } from '../../lib/dates.ts'
import { uuidv7 } from '../../lib/ids.ts'
import type { Role } from '../access/roles.ts'
import type { LiveEvent } from '../events/events.model.ts'
import { appendEvent } from '../events/events.outbox.ts'
import { agencyAudience, CASE_ROLES } from '../alerts/recipients.ts'
import { queueEmails } from '../notifications/notifications.queue.ts'
import { addWorkingDays } from './working-days.ts'
import * as repo from './deadlines.repository.ts'

// Statutory deadlines as tasks with owners. Each rule works out, from the records as they are now, what a task
// should be (open and due when, done, or cancelled), so an event replayed or arriving twice changes nothing, and an
// episode reopened or re-dated is handled the same way as a new one.

const HOUR = 3_600_000

/** Forces notify the UK Missing Persons Unit of anyone missing more than 72 hours (DOMAIN-SOURCES.md §1.3, stage 5). */
export const UKMPU_NOTIFICATION_HOURS = 72
/** A return home interview is offered within 72 hours of the child's return (DfE statutory guidance 2014, §4). */
export const RETURN_HOME_INTERVIEW_HOURS = 72
/**
 * The prevention interview "should happen for every returned missing person", as soon as possible (§1.4); the
 * sources set no hour. Lantern's default deadline: 72 hours, alongside the return home interview.
 */
export const PREVENTION_INTERVIEW_HOURS = 72
/** The competent authority aims to decide reasonable grounds within 5 working days of the referral (§5.1, stage 2). */
export const REASONABLE_GROUNDS_WORKING_DAYS = 5
/**
 * APP: risk "should be reviewed continually", with a "latest review time set to reassess" (§1.2). The assessor's
 * `nextReviewDueAt` is that time; when none is set, Lantern's default interval by grade (a force policy sets its own:
 * APP fixes no hours).
 */
export const RISK_REVIEW_HOURS: Record<string, number> = { high: 4, medium: 12, low: 24, very_low: 72 }

export const TASK_KINDS = {
  ukmpu_notification: { agencyKind: 'police_force', ownerRole: 'police_officer', title: 'Notify the UK Missing Persons Unit (missing 72 hours)' },
  return_home_interview: { agencyKind: 'local_authority', ownerRole: 'social_worker', title: 'Offer a return home interview (within 72 hours of return)' },
  prevention_interview: { agencyKind: 'police_force', ownerRole: 'police_officer', title: 'Prevention interview: safe and well check on return' },
  risk_review: { agencyKind: 'police_force', ownerRole: 'police_officer', title: 'Review the risk assessment' },
  nrm_reasonable_grounds: { agencyKind: 'competent_authority', ownerRole: 'nrm_decision_maker', title: 'Reasonable grounds decision (5 working days)' },
} as const satisfies Record<string, { agencyKind: keyof typeof CASE_ROLES; ownerRole: Role; title: string }>

export type TaskKind = keyof typeof TASK_KINDS
export const TASK_KIND_NAMES = Object.keys(TASK_KINDS) as [TaskKind, ...TaskKind[]]

/** Why a task closed: a code, shown with its meaning. */
export const CLOSED_REASONS = {
  notified: 'The UK Missing Persons Unit was notified',
  found_before_due: 'Found or returned before the deadline: not needed',
  reviewed: 'A new risk assessment was recorded',
  episode_ended: 'The episode ended',
  episode_reopened: 'The episode was reopened: the person is missing again',
  interview_recorded: 'The interview was recorded (done, or the reason it was not)',
  interview_offered: 'The interview was offered, or the reason it was not recorded',
  decided: 'The reasonable grounds decision was made',
} as const
export type ClosedReason = keyof typeof CLOSED_REASONS

interface TaskSpec {
  kind: TaskKind
  key: string
  personId: string
  episodeId: string | null
  referralId: string | null
  ownerAgencyId: string
  ownerUserId: string | null
  dueAt: Date
}

type Desired = { status: 'open' } | { status: 'done' | 'cancelled'; at: Date; reason: ClosedReason }

/** Who hears about a task: everyone working cases at the owning agency (it is on their board). */
function taskAudience(task: { owner_agency_id: string; kind: string }) {
  return [agencyAudience(task.owner_agency_id, TASK_KINDS[task.kind as TaskKind].agencyKind)]
}

export async function appendTaskEvent(trx: Kysely<Database>, type: 'task.created' | 'task.updated' | 'task.escalated', task: repo.TaskRow) {
  await appendEvent(trx, {
    type,
    actor: null,
    personId: task.person_id,
    episodeId: task.episode_id,
    subject: { type: 'task', id: task.id },
    payload: { taskId: task.id, kind: task.kind, status: task.status, dueAt: task.due_at.toISOString(), escalatedToRole: task.escalated_to_role },
    audience: taskAudience(task),
  })
}

/** Brings one task (`existing`, read and locked by the caller) to the desired state, creating it if it should exist; each change is an event. */
async function settle(trx: Kysely<Database>, existing: repo.TaskRow | undefined, spec: TaskSpec, desired: Desired): Promise<void> {
  const closed = desired.status === 'open' ? { closed_at: null, closed_reason: null } : { closed_at: desired.at, closed_reason: desired.reason }
  if (!existing) {
    // Nothing to cancel: a task is only made to be done, or as a record that it was done.
    if (desired.status === 'cancelled') return
    const task = await repo.insertTask(trx, {
      id: uuidv7(),
      kind: spec.kind,
      key: spec.key,
      person_id: spec.personId,
      episode_id: spec.episodeId,
      referral_id: spec.referralId,
      owner_agency_id: spec.ownerAgencyId,
      owner_role: TASK_KINDS[spec.kind].ownerRole,
      owner_user_id: spec.ownerUserId,
      due_at: spec.dueAt,
      status: desired.status,
      ...closed,
      escalated_at: null,
      escalated_to_role: null,
    })
    await appendTaskEvent(trx, 'task.created', task)
    if (task.status === 'open') {
      await queueEmails(trx, {
        agencyId: task.owner_agency_id,
        roles: task.owner_user_id ? CASE_ROLES[TASK_KINDS[spec.kind].agencyKind] : [task.owner_role],
        userId: task.owner_user_id,
        kind: 'task_created',
        linkPath: `/tasks/${task.id}`,
      })
    }
    return
  }
  const changes: repo.TaskChanges = {}
  if (existing.status !== desired.status) Object.assign(changes, { status: desired.status, ...closed })
  if (existing.due_at.getTime() !== spec.dueAt.getTime()) {
    changes.due_at = spec.dueAt
    // A new deadline is escalated afresh when it passes.
    changes.escalated_at = null
    changes.escalated_to_role = null
  }
  if (existing.owner_agency_id !== spec.ownerAgencyId) changes.owner_agency_id = spec.ownerAgencyId
  if (Object.keys(changes).length === 0) return
  await appendTaskEvent(trx, 'task.updated', await repo.updateTask(trx, existing.id, changes))
}

function riskReviewDueAt(facts: repo.EpisodeFacts): Date | null {
  if (!facts.risk_assessed_at || !facts.risk_grade) return null
  if (facts.risk_next_review_due_at) return new Date(facts.risk_next_review_due_at)
  return new Date(new Date(facts.risk_assessed_at).getTime() + (RISK_REVIEW_HOURS[facts.risk_grade] ?? 24) * HOUR)
}

async function settleEpisode(trx: Kysely<Database>, episodeId: string): Promise<void> {
  const facts = await repo.findEpisodeFacts(trx, episodeId)
  if (!facts) return
  const base = { personId: facts.person_id, episodeId, referralId: null, ownerAgencyId: facts.owning_agency_id, ownerUserId: facts.created_by_user_id }
  const ended = facts.ended_at
  const tasks = await repo.findTasksOfEpisode(trx, episodeId)
  const existing = (key: string) => tasks.find((task) => task.key === key)
  const done = ended ? await repo.interviewsOfEpisode(trx, episodeId) : { prevention: null, returnHome: null }

  if (facts.recorded_by === 'police') {
    const notificationDue = new Date(facts.started_at.getTime() + UKMPU_NOTIFICATION_HOURS * HOUR)
    const notificationKey = `ukmpu_notification:${episodeId}`
    await settle(
      trx,
      existing(notificationKey),
      { ...base, kind: 'ukmpu_notification', key: notificationKey, dueAt: notificationDue },
      facts.ukmpu_notified_at
        ? { status: 'done', at: facts.ukmpu_notified_at, reason: 'notified' }
        : ended && ended < notificationDue
          ? { status: 'cancelled', at: ended, reason: 'found_before_due' }
          : { status: 'open' },
    )

    const reviewDue = riskReviewDueAt(facts)
    if (reviewDue && facts.risk_assessment_id && facts.risk_assessed_at) {
      const latestKey = `risk_review:${facts.risk_assessment_id}`
      for (const earlier of tasks) {
        if (earlier.kind === 'risk_review' && earlier.key !== latestKey && earlier.status === 'open')
          await settle(trx, earlier, { ...base, kind: 'risk_review', key: earlier.key, dueAt: earlier.due_at }, { status: 'done', at: new Date(facts.risk_assessed_at), reason: 'reviewed' })
      }
      await settle(
        trx,
        existing(latestKey),
        { ...base, kind: 'risk_review', key: latestKey, dueAt: reviewDue },
        ended ? { status: 'cancelled', at: ended, reason: 'episode_ended' } : { status: 'open' },
      )
    }

    const interviewKey = `prevention_interview:${episodeId}`
    if (ended) {
      const dueAt = new Date(ended.getTime() + PREVENTION_INTERVIEW_HOURS * HOUR)
      await settle(trx, existing(interviewKey), { ...base, kind: 'prevention_interview', key: interviewKey, dueAt }, done.prevention ? { status: 'done', at: done.prevention, reason: 'interview_recorded' } : { status: 'open' })
    } else {
      await cancelIfOpen(trx, existing(interviewKey), 'episode_reopened')
    }
  }

  // The return home interview follows a child's missing (M) episode: an A is "away", whereabouts known.
  if (facts.recorded_by === 'local_authority' && facts.la_category === 'M') {
    const interviewKey = `return_home_interview:${episodeId}`
    if (ended) {
      const dueAt = new Date(ended.getTime() + RETURN_HOME_INTERVIEW_HOURS * HOUR)
      await settle(trx, existing(interviewKey), { ...base, kind: 'return_home_interview', key: interviewKey, dueAt }, done.returnHome ? { status: 'done', at: done.returnHome, reason: 'interview_offered' } : { status: 'open' })
    } else {
      await cancelIfOpen(trx, existing(interviewKey), 'episode_reopened')
    }
  }
}

async function cancelIfOpen(trx: Kysely<Database>, task: repo.TaskRow | undefined, reason: ClosedReason): Promise<void> {
  if (!task || task.status !== 'open') return
  await appendTaskEvent(trx, 'task.updated', await repo.updateTask(trx, task.id, { status: 'cancelled', closed_at: new Date(), closed_reason: reason }))
}

/** The reasonable-grounds deadline: the end of the fifth working day after the referral, London time. */
export function reasonableGroundsDueAt(referredOn: string): Date {
  return startOfLondonDay(addDays(addWorkingDays(referredOn, REASONABLE_GROUNDS_WORKING_DAYS), 1))
}

async function settleReferral(trx: Kysely<Database>, referralId: string, at: Date): Promise<void> {
  const facts = await repo.findReferralFacts(trx, referralId)
  if (!facts) return
  const key = `nrm_reasonable_grounds:${referralId}`
  await settle(
    trx,
    await repo.findTaskByKey(trx, key),
    {
      kind: 'nrm_reasonable_grounds',
      key,
      personId: facts.person_id,
      episodeId: null,
      referralId,
      ownerAgencyId: facts.competent_authority_id,
      ownerUserId: null,
      dueAt: reasonableGroundsDueAt(facts.referred_on),
    },
    facts.reasonable_grounds_decided_on ? { status: 'done', at, reason: 'decided' } : { status: 'open' },
  )
}

const EPISODE_FIELDS_WITH_DEADLINES = ['started_at', 'ukmpu_notified_at']

/**
 * Applies the deadline rules to an event, in its transaction (called by `recordEvent`). Only the events that can
 * move a deadline are looked at: a sighting or an action changes none.
 */
export async function scheduleDeadlines(trx: Kysely<Database>, event: LiveEvent): Promise<void> {
  switch (event.type) {
    case 'episode.updated': {
      const fields = event.payload.fields
      if (!Array.isArray(fields) || !fields.some((field) => EPISODE_FIELDS_WITH_DEADLINES.includes(field))) return
      if (event.episodeId) await settleEpisode(trx, event.episodeId)
      return
    }
    case 'episode.reported':
    case 'episode.risk_regraded':
    case 'episode.ended':
    case 'episode.reopened':
    case 'interview.prevention_recorded':
    case 'interview.return_home_recorded':
      if (event.episodeId) await settleEpisode(trx, event.episodeId)
      return
    case 'nrm.referral_made':
    case 'nrm.referral_updated':
    case 'nrm.decision_recorded':
      if (event.subject?.type === 'nrm_referral') await settleReferral(trx, event.subject.id, new Date(event.occurredAt))
      return
    default:
      return
  }
}
