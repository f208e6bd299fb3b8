// Where generated rows go: COPY streams on PostgreSQL (one connection per table, so the server loads tables in
// parallel), batched INSERT ... SELECT FROM json_populate_recordset on PGlite. Both take the same row objects.
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'

/** The tables the generator writes, in an order that satisfies their foreign keys, with the columns it fills. */
export const GENERATED_COLUMNS = {
  person: ['id', 'owning_agency_id', 'sex', 'dob_earliest', 'dob_latest', 'dob_source', 'age_disputed', 'nationalities', 'languages', 'unaccompanied', 'suspected_trafficking', 'suspected_trafficking_since', 'restricted_location', 'height_cm', 'build', 'hair', 'eyes', 'distinguishing_marks', 'created_at', 'updated_at'],
  person_name: ['id', 'person_id', 'position', 'kind', 'text', 'script', 'transliteration', 'folded', 'phonetic'],
  person_identifier: ['id', 'person_id', 'kind', 'value', 'issuing_agency_id'],
  care_episode: ['id', 'person_id', 'responsible_agency_id', 'started_on', 'reason_for_new_episode', 'legal_status', 'category_of_need', 'placement_type', 'placement_provider', 'ended_on', 'reason_ended', 'reason_for_placement_change', 'home_postcode', 'placement_postcode', 'host_agency_id', 'placement_district_code', 'distance_miles', 'out_of_area', 'over_20_miles', 'created_at', 'updated_at'],
  nrm_referral: ['id', 'person_id', 'referring_agency_id', 'competent_authority_id', 'referred_on', 'nrm_reference', 'exploitation_types', 'county_lines', 'exploitation_location', 'age_at_exploitation', 'created_at', 'updated_at'],
  nrm_decision: ['id', 'referral_id', 'stage', 'outcome', 'conclusive_finding', 'decided_on', 'recovery_period_ends_on', 'reconsideration', 'created_at'],
  ictg_assignment: ['id', 'person_id', 'guardian_agency_id', 'role', 'allocated_on', 'ended_on', 'created_at', 'updated_at'],
  missing_episode: ['id', 'person_id', 'owning_agency_id', 'recorded_by', 'started_at', 'ended_at', 'reported_at', 'incident_reference', 'la_category', 'continues_episode_id', 'linked_episode_id', 'last_seen_postcode', 'missing_from_type', 'current_risk_grade', 'outcome', 'return_method', 'harm_outcome', 'ukmpu_notified_at', 'created_at', 'updated_at'],
  risk_assessment: ['id', 'episode_id', 'assessed_at', 'grade', 'app_version', 'is_initial', 'rationale', 'vulnerability_flags', 'created_at'],
  return_home_interview: ['id', 'episode_id', 'offered_at', 'accepted', 'completed_at', 'interviewer_independent', 'not_conducted_reason', 'created_at', 'updated_at'],
} as const satisfies Partial<Record<keyof Database, readonly string[]>>

export type GeneratedTable = keyof typeof GENERATED_COLUMNS
export const GENERATED_TABLES = Object.keys(GENERATED_COLUMNS) as GeneratedTable[]

type Value = string | number | boolean | Date | null | readonly string[]
export type GeneratedRow<T extends GeneratedTable> = { readonly [C in (typeof GENERATED_COLUMNS)[T][number]]: Value }

export interface Sink {
  add<T extends GeneratedTable>(table: T, row: GeneratedRow<T>): void
  /** Lets buffered rows go (and waits for the database to keep up); call between units of work. */
  flush(): Promise<void>
  /** Writes what is left and closes; counts rows per table. */
  finish(): Promise<Record<GeneratedTable, number>>
  /** Rows added so far. */
  rowCount(): number
  /** Abandons the load. */
  abort(error: unknown): Promise<void>
}

// ---------------------------------------------------------------- PostgreSQL: COPY, text format

const DAY = 86_400_000
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'))
const dayTexts = new Map<number, string>()

/** An instant as PostgreSQL reads it, in UTC: the day's text once per day, the time by arithmetic. */
function timestampText(date: Date): string {
  const ms = date.getTime()
  const day = Math.floor(ms / DAY)
  let dayText = dayTexts.get(day)
  if (dayText === undefined) {
    dayText = new Date(day * DAY).toISOString().slice(0, 10)
    dayTexts.set(day, dayText)
  }
  const inDay = ms - day * DAY
  const seconds = Math.floor(inDay / 1000)
  const millis = inDay - seconds * 1000
  return `${dayText} ${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}.${String(millis).padStart(3, '0')}+00`
}

function copyText(value: Value): string {
  if (value === null) return '\\N'
  if (typeof value === 'boolean') return value ? 't' : 'f'
  if (typeof value === 'number') return String(value)
  if (value instanceof Date) return timestampText(value)
  if (typeof value === 'string') return escapeCopy(value)
  return escapeCopy(`{${value.map((item) => `"${item.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`)
}

function escapeCopy(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text
}

/** One row as a line of COPY text. */
export function copyLine<T extends GeneratedTable>(table: T, row: GeneratedRow<T>): string {
  const columns = GENERATED_COLUMNS[table] as readonly string[]
  const values = row as Record<string, Value>
  let line = ''
  for (let i = 0; i < columns.length; i += 1) line += (i === 0 ? '' : '\t') + copyText(values[columns[i] ?? ''] ?? null)
  return line + '\n'
}

const CHUNK = 1 << 20

/**
 * Rows as COPY text, one buffer per table, handed on in chunks of about a megabyte as UTF-8 bytes (made in a worker
 * thread, so the main thread only writes them to the sockets).
 */
export function copyTextSink(onChunk: (table: GeneratedTable, bytes: Uint8Array) => void): Sink {
  // Each line is written as UTF-8 straight into the table's chunk (building one long string and encoding it cost
  // five times as much as making the lines).
  const chunks = new Map<GeneratedTable, { bytes: Buffer; used: number }>()
  const counts = Object.fromEntries(GENERATED_TABLES.map((table) => [table, 0])) as Record<GeneratedTable, number>
  const push = (table: GeneratedTable) => {
    const chunk = chunks.get(table)
    if (!chunk || chunk.used === 0) return
    chunks.delete(table)
    onChunk(table, new Uint8Array(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.used))
  }
  return {
    add(table, row) {
      const line = copyLine(table, row)
      counts[table] += 1
      let chunk = chunks.get(table)
      // A character is at most 3 bytes of UTF-8 (4 for a pair, which is two characters).
      if (chunk && chunk.used + line.length * 3 > chunk.bytes.length) push(table)
      chunk = chunks.get(table)
      if (!chunk) {
        chunk = { bytes: Buffer.allocUnsafeSlow(Math.max(CHUNK, line.length * 3)), used: 0 }
        chunks.set(table, chunk)
      }
      chunk.used += chunk.bytes.write(line, chunk.used, 'utf8')
    },
    async flush() {},
    async finish() {
      for (const table of GENERATED_TABLES) push(table)
      return { ...counts }
    },
    rowCount: () => GENERATED_TABLES.reduce((sum, table) => sum + counts[table], 0),
    async abort() {
      chunks.clear()
    },
  }
}

/** COPY ... FROM STDIN streams, one connection per table, so the server loads the tables in parallel. */
export interface CopyStreams {
  write(table: GeneratedTable, bytes: Uint8Array): void
  /** Bytes handed to the streams and not yet sent to the server. */
  pending(): number
  /** Waits until no more than `bytes` are pending (the generator runs ahead of the server up to that much). */
  waitForRoom(bytes: number): Promise<void>
  finish(): Promise<void>
  abort(): Promise<void>
}

export async function openCopyStreams(url: string): Promise<CopyStreams> {
  const streams = new Map<GeneratedTable, { client: pg.Client; stream: Writable; done: Promise<void> }>()
  const failed: unknown[] = []
  try {
    for (const table of GENERATED_TABLES) {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query('SET synchronous_commit = off')
      const stream = client.query(copyFrom(`COPY ${table} (${GENERATED_COLUMNS[table].join(', ')}) FROM STDIN`))
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', () => resolve())
        stream.on('error', (error) => {
          failed.push(error)
          reject(error)
        })
      })
      // A failed COPY rejects `done`; keep it from being an unhandled rejection until someone awaits it.
      done.catch(() => {})
      streams.set(table, { client, stream, done })
    }
  } catch (error) {
    for (const { client } of streams.values()) await client.end().catch(() => {})
    throw error
  }
  const all = () => [...streams.values()]
  const pending = () => all().reduce((sum, { stream }) => sum + stream.writableLength, 0)
  return {
    write(table, bytes) {
      const target = streams.get(table)
      if (!target) throw new Error(`No COPY stream for ${table}`)
      target.stream.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    },
    pending,
    async waitForRoom(bytes) {
      while (pending() > bytes) {
        if (failed.length > 0) throw failed[0]
        const fullest = all().reduce((a, b) => (b.stream.writableLength > a.stream.writableLength ? b : a))
        await Promise.race([once(fullest.stream, 'drain'), fullest.done])
      }
    },
    async finish() {
      for (const { stream } of all()) stream.end()
      try {
        for (const { done } of all()) await done
      } finally {
        for (const { client } of all()) await client.end()
      }
    },
    async abort() {
      for (const { stream, client } of all()) {
        stream.destroy(new Error('generation abandoned'))
        await client.end().catch(() => {})
      }
    },
  }
}

// ---------------------------------------------------------------- PGlite (or any Kysely database): batched inserts

const BATCH_ROWS = 2000

export function batchedInsertSink(db: Kysely<Database>): Sink {
  const buffers = new Map<GeneratedTable, unknown[]>(GENERATED_TABLES.map((table) => [table, []]))
  const counts = Object.fromEntries(GENERATED_TABLES.map((table) => [table, 0])) as Record<GeneratedTable, number>
  let pending = 0
  // Tables are written in foreign-key order, each batch in one statement, so linked episodes land together.
  const write = async () => {
    for (const table of GENERATED_TABLES) {
      const rows = buffers.get(table) ?? []
      if (rows.length === 0) continue
      buffers.set(table, [])
      const columns = sql.raw(GENERATED_COLUMNS[table].join(', '))
      await sql`INSERT INTO ${sql.table(table)} (${columns})
        SELECT ${columns} FROM json_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::json)`.execute(db)
    }
    pending = 0
  }
  return {
    add(table, row) {
      buffers.get(table)?.push(row)
      counts[table] += 1
      pending += 1
    },
    async flush() {
      if (pending >= BATCH_ROWS) await write()
    },
    async finish() {
      await write()
      return counts
    },
    rowCount: () => GENERATED_TABLES.reduce((sum, table) => sum + counts[table], 0),
    async abort() {
      for (const table of GENERATED_TABLES) buffers.set(table, [])
    },
  }
}
