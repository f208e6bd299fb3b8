import type { Kysely } from 'kysely'
import type { Database, RowUpdate } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can } from '../access/roles.ts'
import { PurposeRequiredError, requirePersonRead, requirePersonWrite, resolvePersonAccess, type PersonAccess, type PersonAccessLevel } from '../access/access.service.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { recordEvent } from '../events/events.service.ts'
import { createAgenciesService, type Agency } from '../agencies/agencies.service.ts'
import type { AuditEntry } from '../audit/audit.actions.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { addDays, isIsoDate, londonDateOf } from '../../lib/dates.ts'
import { addWorkingDays } from '../deadlines/working-days.ts'
import { pageWindow, type Page } from '../../lib/pagination.ts'
import { parseInput } from '../../lib/schema.ts'
import { ForbiddenError, NotFoundError, StaleVersionError, ValidationError, type FieldError } from '../../lib/errors.ts'
import {
  GuardianAssignmentInput,
  GuardianAssignmentUpdateInput,
  NrmDecisionInput,
  NrmQueueQuery,
  NrmReferralInput,
  NrmReferralUpdateInput,
} from './trafficking.schemas.ts'
import type {
  AGES_AT_EXPLOITATION,
  CONCLUSIVE_FINDINGS,
  DECISION_OUTCOMES,
  DECISION_STAGES,
  EXPLOITATION_LOCATIONS,
  EXPLOITATION_TYPES,
  GUARDIAN_ROLES,
  REFERRAL_STATUSES,
} from './trafficking.schemas.ts'
import * as repo from './trafficking.repository.ts'

export interface NrmDecision {
  id: string
  stage: (typeof DECISION_STAGES)[number]
  outcome: (typeof DECISION_OUTCOMES)[number]
  conclusiveFinding: (typeof CONCLUSIVE_FINDINGS)[number] | null
  decidedOn: string
  recoveryPeriodEndsOn: string | null
  reconsideration: boolean
  decidedByUserId: string | null
  createdAt: Date
}

export type ReferralStatus = (typeof REFERRAL_STATUSES)[number]

export interface NrmReferral {
  id: string
  personId: string
  referringAgencyId: string
  competentAuthorityId: string
  referredOn: string
  nrmReference: string | null
  exploitationTypes: (typeof EXPLOITATION_TYPES)[number][]
  countyLines: boolean
  exploitationLocation: (typeof EXPLOITATION_LOCATIONS)[number]
  ageAtExploitation: (typeof AGES_AT_EXPLOITATION)[number]
  notes: string | null
  status: ReferralStatus
  reasonableGroundsDueOn: string
  reasonableGroundsOverdue: boolean
  decisions: NrmDecision[]
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface GuardianAssignment {
  id: string
  personId: string
  guardianAgencyId: string
  guardianUserId: string | null
  role: (typeof GUARDIAN_ROLES)[number]
  allocatedOn: string
  endedOn: string | null
  version: number
  createdAt: Date
  updatedAt: Date
}

/** A person's NRM standing on a date, strongest first: what statistics ask "as at" the start of an episode. */
export type NrmStatusOn = 'none' | 'referred' | 'positive_reasonable_grounds' | 'positive_conclusive_grounds'

const STATUS_ON_RANK: Record<NrmStatusOn, number> = { none: 0, referred: 1, positive_reasonable_grounds: 2, positive_conclusive_grounds: 3 }

function statusOnOf(status: ReferralStatus): NrmStatusOn {
  if (status === 'positive_conclusive_grounds') return 'positive_conclusive_grounds'
  if (status === 'awaiting_conclusive_grounds') return 'positive_reasonable_grounds'
  return 'referred'
}

// DOMAIN-SOURCES.md §5.1, stage 2: the competent authority aims to decide reasonable grounds within 5 working days.
export const REASONABLE_GROUNDS_TARGET_WORKING_DAYS = 5

/**
 * Days of recovery and reflection after a positive reasonable-grounds decision (DOMAIN-SOURCES.md §5.1,
 * stage 3): at least 30 days under the statutory guidance from 30 January 2023, 45 days before it, so
 * decisions migrated from older records keep the period that applied when they were made.
 */
export function recoveryPeriodDays(reasonableGroundsDecidedOn: string): number {
  return reasonableGroundsDecidedOn >= '2023-01-30' ? 30 : 45
}

/** The decision in force at a stage is the latest one: a reconsideration replaces what it revisits. */
function inForce(decisions: readonly repo.DecisionRow[], stage: NrmDecision['stage']): repo.DecisionRow | undefined {
  return decisions.filter((decision) => decision.stage === stage).at(-1)
}

/** Where a referral stands, from its decisions ordered oldest first. */
function statusOf(decisions: readonly repo.DecisionRow[]): ReferralStatus {
  const conclusive = inForce(decisions, 'conclusive_grounds')
  if (conclusive) return conclusive.outcome === 'positive' ? 'positive_conclusive_grounds' : 'negative_conclusive_grounds'
  const reasonable = inForce(decisions, 'reasonable_grounds')
  if (!reasonable) return 'awaiting_reasonable_grounds'
  return reasonable.outcome === 'positive' ? 'awaiting_conclusive_grounds' : 'negative_reasonable_grounds'
}

function toDecision(row: repo.DecisionRow): NrmDecision {
  return {
    id: row.id,
    stage: row.stage as NrmDecision['stage'],
    outcome: row.outcome as NrmDecision['outcome'],
    conclusiveFinding: row.conclusive_finding as NrmDecision['conclusiveFinding'],
    decidedOn: row.decided_on,
    recoveryPeriodEndsOn: row.recovery_period_ends_on,
    reconsideration: row.reconsideration,
    decidedByUserId: row.decided_by_user_id,
    createdAt: row.created_at,
  }
}

function toReferral(row: repo.ReferralRow, decisions: readonly repo.DecisionRow[], today: string): NrmReferral {
  const status = statusOf(decisions)
  const dueOn = addWorkingDays(row.referred_on, REASONABLE_GROUNDS_TARGET_WORKING_DAYS)
  return {
    id: row.id,
    personId: row.person_id,
    referringAgencyId: row.referring_agency_id,
    competentAuthorityId: row.competent_authority_id,
    referredOn: row.referred_on,
    nrmReference: row.nrm_reference,
    exploitationTypes: row.exploitation_types as NrmReferral['exploitationTypes'],
    countyLines: row.county_lines,
    exploitationLocation: row.exploitation_location as NrmReferral['exploitationLocation'],
    ageAtExploitation: row.age_at_exploitation as NrmReferral['ageAtExploitation'],
    notes: row.notes,
    status,
    reasonableGroundsDueOn: dueOn,
    reasonableGroundsOverdue: status === 'awaiting_reasonable_grounds' && today > dueOn,
    decisions: decisions.map(toDecision),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toAssignment(row: repo.AssignmentRow): GuardianAssignment {
  return {
    id: row.id,
    personId: row.person_id,
    guardianAgencyId: row.guardian_agency_id,
    guardianUserId: row.guardian_user_id,
    role: row.role as GuardianAssignment['role'],
    allocatedOn: row.allocated_on,
    endedOn: row.ended_on,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function notInFuture(field: string, isoDate: string | null | undefined, today: string, errors: FieldError[]) {
  if (isoDate && isoDate > today) errors.push({ field, message: 'The date must not be in the future' })
}

/** Person access with the caller's own wording: "no such referral" rather than "no such person". */
async function asNotFound<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError(what)
    throw error
  }
}

function groupDecisions(rows: readonly repo.DecisionRow[]): Map<string, repo.DecisionRow[]> {
  const byReferral = new Map<string, repo.DecisionRow[]>()
  for (const row of rows) {
    const list = byReferral.get(row.referral_id)
    if (list) list.push(row)
    else byReferral.set(row.referral_id, [row])
  }
  return byReferral
}

/** The stage rules of DOMAIN-SOURCES.md §5.1 for a new decision, against the decisions already recorded. */
function checkDecisionRules(
  input: NrmDecisionInput,
  referral: repo.ReferralRow,
  existing: readonly repo.DecisionRow[],
  today: string,
): FieldError[] {
  const errors: FieldError[] = []
  const reconsideration = input.reconsideration ?? false
  if (input.decidedOn < referral.referred_on)
    errors.push({ field: 'decidedOn', message: `The decision must not be before the referral (${referral.referred_on})` })
  notInFuture('decidedOn', input.decidedOn, today, errors)

  // Stage 4: a positive conclusive decision names which of the two findings it is; nothing else carries one.
  const finding = input.conclusiveFinding ?? null
  if (input.stage === 'conclusive_grounds' && input.outcome === 'positive' && finding === null)
    errors.push({ field: 'conclusiveFinding', message: 'A positive conclusive grounds decision must say whether it is human trafficking or slavery, servitude or forced labour' })
  if (finding !== null && !(input.stage === 'conclusive_grounds' && input.outcome === 'positive'))
    errors.push({ field: 'conclusiveFinding', message: 'Only a positive conclusive grounds decision carries a finding' })

  const sameStage = inForce(existing, input.stage)
  if (sameStage && !reconsideration)
    errors.push({ field: 'reconsideration', message: `This referral already has a ${input.stage.replace('_', ' ')} decision: record a change as a reconsideration` })
  if (!sameStage && reconsideration)
    errors.push({ field: 'reconsideration', message: `There is no ${input.stage.replace('_', ' ')} decision to reconsider` })
  if (sameStage && reconsideration && input.decidedOn < sameStage.decided_on)
    errors.push({ field: 'decidedOn', message: `A reconsideration must not be dated before the decision it revisits (${sameStage.decided_on})` })

  const reasonable = inForce(existing, 'reasonable_grounds')
  if (input.stage === 'reasonable_grounds') {
    if (inForce(existing, 'conclusive_grounds'))
      errors.push({ field: 'stage', message: 'Conclusive grounds have been decided: the reasonable grounds decision can no longer change' })
  } else if (!reasonable) {
    errors.push({ field: 'stage', message: 'Reasonable grounds must be decided first' })
  } else if (reasonable.outcome !== 'positive') {
    errors.push({ field: 'stage', message: 'Conclusive grounds are decided only after a positive reasonable grounds decision' })
  } else if (reasonable.recovery_period_ends_on && input.decidedOn < reasonable.recovery_period_ends_on) {
    errors.push({ field: 'decidedOn', message: `The recovery period runs until ${reasonable.recovery_period_ends_on}: conclusive grounds may not be decided before then` })
  }
  return errors
}

type QueueName = NonNullable<NrmQueueQuery['decision']>

export function createTraffickingService(db: Kysely<Database>) {
  const agencies = createAgenciesService(db)

  /** Outside any transaction: the agencies service reads with its own connection. */
  async function agencyOfKind(actor: Actor, id: string, kind: Agency['kind']): Promise<boolean> {
    try {
      const agency = await agencies.get(actor, id)
      return agency.kind === kind && agency.active
    } catch (error) {
      if (error instanceof NotFoundError) return false
      throw error
    }
  }

  async function competentAuthorityErrors(actor: Actor, id: string | undefined): Promise<FieldError[]> {
    if (id === undefined || (await agencyOfKind(actor, id, 'competent_authority'))) return []
    return [{ field: 'competentAuthorityId', message: 'must be the id of an active competent authority (the SCA, the IECA or a pilot panel)' }]
  }

  async function guardianAgencyErrors(actor: Actor, guardianAgencyId: string): Promise<FieldError[]> {
    if (await agencyOfKind(actor, guardianAgencyId, 'ictg_service')) return []
    return [{ field: 'guardianAgencyId', message: 'must be the id of an active child trafficking guardian service' }]
  }

  async function guardianUserErrors(trx: Kysely<Database>, guardianAgencyId: string, guardianUserId: string | null | undefined): Promise<FieldError[]> {
    if (!guardianUserId) return []
    const user = await repo.findUser(trx, guardianUserId)
    if (!user || user.agency_id !== guardianAgencyId || !user.roles.includes('ictg_guardian') || !user.active)
      return [{ field: 'guardianUserId', message: 'must be an active guardian (role ictg_guardian) of that guardian service' }]
    return []
  }

  async function readReferral(trx: Kysely<Database>, id: string): Promise<NrmReferral> {
    const row = await repo.findReferral(trx, id)
    if (!row) throw new NotFoundError('NRM referral')
    return toReferral(row, await repo.listDecisions(trx, [id]), londonDateOf(new Date()))
  }

  /** Read access to one referral: the person's readers, except that a competent authority sees only its own referrals. */
  async function requireReferralRead(actor: Actor, referral: repo.ReferralRow): Promise<PersonAccess> {
    const access = await asNotFound('NRM referral', () => requirePersonRead(db, actor, referral.person_id))
    if (access.level === 'competentAuthority' && referral.competent_authority_id !== actor.agencyId) throw new NotFoundError('NRM referral')
    return access
  }

  /** Owner of the person, or a guardian of the assignment's own service. */
  async function requireAssignmentWrite(trx: Kysely<Database>, actor: Actor, assignment: repo.AssignmentRow) {
    if (isGuardianService(actor) && assignment.guardian_agency_id === actor.agencyId) return
    await asNotFound('Guardian assignment', () => requirePersonWrite(trx, actor, assignment.person_id))
  }

  const viewAssignment = (personId: string, recordId: string | null, access: PersonAccess): AuditEntry => ({
    action: 'VIEW_GUARDIAN_ASSIGNMENT',
    subjectPersonId: personId,
    recordType: 'ictg_assignment',
    recordId,
    detail: { access: access.level },
  })

  return {
    // ---------------------------------------------------------------- referrals

    /** The person's owning agency refers them to a competent authority; it is the referring first responder. */
    async createReferral(actor: Actor, personId: string, rawInput: NrmReferralInput): Promise<NrmReferral> {
      const input = parseInput(NrmReferralInput, rawInput)
      const errors: FieldError[] = []
      notInFuture('referredOn', input.referredOn, londonDateOf(new Date()), errors)
      errors.push(...(await competentAuthorityErrors(actor, input.competentAuthorityId)))
      if (errors.length > 0) throw new ValidationError(errors)
      const id = uuidv7()
      return db.transaction().execute(async (trx) => {
        await requirePersonWrite(trx, actor, personId)
        await repo.insertReferral(trx, {
          id,
          person_id: personId,
          referring_agency_id: actor.agencyId,
          competent_authority_id: input.competentAuthorityId,
          referred_on: input.referredOn,
          nrm_reference: input.nrmReference?.trim() || null,
          exploitation_types: input.exploitationTypes,
          county_lines: input.countyLines,
          exploitation_location: input.exploitationLocation,
          age_at_exploitation: input.ageAtExploitation,
          notes: input.notes?.trim() || null,
          created_by_user_id: actor.userId,
        })
        await recordAudit(trx, actor, [
          { action: 'CREATE_NRM_REFERRAL', subjectPersonId: personId, recordType: 'nrm_referral', recordId: id, recipientAgencyId: input.competentAuthorityId },
        ])
        await recordEvent(trx, { type: 'nrm.referral_made', actor, personId, subject: { type: 'nrm_referral', id }, payload: { competentAuthorityId: input.competentAuthorityId } })
        return readReferral(trx, id)
      })
    },

    /** A person's referrals with their decisions; a competent authority sees only those made to it. */
    async listReferralsOfPerson(actor: Actor, personId: string): Promise<NrmReferral[]> {
      const access = await requirePersonRead(db, actor, personId)
      const rows = await repo.listReferralsOfPerson(db, personId, access.level === 'competentAuthority' ? actor.agencyId : null)
      const decisions = groupDecisions(await repo.listDecisions(db, rows.map((row) => row.id)))
      // Finding that a person has no referral is itself a consultation of their record.
      const entries: AuditEntry[] =
        rows.length === 0
          ? [{ action: 'VIEW_NRM_REFERRAL', subjectPersonId: personId, recordType: 'nrm_referral', recordId: null, detail: { access: access.level } }]
          : rows.map((row) => ({ action: 'VIEW_NRM_REFERRAL', subjectPersonId: personId, recordType: 'nrm_referral', recordId: row.id, detail: { access: access.level } }))
      await recordAudit(db, actor, entries)
      const today = londonDateOf(new Date())
      return rows.map((row) => toReferral(row, decisions.get(row.id) ?? [], today))
    },

    async getReferral(actor: Actor, id: string): Promise<NrmReferral> {
      const row = await repo.findReferral(db, id)
      if (!row) throw new NotFoundError('NRM referral')
      const access = await requireReferralRead(actor, row)
      const referral = toReferral(row, await repo.listDecisions(db, [id]), londonDateOf(new Date()))
      await recordAudit(db, actor, [
        { action: 'VIEW_NRM_REFERRAL', subjectPersonId: row.person_id, recordType: 'nrm_referral', recordId: id, detail: { access: access.level } },
      ])
      return referral
    },

    /** The referring agency corrects or completes its referral (send the version you read). */
    async updateReferral(actor: Actor, id: string, rawInput: NrmReferralUpdateInput): Promise<NrmReferral> {
      const input = parseInput(NrmReferralUpdateInput, rawInput)
      const errors: FieldError[] = []
      notInFuture('referredOn', input.referredOn, londonDateOf(new Date()), errors)
      errors.push(...(await competentAuthorityErrors(actor, input.competentAuthorityId)))
      if (errors.length > 0) throw new ValidationError(errors)
      return db.transaction().execute(async (trx) => {
        const current = await repo.lockReferral(trx, id)
        if (!current) throw new NotFoundError('NRM referral')
        await asNotFound('NRM referral', () => requirePersonWrite(trx, actor, current.person_id))
        if (current.version !== input.version) throw new StaleVersionError('The NRM referral', current.version)
        const decisions = await repo.listDecisions(trx, [id])
        const ruleErrors: FieldError[] = []
        if (input.competentAuthorityId !== undefined && input.competentAuthorityId !== current.competent_authority_id && decisions.length > 0)
          ruleErrors.push({ field: 'competentAuthorityId', message: 'The competent authority has decided on this referral: it stays with that authority' })
        const earliestDecision = decisions.map((decision) => decision.decided_on).sort()[0]
        if (input.referredOn !== undefined && earliestDecision !== undefined && input.referredOn > earliestDecision)
          ruleErrors.push({ field: 'referredOn', message: `A decision was made on ${earliestDecision}: the referral must not be after it` })
        if (ruleErrors.length > 0) throw new ValidationError(ruleErrors)

        const changes: RowUpdate<'nrm_referral'> = {}
        if (input.competentAuthorityId !== undefined) changes.competent_authority_id = input.competentAuthorityId
        if (input.referredOn !== undefined) changes.referred_on = input.referredOn
        if (input.nrmReference !== undefined) changes.nrm_reference = input.nrmReference?.trim() || null
        if (input.exploitationTypes !== undefined) changes.exploitation_types = input.exploitationTypes
        if (input.countyLines !== undefined) changes.county_lines = input.countyLines
        if (input.exploitationLocation !== undefined) changes.exploitation_location = input.exploitationLocation
        if (input.ageAtExploitation !== undefined) changes.age_at_exploitation = input.ageAtExploitation
        if (input.notes !== undefined) changes.notes = input.notes?.trim() || null
        await repo.updateReferralVersioned(trx, id, input.version, changes)
        await recordAudit(trx, actor, [
          {
            action: 'UPDATE_NRM_REFERRAL',
            subjectPersonId: current.person_id,
            recordType: 'nrm_referral',
            recordId: id,
            detail: { fields: Object.keys(input).filter((key) => key !== 'version') },
          },
        ])
        await recordEvent(trx, {
          type: 'nrm.referral_updated',
          actor,
          personId: current.person_id,
          subject: { type: 'nrm_referral', id },
          payload: { fields: Object.keys(input).filter((key) => key !== 'version') },
        })
        return readReferral(trx, id)
      })
    },

    /**
     * A decision-maker's work: the referrals made to their competent authority, oldest first, optionally only those
     * waiting for a reasonable- or conclusive-grounds decision. The referrals are of people other agencies recorded,
     * so, as for any read outside one's own agency, a purpose is required and every referral shown is audited.
     */
    async listReferralsOfAuthority(actor: Actor, query: NrmQueueQuery): Promise<Page<NrmReferral>> {
      const parsed = parseInput(NrmQueueQuery, query)
      if (!can.decideNrmReferrals(actor)) throw new ForbiddenError('Only NRM decision-makers have a referral queue')
      if (!actor.purpose) throw new PurposeRequiredError()
      const window = pageWindow(parsed)
      const queue: QueueName | null = parsed.decision ?? null
      const [rows, total] = await Promise.all([
        repo.listReferralsOfAuthority(db, actor.agencyId, queue, window),
        repo.countReferralsOfAuthority(db, actor.agencyId, queue),
      ])
      const decisions = groupDecisions(await repo.listDecisions(db, rows.map((row) => row.id)))
      await recordAudit(
        db,
        actor,
        rows.map((row) => ({
          action: 'VIEW_NRM_REFERRAL' as const,
          subjectPersonId: row.person_id,
          recordType: 'nrm_referral' as const,
          recordId: row.id,
          detail: { access: 'competentAuthority', queue: queue ?? 'all' },
        })),
      )
      const today = londonDateOf(new Date())
      return {
        page: window.page,
        pageSize: window.pageSize,
        total,
        items: rows.map((row) => toReferral(row, decisions.get(row.id) ?? [], today)),
      }
    },

    // ---------------------------------------------------------------- decisions

    /**
     * A decision-maker of the referral's competent authority records a reasonable- or conclusive-grounds decision.
     * The person's suspected-trafficking flag is left alone: it belongs to the people module and is the owning
     * agency's judgement; a positive decision does not set it from here.
     */
    async recordDecision(actor: Actor, referralId: string, rawInput: NrmDecisionInput): Promise<NrmReferral> {
      const input = parseInput(NrmDecisionInput, rawInput)
      const today = londonDateOf(new Date())
      return db.transaction().execute(async (trx) => {
        const referral = await repo.lockReferral(trx, referralId)
        if (!referral) throw new NotFoundError('NRM referral')
        const access = await asNotFound('NRM referral', () => resolvePersonAccess(trx, actor, referral.person_id))
        if (access.level === 'competentAuthority' && referral.competent_authority_id !== actor.agencyId) throw new NotFoundError('NRM referral')
        if (!can.decideNrmReferrals(actor) || referral.competent_authority_id !== actor.agencyId)
          throw new ForbiddenError('Only a decision-maker of the competent authority the referral was made to can decide it')

        const existing = await repo.listDecisions(trx, [referralId])
        const errors = checkDecisionRules(input, referral, existing, today)
        if (errors.length > 0) throw new ValidationError(errors)

        const id = uuidv7()
        const positiveReasonableGrounds = input.stage === 'reasonable_grounds' && input.outcome === 'positive'
        await repo.insertDecision(trx, {
          id,
          referral_id: referralId,
          stage: input.stage,
          outcome: input.outcome,
          conclusive_finding: input.conclusiveFinding ?? null,
          decided_on: input.decidedOn,
          recovery_period_ends_on: positiveReasonableGrounds ? addDays(input.decidedOn, recoveryPeriodDays(input.decidedOn)) : null,
          reconsideration: input.reconsideration ?? false,
          decided_by_user_id: actor.userId,
        })
        await repo.bumpReferralVersion(trx, referralId)
        await recordAudit(trx, actor, [
          {
            action: 'RECORD_NRM_DECISION',
            subjectPersonId: referral.person_id,
            recordType: 'nrm_decision',
            recordId: id,
            detail: { referralId, stage: input.stage, outcome: input.outcome, reconsideration: input.reconsideration ?? false },
          },
        ])
        await recordEvent(trx, {
          type: 'nrm.decision_recorded',
          actor,
          personId: referral.person_id,
          subject: { type: 'nrm_referral', id: referralId },
          payload: { decisionId: id, stage: input.stage, outcome: input.outcome },
        })
        return readReferral(trx, referralId)
      })
    },

    /**
     * The strongest NRM standing the person had on a date, from the referrals made and decisions in force on it:
     * a negative decision, or a reconsideration overturning a positive one, leaves them "referred".
     * For other services (statistics) that return no personal data; it is not exposed over HTTP, so it is not audited.
     */
    async nrmStatusOn(personId: string, isoDate: string): Promise<NrmStatusOn> {
      if (!isIsoDate(isoDate)) throw new ValidationError([{ field: 'date', message: 'must be a date like 2009-03-14' }])
      const { referrals, decisions } = await repo.referralsAsAt(db, personId, isoDate)
      if (referrals.length === 0) return 'none'
      const byReferral = groupDecisions(decisions)
      let strongest: NrmStatusOn = 'referred'
      for (const referral of referrals) {
        const status = statusOnOf(statusOf(byReferral.get(referral.id) ?? []))
        if (STATUS_ON_RANK[status] > STATUS_ON_RANK[strongest]) strongest = status
      }
      return strongest
    },

    // ---------------------------------------------------------------- child trafficking guardians

    /**
     * The person's owning agency, or a guardian of the service itself, allocates a guardian (DOMAIN-SOURCES.md §5.4).
     * A guardian service may allocate a child it cannot read yet (the allocation is what gives its guardian access),
     * but only to itself.
     */
    async assignGuardian(actor: Actor, personId: string, rawInput: GuardianAssignmentInput): Promise<GuardianAssignment> {
      const input = parseInput(GuardianAssignmentInput, rawInput)
      const errors: FieldError[] = []
      notInFuture('allocatedOn', input.allocatedOn, londonDateOf(new Date()), errors)
      const agencyErrors = await guardianAgencyErrors(actor, input.guardianAgencyId)
      errors.push(...(agencyErrors.length > 0 ? agencyErrors : await guardianUserErrors(db, input.guardianAgencyId, input.guardianUserId)))
      if (errors.length > 0) throw new ValidationError(errors)
      const id = uuidv7()
      return db.transaction().execute(async (trx) => {
        if (isGuardianService(actor)) {
          if (!(await repo.personExists(trx, personId))) throw new NotFoundError('Person')
          if (input.guardianAgencyId !== actor.agencyId) throw new ForbiddenError('A guardian service allocates only its own guardians')
        } else {
          await requirePersonWrite(trx, actor, personId)
        }
        await repo.insertAssignment(trx, {
          id,
          person_id: personId,
          guardian_agency_id: input.guardianAgencyId,
          guardian_user_id: input.guardianUserId ?? null,
          role: input.role,
          allocated_on: input.allocatedOn,
          ended_on: null,
        })
        await recordAudit(trx, actor, [
          {
            action: 'ASSIGN_GUARDIAN',
            subjectPersonId: personId,
            recordType: 'ictg_assignment',
            recordId: id,
            recipientAgencyId: input.guardianAgencyId,
            detail: { role: input.role, guardianUserId: input.guardianUserId ?? null },
          },
        ])
        await recordEvent(trx, { type: 'guardian.assigned', actor, personId, subject: { type: 'ictg_assignment', id }, payload: { guardianAgencyId: input.guardianAgencyId } })
        const row = await repo.findAssignment(trx, id)
        if (!row) throw new NotFoundError('Guardian assignment')
        return toAssignment(row)
      })
    },

    /**
     * A child's guardian assignments, current first, for anyone who reads the child (a purpose outside the owning
     * agency). Each assignment shown is audited; finding there is none is audited once, as for referrals.
     */
    async listGuardianAssignmentsOfPerson(actor: Actor, personId: string): Promise<GuardianAssignment[]> {
      const access = await requirePersonRead(db, actor, personId)
      const rows = await repo.listAssignmentsOfPerson(db, personId)
      await recordAudit(db, actor, rows.length === 0 ? [viewAssignment(personId, null, access)] : rows.map((row) => viewAssignment(personId, row.id, access)))
      return rows.map(toAssignment)
    },

    /** One assignment, for the child's readers (the same access as the list). */
    async getGuardianAssignment(actor: Actor, id: string): Promise<GuardianAssignment> {
      const row = await repo.findAssignment(db, id)
      if (!row) throw new NotFoundError('Guardian assignment')
      const access = await asNotFound('Guardian assignment', () => requirePersonRead(db, actor, row.person_id))
      await recordAudit(db, actor, [viewAssignment(row.person_id, row.id, access)])
      return toAssignment(row)
    },

    /** Change the guardian or role, or end the assignment (send the version you read). */
    async updateGuardianAssignment(actor: Actor, id: string, rawInput: GuardianAssignmentUpdateInput): Promise<GuardianAssignment> {
      const input = parseInput(GuardianAssignmentUpdateInput, rawInput)
      const errors: FieldError[] = []
      notInFuture('endedOn', input.endedOn, londonDateOf(new Date()), errors)
      if (errors.length > 0) throw new ValidationError(errors)
      return db.transaction().execute(async (trx) => {
        const current = await repo.lockAssignment(trx, id)
        if (!current) throw new NotFoundError('Guardian assignment')
        await requireAssignmentWrite(trx, actor, current)
        if (current.version !== input.version) throw new StaleVersionError('The guardian assignment', current.version)
        const ruleErrors: FieldError[] = []
        if (input.endedOn && input.endedOn < current.allocated_on)
          ruleErrors.push({ field: 'endedOn', message: `The assignment must not end before it was allocated (${current.allocated_on})` })
        ruleErrors.push(...(await guardianUserErrors(trx, current.guardian_agency_id, input.guardianUserId)))
        if (ruleErrors.length > 0) throw new ValidationError(ruleErrors)

        const changes: RowUpdate<'ictg_assignment'> = {}
        if (input.guardianUserId !== undefined) changes.guardian_user_id = input.guardianUserId
        if (input.role !== undefined) changes.role = input.role
        if (input.endedOn !== undefined) changes.ended_on = input.endedOn
        await repo.updateAssignmentVersioned(trx, id, input.version, changes)
        await recordAudit(trx, actor, [
          {
            action: 'UPDATE_GUARDIAN_ASSIGNMENT',
            subjectPersonId: current.person_id,
            recordType: 'ictg_assignment',
            recordId: id,
            detail: { fields: Object.keys(input).filter((key) => key !== 'version') },
          },
        ])
        await recordEvent(trx, {
          type: 'guardian.assignment_changed',
          actor,
          personId: current.person_id,
          subject: { type: 'ictg_assignment', id },
          payload: { fields: Object.keys(input).filter((key) => key !== 'version') },
        })
        const row = await repo.findAssignment(trx, id)
        if (!row) throw new NotFoundError('Guardian assignment')
        return toAssignment(row)
      })
    },
  }
}

function isGuardianService(actor: Actor): boolean {
  return actor.agencyKind === 'ictg_service' && can.actAsGuardian(actor)
}

/**
 * Whether this actor, reaching the child at `access`, may allocate a guardian: the owning agency, or a guardian of
 * a guardian service (which allocates only its own). The same rule `assignGuardian` enforces; for pages to offer
 * the action only to those it would succeed for.
 */
export function mayAssignGuardian(actor: Actor, access: PersonAccessLevel): boolean {
  return access === 'owner' || isGuardianService(actor)
}

/** Whether this actor may change or end the assignment: the owning agency, or a guardian of its own service. */
export function mayChangeGuardianAssignment(actor: Actor, access: PersonAccessLevel, assignment: Pick<GuardianAssignment, 'guardianAgencyId'>): boolean {
  return access === 'owner' || (isGuardianService(actor) && assignment.guardianAgencyId === actor.agencyId)
}

export type TraffickingService = ReturnType<typeof createTraffickingService>
