// A person as an agency's extract describes them (names, sex, date of birth, nationality, identifiers),
// matched to that agency's own person record by the extract's key or an identifier, or made.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { matchableForm } from '../../lib/names.ts'
import { DOB_SOURCES, SEXES } from '../people/people.schemas.ts'
import type { RowReader } from './tabular.ts'
import * as repo from './records.repository.ts'
import { insertRows, updateRows } from './bulk.ts'

export interface PersonDetails {
  familyName: string | null
  givenNames: string | null
  sex: (typeof SEXES)[number]
  dobEarliest: string | null
  dobLatest: string | null
  dobSource: (typeof DOB_SOURCES)[number] | null
  nationalities: string[]
}

/** The person columns every record format shares: family_name, given_names, sex, date_of_birth (or a range), nationality. */
export const PERSON_COLUMNS = [
  { name: 'family_name', required: false, description: 'As written' },
  { name: 'given_names', required: false, description: 'As written, several separated by spaces' },
  { name: 'sex', required: true, description: 'male, female or unknown' },
  { name: 'date_of_birth', required: false, description: 'YYYY-MM-DD or DD/MM/YYYY, when known to the day' },
  { name: 'dob_earliest', required: false, description: 'when only a range is known (an assessed age): the earliest possible date' },
  { name: 'dob_latest', required: false, description: 'and the latest possible date' },
  { name: 'dob_source', required: false, description: 'stated, documented, assessed or estimated (default: stated)' },
  { name: 'nationality', required: false, description: 'ISO 3166 alpha-3 codes, several separated by ;' },
] as const

export function readPersonDetails(reader: RowReader): PersonDetails | null {
  const familyName = reader.text('family_name', { max: 200 })
  const givenNames = reader.text('given_names', { max: 200 })
  const sex = reader.oneOf('sex', SEXES, { required: true, aliases: { m: 'male', f: 'female', u: 'unknown' } })
  const exact = reader.date('date_of_birth')
  const earliest = exact ?? reader.date('dob_earliest')
  const latest = exact ?? reader.date('dob_latest')
  const source = reader.oneOf('dob_source', DOB_SOURCES)
  const nationalityText = reader.text('nationality', { max: 100 })
  const nationalities = (nationalityText ?? '').split(/[;|]/).map((code) => code.trim().toUpperCase()).filter((code) => code !== '')
  const before = reader.issues.length
  if (nationalities.some((code) => !/^[A-Z]{3}$/.test(code))) reader.problem('nationality', 'nationality must be ISO 3166 alpha-3 codes like VNM;ALB')
  if ((earliest === null) !== (latest === null)) reader.problem(exact === null && earliest === null ? 'dob_earliest' : 'dob_latest', 'Give both dob_earliest and dob_latest, or date_of_birth')
  if (earliest !== null && latest !== null && earliest > latest) reader.problem('dob_latest', 'dob_latest is before dob_earliest')
  if (familyName === null && givenNames === null) reader.problem('family_name', 'Give the family name or the given names (or both)', 'REQUIRED')
  if (sex === null || reader.issues.length > before) return null
  return { familyName, givenNames, sex, dobEarliest: earliest, dobLatest: latest, dobSource: earliest === null ? null : (source ?? (exact ? 'stated' : 'estimated')), nationalities }
}

function nameRows(details: PersonDetails) {
  const names: { id: string; kind: string; text: string; folded: string }[] = []
  if (details.givenNames) names.push({ id: uuidv7(), kind: 'given', text: details.givenNames, folded: matchableForm({ text: details.givenNames, transliteration: null }) })
  if (details.familyName) names.push({ id: uuidv7(), kind: 'family', text: details.familyName, folded: matchableForm({ text: details.familyName, transliteration: null }) })
  return names
}

export interface PersonMatch {
  format: string
  /** The extract's own key for the person (kept in interchange_source_record). */
  sourceKey: string | null
  identifiers: { kind: string; value: string }[]
  runId: string
  /** The person a record the extract made before belongs to. */
  personId?: string | null
}

export interface ResolvedPerson {
  personId: string
  created: boolean
  changed: boolean
}

interface HeldPerson {
  owningAgencyId: string
  sex: string
  dobEarliest: string | null
  dobLatest: string | null
  dobSource: string | null
  nationalities: string[]
  names: string
  identifiers: Set<string>
}

const identifierKey = (identifier: { kind: string; value: string }) => `${identifier.kind}|${identifier.value}`
const namesKey = (names: readonly { kind: string; text: string }[]) => names.map((name) => `${name.kind}:${name.text}`).join('|')

/**
 * Resolves a whole extract's people in one pass: what Lantern holds is read for every record at once (source
 * keys, identifiers, the person records, locked, with their names), each record is resolved in file order
 * against that and against the records before it, and `flush` writes the people, names, identifiers and
 * source keys set-based. The same rules as one record at a time: the extract's key, then an identifier,
 * else a new record; sex, date of birth, nationalities and names follow the extract.
 */
export async function loadPersonResolver(trx: Kysely<Database>, actor: Actor, format: string, matches: readonly PersonMatch[]) {
  const agencyId = actor.agencyId
  const sourceKeys = matches.map((match) => match.sourceKey).filter((key): key is string => key !== null)
  const bySource = new Map([...(await repo.findSourceRecords(trx, agencyId, format, 'person', sourceKeys))].map(([key, row]) => [key, row.person_id]))
  const byIdentifier = await repo.findPeopleByIdentifiers(trx, agencyId, [...new Map(matches.flatMap((match) => match.identifiers).map((item) => [identifierKey(item), item])).values()])
  const candidates = [...matches.map((match) => match.personId ?? null), ...bySource.values(), ...byIdentifier.values()].filter((id): id is string => id !== null)
  const people = new Map<string, HeldPerson>()
  for (const row of await repo.findPeople(trx, candidates)) {
    people.set(row.id, {
      owningAgencyId: row.owning_agency_id, sex: row.sex, dobEarliest: row.dob_earliest, dobLatest: row.dob_latest, dobSource: row.dob_source,
      nationalities: row.nationalities, names: namesKey(row.names), identifiers: new Set(row.identifiers.map(identifierKey)),
    })
  }

  const writes = {
    created: new Map<string, PersonDetails>(),
    updated: new Map<string, PersonDetails>(),
    names: new Map<string, ReturnType<typeof nameRows>>(),
    identifiers: [] as { id: string; person_id: string; kind: string; value: string; issuing_agency_id: string }[],
    sources: new Map<string, { agency_id: string; format: string; record_type: string; source_key: string; record_id: string; person_id: string; import_run_id: string }>(),
  }

  return {
    resolve(match: PersonMatch, details: PersonDetails): ResolvedPerson {
      let personId: string | null = match.personId ?? null
      if (!personId && match.sourceKey) personId = bySource.get(match.sourceKey) ?? null
      for (const identifier of match.identifiers) {
        if (personId) break
        personId = byIdentifier.get(identifierKey(identifier)) ?? null
      }
      const wantedNames = nameRows(details)
      const state = {
        sex: details.sex, dobEarliest: details.dobEarliest, dobLatest: details.dobLatest, dobSource: details.dobSource, nationalities: details.nationalities,
        names: namesKey(wantedNames),
      }
      let created = false
      let changed = false
      let current = personId ? people.get(personId) : undefined
      if (!personId || !current || current.owningAgencyId !== agencyId) {
        personId = uuidv7()
        current = { owningAgencyId: agencyId, ...state, identifiers: new Set() }
        people.set(personId, current)
        writes.created.set(personId, details)
        writes.names.set(personId, wantedNames)
        created = true
      } else {
        const same =
          current.sex === details.sex && current.dobEarliest === details.dobEarliest && current.dobLatest === details.dobLatest &&
          current.dobSource === details.dobSource && current.nationalities.join(';') === details.nationalities.join(';')
        if (!same) {
          if (writes.created.has(personId)) writes.created.set(personId, details)
          else writes.updated.set(personId, details)
          changed = true
        }
        if (current.names !== state.names) {
          writes.names.set(personId, wantedNames)
          changed = true
        }
        Object.assign(current, state)
      }
      for (const identifier of match.identifiers) {
        const key = identifierKey(identifier)
        if (current.identifiers.has(key)) continue
        current.identifiers.add(key)
        writes.identifiers.push({ id: uuidv7(), person_id: personId, kind: identifier.kind, value: identifier.value, issuing_agency_id: agencyId })
        if (!byIdentifier.has(key)) byIdentifier.set(key, personId)
      }
      if (match.sourceKey) {
        bySource.set(match.sourceKey, personId)
        writes.sources.set(match.sourceKey, { agency_id: agencyId, format: match.format, record_type: 'person', source_key: match.sourceKey, record_id: personId, person_id: personId, import_run_id: match.runId })
      }
      return { personId, created, changed }
    },

    /** Writes every person resolved so far, set-based: call it before writing records that point at them. */
    async flush(): Promise<void> {
      const cells = (details: PersonDetails) => ({
        sex: details.sex, dob_earliest: details.dobEarliest, dob_latest: details.dobLatest, dob_source: details.dobSource, nationalities: details.nationalities,
      })
      await insertRows(
        trx,
        'person',
        { id: 'uuid', owning_agency_id: 'uuid', created_by_user_id: 'uuid', sex: 'text', dob_earliest: 'date', dob_latest: 'date', dob_source: 'text', nationalities: 'text[]' },
        [...writes.created].map(([id, details]) => ({ id, owning_agency_id: agencyId, created_by_user_id: actor.userId, ...cells(details) })),
      )
      await updateRows(
        trx,
        'person',
        { sex: 'text', dob_earliest: 'date', dob_latest: 'date', dob_source: 'text', nationalities: 'text[]' },
        [...writes.updated].map(([id, details]) => ({ id, ...cells(details) })),
        { versioned: true },
      )
      const replaced = [...writes.names.keys()].filter((id) => !writes.created.has(id))
      const names = [...writes.names].flatMap(([personId, list]) => list.map((name, position) => ({ ...name, person_id: personId, position })))
      await repo.replaceNamesOf(trx, replaced, names)
      await insertRows(trx, 'person_identifier', { id: 'uuid', person_id: 'uuid', kind: 'text', value: 'text', issuing_agency_id: 'uuid' }, writes.identifiers)
      await repo.upsertSourceRecords(trx, [...writes.sources.values()])
      writes.created.clear()
      writes.updated.clear()
      writes.names.clear()
      writes.identifiers = []
      writes.sources.clear()
    },
  }
}

/** One extract's person on their own (PFIF): the same resolution as a whole file's, for one record. */
export async function resolvePerson(trx: Kysely<Database>, actor: Actor, match: PersonMatch, details: PersonDetails): Promise<ResolvedPerson> {
  const resolver = await loadPersonResolver(trx, actor, match.format, [match])
  const resolved = resolver.resolve(match, details)
  await resolver.flush()
  return resolved
}
