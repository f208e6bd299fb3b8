import type { Kysely } from 'kysely'
import type { Database, RowUpdate } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { requirePersonRead, requirePersonWrite } from '../access/access.service.ts'
import { recordAudit } from '../audit/audit.service.ts'
import type { AuditEntry } from '../audit/audit.actions.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { londonDateOf } from '../../lib/dates.ts'
import { parseInput } from '../../lib/schema.ts'
import { NotFoundError, StaleVersionError, ValidationError, type FieldError } from '../../lib/errors.ts'
import {
  PHILOMENA_ONLY_DETAILS,
  ProtocolProfileInput,
  ProtocolProfileUpdateInput,
  type Associate,
  type ProfileDetails,
  type RiskAssessedLocation,
} from './protocols.schemas.ts'
import type { CONSENT_BASES, PROTOCOLS, VULNERABILITIES } from './protocols.schemas.ts'
import * as repo from './protocols.repository.ts'

export interface ProtocolProfile {
  id: string
  personId: string
  protocol: (typeof PROTOCOLS)[number]
  ownerAgencyId: string
  details: ProfileDetails
  riskAssessedLocations: RiskAssessedLocation[]
  associates: Associate[]
  vulnerabilities: (typeof VULNERABILITIES)[number][]
  consentBasis: (typeof CONSENT_BASES)[number]
  lastReviewedOn: string | null
  photoUpdatedOn: string | null
  photoStale: boolean
  reviewDue: boolean
  version: number
  createdAt: Date
  updatedAt: Date
}

// DOMAIN-SOURCES.md §2.2: Cleveland MRT advise a new photo "every six months or so".
export const PHOTO_STALE_AFTER_MONTHS = 6
// The forms say only "kept updated" / "update regularly" (§2); Lantern asks for a review on the same six-month cycle.
export const REVIEW_DUE_AFTER_MONTHS = 6

/** The same day `months` months earlier, on the month's last day when it is shorter (31 August -> 28/29 February). */
export function monthsBefore(isoDate: string, months: number): string {
  const year = Number(isoDate.slice(0, 4))
  const month = Number(isoDate.slice(5, 7)) - 1 - months
  const day = Number(isoDate.slice(8, 10))
  const first = new Date(Date.UTC(year, month, 1))
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate()
  first.setUTCDate(Math.min(day, lastDay))
  return first.toISOString().slice(0, 10)
}

function toProfile(row: repo.ProfileRow, today: string): ProtocolProfile {
  const lastReviewed = row.last_reviewed_on ?? londonDateOf(row.created_at)
  return {
    id: row.id,
    personId: row.person_id,
    protocol: row.protocol as ProtocolProfile['protocol'],
    ownerAgencyId: row.owner_agency_id,
    details: row.details as ProfileDetails,
    riskAssessedLocations: row.risk_assessed_locations as RiskAssessedLocation[],
    associates: row.associates as Associate[],
    vulnerabilities: row.vulnerabilities as ProtocolProfile['vulnerabilities'],
    consentBasis: row.consent_basis as ProtocolProfile['consentBasis'],
    lastReviewedOn: row.last_reviewed_on,
    photoUpdatedOn: row.photo_updated_on,
    // No dated photo is as bad as an old one: the search team has nothing current to show.
    photoStale: row.photo_updated_on === null || row.photo_updated_on < monthsBefore(today, PHOTO_STALE_AFTER_MONTHS),
    reviewDue: lastReviewed < monthsBefore(today, REVIEW_DUE_AFTER_MONTHS),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/**
 * Rules the schema cannot say. Herbert is not refused for children nor Philomena for adults: the sources
 * (§2) describe who each form is for, not a rule that forbids the other, so both are allowed for anyone.
 */
function checkProfileRules(
  protocol: ProtocolProfile['protocol'],
  input: { details?: ProfileDetails; lastReviewedOn?: string | null; photoUpdatedOn?: string | null },
  today: string,
): FieldError[] {
  const errors: FieldError[] = []
  if (input.lastReviewedOn && input.lastReviewedOn > today) errors.push({ field: 'lastReviewedOn', message: 'The date must not be in the future' })
  if (input.photoUpdatedOn && input.photoUpdatedOn > today) errors.push({ field: 'photoUpdatedOn', message: 'The date must not be in the future' })
  const found = input.details?.placesPreviouslyFound ?? []
  found.forEach((place, index) => {
    if (place.foundOn && place.foundOn > today) errors.push({ field: `details/placesPreviouslyFound/${index}/foundOn`, message: 'The date must not be in the future' })
  })
  // §2.2, Durham form: care order / legal status, previous missing incidents and significant individuals are Philomena's.
  if (protocol === 'herbert' && input.details) {
    for (const field of PHILOMENA_ONLY_DETAILS) {
      if (input.details[field] !== undefined && input.details[field] !== null)
        errors.push({ field: `details/${field}`, message: 'Only a Philomena profile records this' })
    }
  }
  return errors
}

/** Person access with the caller's own wording: "no such profile" rather than "no such person". */
async function asNotFound<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError(what)
    throw error
  }
}

export function createProtocolsService(db: Kysely<Database>) {
  async function readProfile(trx: Kysely<Database>, id: string): Promise<ProtocolProfile> {
    const row = await repo.findProfile(trx, id)
    if (!row) throw new NotFoundError('Protocol profile')
    return toProfile(row, londonDateOf(new Date()))
  }

  return {
    /** The person's owning agency records a Herbert or Philomena profile, and owns it. */
    async create(actor: Actor, personId: string, rawInput: ProtocolProfileInput): Promise<ProtocolProfile> {
      const input = parseInput(ProtocolProfileInput, rawInput)
      const errors = checkProfileRules(input.protocol, input, londonDateOf(new Date()))
      if (errors.length > 0) throw new ValidationError(errors)
      const id = uuidv7()
      return db.transaction().execute(async (trx) => {
        await requirePersonWrite(trx, actor, personId)
        await repo.insertProfile(trx, {
          id,
          person_id: personId,
          protocol: input.protocol,
          owner_agency_id: actor.agencyId,
          details: JSON.stringify(input.details ?? {}),
          risk_assessed_locations: JSON.stringify(input.riskAssessedLocations ?? []),
          associates: JSON.stringify(input.associates ?? []),
          vulnerabilities: input.vulnerabilities ?? [],
          consent_basis: input.consentBasis,
          last_reviewed_on: input.lastReviewedOn ?? null,
          photo_updated_on: input.photoUpdatedOn ?? null,
          created_by_user_id: actor.userId,
        })
        await recordAudit(trx, actor, [
          { action: 'CREATE_PROTOCOL_PROFILE', subjectPersonId: personId, recordType: 'protocol_profile', recordId: id, detail: { protocol: input.protocol } },
        ])
        return readProfile(trx, id)
      })
    },

    async listForPerson(actor: Actor, personId: string): Promise<ProtocolProfile[]> {
      const access = await requirePersonRead(db, actor, personId)
      const rows = await repo.listProfilesOfPerson(db, personId)
      // Finding that a person has no profile is itself a consultation of their record.
      const entries: AuditEntry[] =
        rows.length === 0
          ? [{ action: 'VIEW_PROTOCOL_PROFILE', subjectPersonId: personId, recordType: 'protocol_profile', recordId: null, detail: { access: access.level } }]
          : rows.map((row) => ({ action: 'VIEW_PROTOCOL_PROFILE', subjectPersonId: personId, recordType: 'protocol_profile', recordId: row.id, detail: { access: access.level } }))
      await recordAudit(db, actor, entries)
      const today = londonDateOf(new Date())
      return rows.map((row) => toProfile(row, today))
    },

    async get(actor: Actor, id: string): Promise<ProtocolProfile> {
      const row = await repo.findProfile(db, id)
      if (!row) throw new NotFoundError('Protocol profile')
      const access = await asNotFound('Protocol profile', () => requirePersonRead(db, actor, row.person_id))
      const profile = toProfile(row, londonDateOf(new Date()))
      await recordAudit(db, actor, [
        { action: 'VIEW_PROTOCOL_PROFILE', subjectPersonId: row.person_id, recordType: 'protocol_profile', recordId: id, detail: { access: access.level } },
      ])
      return profile
    },

    async update(actor: Actor, id: string, rawInput: ProtocolProfileUpdateInput): Promise<ProtocolProfile> {
      const input = parseInput(ProtocolProfileUpdateInput, rawInput)
      const today = londonDateOf(new Date())
      return db.transaction().execute(async (trx) => {
        const current = await repo.lockProfile(trx, id)
        if (!current) throw new NotFoundError('Protocol profile')
        await asNotFound('Protocol profile', () => requirePersonWrite(trx, actor, current.person_id))
        if (current.version !== input.version) throw new StaleVersionError('The protocol profile', current.version)
        const errors = checkProfileRules(current.protocol as ProtocolProfile['protocol'], input, today)
        if (errors.length > 0) throw new ValidationError(errors)

        const changes: RowUpdate<'protocol_profile'> = {}
        if (input.details !== undefined) changes.details = JSON.stringify(input.details)
        if (input.riskAssessedLocations !== undefined) changes.risk_assessed_locations = JSON.stringify(input.riskAssessedLocations)
        if (input.associates !== undefined) changes.associates = JSON.stringify(input.associates)
        if (input.vulnerabilities !== undefined) changes.vulnerabilities = input.vulnerabilities
        if (input.consentBasis !== undefined) changes.consent_basis = input.consentBasis
        if (input.lastReviewedOn !== undefined) changes.last_reviewed_on = input.lastReviewedOn
        if (input.photoUpdatedOn !== undefined) changes.photo_updated_on = input.photoUpdatedOn
        await repo.updateProfileVersioned(trx, id, input.version, changes)
        await recordAudit(trx, actor, [
          {
            action: 'UPDATE_PROTOCOL_PROFILE',
            subjectPersonId: current.person_id,
            recordType: 'protocol_profile',
            recordId: id,
            detail: { fields: Object.keys(input).filter((key) => key !== 'version') },
          },
        ])
        return readProfile(trx, id)
      })
    },
  }
}

export type ProtocolsService = ReturnType<typeof createProtocolsService>
