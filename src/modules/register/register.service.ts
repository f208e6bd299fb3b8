import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can } from '../access/roles.ts'
import { PurposeRequiredError } from '../access/access.service.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { londonDateOf } from '../../lib/dates.ts'
import { matchableForm } from '../../lib/names.ts'
import { pageWindow, type Page, type PageRequest } from '../../lib/pagination.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts'
import type { PersonName } from '../people/people.service.ts'
import * as repo from './register.repository.ts'

/**
 * The police national register view (ARCHITECTURE.md, "Access"): every open episode in the country, with
 * enough to recognise the person and how to contact the owning agency, and nothing more. It is a
 * consultation of personal data outside the officer's own force, so it needs a purpose and is audited.
 */
export interface RegisterEntry {
  episodeId: string
  personId: string
  names: PersonName[]
  sex: string
  dateOfBirth: { earliest: string | null; latest: string | null; source: string | null } | null
  ageRange: { youngest: number; oldest: number } | null
  description: {
    heightCm: number | null
    build: string | null
    hair: string | null
    eyes: string | null
    distinguishingMarks: string | null
    clothing: string | null
  }
  flags: { unaccompanied: boolean; suspectedTrafficking: boolean }
  photoIds: string[]
  riskGrade: string | null
  missingSince: Date
  lastSeenPlace: string | null
  incidentReference: string | null
  owningAgency: { id: string; name: string; code: string; contactPhone: string | null; contactEmail: string | null }
}

export function ageOn(dateOfBirth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(dateOfBirth.slice(0, 4))
  return today.slice(5) < dateOfBirth.slice(5) ? years - 1 : years
}

function toEntry(row: repo.RegisterRow, today: string): RegisterEntry {
  return {
    episodeId: row.episode_id,
    personId: row.person_id,
    names: row.names as PersonName[],
    sex: row.sex,
    dateOfBirth: row.dob_earliest || row.dob_latest ? { earliest: row.dob_earliest, latest: row.dob_latest, source: row.dob_source } : null,
    ageRange: row.dob_earliest && row.dob_latest ? { youngest: ageOn(row.dob_latest, today), oldest: ageOn(row.dob_earliest, today) } : null,
    description: {
      heightCm: row.height_cm,
      build: row.build,
      hair: row.hair,
      eyes: row.eyes,
      distinguishingMarks: row.distinguishing_marks,
      clothing: row.clothing,
    },
    flags: { unaccompanied: row.unaccompanied, suspectedTrafficking: row.suspected_trafficking },
    photoIds: row.photo_ids,
    riskGrade: row.current_risk_grade,
    missingSince: row.started_at,
    lastSeenPlace: row.last_seen_place,
    incidentReference: row.incident_reference,
    owningAgency: { id: row.agency_id, name: row.agency_name, code: row.agency_code, contactPhone: row.contact_phone, contactEmail: row.contact_email },
  }
}

function requireRegisterAccess(actor: Actor) {
  if (!can.readNationalRegister(actor)) throw new ForbiddenError('The national register is for police officers and staff')
  if (!actor.purpose) throw new PurposeRequiredError()
}

export interface RegisterQuery extends Partial<PageRequest> {
  name?: string
  sex?: string
  ageFrom?: number
  ageTo?: number
  description?: string
}

export function createRegisterService(db: Kysely<Database>) {
  return {
    async search(actor: Actor, query: RegisterQuery): Promise<Page<RegisterEntry>> {
      requireRegisterAccess(actor)
      if (query.ageFrom !== undefined && query.ageTo !== undefined && query.ageFrom > query.ageTo)
        throw new ValidationError([{ field: 'query/ageTo', message: 'The oldest age must not be below the youngest' }])
      const window = pageWindow(query)
      const today = londonDateOf(new Date())
      const { rows, total } = await repo.listRegister(
        db,
        {
          folded: query.name?.trim() ? matchableForm({ text: query.name, transliteration: null }) : null,
          sex: query.sex ?? null,
          ageFrom: query.ageFrom ?? null,
          ageTo: query.ageTo ?? null,
          description: query.description?.trim() || null,
        },
        window,
      )
      await recordAudit(
        db,
        actor,
        rows.map((row) => ({
          action: 'LIST_REGISTER' as const,
          subjectPersonId: row.person_id,
          recordType: 'missing_episode' as const,
          recordId: row.episode_id,
          recipientAgencyId: actor.agencyId,
        })),
      )
      return { page: window.page, pageSize: window.pageSize, total, items: rows.map((row) => toEntry(row, today)) }
    },

    async entry(actor: Actor, episodeId: string): Promise<RegisterEntry> {
      requireRegisterAccess(actor)
      const row = await repo.findRegisterEntry(db, episodeId)
      if (!row) throw new NotFoundError('Open episode')
      await recordAudit(db, actor, [
        { action: 'VIEW_REGISTER_ENTRY', subjectPersonId: row.person_id, recordType: 'missing_episode', recordId: episodeId, recipientAgencyId: actor.agencyId },
      ])
      return toEntry(row, londonDateOf(new Date()))
    },

    async photo(actor: Actor, episodeId: string, photoId: string): Promise<{ contentType: string; bytes: Uint8Array }> {
      requireRegisterAccess(actor)
      const photo = await repo.findRegisterPhoto(db, episodeId, photoId)
      if (!photo) throw new NotFoundError('Photo')
      await recordAudit(db, actor, [{ action: 'VIEW_PHOTO', subjectPersonId: photo.person_id, recordType: 'photo', recordId: photoId, recipientAgencyId: actor.agencyId }])
      return { contentType: photo.content_type, bytes: photo.bytes }
    },
  }
}

export type RegisterService = ReturnType<typeof createRegisterService>
