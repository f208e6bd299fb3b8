// A person as an agency's extract describes them (names, sex, date of birth, nationality, identifiers),
// matched to that agency's own person record by the extract's key or an identifier, or made.
import type { Kysely } from 'kysely'
import type { Database, RowUpdate } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { matchableForm } from '../../lib/names.ts'
import { DOB_SOURCES, SEXES } from '../people/people.schemas.ts'
import type { RowReader } from './tabular.ts'
import * as repo from './records.repository.ts'

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

/**
 * The agency's person record for an extract's person: by the extract's own key, then by an identifier, else
 * a new record. Its sex, date of birth, nationalities and names follow the extract (the agency's own system).
 */
export async function resolvePerson(
  trx: Kysely<Database>,
  actor: Actor,
  match: { format: string; sourceKey: string | null; identifiers: { kind: string; value: string }[]; runId: string; personId?: string | null },
  details: PersonDetails,
): Promise<{ personId: string; created: boolean; changed: boolean }> {
  let personId: string | null = match.personId ?? null
  if (!personId && match.sourceKey) personId = (await repo.findSourceRecord(trx, actor.agencyId, match.format, 'person', match.sourceKey))?.person_id ?? null
  for (const identifier of match.identifiers) {
    if (personId) break
    personId = await repo.findPersonByIdentifier(trx, actor.agencyId, identifier.kind, identifier.value)
  }
  const columns: RowUpdate<'person'> = {
    sex: details.sex,
    dob_earliest: details.dobEarliest,
    dob_latest: details.dobLatest,
    dob_source: details.dobSource,
    nationalities: details.nationalities,
  }
  const identifiers = match.identifiers.map((identifier) => ({ id: uuidv7(), ...identifier }))
  let created = false
  let changed = false
  const current = personId ? await repo.findPerson(trx, personId) : undefined
  if (!personId || !current || current.owning_agency_id !== actor.agencyId) {
    personId = uuidv7()
    await repo.insertPerson(trx, { id: personId, owning_agency_id: actor.agencyId, sex: details.sex, created_by_user_id: actor.userId, ...columns })
    await repo.replaceNames(trx, personId, nameRows(details))
    created = true
  } else {
    const same =
      current.sex === details.sex && current.dob_earliest === details.dobEarliest && current.dob_latest === details.dobLatest &&
      current.dob_source === details.dobSource && current.nationalities.join(';') === details.nationalities.join(';')
    if (!same) {
      await repo.updatePerson(trx, personId, columns)
      changed = true
    }
    const names = await repo.namesOf(trx, personId)
    const wanted = nameRows(details)
    if (names.map((name) => `${name.kind}:${name.text}`).join('|') !== wanted.map((name) => `${name.kind}:${name.text}`).join('|')) {
      await repo.replaceNames(trx, personId, wanted)
      changed = true
    }
  }
  await repo.addIdentifiers(trx, personId, actor.agencyId, identifiers)
  if (match.sourceKey) await repo.upsertSourceRecord(trx, { agency_id: actor.agencyId, format: match.format, record_type: 'person', source_key: match.sourceKey, record_id: personId, person_id: personId, import_run_id: match.runId })
  return { personId, created, changed }
}
