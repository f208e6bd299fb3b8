// SSDA903 export: the Header, Episodes and Missing tables of a collection year from Lantern's records, in
// DfE's exact CSV layout (DfE's columns in DfE's order, dates dd/mm/YYYY), checked with the same rules as an
// import before anything leaves. Every export is a disclosure: recorded, and audited per child.
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/database.ts'
import type { Actor } from '../../access/actor.ts'
import { can } from '../../access/roles.ts'
import { recordAuditInChunks } from '../bulk.ts'
import type { AuditEntry } from '../../audit/audit.actions.ts'
import { createAgenciesService } from '../../agencies/agencies.service.ts'
import { uuidv7 } from '../../../lib/ids.ts'
import { toCsv } from '../../../lib/csv.ts'
import { londonDateOf, startOfLondonDay, addDays } from '../../../lib/dates.ts'
import { NotFoundError, ValidationError } from '../../../lib/errors.ts'
import { sha256 } from '../files.ts'
import { sortIssues, type Issue } from '../report.ts'
import { requireImporter } from '../import-run.service.ts'
import { codeOfSex, collectionWindow, dmyOfIso, FIRST_YEAR, LAST_YEAR } from './ssda903.codes.ts'
import { IMPORTED_TABLES, type SourceRow, type SourceTables } from './ssda903.tables.ts'
import { validateReturn } from './ssda903.validate.ts'
import * as repo from './ssda903.repository.ts'

export const EXPORTED_TABLES = ['Header', 'Episodes', 'Missing'] as const
export const EXPORT_FILE_NAMES = { Header: 'header.csv', Episodes: 'episodes.csv', Missing: 'missing.csv' } as const

export interface Ssda903ExportRequest {
  la: string
  year: number
  /** Who receives the files (DfE, as a rule): kept with the disclosure. */
  recipient: string
}

export interface Ssda903Export {
  /** Null when the export was refused: nothing left Lantern. */
  disclosureId: string | null
  files: { name: string; table: (typeof EXPORTED_TABLES)[number]; text: string }[]
  issues: Issue[]
  summary: { children: number; careEpisodes: number; missingEpisodes: number; placementsWithheld: number }
}

const dmy = (iso: string | null) => (iso === null ? '' : dmyOfIso(iso))

export function createSsda903ExportService(db: Kysely<Database>) {
  const agencies = createAgenciesService(db)

  return {
    async exportReturn(actor: Actor, request: Ssda903ExportRequest): Promise<Ssda903Export> {
      if (!Number.isInteger(request.year) || request.year < FIRST_YEAR || request.year > LAST_YEAR) {
        throw new ValidationError([{ field: 'year', message: `must be a collection year from ${FIRST_YEAR} to ${LAST_YEAR}` }])
      }
      if (request.recipient.trim() === '') throw new ValidationError([{ field: 'recipient', message: 'Say who receives the return (e.g. Department for Education)' }])
      const la = await agencies.findByCode(request.la)
      if (!la || la.kind !== 'local_authority') throw new NotFoundError(`Local authority ${request.la}`)
      requireImporter(actor, la.id)
      const window = collectionWindow(request.year)
      const instants = { ...window, startInstant: startOfLondonDay(window.start), endInstant: startOfLondonDay(addDays(window.end, 1)) }

      return db.transaction().execute(async (trx) => {
        const people = await repo.findReturnPeople(trx, la.id, instants)
        const ids = people.map((person) => person.id)
        const [care, missing, extras] = await Promise.all([
          repo.findReturnCareEpisodes(trx, la.id, ids, window),
          repo.findReturnMissingEpisodes(trx, la.id, ids, instants),
          repo.findReturnChildren(trx, la.id, request.year, people.map((person) => person.child)),
        ])
        const extrasOf = new Map(extras.map((row) => [row.child, row]))
        const childOf = new Map(people.map((person) => [person.id, person]))
        // The placement of a child flagged for trafficking or exploitation is for named roles only (docs/adr/0006).
        const seesLocation = can.readRestrictedLocation(actor)
        let withheld = 0
        const header = people.map((person) => {
          const extra = extrasOf.get(person.child)
          if (person.restricted_location && !seesLocation) withheld += 1
          return {
            CHILD: person.child,
            SEX: codeOfSex(person.sex, request.year) ?? '',
            DOB: dmy(person.dob_earliest),
            ETHNIC: person.ethnicity ?? '',
            UPN: person.upn ?? '',
            MOTHER: extra?.mother ?? '',
            MC_DOB: dmy(extra?.mother_child_dob ?? null),
          }
        })
        const byChild = <T extends { person_id: string }>(rows: T[]) =>
          rows.map((row) => ({ row, person: childOf.get(row.person_id) })).filter((item) => item.person !== undefined)
        const episodes = byChild(care)
          .map(({ row, person }) => {
            const hide = person?.restricted_location === true && !seesLocation
            return {
              CHILD: person?.child ?? '',
              DECOM: dmy(row.started_on),
              RNE: row.reason_for_new_episode,
              LS: row.legal_status,
              CIN: row.category_of_need,
              PLACE: row.placement_type,
              PLACE_PROVIDER: row.placement_provider ?? '',
              DEC: dmy(row.ended_on),
              REC: row.reason_ended ?? '',
              REASON_PLACE_CHANGE: row.reason_for_placement_change ?? '',
              HOME_POST: row.home_postcode ?? '',
              PL_POST: hide ? '' : (row.placement_postcode ?? ''),
              URN: hide ? '' : (row.provider_urn ?? ''),
              sort: `${person?.child}|${row.started_on}`,
            }
          })
          .sort((a, b) => a.sort.localeCompare(b.sort))
        const periods = byChild(missing)
          .map(({ row, person }) => ({
            CHILD: person?.child ?? '',
            DOB: dmy(person?.dob_earliest ?? null),
            MISSING: row.la_category ?? '',
            MIS_START: dmy(londonDateOf(row.started_at)),
            MIS_END: row.ended_at === null ? '' : dmy(londonDateOf(row.ended_at)),
            sort: `${person?.child}|${row.started_at.toISOString()}|${row.ended_at?.toISOString() ?? 'z'}`,
          }))
          .sort((a, b) => a.sort.localeCompare(b.sort))
        const tables = { Header: header, Episodes: episodes, Missing: periods }

        // The same rules as an import, on exactly what would be sent (line 2 is the first row).
        const asRows = (rows: Record<string, string>[]): SourceRow[] => rows.map((values, index) => ({ line: index + 2, values }))
        const source: SourceTables = { Header: asRows(tables.Header), Episodes: asRows(tables.Episodes), Missing: asRows(tables.Missing) }
        const issues = sortIssues(validateReturn(source, { year: request.year, format: 'csv', openAtStart: new Map() }))
        const summary = { children: header.length, careEpisodes: episodes.length, missingEpisodes: periods.length, placementsWithheld: withheld }
        if (issues.length > 0) return { disclosureId: null, files: [], issues, summary }

        const files = EXPORTED_TABLES.map((table) => {
          const columns = IMPORTED_TABLES[table]
          const rows: Record<string, string>[] = tables[table]
          return { name: EXPORT_FILE_NAMES[table], table, text: toCsv([[...columns], ...rows.map((row) => columns.map((column) => row[column] ?? ''))]) }
        })
        const disclosureId = uuidv7()
        await repo.insertDisclosure(trx, {
          id: disclosureId,
          agency_id: actor.agencyId,
          actor_user_id: actor.userId,
          actor_token_id: actor.tokenId,
          format: 'ssda903',
          recipient: request.recipient.trim(),
          purpose: actor.purpose ?? `SSDA903 return ${request.year}`,
          person_count: people.length,
          fields: EXPORTED_TABLES.flatMap((table) => IMPORTED_TABLES[table].map((column) => `${table}.${column}`)),
          sha256: sha256(Buffer.from(files.map((file) => file.text).join('\n'))),
        })
        const entries: AuditEntry[] = people.map((person) => ({
          action: 'DISCLOSE_RECORD',
          subjectPersonId: person.id,
          recordType: 'disclosure',
          recordId: disclosureId,
          detail: { format: 'ssda903', year: request.year, recipient: request.recipient.trim() },
        }))
        await recordAuditInChunks(trx, actor, entries)
        return { disclosureId, files, issues: [], summary }
      })
    },
  }
}

export type Ssda903ExportService = ReturnType<typeof createSsda903ExportService>
