import type { Kysely } from 'kysely'
import type { Database, NewRow, RowUpdate } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import type { AgencyKind } from '../access/roles.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { NotFoundError } from '../../lib/errors.ts'
import { pageWindow, type Page, type PageRequest } from '../../lib/pagination.ts'
import { localAuthorities, otherAgencies, policeForces, type Agency as ReferenceAgency } from './reference-data.ts'
import type { NATIONS } from './agencies.schemas.ts'
import * as repo from './agencies.repository.ts'

export interface Agency {
  id: string
  kind: AgencyKind
  code: string
  name: string
  welshName: string | null
  region: string | null
  nation: (typeof NATIONS)[number]
  contactPhone: string | null
  contactEmail: string | null
  active: boolean
  replacedByCode: string | null
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface AgencyListRequest extends Partial<PageRequest> {
  kind?: AgencyKind
  activeOnly?: boolean
}

export interface ReferenceLoadCounts {
  inserted: number
  updated: number
  unchanged: number
}

function toAgency(row: repo.AgencyRow): Agency {
  return {
    id: row.id,
    kind: row.kind as AgencyKind,
    code: row.code,
    name: row.name,
    welshName: row.welsh_name,
    region: row.region,
    nation: row.nation as Agency['nation'],
    contactPhone: row.contact_phone,
    contactEmail: row.contact_email,
    active: row.active,
    replacedByCode: row.replaced_by_code,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The columns the reference data speaks for; null when the row already says all of it. */
function referenceChanges(row: repo.AgencyRow, agency: ReferenceAgency): RowUpdate<'agency'> | null {
  const wanted = {
    name: agency.name,
    welsh_name: agency.welshName,
    region: agency.region,
    nation: agency.nation,
    active: agency.active,
    replaced_by_code: agency.replacedByCode,
    // Only forces ship a phone number; a number an agency keeps for itself is not blanked by a reload.
    contact_phone: agency.contactPhone ?? row.contact_phone,
  }
  const changes: RowUpdate<'agency'> = Object.fromEntries(
    Object.entries(wanted).filter(([column, value]) => row[column as keyof typeof wanted] !== value),
  )
  return Object.keys(changes).length > 0 ? changes : null
}

/**
 * Brings the agency table in line with the reference data shipped in the module (police forces, local
 * authorities, national bodies), matched by code: new codes get a row with a fresh id, existing rows keep
 * their id (users, people and episodes point at it) and take the reference's name, region and status.
 * Running it again changes nothing. Agencies not in the reference data (a test agency, a local
 * first responder) are left alone. Lantern calls it on `migrate` and on start.
 */
export async function loadReferenceAgencies(db: Kysely<Database>): Promise<ReferenceLoadCounts> {
  const reference = [...policeForces(), ...localAuthorities(), ...otherAgencies()]
  return db.transaction().execute(async (trx) => {
    const existing = new Map((await repo.findAgenciesByCodes(trx, reference.map((agency) => agency.code))).map((row) => [row.code, row]))
    const fresh: NewRow<'agency'>[] = []
    let updated = 0
    let unchanged = 0
    for (const agency of reference) {
      const row = existing.get(agency.code)
      if (!row) {
        fresh.push({
          id: uuidv7(),
          kind: agency.kind,
          code: agency.code,
          name: agency.name,
          welsh_name: agency.welshName,
          region: agency.region,
          nation: agency.nation,
          contact_phone: agency.contactPhone,
          contact_email: null,
          active: agency.active,
          replaced_by_code: agency.replacedByCode,
        })
        continue
      }
      // Users' roles are checked against their agency's kind, so a kind is never changed behind their back.
      if (row.kind !== agency.kind) {
        throw new Error(
          `Agency ${agency.code} is recorded as a ${row.kind} but the reference data says ${agency.kind}; nothing was loaded. Correct or recode that agency, then load again.`,
        )
      }
      const changes = referenceChanges(row, agency)
      if (changes === null) {
        unchanged += 1
      } else {
        await repo.updateAgency(trx, row.id, changes)
        updated += 1
      }
    }
    const inserted = await repo.insertAgencies(trx, fresh)
    return { inserted, updated, unchanged: unchanged + fresh.length - inserted }
  })
}

/**
 * Agencies are public reference data, not personal data: any signed-in actor may read them, and reading
 * them is not audited. The actor is still taken, so every call says who asks.
 */
export function createAgenciesService(db: Kysely<Database>) {
  return {
    /** Agencies by kind then name, optionally one kind, optionally only those still in being. */
    async list(_actor: Actor, request: AgencyListRequest): Promise<Page<Agency>> {
      const window = pageWindow(request)
      const filter = { kind: request.kind ?? null, activeOnly: request.activeOnly ?? false }
      const [rows, total] = await Promise.all([repo.listAgencies(db, filter, window), repo.countAgencies(db, filter)])
      return { page: window.page, pageSize: window.pageSize, total, items: rows.map(toAgency) }
    },

    async get(_actor: Actor, id: string): Promise<Agency> {
      const row = await repo.findAgencyById(db, id)
      if (!row) throw new NotFoundError('Agency')
      return toAgency(row)
    },

    /** For other modules: the agency with an ONS or reference code, or null if none is registered. */
    async findByCode(code: string): Promise<Agency | null> {
      const row = await repo.findAgencyByCode(db, code)
      return row ? toAgency(row) : null
    },
  }
}

export type AgenciesService = ReturnType<typeof createAgenciesService>
