// The in-process encounter search index over every person record of the register, built from the database on
// start and kept current from the identity_change log that database triggers write (docs/adr/0012): every
// instance polls it, so a change made through any instance is searchable within a second.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import { SearchIndex } from '../../linkage/search-index.ts'
import type { LinkageModel } from '../../linkage/model.ts'
import { withDescription, type PersonRecord } from '../../linkage/person-record.ts'
import * as repo from './identity.repository.ts'

/** A person record as the linkage engine reads it. */
export function toPersonRecord(row: repo.PersonLinkageRow): PersonRecord {
  const name = (entry: repo.PersonLinkageRow['names'][number]) => entry.transliteration ?? entry.text
  const given = row.names.filter((entry) => entry.kind === 'given').map(name)
  const family = row.names.filter((entry) => entry.kind === 'family').map(name)
  const full = row.names.filter((entry) => entry.kind === 'full').map(name)
  const others = row.names.filter((entry) => entry.kind === 'alias' || entry.kind === 'nickname').map(name)
  // A full name with no parts recorded is matched as a set of names whatever its order.
  const givenNames = given.length > 0 || family.length > 0 ? given.join(' ') : (full[0] ?? '')
  const otherNames = given.length > 0 || family.length > 0 ? [...full, ...others] : [...full.slice(1), ...others]
  const exact = row.dob_earliest !== null && row.dob_earliest === row.dob_latest
  return {
    recordId: row.id,
    source: row.owning_agency_id,
    givenNames,
    familyName: family.join(' '),
    otherNames,
    dateOfBirth: exact ? row.dob_earliest : null,
    dobEarliest: row.dob_earliest,
    dobLatest: row.dob_latest,
    sex: row.sex === 'male' ? 'M' : row.sex === 'female' ? 'F' : 'U',
    nationality: row.nationalities[0] ?? null,
    identifiers: row.identifiers.map((identifier) => ({ type: identifier.kind, value: identifier.value })),
    ...withDescription({ heightCm: row.height_cm, build: row.build, hair: row.hair, eyes: row.eyes, distinguishingMarks: row.distinguishing_marks }),
    extra: {},
  }
}

export interface IndexedPerson {
  ownerAgencyId: string
  openEpisodeId: string | null
  openEpisodeAgencyId: string | null
}

export interface IndexLog {
  warn: (fields: Record<string, unknown>, message: string) => void
}

/** Transactions open longer than this when the index looks may be missed until the next full rebuild. */
const MARGIN_MS = 30_000
const PAGE = 5000

export interface LiveIndexOptions {
  model: LinkageModel
  pollMs?: number
  log?: IndexLog
  /** Called for each person that was not in the index before (a newly recorded person). */
  onNewPerson?: (personId: string) => void
}

export function createLiveIndex(db: Kysely<Database>, options: LiveIndexOptions) {
  const pollMs = options.pollMs ?? 250
  let index: SearchIndex | null = null
  const people = new Map<string, IndexedPerson>()
  const processed = new Map<string, number>()
  let lookedAt: Date | null = null
  let timer: NodeJS.Timeout | null = null
  let starting: Promise<void> | null = null
  let refreshing: Promise<void> | null = null
  let stopped = false

  const remember = (row: repo.PersonLinkageRow) => {
    people.set(row.id, { ownerAgencyId: row.owning_agency_id, openEpisodeId: row.open_episode_id, openEpisodeAgencyId: row.open_episode_agency_id })
  }

  async function build(): Promise<void> {
    // The clock is read first, so a change committed while the register is read is caught by the next look.
    lookedAt = await repo.databaseNow(db)
    const records: PersonRecord[] = []
    let after: string | null = null
    for (;;) {
      const rows = await repo.listPeopleForLinkage(db, after, PAGE)
      for (const row of rows) {
        remember(row)
        records.push(toPersonRecord(row))
      }
      if (rows.length < PAGE) break
      after = rows[rows.length - 1]?.id ?? null
    }
    index = new SearchIndex(options.model, records)
  }

  async function refresh(): Promise<void> {
    if (!index || !lookedAt) return
    const now = await repo.databaseNow(db)
    const changes = await repo.listChangesSince(db, new Date(lookedAt.getTime() - MARGIN_MS))
    lookedAt = now
    const due = changes.filter((change) => processed.get(change.person_id) !== Number(change.seq))
    if (due.length === 0) return
    const rows = await repo.findPeopleForLinkage(
      db,
      due.map((change) => change.person_id),
    )
    const found = new Set(rows.map((row) => row.id))
    for (const row of rows) {
      const isNew = !people.has(row.id)
      remember(row)
      index.upsert(toPersonRecord(row))
      if (isNew) options.onNewPerson?.(row.id)
    }
    for (const change of due) {
      if (!found.has(change.person_id)) {
        index.remove(change.person_id)
        people.delete(change.person_id)
      }
      processed.set(change.person_id, Number(change.seq))
    }
    // Forget what is older than the margin: those rows are no longer read back.
    if (processed.size > 50_000) {
      const recent = new Set(changes.map((change) => change.person_id))
      for (const key of processed.keys()) if (!recent.has(key)) processed.delete(key)
    }
  }

  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => {
      refreshing = refresh()
        .catch((error: unknown) => options.log?.warn({ err: error instanceof Error ? error.message : String(error) }, 'search index: could not read changes'))
        .finally(() => {
          refreshing = null
          schedule()
        })
    }, pollMs)
    timer.unref()
  }

  return {
    /** Builds the index from the database (once) and starts following changes. */
    async start(): Promise<void> {
      stopped = false
      starting ??= build().then(schedule)
      await starting
    },

    /** Reads the changes now (tests and the service call it to make a just-committed change visible). */
    async refreshNow(): Promise<void> {
      await (refreshing ?? Promise.resolve())
      await refresh()
    },

    async stop(): Promise<void> {
      stopped = true
      if (timer) clearTimeout(timer)
      await (refreshing ?? Promise.resolve())
    },

    get index(): SearchIndex {
      if (!index) throw new Error('The search index is not built yet: call start() first')
      return index
    },

    person(personId: string): IndexedPerson | undefined {
      return people.get(personId)
    },

    get size(): number {
      return people.size
    },
  }
}

export type LiveIndex = ReturnType<typeof createLiveIndex>
