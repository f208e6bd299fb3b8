// Police missing-person incidents from a documented CSV with the columns a force extract has (README:
// "Police incidents"; DOMAIN-SOURCES.md §1.5), so a force can load its history: the person, the episode,
// its initial and final risk grades, and when, where and how the person was traced.
import type { Kysely } from 'kysely'
import type { Database, NewRow } from '../../../db/database.ts'
import { insertRows, updateRows, type Cell, type Columns } from '../bulk.ts'
import type { Actor } from '../../access/actor.ts'
import { can } from '../../access/roles.ts'
import { CURRENT_APP_VERSION, HARM_OUTCOMES, MISSING_FROM_TYPES, RETURN_METHODS, RISK_GRADES } from '../../episodes/episodes.schemas.ts'
import { uuidv7 } from '../../../lib/ids.ts'
import { ForbiddenError } from '../../../lib/errors.ts'
import { LANTERN_RULE, type Issue } from '../report.ts'
import type { ImportResult } from '../import-run.service.ts'
import { importRecords, type RecordFormat, type RecordImportRequest } from '../record-import.ts'
import { PERSON_COLUMNS, readPersonDetails, loadPersonResolver, type PersonDetails } from '../person-records.ts'
import * as records from '../records.repository.ts'
import * as repo from './police.repository.ts'

// APP grades; the historic "absent" and "no apparent risk" categories read as very low (DOMAIN-SOURCES.md §1.1).
const RISK_ALIASES = { absent: 'very_low', no_apparent_risk: 'very_low', nar: 'very_low', verylow: 'very_low' } as const

export const POLICE_COLUMNS = [
  { name: 'incident_reference', required: true, description: "The force's incident (misper) reference: the key; loading the file again updates the episode" },
  { name: 'person_reference', required: false, description: "The force's own reference for the person (nominal id): kept as force_reference, and matches the person on the next load" },
  { name: 'pnc_id', required: false, description: 'Police National Computer id, kept as an identifier' },
  ...PERSON_COLUMNS,
  { name: 'missing_since', required: true, description: 'When last seen: 2024-07-13 21:40 (UK time) or ISO 8601 with a zone' },
  { name: 'reported_at', required: false, description: 'When reported missing' },
  { name: 'initial_risk', required: true, description: `${RISK_GRADES.join(', ')} (absent and no apparent risk read as very_low)` },
  { name: 'final_risk', required: false, description: 'The grade at the end, when it changed' },
  { name: 'missing_from', required: false, description: 'Where from (address or description)' },
  { name: 'missing_from_type', required: false, description: MISSING_FROM_TYPES.join(', ') },
  { name: 'circumstances', required: false, description: 'Free text, up to 4,000 characters' },
  { name: 'traced_at', required: false, description: 'When traced (found or returned); blank while missing' },
  { name: 'traced_location', required: false, description: 'Where traced' },
  { name: 'return_method', required: false, description: RETURN_METHODS.join(', ') },
  { name: 'harm_outcome', required: false, description: HARM_OUTCOMES.join(', ') },
] as const

export interface PoliceRecord {
  reference: string
  personReference: string | null
  pncId: string | null
  person: PersonDetails
  missingSince: Date
  reportedAt: Date | null
  initialRisk: (typeof RISK_GRADES)[number]
  finalRisk: (typeof RISK_GRADES)[number] | null
  missingFrom: string | null
  missingFromType: (typeof MISSING_FROM_TYPES)[number] | null
  circumstances: string | null
  tracedAt: Date | null
  tracedLocation: string | null
  returnMethod: (typeof RETURN_METHODS)[number] | null
  harmOutcome: (typeof HARM_OUTCOMES)[number] | null
}

/** [start, end) in milliseconds, open ends running for ever; touching is not overlapping (SSDA903 rule 574's sense). */
function overlaps(a: { start: number; end: number | null }, b: { start: number; end: number | null }): boolean {
  if (a.end === null && b.end === null) return true
  return a.start < (b.end ?? Infinity) && b.start < (a.end ?? Infinity)
}

/** The episode columns an incident gives. */
const EPISODE_COLUMNS: Columns = {
  started_at: 'timestamptz', reported_at: 'timestamptz', ended_at: 'timestamptz', incident_reference: 'text', missing_from: 'text', missing_from_type: 'text',
  circumstances: 'text', current_risk_grade: 'text', outcome: 'text', return_method: 'text', harm_outcome: 'text', found_place: 'text',
}

function personKey(record: PoliceRecord): string {
  return record.personReference ?? `${record.person.familyName ?? ''}|${record.person.givenNames ?? ''}|${record.person.dobEarliest ?? ''}`
}

export function createPoliceImportService(db: Kysely<Database>) {
  const format: RecordFormat<PoliceRecord> = {
    format: 'police',
    columns: POLICE_COLUMNS,
    keyColumn: 'incident_reference',
    read(reader) {
      const before = reader.issues.length
      const reference = reader.text('incident_reference', { required: true, max: 50 })
      const personReference = reader.text('person_reference', { max: 50 })
      const pncId = reader.text('pnc_id', { max: 20 })
      const person = readPersonDetails(reader)
      const missingSince = reader.instant('missing_since', { required: true })
      const reportedAt = reader.instant('reported_at')
      const initialRisk = reader.oneOf('initial_risk', RISK_GRADES, { required: true, aliases: RISK_ALIASES })
      const finalRisk = reader.oneOf('final_risk', RISK_GRADES, { aliases: RISK_ALIASES })
      const missingFrom = reader.text('missing_from', { max: 500 })
      const missingFromType = reader.oneOf('missing_from_type', MISSING_FROM_TYPES)
      const circumstances = reader.text('circumstances', { max: 4000 })
      const tracedAt = reader.instant('traced_at')
      const tracedLocation = reader.text('traced_location', { max: 500 })
      const returnMethod = reader.oneOf('return_method', RETURN_METHODS)
      const harmOutcome = reader.oneOf('harm_outcome', HARM_OUTCOMES)
      const now = new Date()
      if (missingSince && missingSince > now) reader.problem('missing_since', 'missing_since is in the future')
      if (missingSince && reportedAt && reportedAt < missingSince) reader.problem('reported_at', 'The report is before the person was last seen')
      if (missingSince && tracedAt && tracedAt < missingSince) reader.problem('traced_at', 'Traced before the person was last seen (SSDA903 rule 567 in police terms)')
      if (tracedAt && tracedAt > now) reader.problem('traced_at', 'traced_at is in the future')
      if (!tracedAt && (returnMethod || harmOutcome || tracedLocation)) reader.problem('traced_at', 'return_method, harm_outcome and traced_location come with traced_at')
      if (reader.issues.length > before || !reference || !person || !missingSince || !initialRisk) return null
      return { reference, personReference, pncId, person, missingSince, reportedAt, initialRisk, finalRisk, missingFrom, missingFromType, circumstances, tracedAt, tracedLocation, returnMethod, harmOutcome }
    },
    async check(trx, actor, items) {
      const issues: Issue[] = []
      const problem = (line: number, key: string, field: string, message: string) => issues.push({ rule: LANTERN_RULE, message, table: 'incidents', line, field, key })
      // One person's episodes never overlap and at most one is open (as the episodes module requires), in the file...
      const byPerson = new Map<string, typeof items>()
      for (const item of items) {
        const key = personKey(item.record)
        byPerson.set(key, [...(byPerson.get(key) ?? []), item])
      }
      for (const group of byPerson.values()) {
        group.forEach((item, index) => {
          const clash = group.slice(0, index).find((other) => overlaps(period(item.record), period(other.record)))
          if (clash) problem(item.line, item.key, 'missing_since', `This incident overlaps incident ${clash.key} (line ${clash.line}) of the same person: one person's episodes cannot overlap`)
        })
      }
      // ... and against the force's own records of the person, read for the whole file at once.
      const matched = await matchPeople(trx, actor, items.map((item) => item.record))
      const episodesOf = await repo.episodesOfPeople(trx, [...new Set(matched.personOf.values())])
      const inFile = new Set(items.map((item) => item.key))
      for (const item of items) {
        const personId = matched.personOf.get(item.record.reference)
        if (!personId) continue
        const existing = matched.incidents.get(item.record.reference)
        for (const episode of episodesOf.get(personId) ?? []) {
          if (episode.id === existing?.record_id || episode.incident_reference === item.record.reference) continue
          if (episode.incident_reference !== null && inFile.has(episode.incident_reference)) continue
          if (overlaps(period(item.record), { start: episode.started_at.getTime(), end: episode.ended_at?.getTime() ?? null })) {
            problem(item.line, item.key, 'missing_since', `This incident overlaps the episode from ${episode.started_at.toISOString()} that Lantern holds for this person${episode.incident_reference ? ` (${episode.incident_reference})` : ''}`)
          }
        }
      }
      return issues
    },
    async writeAll(trx, actor, items, runId) {
      const incidents = await records.findSourceRecords(trx, actor.agencyId, 'police', 'missing_episode', items.map((item) => item.record.reference))
      const episodes = await repo.findEpisodes(trx, [...incidents.values()].map((row) => row.record_id))
      const gradesOf = await repo.riskGradesOf(trx, [...episodes.keys()])
      const matchOf = (record: PoliceRecord) => ({
        format: 'police',
        sourceKey: record.personReference,
        identifiers: [
          ...(record.personReference ? [{ kind: 'force_reference', value: record.personReference }] : []),
          ...(record.pncId ? [{ kind: 'pnc_id', value: record.pncId }] : []),
        ],
        runId,
        personId: incidents.get(record.reference)?.person_id ?? null,
      })
      const people = await loadPersonResolver(trx, actor, 'police', items.map((item) => matchOf(item.record)))
      const inserts: Record<string, Cell>[] = []
      const updates: Record<string, Cell>[] = []
      const grades: Record<string, Cell>[] = []
      const sources: NewRow<'interchange_source_record'>[] = []
      const results = items.map(({ record }) => {
        const person = people.resolve(matchOf(record), record.person)
        const columns = {
          started_at: record.missingSince,
          reported_at: record.reportedAt ?? record.missingSince,
          ended_at: record.tracedAt,
          incident_reference: record.reference,
          missing_from: record.missingFrom,
          missing_from_type: record.missingFromType,
          circumstances: record.circumstances,
          current_risk_grade: record.finalRisk ?? record.initialRisk,
          outcome: record.tracedAt === null ? null : record.returnMethod === 'returned_voluntarily' ? 'returned' : 'found',
          return_method: record.returnMethod,
          harm_outcome: record.harmOutcome,
          found_place: record.tracedLocation,
        }
        const existing = incidents.get(record.reference)
        const current = existing ? episodes.get(existing.record_id) : undefined
        let episodeId: string
        let changed = person.changed
        if (current) {
          episodeId = current.id
          const same = Object.entries(columns).every(([column, value]) => {
            const held = current[column as keyof typeof current]
            return value instanceof Date ? held instanceof Date && held.getTime() === value.getTime() : (held ?? null) === value
          })
          if (!same) {
            updates.push({ id: current.id, ...columns })
            changed = true
          }
        } else {
          episodeId = uuidv7()
          inserts.push({ id: episodeId, person_id: person.personId, owning_agency_id: actor.agencyId, recorded_by: 'police', created_by_user_id: actor.userId, ...columns })
        }
        // The risk history: the initial grade, and the final one when it differs; never twice.
        const held = gradesOf.get(episodeId) ?? []
        const wanted = [{ grade: record.initialRisk, initial: true, at: record.reportedAt ?? record.missingSince }]
        if (record.finalRisk && record.finalRisk !== record.initialRisk) wanted.push({ grade: record.finalRisk, initial: false, at: record.tracedAt ?? record.reportedAt ?? record.missingSince })
        for (const grade of wanted) {
          if (held.some((row) => row.is_initial === grade.initial && row.grade === grade.grade)) continue
          grades.push({
            id: uuidv7(), episode_id: episodeId, assessed_at: grade.at, grade: grade.grade, app_version: CURRENT_APP_VERSION, is_initial: grade.initial,
            rationale: `Imported from the force's records (incident ${record.reference})`, information_source: 'force extract',
          })
          changed = true
        }
        sources.push({ agency_id: actor.agencyId, format: 'police', record_type: 'missing_episode', source_key: record.reference, record_id: episodeId, person_id: person.personId, import_run_id: runId })
        return { personId: person.personId, personCreated: person.created, changed, created: !current }
      })
      await people.flush()
      await insertRows(trx, 'missing_episode', { id: 'uuid', person_id: 'uuid', owning_agency_id: 'uuid', recorded_by: 'text', created_by_user_id: 'uuid', ...EPISODE_COLUMNS }, inserts)
      await updateRows(trx, 'missing_episode', EPISODE_COLUMNS, updates, { versioned: true })
      await insertRows(
        trx,
        'risk_assessment',
        { id: 'uuid', episode_id: 'uuid', assessed_at: 'timestamptz', grade: 'text', app_version: 'text', is_initial: 'boolean', rationale: 'text', information_source: 'text' },
        grades,
      )
      await records.upsertSourceRecords(trx, sources)
      return results
    },
  }

  function period(record: PoliceRecord) {
    return { start: record.missingSince.getTime(), end: record.tracedAt?.getTime() ?? null }
  }

  /** The person each incident belongs to, if Lantern knows them: by the incident, else the force's person reference. */
  async function matchPeople(trx: Kysely<Database>, actor: Actor, list: readonly PoliceRecord[]) {
    const personReferences = list.map((record) => record.personReference).filter((key): key is string => key !== null)
    const [incidents, byKey, byIdentifier] = [
      await records.findSourceRecords(trx, actor.agencyId, 'police', 'missing_episode', list.map((record) => record.reference)),
      await records.findSourceRecords(trx, actor.agencyId, 'police', 'person', personReferences),
      await records.findPeopleByIdentifiers(trx, actor.agencyId, personReferences.map((value) => ({ kind: 'force_reference', value }))),
    ]
    const personOf = new Map<string, string>()
    for (const record of list) {
      const personId =
        incidents.get(record.reference)?.person_id ??
        (record.personReference ? (byKey.get(record.personReference)?.person_id ?? byIdentifier.get(`force_reference|${record.personReference}`)) : undefined)
      if (personId) personOf.set(record.reference, personId)
    }
    return { incidents, personOf }
  }

  return {
    async importIncidents(actor: Actor, request: RecordImportRequest): Promise<ImportResult> {
      if (!can.isPolice(actor) || actor.agencyKind !== 'police_force') throw new ForbiddenError('Police incidents are imported by a police force, for its own records')
      return importRecords(db, actor, format, request)
    },
  }
}

export type PoliceImportService = ReturnType<typeof createPoliceImportService>
