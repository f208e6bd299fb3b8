// The peer the import is measured against: the same records (people, their identifiers, care episodes,
// missing episodes) and one audit row per child, loaded with COPY into a fresh database of the same schema
// (its indexes, foreign keys and triggers), in one transaction. The rows are built before the clock starts,
// so the figure is PostgreSQL's own cost of taking them: the floor under any import of the year. It leaves
// out what only the import does: reading and checking the files, matching the children, working out the
// placement geography, the run and its report, and what each return made (ssda903_return_child).
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { uuidv7 } from '../../src/lib/ids.ts'
import { startOfLondonDay } from '../../src/lib/dates.ts'
import { readReturn, childrenOf } from '../../src/modules/interchange/ssda903/ssda903.read.ts'
import type { NationalYear } from './generate.ts'

type Value = string | number | boolean | Date | null

function copyText(value: Value): string {
  if (value === null) return '\\N'
  if (typeof value === 'boolean') return value ? 't' : 'f'
  if (value instanceof Date) return value.toISOString()
  const text = String(value)
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text
}

const TABLES = {
  person: ['id', 'owning_agency_id', 'sex', 'dob_earliest', 'dob_latest', 'dob_source', 'ethnicity', 'unaccompanied', 'created_by_user_id'],
  person_identifier: ['id', 'person_id', 'kind', 'value', 'issuing_agency_id'],
  care_episode: [
    'id', 'person_id', 'responsible_agency_id', 'started_on', 'reason_for_new_episode', 'legal_status', 'category_of_need', 'placement_type',
    'placement_provider', 'ended_on', 'reason_ended', 'reason_for_placement_change', 'home_postcode', 'placement_postcode', 'provider_urn', 'created_by_user_id',
  ],
  missing_episode: ['id', 'person_id', 'owning_agency_id', 'recorded_by', 'started_at', 'ended_at', 'la_category', 'created_by_user_id'],
  audit_event: ['actor_user_id', 'actor_agency_id', 'operation', 'action', 'subject_person_id', 'record_type', 'record_id', 'purpose', 'detail'],
} as const
type Table = keyof typeof TABLES

/** Loads the year's records with COPY into the database at `url` (migrated, with the reference agencies); returns the milliseconds taken and the rows. */
export async function copyPeer(url: string, year: NationalYear): Promise<{ ms: number; rows: number }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const agencies = new Map((await client.query<{ id: string; code: string }>(`select id, code from agency where kind = 'local_authority'`)).rows.map((row) => [row.code, row.id]))
    const lines: Record<Table, string[]> = { person: [], person_identifier: [], care_episode: [], missing_episode: [], audit_event: [] }
    const add = (table: Table, values: Value[]) => lines[table].push(values.map(copyText).join('\t'))
    const runId = uuidv7()
    for (const { la, year: one } of year.returns) {
      const agencyId = agencies.get(la)
      if (!agencyId) throw new Error(`no agency ${la}`)
      for (const child of childrenOf(readReturn(one.files, 1024 * 1024 * 1024), new Set())) {
        const personId = uuidv7()
        add('person', [personId, agencyId, child.sex, child.dateOfBirth, child.dateOfBirth, 'documented', child.ethnicity, child.unaccompanied, null])
        add('person_identifier', [uuidv7(), personId, 'la_child_id', child.child, agencyId])
        if (child.upn) add('person_identifier', [uuidv7(), personId, 'upn', child.upn, agencyId])
        for (const e of child.episodes) {
          add('care_episode', [
            uuidv7(), personId, agencyId, e.startedOn, e.reasonForNewEpisode, e.legalStatus, e.categoryOfNeed, e.placementType, e.placementProvider,
            e.endedOn, e.reasonEnded, e.reasonForPlacementChange, e.homePostcode, e.placementPostcode, e.providerUrn, null,
          ])
        }
        for (const period of child.missing) {
          add('missing_episode', [uuidv7(), personId, agencyId, 'local_authority', startOfLondonDay(period.startedOn), period.endedOn === null ? null : startOfLondonDay(period.endedOn), period.category, null])
        }
        add('audit_event', [null, agencyId, 'collection', 'IMPORT_PERSON', personId, 'import_run', runId, 'bench', JSON.stringify({ format: 'ssda903', child: child.child })])
      }
    }
    const rows = Object.values(lines).reduce((sum, list) => sum + list.length, 0)
    const started = performance.now()
    await client.query('begin')
    for (const table of Object.keys(TABLES) as Table[]) {
      const stream = client.query(copyFrom(`copy ${table} (${TABLES[table].join(', ')}) from stdin`))
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve)
        stream.on('error', reject)
      })
      const list = lines[table]
      for (let start = 0; start < list.length; start += 20_000) stream.write(`${list.slice(start, start + 20_000).join('\n')}\n`)
      stream.end()
      await done
    }
    await client.query('commit')
    return { ms: performance.now() - started, rows }
  } finally {
    await client.end()
  }
}
