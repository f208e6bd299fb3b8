import type { Kysely } from 'kysely'
import type { Database, Row, RowUpdate } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { requirePersonRead, requirePersonWrite } from '../access/access.service.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { recordEvent } from '../events/events.service.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { parseInput } from '../../lib/schema.ts'
import { pageWindow, type Page, type PageRequest } from '../../lib/pagination.ts'
import { can } from '../access/roles.ts'
import { ConflictError, ForbiddenError, NotFoundError, StaleVersionError, ValidationError, type FieldError } from '../../lib/errors.ts'
import {
  PreventionInterviewInput,
  PreventionInterviewUpdate,
  ReturnHomeInterviewInput,
  ReturnHomeInterviewUpdate,
} from './interviews.schemas.ts'
import * as repo from './interviews.repository.ts'

/** A return home interview is due within 72 hours of the child's return (DfE statutory guidance, 2014). */
export const RETURN_HOME_INTERVIEW_HOURS = 72

export interface PreventionInterview {
  id: string
  episodeId: string
  conductedAt: Date | null
  officerUserId: string | null
  method: string | null
  harmDisclosed: boolean | null
  offencesDisclosed: string | null
  safeguardingReferral: boolean
  notes: string | null
  notConductedReason: string | null
  version: number
}

export interface ReturnHomeInterview {
  id: string
  episodeId: string
  offeredAt: Date | null
  accepted: boolean | null
  completedAt: Date | null
  dueBy: Date
  within72Hours: boolean | null
  interviewerIndependent: boolean | null
  pushFactors: string | null
  pullFactors: string | null
  exploitationIndicators: string[]
  actionsAgreed: string | null
  notConductedReason: string | null
  version: number
}

type Episode = NonNullable<Awaited<ReturnType<typeof repo.findEpisodeForInterview>>>

function toPrevention(row: Row<'prevention_interview'>): PreventionInterview {
  return {
    id: row.id,
    episodeId: row.episode_id,
    conductedAt: row.conducted_at,
    officerUserId: row.officer_user_id,
    method: row.method,
    harmDisclosed: row.harm_disclosed,
    offencesDisclosed: row.offences_disclosed,
    safeguardingReferral: row.safeguarding_referral,
    notes: row.notes,
    notConductedReason: row.not_conducted_reason,
    version: row.version,
  }
}

export interface OutstandingReturnHomeInterview {
  episodeId: string
  personId: string
  personName: string
  laCategory: string | null
  returnedAt: Date
  dueBy: Date
  overdue: boolean
  offeredAt: Date | null
  accepted: boolean | null
}

export function returnHomeInterviewDueBy(returnedAt: Date): Date {
  return new Date(returnedAt.getTime() + RETURN_HOME_INTERVIEW_HOURS * 3_600_000)
}

function toReturnHome(row: Row<'return_home_interview'>, episode: Episode): ReturnHomeInterview {
  // Only called for ended episodes (checked on write).
  const returnedAt = episode.ended_at ?? episode.started_at
  const dueBy = returnHomeInterviewDueBy(returnedAt)
  return {
    id: row.id,
    episodeId: row.episode_id,
    offeredAt: row.offered_at,
    accepted: row.accepted,
    completedAt: row.completed_at,
    dueBy,
    within72Hours: row.completed_at ? row.completed_at <= dueBy : null,
    interviewerIndependent: row.interviewer_independent,
    pushFactors: row.push_factors,
    pullFactors: row.pull_factors,
    exploitationIndicators: row.exploitation_indicators,
    actionsAgreed: row.actions_agreed,
    notConductedReason: row.not_conducted_reason,
    version: row.version,
  }
}

/** Interviews follow the end of an episode: conducted, or a recorded reason why not, never both or neither. */
function checkConducted(
  done: { at: string | null | undefined; field: string },
  notConductedReason: string | null | undefined,
  episode: Episode,
  errors: FieldError[],
) {
  if (!done.at && !notConductedReason)
    errors.push({ field: done.field, message: 'Give when it was done, or record the reason it was not' })
  if (done.at && notConductedReason)
    errors.push({ field: 'notConductedReason', message: 'An interview that was done has no reason for not doing it' })
  if (done.at && episode.ended_at && new Date(done.at) < episode.ended_at)
    errors.push({ field: done.field, message: 'The interview must not be before the person was found or returned' })
  if (done.at && new Date(done.at) > new Date()) errors.push({ field: done.field, message: 'The time must not be in the future' })
}

async function endedEpisodeOfKind(trx: Kysely<Database>, actor: Actor, episodeId: string, kind: 'police' | 'local_authority') {
  const episode = await repo.findEpisodeForInterview(trx, episodeId)
  if (!episode) throw new NotFoundError('Episode')
  await requirePersonWrite(trx, actor, episode.person_id)
  if (episode.recorded_by !== kind)
    throw new ConflictError(kind === 'police' ? 'Prevention interviews follow police episodes' : 'Return home interviews follow local authority episodes')
  if (episode.ended_at === null) throw new ConflictError('The episode has not ended: record the person found or returned first')
  return episode
}

export function createInterviewsService(db: Kysely<Database>) {
  return {
    async recordPreventionInterview(actor: Actor, episodeId: string, rawInput: PreventionInterviewInput): Promise<PreventionInterview> {
      const input = parseInput(PreventionInterviewInput, rawInput)
      return db.transaction().execute(async (trx) => {
        const episode = await endedEpisodeOfKind(trx, actor, episodeId, 'police')
        const errors: FieldError[] = []
        checkConducted({ at: input.conductedAt, field: 'conductedAt' }, input.notConductedReason, episode, errors)
        if (errors.length > 0) throw new ValidationError(errors)
        if (await repo.findPreventionInterviewByEpisode(trx, episodeId)) throw new ConflictError('This episode already has a prevention interview: change that one')
        const id = uuidv7()
        await repo.insertPreventionInterview(trx, {
          id,
          episode_id: episodeId,
          conducted_at: input.conductedAt ? new Date(input.conductedAt) : null,
          officer_user_id: actor.userId,
          method: input.method ?? null,
          harm_disclosed: input.harmDisclosed ?? null,
          offences_disclosed: input.offencesDisclosed ?? null,
          safeguarding_referral: input.safeguardingReferral ?? false,
          notes: input.notes ?? null,
          not_conducted_reason: input.notConductedReason ?? null,
        })
        await recordAudit(trx, actor, [{ action: 'RECORD_PREVENTION_INTERVIEW', subjectPersonId: episode.person_id, recordType: 'prevention_interview', recordId: id }])
        await recordEvent(trx, { type: 'interview.prevention_recorded', actor, personId: episode.person_id, episodeId, subject: { type: 'prevention_interview', id } })
        const row = await repo.findPreventionInterview(trx, id)
        if (!row) throw new NotFoundError('Prevention interview')
        return toPrevention(row)
      })
    },

    async updatePreventionInterview(actor: Actor, id: string, rawInput: PreventionInterviewUpdate): Promise<PreventionInterview> {
      const input = parseInput(PreventionInterviewUpdate, rawInput)
      return db.transaction().execute(async (trx) => {
        const existing = await repo.findPreventionInterview(trx, id)
        if (!existing) throw new NotFoundError('Prevention interview')
        const episode = await endedEpisodeOfKind(trx, actor, existing.episode_id, 'police')
        const merged = {
          conductedAt: input.conductedAt !== undefined ? input.conductedAt : existing.conducted_at?.toISOString() ?? null,
          notConductedReason: input.notConductedReason !== undefined ? input.notConductedReason : existing.not_conducted_reason,
        }
        const errors: FieldError[] = []
        checkConducted({ at: merged.conductedAt, field: 'conductedAt' }, merged.notConductedReason, episode, errors)
        if (errors.length > 0) throw new ValidationError(errors)
        const changes: RowUpdate<'prevention_interview'> = {
          conducted_at: merged.conductedAt ? new Date(merged.conductedAt) : null,
          not_conducted_reason: merged.notConductedReason,
        }
        if (input.method !== undefined) changes.method = input.method
        if (input.harmDisclosed !== undefined) changes.harm_disclosed = input.harmDisclosed
        if (input.offencesDisclosed !== undefined) changes.offences_disclosed = input.offencesDisclosed
        if (input.safeguardingReferral !== undefined) changes.safeguarding_referral = input.safeguardingReferral
        if (input.notes !== undefined) changes.notes = input.notes
        if (!(await repo.updatePreventionInterview(trx, id, input.version, changes))) throw new StaleVersionError('The prevention interview', existing.version)
        await recordAudit(trx, actor, [{ action: 'UPDATE_PREVENTION_INTERVIEW', subjectPersonId: episode.person_id, recordType: 'prevention_interview', recordId: id }])
        await recordEvent(trx, { type: 'interview.prevention_recorded', actor, personId: episode.person_id, episodeId: episode.id, subject: { type: 'prevention_interview', id } })
        const row = await repo.findPreventionInterview(trx, id)
        if (!row) throw new NotFoundError('Prevention interview')
        return toPrevention(row)
      })
    },

    async recordReturnHomeInterview(actor: Actor, episodeId: string, rawInput: ReturnHomeInterviewInput): Promise<ReturnHomeInterview> {
      const input = parseInput(ReturnHomeInterviewInput, rawInput)
      return db.transaction().execute(async (trx) => {
        const episode = await endedEpisodeOfKind(trx, actor, episodeId, 'local_authority')
        const errors = checkReturnHome(input, episode)
        if (errors.length > 0) throw new ValidationError(errors)
        if (await repo.findReturnHomeInterviewByEpisode(trx, episodeId)) throw new ConflictError('This episode already has a return home interview: change that one')
        const id = uuidv7()
        await repo.insertReturnHomeInterview(trx, {
          id,
          episode_id: episodeId,
          offered_at: input.offeredAt ? new Date(input.offeredAt) : null,
          accepted: input.accepted ?? null,
          completed_at: input.completedAt ? new Date(input.completedAt) : null,
          interviewer_independent: input.interviewerIndependent ?? null,
          push_factors: input.pushFactors ?? null,
          pull_factors: input.pullFactors ?? null,
          exploitation_indicators: input.exploitationIndicators ?? [],
          actions_agreed: input.actionsAgreed ?? null,
          not_conducted_reason: input.notConductedReason ?? null,
        })
        await recordAudit(trx, actor, [{ action: 'RECORD_RETURN_HOME_INTERVIEW', subjectPersonId: episode.person_id, recordType: 'return_home_interview', recordId: id }])
        await recordEvent(trx, { type: 'interview.return_home_recorded', actor, personId: episode.person_id, episodeId, subject: { type: 'return_home_interview', id } })
        const row = await repo.findReturnHomeInterview(trx, id)
        if (!row) throw new NotFoundError('Return home interview')
        return toReturnHome(row, episode)
      })
    },

    async updateReturnHomeInterview(actor: Actor, id: string, rawInput: ReturnHomeInterviewUpdate): Promise<ReturnHomeInterview> {
      const input = parseInput(ReturnHomeInterviewUpdate, rawInput)
      return db.transaction().execute(async (trx) => {
        const existing = await repo.findReturnHomeInterview(trx, id)
        if (!existing) throw new NotFoundError('Return home interview')
        const episode = await endedEpisodeOfKind(trx, actor, existing.episode_id, 'local_authority')
        const merged: ReturnHomeInterviewInput = {
          offeredAt: input.offeredAt !== undefined ? input.offeredAt : existing.offered_at?.toISOString() ?? null,
          accepted: input.accepted !== undefined ? input.accepted : existing.accepted,
          completedAt: input.completedAt !== undefined ? input.completedAt : existing.completed_at?.toISOString() ?? null,
          notConductedReason: input.notConductedReason !== undefined ? input.notConductedReason : existing.not_conducted_reason,
        }
        const errors = checkReturnHome(merged, episode)
        if (errors.length > 0) throw new ValidationError(errors)
        const changes: RowUpdate<'return_home_interview'> = {
          offered_at: merged.offeredAt ? new Date(merged.offeredAt) : null,
          accepted: merged.accepted ?? null,
          completed_at: merged.completedAt ? new Date(merged.completedAt) : null,
          not_conducted_reason: merged.notConductedReason ?? null,
        }
        if (input.interviewerIndependent !== undefined) changes.interviewer_independent = input.interviewerIndependent
        if (input.pushFactors !== undefined) changes.push_factors = input.pushFactors
        if (input.pullFactors !== undefined) changes.pull_factors = input.pullFactors
        if (input.exploitationIndicators !== undefined) changes.exploitation_indicators = input.exploitationIndicators
        if (input.actionsAgreed !== undefined) changes.actions_agreed = input.actionsAgreed
        if (!(await repo.updateReturnHomeInterview(trx, id, input.version, changes))) throw new StaleVersionError('The return home interview', existing.version)
        await recordAudit(trx, actor, [{ action: 'UPDATE_RETURN_HOME_INTERVIEW', subjectPersonId: episode.person_id, recordType: 'return_home_interview', recordId: id }])
        await recordEvent(trx, { type: 'interview.return_home_recorded', actor, personId: episode.person_id, episodeId: episode.id, subject: { type: 'return_home_interview', id } })
        const row = await repo.findReturnHomeInterview(trx, id)
        if (!row) throw new NotFoundError('Return home interview')
        return toReturnHome(row, episode)
      })
    },

    async forEpisode(actor: Actor, episodeId: string): Promise<{ preventionInterview: PreventionInterview | null; returnHomeInterview: ReturnHomeInterview | null }> {
      const episode = await repo.findEpisodeForInterview(db, episodeId)
      if (!episode) throw new NotFoundError('Episode')
      await requirePersonRead(db, actor, episode.person_id)
      const [prevention, returnHome] = await Promise.all([
        repo.findPreventionInterviewByEpisode(db, episodeId),
        repo.findReturnHomeInterviewByEpisode(db, episodeId),
      ])
      await recordAudit(db, actor, [{ action: 'VIEW_EPISODE', subjectPersonId: episode.person_id, recordType: 'missing_episode', recordId: episodeId, detail: { part: 'interviews' } }])
      return {
        preventionInterview: prevention ? toPrevention(prevention) : null,
        returnHomeInterview: returnHome ? toReturnHome(returnHome, episode) : null,
      }
    },

    /**
     * A local authority's outstanding return home interviews (none recorded, or offered and not yet done or
     * declined): `due` still within 72 hours of the child's return, `overdue` past it. Soonest due first;
     * every row is audited as a consultation of the child's episodes.
     */
    async outstandingReturnHomeInterviews(
      actor: Actor,
      query: Partial<PageRequest> & { window: repo.ReturnHomeInterviewWindow },
    ): Promise<Page<OutstandingReturnHomeInterview>> {
      if (!can.isLocalAuthority(actor)) throw new ForbiddenError('Return home interviews are for local authorities')
      const window = pageWindow(query)
      const now = new Date()
      const cutoff = new Date(now.getTime() - RETURN_HOME_INTERVIEW_HOURS * 3_600_000)
      const { rows, total } = await repo.listOutstandingReturnHomeInterviews(db, actor.agencyId, query.window, cutoff, window)
      await recordAudit(
        db,
        actor,
        rows.map((row) => ({ action: 'LIST_EPISODES' as const, subjectPersonId: row.person_id, recordType: 'missing_episode' as const, recordId: row.id })),
      )
      return {
        page: window.page,
        pageSize: window.pageSize,
        total,
        items: rows.map((row) => {
          const returnedAt = row.ended_at ?? row.started_at
          const dueBy = returnHomeInterviewDueBy(returnedAt)
          return {
            episodeId: row.id,
            personId: row.person_id,
            personName: row.person_name,
            laCategory: row.la_category,
            returnedAt,
            dueBy,
            overdue: dueBy < now,
            offeredAt: row.offered_at,
            accepted: row.accepted,
          }
        }),
      }
    },
  }
}

/** Offered, accepted, completed: each step needs the one before it (Annex A: offered Y/N, accepted Y/N). */
function checkReturnHome(input: ReturnHomeInterviewInput, episode: Episode): FieldError[] {
  const errors: FieldError[] = []
  const now = new Date()
  const returnedAt = episode.ended_at ?? episode.started_at
  if (input.offeredAt && new Date(input.offeredAt) < returnedAt)
    errors.push({ field: 'offeredAt', message: 'The offer must not be before the child returned' })
  if (input.offeredAt && new Date(input.offeredAt) > now) errors.push({ field: 'offeredAt', message: 'The time must not be in the future' })
  if (input.accepted !== undefined && input.accepted !== null && !input.offeredAt)
    errors.push({ field: 'accepted', message: 'Record when the interview was offered before whether it was accepted' })
  if (input.completedAt) {
    if (input.accepted !== true) errors.push({ field: 'completedAt', message: 'An interview can only be completed once the child has accepted it' })
    if (input.offeredAt && new Date(input.completedAt) < new Date(input.offeredAt))
      errors.push({ field: 'completedAt', message: 'The interview must not be completed before it was offered' })
    if (new Date(input.completedAt) > now) errors.push({ field: 'completedAt', message: 'The time must not be in the future' })
    if (input.notConductedReason) errors.push({ field: 'notConductedReason', message: 'A completed interview has no reason for not doing it' })
  }
  if (!input.offeredAt && !input.notConductedReason)
    errors.push({ field: 'offeredAt', message: 'Record when the interview was offered, or the reason it was not' })
  return errors
}

export type InterviewsService = ReturnType<typeof createInterviewsService>
