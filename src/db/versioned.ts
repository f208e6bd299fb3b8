import type { ColumnType, Kysely, Updateable } from 'kysely'
import type { Database } from './database.ts'

// Optimistic concurrency for every domain table: a change applies only to the version it was read at, and
// bumps it. The caller turns `false` into a 409 (StaleVersionError), never a silent overwrite.

interface VersionedColumns {
  id: string
  version: ColumnType<number, number, number>
  updated_at: ColumnType<Date, Date, Date>
}

type VersionedTable = {
  [T in keyof Database]: Database[T] extends { version: unknown; updated_at: unknown; id: string } ? T : never
}[keyof Database]

export async function updateVersioned<T extends VersionedTable>(
  db: Kysely<Database>,
  table: T,
  id: string,
  version: number,
  changes: Updateable<Database[T]>,
): Promise<boolean> {
  // One narrow view of the tables that share these columns, so one query serves them all.
  const versioned = db as unknown as Kysely<Record<string, VersionedColumns>>
  const result = await versioned
    .updateTable(table as string)
    .set({ ...(changes as Updateable<VersionedColumns>), updated_at: new Date(), version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
