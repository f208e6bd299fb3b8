// The SSDA903 tables and their exact column names (DOMAIN-SOURCES.md §3.1). Lantern imports Header,
// Episodes, Missing and UASC; the other tables are recognised by their columns, read, and skipped with a
// message. These column names live only here, at the format's edge.

export const IMPORTED_TABLES = {
  Header: ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'],
  Episodes: ['CHILD', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'PLACE_PROVIDER', 'DEC', 'REC', 'REASON_PLACE_CHANGE', 'HOME_POST', 'PL_POST', 'URN'],
  Missing: ['CHILD', 'DOB', 'MISSING', 'MIS_START', 'MIS_END'],
  UASC: ['CHILD', 'SEX', 'DOB', 'DUC'],
} as const

export const SKIPPED_TABLES = {
  Reviews: ['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE'],
  OC2: ['CHILD', 'DOB', 'SDQ_SCORE', 'SDQ_REASON', 'CONVICTED', 'HEALTH_CHECK', 'IMMUNISATIONS', 'TEETH_CHECK', 'HEALTH_ASSESSMENT', 'SUBSTANCE_MISUSE', 'INTERVENTION_RECEIVED', 'INTERVENTION_OFFERED'],
  OC3: ['CHILD', 'DOB', 'IN_TOUCH', 'ACTIV', 'ACCOM'],
  AD1: ['CHILD', 'DOB', 'DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'],
  PlacedAdoption: ['CHILD', 'DOB', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'],
  PrevPerm: ['CHILD', 'DOB', 'PREV_PERM', 'LA_PERM', 'DATE_PERM'],
  SWEpisodes: ['CHILD', 'DOB', 'SW_ID', 'SW_DECOM', 'SW_DEC', 'SW_REASON'],
  DoLo: ['CHILD', 'DOB', 'DOLO_START', 'DOLO_END'],
} as const

export type ImportedTable = keyof typeof IMPORTED_TABLES
export type SkippedTable = keyof typeof SKIPPED_TABLES
export type TableName = ImportedTable | SkippedTable

const ALL_TABLES: Record<TableName, readonly string[]> = { ...IMPORTED_TABLES, ...SKIPPED_TABLES }

/** One row of a table: its line in the file, and each column's value trimmed ('' when blank). */
export interface SourceRow {
  line: number
  values: Record<string, string>
}

export type SourceTables = Partial<Record<ImportedTable, SourceRow[]>>

export function isImportedTable(name: TableName): name is ImportedTable {
  return Object.hasOwn(IMPORTED_TABLES, name)
}

/**
 * The table whose columns a CSV file has (in any order, any case); or, when none fits exactly, the
 * closest table and what differs, for the report.
 */
export function recogniseTable(columns: readonly string[]): { table: TableName } | { closest: TableName; missing: string[]; unexpected: string[] } {
  const given = new Set(columns)
  let best: { table: TableName; missing: string[]; unexpected: string[]; shared: number } | null = null
  for (const [table, expected] of Object.entries(ALL_TABLES) as [TableName, readonly string[]][]) {
    const missing = expected.filter((column) => !given.has(column))
    const unexpected = columns.filter((column) => !expected.includes(column))
    if (missing.length === 0 && unexpected.length === 0 && given.size === columns.length) return { table }
    const shared = expected.length - missing.length
    if (!best || shared > best.shared) best = { table, missing, unexpected, shared }
  }
  if (!best) throw new Error('no SSDA903 tables are defined')
  return { closest: best.table, missing: best.missing, unexpected: best.unexpected }
}

export function columnsOf(table: TableName): readonly string[] {
  return ALL_TABLES[table]
}
