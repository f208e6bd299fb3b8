import type { Kysely } from 'kysely'
import { Migrator, type Migration, type MigrationResult } from 'kysely/migration'
import * as core from './migrations/2026-11-21-001-core.ts'
import * as events from './migrations/2026-11-21-002-events.ts'
import * as identity from './migrations/2026-11-21-003-identity.ts'
import * as statistics from './migrations/2026-11-21-004-statistics.ts'
import * as interchange from './migrations/2026-11-21-005-interchange.ts'
import * as setBasedTriggers from './migrations/2026-11-21-006-set-based-triggers.ts'
import * as statisticsCells from './migrations/2026-11-21-007-statistics-cells.ts'
import * as suspicionSince from './migrations/2026-11-21-008-suspicion-since.ts'
import type { Database } from './database.ts'

// Migrations are listed here, in order, rather than discovered on disk: the list is the history.
const migrations: Record<string, Migration> = {
  '2026-11-21-001-core': core,
  '2026-11-21-002-events': events,
  '2026-11-21-003-identity': identity,
  '2026-11-21-004-statistics': statistics,
  '2026-11-21-005-interchange': interchange,
  '2026-11-21-006-set-based-triggers': setBasedTriggers,
  '2026-11-21-007-statistics-cells': statisticsCells,
  '2026-11-21-008-suspicion-since': suspicionSince,
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error })
  }
  return results ?? []
}
