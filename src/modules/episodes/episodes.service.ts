import type { Kysely } from 'kysely'
import type { Database, Row, RowUpdate } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can } from '../access/roles.ts'
import { personReadAllowedSql, personReadFromFacts, personWriteFromFacts, requirePersonRead } from '../access/access.service.ts'
import { auditRowOf, recordAudit } from '../audit/audit.service.ts'
import type { AuditEntry } from '../audit/audit.actions.ts'
import { recordEvent } from '../events/events.service.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { hoursBetween, londonDateOf } from '../../lib/dates.ts'
import { normalisePostcode } from '../../lib/geo.ts'
import { pageWindow, type Page, type PageRequest } from '../../lib/pagination.ts'
import { parseInput } from '../../lib/schema.ts'
import { ConflictError, ForbiddenError, NotFoundError, StaleVersionError, ValidationError, type FieldError } from '../../lib/errors.ts'
import {
  ActionInput,
  ActionUpdateInput,
  CURRENT_APP_VERSION,
  EpisodeEndInput,
  EpisodeInput,
  EpisodeReopenInput,
  EpisodeUpdateInput,
  LinkInput,
  RiskAssessmentWithVersion,
  SightingInput,
  type RiskAssessmentInput,
  type RiskGrade,
} from './episodes.schemas.ts'
import * as repo from './episodes.repository.ts'

/** Forces must notify the UK Missing Persons Unit of anyone missing more than 72 hours (DOMAIN-SOURCES §1.3). */
export const UKMPU_NOTIFICATION_HOURS = 72

export interface RiskAssessment {
  id: string
  assessedAt: Date
  assessorUserId: string | null
  grade: RiskGrade
  appVersion: string
  isInitial: boolean
  rationale: string
  answers: Record<string, { answer: string; explanation: string | null }>
  vulnerabilityFlags: string[]
  informationSource: string | null
  informationObtainedAt: Date | null
  supervisorReviewedAt: Date | null
  nextReviewDueAt: Date | null
}

export interface EpisodeAction {
  id: string
  episodeId: string
  kind: string
  description: string
  ownerUserId: string | null
  dueAt: Date | null
  completedAt: Date | null
  result: string | null
  overdue: boolean
  version: number
  createdAt: Date
}

export interface Sighting {
  id: string
  seenAt: Date
  place: string
  postcode: string | null
  reportedBy: string | null
  notes: string | null
  createdAt: Date
}

export interface Episode {
  id: string
  personId: string
  owningAgencyId: string
  recordedBy: 'police' | 'local_authority'
  laCategory: 'M' | 'A' | null
  startedAt: Date
  endedAt: Date | null
  open: boolean
  hoursMissing: number
  reportedAt: Date | null
  incidentReference: string | null
  continuesEpisodeId: string | null
  linkedEpisodeId: string | null
  lastSeen: { place: string | null; postcode: string | null; by: string | null }
  missingFrom: string | null
  missingFromType: string | null
  circumstances: string | null
  clothing: string | null
  reportedBy: string | null
  currentRiskGrade: RiskGrade | null
  outcome: 'returned' | 'found' | null
  returnMethod: string | null
  harmOutcome: string | null
  foundPlace: string | null
  foundPostcode: string | null
  ukmpuNotifiedAt: Date | null
  ukmpuNotificationDueAt: Date | null
  childRescueAlert: boolean
  riskAssessments: RiskAssessment[]
  actions: EpisodeAction[]
  sightings: Sighting[]
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface EpisodeSummary {
  id: string
  personId: string
  personName: string
  recordedBy: string
  laCategory: string | null
  startedAt: Date
  endedAt: Date | null
  currentRiskGrade: string | null
  nextReviewDueAt: Date | null
  overdueActions: number
  version: number
}

// Rows aggregated with json_agg arrive with instants as text.
const instant = (value: Date | string | null): Date | null => (value === null ? null : new Date(value))
const requiredInstant = (value: Date | string): Date => new Date(value)

function toAction(row: Row<'episode_action'>, now: Date): EpisodeAction {
  const dueAt = instant(row.due_at)
  const completedAt = instant(row.completed_at)
  return {
    id: row.id,
    episodeId: row.episode_id,
    kind: row.kind,
    description: row.description,
    ownerUserId: row.owner_user_id,
    dueAt,
    completedAt,
    result: row.result,
    overdue: completedAt === null && dueAt !== null && dueAt < now,
    version: row.version,
    createdAt: requiredInstant(row.created_at),
  }
}

function toEpisode(row: repo.EpisodeDetailRow, now: Date): Episode {
  const ended = row.ended_at
  const ukmpuDue =
    row.recorded_by === 'police' && ended === null && row.ukmpu_notified_at === null
      ? new Date(row.started_at.getTime() + UKMPU_NOTIFICATION_HOURS * 3_600_000)
      : null
  return {
    id: row.id,
    personId: row.person_id,
    owningAgencyId: row.owning_agency_id,
    recordedBy: row.recorded_by as Episode['recordedBy'],
    laCategory: row.la_category as Episode['laCategory'],
    startedAt: row.started_at,
    endedAt: ended,
    open: ended === null,
    hoursMissing: Math.round(hoursBetween(row.started_at, ended ?? now) * 10) / 10,
    reportedAt: row.reported_at,
    incidentReference: row.incident_reference,
    continuesEpisodeId: row.continues_episode_id,
    linkedEpisodeId: row.linked_episode_id,
    lastSeen: { place: row.last_seen_place, postcode: row.last_seen_postcode, by: row.last_seen_by },
    missingFrom: row.missing_from,
    missingFromType: row.missing_from_type,
    circumstances: row.circumstances,
    clothing: row.clothing,
    reportedBy: row.reported_by,
    currentRiskGrade: row.current_risk_grade as RiskGrade | null,
    outcome: row.outcome as Episode['outcome'],
    returnMethod: row.return_method,
    harmOutcome: row.harm_outcome,
    foundPlace: row.found_place,
    foundPostcode: row.found_postcode,
    ukmpuNotifiedAt: row.ukmpu_notified_at,
    ukmpuNotificationDueAt: ukmpuDue,
    childRescueAlert: row.child_rescue_alert,
    riskAssessments: row.risk_assessments.map((risk) => ({
      id: risk.id,
      assessedAt: requiredInstant(risk.assessed_at),
      assessorUserId: risk.assessor_user_id,
      grade: risk.grade as RiskGrade,
      appVersion: risk.app_version,
      isInitial: risk.is_initial,
      rationale: risk.rationale,
      answers: Object.fromEntries(
        Object.entries(risk.answers).map(([question, answer]) => [question, { answer: answer.answer, explanation: answer.explanation ?? null }]),
      ),
      vulnerabilityFlags: risk.vulnerability_flags,
      informationSource: risk.information_source,
      informationObtainedAt: instant(risk.information_obtained_at),
      supervisorReviewedAt: instant(risk.supervisor_reviewed_at),
      nextReviewDueAt: instant(risk.next_review_due_at),
    })),
    actions: row.actions.map((action) => toAction(action, now)),
    sightings: row.sightings.map((sighting) => ({
      id: sighting.id,
      seenAt: requiredInstant(sighting.seen_at),
      place: sighting.place,
      postcode: sighting.postcode,
      reportedBy: sighting.reported_by,
      notes: sighting.notes,
      createdAt: requiredInstant(sighting.created_at),
    })),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function postcodeOrError(value: string | null | undefined, field: string, errors: FieldError[]): string | null | undefined {
  if (value === undefined || value === null || value.trim() === '') return value === undefined ? undefined : null
  const postcode = normalisePostcode(value)
  if (!postcode) errors.push({ field, message: 'Enter a real postcode, like SW1A 1AA' })
  return postcode
}

function riskRow(episodeId: string, input: RiskAssessmentInput, actor: Actor, isInitial: boolean) {
  return {
    id: uuidv7(),
    episode_id: episodeId,
    assessed_at: new Date(input.assessedAt),
    assessor_user_id: actor.userId,
    grade: input.grade,
    app_version: CURRENT_APP_VERSION,
    is_initial: isInitial,
    rationale: input.rationale.trim(),
    answers: JSON.stringify(input.answers ?? {}),
    vulnerability_flags: input.vulnerabilityFlags ?? [],
    information_source: input.informationSource ?? null,
    information_obtained_at: input.informationObtainedAt ? new Date(input.informationObtainedAt) : null,
    supervisor_reviewed_at: input.supervisorReviewedAt ? new Date(input.supervisorReviewedAt) : null,
    next_review_due_at: input.nextReviewDueAt ? new Date(input.nextReviewDueAt) : null,
  }
}

function checkRiskTimes(input: RiskAssessmentInput, episodeStart: Date, now: Date, prefix: string): FieldError[] {
  const errors: FieldError[] = []
  const assessedAt = new Date(input.assessedAt)
  if (assessedAt > now) errors.push({ field: `${prefix}assessedAt`, message: 'The assessment time must not be in the future' })
  if (assessedAt < episodeStart) errors.push({ field: `${prefix}assessedAt`, message: 'The assessment must not be before the person was last seen' })
  if (input.nextReviewDueAt && new Date(input.nextReviewDueAt) < assessedAt)
    errors.push({ field: `${prefix}nextReviewDueAt`, message: 'The next review must be after the assessment' })
  return errors
}

/**
 * SSDA903 rules on a person's missing periods, checked under the person's row lock:
 * 574 periods never overlap and at most one is open; 567 an end is not before its start;
 * 586 nothing starts on or before the date of birth.
 */
async function checkPeriodRules(
  trx: Kysely<Database>,
  person: { id: string; dob_earliest: string | null },
  period: { id: string | null; start: Date; end: Date | null },
): Promise<void> {
  const errors: FieldError[] = []
  if (period.end && period.end < period.start) errors.push({ field: 'endedAt', message: 'The end must not be before the start (SSDA903 rule 567)' })
  if (person.dob_earliest && londonDateOf(period.start) <= person.dob_earliest)
    errors.push({ field: 'startedAt', message: `The start must be after the date of birth, ${person.dob_earliest} (SSDA903 rule 586)` })
  if (errors.length > 0) throw new ValidationError(errors)
  const conflicts = await repo.findPeriodConflicts(trx, person.id, { start: period.start, end: period.end, excludeId: period.id }, period.end === null)
  if (conflicts.open_episode_id)
    throw new ConflictError(`The person already has an open episode (${conflicts.open_episode_id}): end it before opening another (SSDA903 rule 574)`)
  if (conflicts.overlapping_episode_id) {
    throw new ConflictError(
      `This period overlaps the person's episode ${conflicts.overlapping_episode_id}: missing periods must not overlap (SSDA903 rule 574)`,
    )
  }
}

/** Locks the person for a change to their episodes, by their owning agency only (the write check of src/modules/access). */
async function lockPersonToWrite(trx: Kysely<Database>, actor: Actor, personId: string) {
  const person = await repo.lockPersonForEpisodes(trx, personId, actor)
  // No such person reads as not found, as in the write check.
  if (!person) throw new NotFoundError('Person')
  personWriteFromFacts(actor, personId, person)
  return person
}

export function createEpisodesService(db: Kysely<Database>) {
  async function readEpisode(trx: Kysely<Database>, id: string): Promise<Episode> {
    const row = await repo.findEpisodeDetail(trx, id)
    if (!row) throw new NotFoundError('Episode')
    return toEpisode(row, new Date())
  }

  /** Locks the episode for a change by its owning agency, checking the version read. */
  async function lockOwnEpisode(trx: Kysely<Database>, actor: Actor, id: string, version: number | null) {
    const episode = await repo.findEpisode(trx, id)
    if (!episode) throw new NotFoundError('Episode')
    const person = await lockPersonToWrite(trx, actor, episode.person_id)
    const locked = await repo.findEpisodeForUpdate(trx, id)
    if (!locked) throw new NotFoundError('Episode')
    if (version !== null && locked.version !== version) throw new StaleVersionError('The episode', locked.version)
    return { episode: locked, person }
  }

  return {
    async create(actor: Actor, personId: string, rawInput: EpisodeInput): Promise<Episode> {
      const input = parseInput(EpisodeInput, rawInput)
      const now = new Date()
      const recordedBy = actor.agencyKind === 'police_force' ? 'police' : actor.agencyKind === 'local_authority' ? 'local_authority' : null
      if (!recordedBy || !can.workCases(actor)) throw new ForbiddenError('Only police forces and local authorities record missing episodes')
      const errors: FieldError[] = []
      const startedAt = new Date(input.startedAt)
      if (startedAt > now) errors.push({ field: 'startedAt', message: 'The time last seen must not be in the future' })
      if (recordedBy === 'local_authority' && !input.laCategory)
        errors.push({ field: 'laCategory', message: 'Say whether the child is missing (M) or away without authorisation (A)' })
      if (recordedBy === 'police' && input.laCategory)
        errors.push({ field: 'laCategory', message: 'Only a local authority records the SSDA903 category' })
      if (recordedBy === 'police' && !input.initialRisk)
        errors.push({ field: 'initialRisk', message: 'Grade the initial risk (APP: every report is risk assessed)' })
      if (input.initialRisk) errors.push(...checkRiskTimes(input.initialRisk, startedAt, now, 'initialRisk/'))
      const lastSeenPostcode = postcodeOrError(input.lastSeen?.postcode, 'lastSeen/postcode', errors)
      if (input.reportedAt && new Date(input.reportedAt) < startedAt)
        errors.push({ field: 'reportedAt', message: 'The report must not be before the person was last seen' })
      if (errors.length > 0) throw new ValidationError(errors)

      const id = uuidv7()
      return db.transaction().execute(async (trx) => {
        const person = await lockPersonToWrite(trx, actor, personId)
        if (input.continuesEpisodeId) {
          // DfE: when whereabouts become unknown, an A becomes an M as two episodes; the end of one is the start of the next.
          const previous = await repo.findEpisode(trx, input.continuesEpisodeId)
          if (!previous || previous.person_id !== personId)
            throw new ValidationError([{ field: 'continuesEpisodeId', message: "It must be one of this person's episodes" }])
          if (previous.la_category === null || previous.la_category === input.laCategory)
            throw new ValidationError([{ field: 'continuesEpisodeId', message: 'A continuing episode changes the category (A to M, or M to A)' }])
          if (previous.ended_at === null || previous.ended_at.getTime() !== startedAt.getTime())
            throw new ValidationError([{ field: 'continuesEpisodeId', message: 'End the previous episode at the moment this one starts' }])
        }
        await checkPeriodRules(trx, person, { id: null, start: startedAt, end: null })
        const episode = {
          id,
          person_id: personId,
          owning_agency_id: actor.agencyId,
          recorded_by: recordedBy,
          started_at: startedAt,
          reported_at: input.reportedAt ? new Date(input.reportedAt) : recordedBy === 'police' ? now : null,
          incident_reference: input.incidentReference ?? null,
          la_category: input.laCategory ?? null,
          continues_episode_id: input.continuesEpisodeId ?? null,
          last_seen_place: input.lastSeen?.place ?? null,
          last_seen_postcode: lastSeenPostcode ?? null,
          last_seen_by: input.lastSeen?.by ?? null,
          missing_from: input.missingFrom ?? null,
          missing_from_type: input.missingFromType ?? null,
          circumstances: input.circumstances ?? null,
          clothing: input.clothing ?? null,
          reported_by: input.reportedBy ?? null,
          child_rescue_alert: input.childRescueAlert ?? false,
          current_risk_grade: input.initialRisk?.grade ?? null,
          created_by_user_id: actor.userId,
        }
        const risk = input.initialRisk ? riskRow(id, input.initialRisk, actor, true) : null
        const audits: AuditEntry[] = [{ action: 'CREATE_EPISODE', subjectPersonId: personId, recordType: 'missing_episode', recordId: id }]
        if (risk)
          audits.push({ action: 'RECORD_RISK_ASSESSMENT', subjectPersonId: personId, recordType: 'risk_assessment', recordId: risk.id, detail: { grade: risk.grade } })
        // The episode, its initial risk assessment and their audit rows: one statement (docs/adr/0021).
        const created = await repo.insertEpisodeReturningDetail(trx, episode, risk, audits.map((entry) => auditRowOf(actor, entry)))
        await recordEvent(trx, {
          type: 'episode.reported',
          actor,
          personId,
          episodeId: id,
          payload: { recordedBy, laCategory: input.laCategory ?? null, riskGrade: input.initialRisk?.grade ?? null },
        })
        // The event's rules (deadlines, alerts) change no episode, risk assessment, action or sighting.
        return toEpisode(created, now)
      })
    },

    async get(actor: Actor, id: string): Promise<Episode> {
      // One statement reads the episode and its person's access facts and writes the read's audit row when the
      // access rules allow the read (docs/adr/0021): one round trip on the hot path. The subject is the
      // episode's person, which the statement finds.
      const audit = auditRowOf(actor, { action: 'VIEW_EPISODE', subjectPersonId: null, recordType: 'missing_episode', recordId: id })
      const row = await repo.readEpisodeDetailAudited(db, id, actor, (facts) => personReadAllowedSql(actor, facts), audit)
      if (!row) throw new NotFoundError('Episode')
      // The same rules in TypeScript give the refusal its answer (not found, purpose required).
      personReadFromFacts(actor, row.person_id, row.access_facts)
      // A read whose log was not written returns nothing (docs/adr/0005): the two checks must agree.
      if (!row.audited) throw new Error(`The read of episode ${id} was allowed but its audit row was not written`)
      return toEpisode(row, new Date())
    },

    async listForPerson(actor: Actor, personId: string): Promise<Omit<Episode, 'riskAssessments' | 'actions' | 'sightings'>[]> {
      await requirePersonRead(db, actor, personId)
      const rows = await repo.listEpisodesOfPerson(db, personId)
      await recordAudit(db, actor, [{ action: 'LIST_EPISODES', subjectPersonId: personId, recordType: 'person', recordId: personId }])
      const now = new Date()
      return rows.map((row) => {
        const { riskAssessments: _r, actions: _a, sightings: _s, ...episode } = toEpisode({ ...row, risk_assessments: [], actions: [], sightings: [] }, now)
        return episode
      })
    },

    /** The actor's own agency's episodes, high risk first then longest missing: the force and LA boards. */
    async listForAgency(actor: Actor, query: Partial<PageRequest> & repo.AgencyEpisodeFilter): Promise<Page<EpisodeSummary>> {
      if (!can.workCases(actor)) throw new ForbiddenError('Your role cannot list episodes')
      const window = pageWindow(query)
      const filter: repo.AgencyEpisodeFilter = {
        open: query.open,
        risk: query.risk,
        laCategory: query.laCategory,
        reviewOverdue: query.reviewOverdue,
        actionsOverdue: query.actionsOverdue,
      }
      const { rows, total } = await repo.listEpisodesOfAgency(db, actor.agencyId, filter, window, new Date())
      await recordAudit(
        db,
        actor,
        rows.map((row) => ({ action: 'LIST_EPISODES' as const, subjectPersonId: row.person_id, recordType: 'missing_episode' as const, recordId: row.id })),
      )
      return {
        page: window.page,
        pageSize: window.pageSize,
        total,
        items: rows.map((row) => ({
          id: row.id,
          personId: row.person_id,
          personName: row.person_name,
          recordedBy: row.recorded_by,
          laCategory: row.la_category,
          startedAt: row.started_at,
          endedAt: row.ended_at,
          currentRiskGrade: row.current_risk_grade,
          nextReviewDueAt: instant(row.next_review_due_at),
          overdueActions: Number(row.overdue_actions),
          version: row.version,
        })),
      }
    },

    async update(actor: Actor, id: string, rawInput: EpisodeUpdateInput): Promise<Episode> {
      const input = parseInput(EpisodeUpdateInput, rawInput)
      const errors: FieldError[] = []
      const lastSeenPostcode = postcodeOrError(input.lastSeen?.postcode, 'lastSeen/postcode', errors)
      if (input.startedAt && new Date(input.startedAt) > new Date()) errors.push({ field: 'startedAt', message: 'The time last seen must not be in the future' })
      if (errors.length > 0) throw new ValidationError(errors)
      return db.transaction().execute(async (trx) => {
        const { episode, person } = await lockOwnEpisode(trx, actor, id, input.version)
        const changes: RowUpdate<'missing_episode'> = {}
        if (input.startedAt !== undefined) {
          const start = new Date(input.startedAt)
          await checkPeriodRules(trx, person, { id, start, end: episode.ended_at })
          changes.started_at = start
        }
        if (input.reportedAt !== undefined) changes.reported_at = input.reportedAt ? new Date(input.reportedAt) : null
        if (input.incidentReference !== undefined) changes.incident_reference = input.incidentReference
        if (input.lastSeen?.place !== undefined) changes.last_seen_place = input.lastSeen.place
        if (lastSeenPostcode !== undefined) changes.last_seen_postcode = lastSeenPostcode
        if (input.lastSeen?.by !== undefined) changes.last_seen_by = input.lastSeen.by
        if (input.missingFrom !== undefined) changes.missing_from = input.missingFrom
        if (input.missingFromType !== undefined) changes.missing_from_type = input.missingFromType
        if (input.circumstances !== undefined) changes.circumstances = input.circumstances
        if (input.clothing !== undefined) changes.clothing = input.clothing
        if (input.reportedBy !== undefined) changes.reported_by = input.reportedBy
        if (input.childRescueAlert !== undefined) changes.child_rescue_alert = input.childRescueAlert
        if (input.ukmpuNotifiedAt !== undefined) {
          if (input.ukmpuNotifiedAt && new Date(input.ukmpuNotifiedAt) < episode.started_at)
            throw new ValidationError([{ field: 'ukmpuNotifiedAt', message: 'The notification must not be before the person went missing' }])
          changes.ukmpu_notified_at = input.ukmpuNotifiedAt ? new Date(input.ukmpuNotifiedAt) : null
        }
        await repo.updateEpisodeVersioned(trx, id, input.version, changes)
        await recordAudit(trx, actor, [
          { action: 'UPDATE_EPISODE', subjectPersonId: episode.person_id, recordType: 'missing_episode', recordId: id, detail: { fields: Object.keys(changes) } },
        ])
        await recordEvent(trx, { type: 'episode.updated', actor, personId: episode.person_id, episodeId: id, payload: { fields: Object.keys(changes) } })
        return readEpisode(trx, id)
      })
    },

    /** Found or returned: the episode ends (a police record is located, an LA period gets its MIS_END). */
    async end(actor: Actor, id: string, rawInput: EpisodeEndInput): Promise<Episode> {
      const input = parseInput(EpisodeEndInput, rawInput)
      const errors: FieldError[] = []
      const foundPostcode = postcodeOrError(input.foundPostcode, 'foundPostcode', errors)
      const endedAt = new Date(input.endedAt)
      if (endedAt > new Date()) errors.push({ field: 'endedAt', message: 'The end must not be in the future' })
      if (errors.length > 0) throw new ValidationError(errors)
      return db.transaction().execute(async (trx) => {
        const { episode, person } = await lockOwnEpisode(trx, actor, id, input.version)
        if (episode.ended_at !== null) throw new ConflictError('The episode has already ended')
        await checkPeriodRules(trx, person, { id, start: episode.started_at, end: endedAt })
        await repo.updateEpisodeVersioned(trx, id, input.version, {
          ended_at: endedAt,
          outcome: input.outcome,
          return_method: input.returnMethod ?? null,
          harm_outcome: input.harmOutcome ?? null,
          found_place: input.foundPlace ?? null,
          found_postcode: foundPostcode ?? null,
        })
        await recordAudit(trx, actor, [
          { action: 'END_EPISODE', subjectPersonId: episode.person_id, recordType: 'missing_episode', recordId: id, detail: { outcome: input.outcome } },
        ])
        await recordEvent(trx, { type: 'episode.ended', actor, personId: episode.person_id, episodeId: id, payload: { outcome: input.outcome } })
        return readEpisode(trx, id)
      })
    },

    /**
     * Undoes an end recorded in error, or a "found" that turned out not to be the person: the episode is open again,
     * as if never ended (so the 72-hour notification counts from the start again). The period rules apply as to a
     * new open episode: no other open episode, no later one overlapping.
     */
    async reopen(actor: Actor, id: string, rawInput: EpisodeReopenInput): Promise<Episode> {
      const input = parseInput(EpisodeReopenInput, rawInput)
      return db.transaction().execute(async (trx) => {
        const { episode, person } = await lockOwnEpisode(trx, actor, id, input.version)
        if (episode.ended_at === null) throw new ConflictError('The episode is open: only an ended episode can be reopened')
        await checkPeriodRules(trx, person, { id, start: episode.started_at, end: null })
        await repo.updateEpisodeVersioned(trx, id, input.version, {
          ended_at: null,
          outcome: null,
          return_method: null,
          harm_outcome: null,
          found_place: null,
          found_postcode: null,
        })
        await recordAudit(trx, actor, [
          { action: 'REOPEN_EPISODE', subjectPersonId: episode.person_id, recordType: 'missing_episode', recordId: id, detail: { reason: input.reason } },
        ])
        await recordEvent(trx, { type: 'episode.reopened', actor, personId: episode.person_id, episodeId: id, payload: { reason: input.reason } })
        return readEpisode(trx, id)
      })
    },

    /** Re-grades the risk: a new dated assessment; the earlier ones stay as the history. */
    async recordRiskAssessment(actor: Actor, episodeId: string, rawInput: RiskAssessmentWithVersion): Promise<Episode> {
      const input = parseInput(RiskAssessmentWithVersion, rawInput)
      return db.transaction().execute(async (trx) => {
        const { episode } = await lockOwnEpisode(trx, actor, episodeId, input.version)
        const errors = checkRiskTimes(input, episode.started_at, new Date(), '')
        if (errors.length > 0) throw new ValidationError(errors)
        const risk = riskRow(episodeId, input, actor, false)
        await repo.insertRiskAssessment(trx, risk)
        const latest = await repo.latestRiskAssessment(trx, episodeId)
        await repo.bumpEpisodeVersion(trx, episodeId, { current_risk_grade: latest?.grade ?? input.grade })
        await recordAudit(trx, actor, [
          { action: 'RECORD_RISK_ASSESSMENT', subjectPersonId: episode.person_id, recordType: 'risk_assessment', recordId: risk.id, detail: { grade: input.grade } },
        ])
        await recordEvent(trx, {
          type: 'episode.risk_regraded',
          actor,
          personId: episode.person_id,
          episodeId,
          payload: { riskAssessmentId: risk.id, grade: input.grade },
        })
        return readEpisode(trx, episodeId)
      })
    },

    async recordAction(actor: Actor, episodeId: string, rawInput: ActionInput): Promise<EpisodeAction> {
      const input = parseInput(ActionInput, rawInput)
      return db.transaction().execute(async (trx) => {
        const { episode } = await lockOwnEpisode(trx, actor, episodeId, null)
        if (input.ownerUserId) {
          const owner = await repo.findUserAgency(trx, input.ownerUserId)
          if (!owner || owner.agency_id !== actor.agencyId)
            throw new ValidationError([{ field: 'ownerUserId', message: 'The owner must be a user of your agency' }])
        }
        const id = uuidv7()
        await repo.insertAction(trx, {
          id,
          episode_id: episodeId,
          kind: input.kind,
          description: input.description.trim(),
          owner_user_id: input.ownerUserId ?? actor.userId,
          due_at: input.dueAt ? new Date(input.dueAt) : null,
          completed_at: null,
          result: null,
          created_by_user_id: actor.userId,
        })
        await repo.bumpEpisodeVersion(trx, episodeId)
        await recordAudit(trx, actor, [{ action: 'RECORD_ACTION', subjectPersonId: episode.person_id, recordType: 'episode_action', recordId: id }])
        await recordEvent(trx, { type: 'episode.action_changed', actor, personId: episode.person_id, episodeId, payload: { actionId: id } })
        const row = await repo.findAction(trx, id)
        if (!row) throw new NotFoundError('Action')
        return toAction(row, new Date())
      })
    },

    async updateAction(actor: Actor, actionId: string, rawInput: ActionUpdateInput): Promise<EpisodeAction> {
      const input = parseInput(ActionUpdateInput, rawInput)
      return db.transaction().execute(async (trx) => {
        const action = await repo.findAction(trx, actionId)
        if (!action) throw new NotFoundError('Action')
        const { episode } = await lockOwnEpisode(trx, actor, action.episode_id, null)
        if (input.completedAt && new Date(input.completedAt) < episode.started_at)
          throw new ValidationError([{ field: 'completedAt', message: 'The action cannot be completed before the episode began' }])
        const changes: RowUpdate<'episode_action'> = {}
        if (input.description !== undefined) changes.description = input.description
        if (input.ownerUserId !== undefined) changes.owner_user_id = input.ownerUserId
        if (input.dueAt !== undefined) changes.due_at = input.dueAt ? new Date(input.dueAt) : null
        if (input.completedAt !== undefined) changes.completed_at = input.completedAt ? new Date(input.completedAt) : null
        if (input.result !== undefined) changes.result = input.result
        if (!(await repo.updateActionVersioned(trx, actionId, input.version, changes))) throw new StaleVersionError('The action', action.version)
        await repo.bumpEpisodeVersion(trx, action.episode_id)
        await recordAudit(trx, actor, [{ action: 'UPDATE_ACTION', subjectPersonId: episode.person_id, recordType: 'episode_action', recordId: actionId }])
        await recordEvent(trx, { type: 'episode.action_changed', actor, personId: episode.person_id, episodeId: action.episode_id, payload: { actionId } })
        const row = await repo.findAction(trx, actionId)
        if (!row) throw new NotFoundError('Action')
        return toAction(row, new Date())
      })
    },

    async recordSighting(actor: Actor, episodeId: string, rawInput: SightingInput): Promise<Episode> {
      const input = parseInput(SightingInput, rawInput)
      const errors: FieldError[] = []
      const postcode = postcodeOrError(input.postcode, 'postcode', errors)
      const seenAt = new Date(input.seenAt)
      if (seenAt > new Date()) errors.push({ field: 'seenAt', message: 'The sighting must not be in the future' })
      if (errors.length > 0) throw new ValidationError(errors)
      return db.transaction().execute(async (trx) => {
        const { episode } = await lockOwnEpisode(trx, actor, episodeId, null)
        if (seenAt < episode.started_at) throw new ValidationError([{ field: 'seenAt', message: 'A sighting must be after the person was last seen' }])
        const id = uuidv7()
        await repo.insertSighting(trx, {
          id,
          episode_id: episodeId,
          seen_at: seenAt,
          place: input.place.trim(),
          postcode: postcode ?? null,
          reported_by: input.reportedBy ?? null,
          notes: input.notes ?? null,
          created_by_user_id: actor.userId,
        })
        await repo.bumpEpisodeVersion(trx, episodeId)
        await recordAudit(trx, actor, [{ action: 'RECORD_SIGHTING', subjectPersonId: episode.person_id, recordType: 'sighting', recordId: id }])
        await recordEvent(trx, { type: 'episode.sighting_recorded', actor, personId: episode.person_id, episodeId, payload: { sightingId: id } })
        return readEpisode(trx, episodeId)
      })
    },

    /**
     * Links a police incident and a local authority's record of the same absence, so the two agencies'
     * counts can be reconciled. The actor owns one side; the two must overlap in time.
     */
    async link(actor: Actor, episodeId: string, rawInput: { version: number; otherEpisodeId: string }): Promise<Episode> {
      const input = parseInput(LinkInput, rawInput)
      return db.transaction().execute(async (trx) => {
        const { episode } = await lockOwnEpisode(trx, actor, episodeId, input.version)
        const other = await repo.findEpisodeForUpdate(trx, input.otherEpisodeId)
        if (!other) throw new ValidationError([{ field: 'otherEpisodeId', message: 'There is no episode with this id' }])
        if (other.recorded_by === episode.recorded_by)
          throw new ValidationError([{ field: 'otherEpisodeId', message: 'Link a police incident with a local authority episode' }])
        if (episode.linked_episode_id || other.linked_episode_id) throw new ConflictError('One of the episodes is already linked')
        const overlaps =
          (other.ended_at === null || other.ended_at >= episode.started_at) && (episode.ended_at === null || episode.ended_at >= other.started_at)
        if (!overlaps) throw new ValidationError([{ field: 'otherEpisodeId', message: 'The two episodes do not overlap in time: they are not the same absence' }])
        await repo.updateEpisodeVersioned(trx, episodeId, input.version, { linked_episode_id: other.id })
        await repo.bumpEpisodeVersion(trx, other.id, { linked_episode_id: episodeId })
        await recordAudit(trx, actor, [
          { action: 'LINK_EPISODES', subjectPersonId: episode.person_id, recordType: 'missing_episode', recordId: episodeId, recipientAgencyId: other.owning_agency_id },
          { action: 'LINK_EPISODES', subjectPersonId: other.person_id, recordType: 'missing_episode', recordId: other.id, recipientAgencyId: other.owning_agency_id },
        ])
        for (const [side, otherSide] of [[episode, other], [other, episode]] as const)
          await recordEvent(trx, { type: 'episode.linked', actor, personId: side.person_id, episodeId: side.id, payload: { linkedEpisodeId: otherSide.id } })
        return readEpisode(trx, episodeId)
      })
    },
  }
}

export type EpisodesService = ReturnType<typeof createEpisodesService>
