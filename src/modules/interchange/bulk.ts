import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { recordAudit } from '../audit/audit.service.ts'
import type { AuditEntry } from '../audit/audit.actions.ts'

// Set-based writes for imports: one statement per chunk of rows, the rows passed as one typed array per
// column and turned back into rows by unnest(). A national SSDA903 year is hundreds of thousands of rows;
// one INSERT per row would take minutes, a VALUES list hits the 65,535-parameter limit (docs/adr/0015).

export type SqlType = 'uuid' | 'text' | 'date' | 'timestamptz' | 'boolean' | 'integer' | 'numeric' | 'uuid[]' | 'text[]'
export type Cell = string | number | boolean | Date | null | string[]

/** Rows per statement: big enough to amortise the round trip, small enough to keep each statement's memory modest. */
export const CHUNK = 10_000

export interface Columns {
  [column: string]: SqlType
}

function arrayParameter(values: Cell[], type: SqlType): RawBuilder<unknown> {
  if (type === 'uuid[]' || type === 'text[]') {
    // An array of arrays cannot be unnested into rows of arrays: pass each as its array literal text.
    const literals = values.map((value) => (value === null ? null : `{${(value as string[]).map((item) => `"${item.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`))
    return sql`${literals}::text[]`
  }
  return sql`${values}::${sql.raw(type)}[]`
}

/** `unnest(...) AS alias(columns)` over the given rows, each column cast to its type. */
export function unnestRows(rows: readonly Record<string, Cell>[], columns: Columns, alias: string): RawBuilder<unknown> {
  const names = Object.keys(columns)
  const parameters = names.map((name) => {
    const type = columns[name] ?? 'text'
    return arrayParameter(rows.map((row) => row[name] ?? null), type)
  })
  return sql`unnest(${sql.join(parameters)}) as ${sql.raw(alias)}(${sql.raw(names.join(', '))})`
}

/** The expression reading one unnested column back with its type (array columns come as text). */
function columnRef(alias: string, name: string, type: SqlType): string {
  return type === 'uuid[]' || type === 'text[]' ? `${alias}.${name}::${type}` : `${alias}.${name}`
}

/** INSERT INTO table (columns) SELECT ... FROM unnest(...), a chunk at a time. */
export async function insertRows(db: Kysely<Database>, table: keyof Database, columns: Columns, rows: readonly Record<string, Cell>[]): Promise<void> {
  const names = Object.keys(columns)
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK)
    const select = names.map((name) => columnRef('u', name, columns[name] ?? 'text')).join(', ')
    await sql`insert into ${sql.table(table)} (${sql.raw(names.join(', '))}) select ${sql.raw(select)} from ${unnestRows(chunk, columns, 'u')}`.execute(db)
  }
}

/**
 * UPDATE table SET column = u.column ... FROM unnest(...) WHERE table.id = u.id, a chunk at a time; versioned
 * tables also get version + 1 and updated_at now.
 */
export async function updateRows(
  db: Kysely<Database>,
  table: keyof Database,
  columns: Columns,
  rows: readonly Record<string, Cell>[],
  options: { versioned: boolean },
): Promise<void> {
  const names = Object.keys(columns).filter((name) => name !== 'id')
  const assignments = names.map((name) => `${name} = ${columnRef('u', name, columns[name] ?? 'text')}`)
  if (options.versioned) assignments.push('version = t.version + 1', 'updated_at = now()')
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK)
    await sql`update ${sql.table(table)} as t set ${sql.raw(assignments.join(', '))} from ${unnestRows(chunk, { id: 'uuid', ...columns }, 'u')} where t.id = u.id`.execute(db)
  }
}

export async function deleteByIds(db: Kysely<Database>, table: 'care_episode' | 'missing_episode', ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += CHUNK) {
    await sql`delete from ${sql.table(table)} where id = any(${ids.slice(start, start + CHUNK)}::uuid[])`.execute(db)
  }
}

/** Audit events of a whole file, 4,000 to a statement: one VALUES list of 12 columns must stay under 65,535 parameters. */
export async function recordAuditInChunks(db: Kysely<Database>, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += 4_000) await recordAudit(db, actor, entries.slice(start, start + 4_000))
}
