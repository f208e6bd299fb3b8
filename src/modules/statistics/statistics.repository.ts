import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../../db/database.ts'
import { DIMENSIONS, DIMENSION_NAMES, type DimensionName } from './statistics.definitions.ts'

// ---------------------------------------------------------------- refresh: the facts, worked out "as at"

const londonDay = (instant: string) => `(${instant} AT TIME ZONE 'Europe/London')::date`
const financialYearOf = (day: string) => `extract(year FROM ${day} + interval '9 months')::smallint`

/**
 * A person's NRM standing on a day, as a rank: 3 positive conclusive grounds, 2 positive reasonable grounds (no
 * conclusive decision in force), 1 referred (no positive decision in force), null none. The same rule as
 * `trafficking.service.ts` nrmStatusOn: over referrals made on or before the day, the decision in force at each
 * stage is the latest made on or before it. Only worked out for people with a referral (a hashed lookup).
 */
function nrmRankSql(person: string, day: string): string {
  return `CASE WHEN ${person} IN (SELECT person_id FROM nrm_referral) THEN (
    SELECT max(CASE WHEN cg.outcome = 'positive' THEN 3 WHEN cg.outcome IS NULL AND rg.outcome = 'positive' THEN 2 ELSE 1 END)
    FROM nrm_referral r
    LEFT JOIN LATERAL (SELECT d.outcome FROM nrm_decision d WHERE d.referral_id = r.id AND d.stage = 'reasonable_grounds' AND d.decided_on <= ${day}
      ORDER BY d.decided_on DESC, d.created_at DESC, d.id DESC LIMIT 1) rg ON true
    LEFT JOIN LATERAL (SELECT d.outcome FROM nrm_decision d WHERE d.referral_id = r.id AND d.stage = 'conclusive_grounds' AND d.decided_on <= ${day}
      ORDER BY d.decided_on DESC, d.created_at DESC, d.id DESC LIMIT 1) cg ON true
    WHERE r.person_id = ${person} AND r.referred_on <= ${day}) END`
}

/**
 * The trafficking status on a day: the NRM standing (`rank`), else "suspected" when the person's suspicion began on
 * or before the day (`since`, `person.suspected_trafficking_since`, null when not suspected), else none.
 */
function statusSql(rank: string, since: string, day: string): string {
  return `CASE ${rank} WHEN 3 THEN 'conclusive_grounds' WHEN 2 THEN 'reasonable_grounds' WHEN 1 THEN 'referred'
    ELSE CASE WHEN ${since} <= ${day} THEN 'suspected' ELSE 'none' END END`
}

/** Police force areas as VALUES, so an episode the police did not record still has the force of its area. */
function forceAreaValues(areas: ReadonlyMap<string, string>): RawBuilder<unknown> {
  const rows = [...areas].map(([authority, force]) => sql`(${authority}, ${force})`)
  return sql`(VALUES ${sql.join(rows)}) AS area (authority_code, force_code)`
}

export async function clearFacts(db: Kysely<Database>): Promise<void> {
  await sql`DELETE FROM statistics_cell`.execute(db)
  await sql`DELETE FROM statistics_value`.execute(db)
  await sql`DELETE FROM statistics_reconciliation`.execute(db)
  await db.deleteFrom('statistics_episode').execute()
  await db.deleteFrom('statistics_care_start').execute()
  await db.deleteFrom('statistics_referral').execute()
}

/**
 * One fact per council episode, and per police episode of a child missing from a care setting (or linked to a
 * council record), with every breakdown as at the London day the episode began.
 */
export async function insertEpisodeFacts(db: Kysely<Database>, asAt: Date, forceAreas: ReadonlyMap<string, string>): Promise<number> {
  const result = await sql`
    INSERT INTO statistics_episode (episode_id, recorded_by, person_id, financial_year, end_financial_year, started_at, ended_at, la_category,
      duration_hours, over_24_hours, outcome, trafficking_status, unaccompanied, placement_type, responsible_agency_id, host_agency_id, out_of_area,
      distance_band, age_band, sex, nationality, police_force_id, area_agency_id, linked)
    WITH force_area AS (
      SELECT la.id AS authority_id, f.id AS force_id
      FROM ${forceAreaValues(forceAreas)}
      JOIN agency la ON la.code = area.authority_code
      JOIN agency f ON f.code = area.force_code
    ),
    episode AS (
      SELECT e.*, ${sql.raw(londonDay('e.started_at'))} AS day
      FROM missing_episode e
      WHERE e.recorded_by = 'local_authority' OR e.linked_episode_id IS NOT NULL
        OR e.missing_from_type IN ('foster_placement', 'childrens_home', 'supported_accommodation')
    )
    SELECT e.id, e.recorded_by, e.person_id, ${sql.raw(financialYearOf('e.day'))},
      CASE WHEN e.ended_at IS NULL THEN NULL ELSE ${sql.raw(financialYearOf(londonDay('e.ended_at')))} END,
      e.started_at, e.ended_at, e.la_category,
      extract(epoch FROM e.ended_at - e.started_at) / 3600,
      coalesce(e.ended_at, ${asAt}::timestamptz) - e.started_at > interval '24 hours',
      CASE WHEN e.ended_at IS NULL THEN 'still_missing' WHEN e.outcome IS NULL THEN 'ceased_while_missing' ELSE e.outcome END,
      ${sql.raw(statusSql(nrmRankSql('e.person_id', 'e.day'), 'p.suspected_trafficking_since', 'e.day'))},
      p.unaccompanied,
      c.placement_type,
      CASE WHEN e.recorded_by = 'local_authority' THEN coalesce(c.responsible_agency_id, e.owning_agency_id) END,
      c.host_agency_id,
      c.out_of_area,
      CASE WHEN c.distance_miles IS NULL THEN 'unknown' WHEN c.distance_miles <= 5 THEN '5_or_less' WHEN c.distance_miles <= 10 THEN '5_to_10'
        WHEN c.distance_miles <= 20 THEN '10_to_20' WHEN c.distance_miles <= 50 THEN '20_to_50' ELSE 'over_50' END,
      CASE WHEN age.years IS NULL THEN 'unknown' WHEN age.years < 1 THEN 'under_1' WHEN age.years < 5 THEN '1_to_4' WHEN age.years < 10 THEN '5_to_9'
        WHEN age.years < 16 THEN '10_to_15' ELSE '16_and_over' END,
      p.sex,
      coalesce(p.nationalities[1], 'unknown'),
      CASE WHEN e.recorded_by = 'police' THEN e.owning_agency_id WHEN l.id IS NOT NULL THEN l.owning_agency_id ELSE fa.force_id END,
      CASE WHEN e.recorded_by = 'local_authority' THEN coalesce(c.host_agency_id, e.owning_agency_id) END,
      e.linked_episode_id IS NOT NULL
    FROM episode e
    JOIN person p ON p.id = e.person_id
    -- The placement on the day the episode began: SSDA903's "episode open on MIS_START". When one placement ends
    -- and the next begins that day, the new one.
    LEFT JOIN LATERAL (
      SELECT c.* FROM care_episode c
      WHERE e.recorded_by = 'local_authority' AND c.person_id = e.person_id AND c.started_on <= e.day AND (c.ended_on IS NULL OR c.ended_on >= e.day)
      ORDER BY c.started_on DESC, c.created_at DESC LIMIT 1
    ) c ON true
    -- Age from the middle of the date-of-birth range (age-disputed children have a range).
    LEFT JOIN LATERAL (
      SELECT date_part('year', age(e.day, p.dob_earliest + (p.dob_latest - p.dob_earliest) / 2)) AS years
    ) age ON true
    LEFT JOIN missing_episode l ON l.id = e.linked_episode_id
    LEFT JOIN force_area fa ON fa.authority_id = coalesce(c.host_agency_id, e.owning_agency_id)
  `.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/**
 * The narrow copy of the council episode facts (docs/adr/0020): each breakdown's value (the dimension's own SQL over
 * the facts, so there is one definition) numbered in `statistics_value`, and each episode a row of those codes with
 * the child as a dense integer. Set-based: one statement per dimension for its values, one for the rows.
 */
export async function insertCells(db: Kysely<Database>): Promise<number> {
  const from = sql`FROM statistics_episode s LEFT JOIN agency ra ON ra.id = s.responsible_agency_id WHERE s.recorded_by = 'local_authority'`
  for (const name of DIMENSION_NAMES) {
    await sql`INSERT INTO statistics_value (dimension, code, value)
      SELECT ${name}, (row_number() OVER (ORDER BY v))::smallint, v FROM (SELECT DISTINCT ${sql.raw(DIMENSIONS[name].sql)} AS v ${from}) d`.execute(db)
  }
  const columns = DIMENSION_NAMES.map((name) => sql.raw(DIMENSIONS[name].column))
  const codes = DIMENSION_NAMES.map((name, i) => sql`(SELECT code FROM statistics_value v WHERE v.dimension = ${name} AND v.value = ${sql.raw(`x.d${i}`)})`)
  const values = DIMENSION_NAMES.map((name, i) => sql`${sql.raw(DIMENSIONS[name].sql)} AS ${sql.raw(`d${i}`)}`)
  // One row per child and combination of values, with its episodes (a child's episodes in a year mostly share
  // them); in order of year and child, so a year's rows lie together.
  const result = await sql`
    INSERT INTO statistics_cell (person_key, financial_year, end_financial_year, la_category, over_24_hours, ${sql.join(columns)}, episodes)
    SELECT k.person_key, x.financial_year, x.end_financial_year, x.la_category::"char", x.over_24_hours, ${sql.join(codes)}, count(*)
    FROM (SELECT s.person_id, s.financial_year, s.end_financial_year, s.la_category, s.over_24_hours, ${sql.join(values)} ${from}) x
    JOIN (SELECT person_id, (row_number() OVER (ORDER BY min(financial_year), person_id))::int AS person_key
      FROM statistics_episode WHERE recorded_by = 'local_authority' GROUP BY person_id) k ON k.person_id = x.person_id
    GROUP BY ${sql.join([sql`k.person_key`, sql`x.financial_year`, sql`x.end_financial_year`, sql`x.la_category`, sql`x.over_24_hours`, ...DIMENSION_NAMES.map((_, i) => sql.raw(`x.d${i}`))])}
    ORDER BY x.financial_year, k.person_key`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/** Police and council records of absences from care, rolled up by year, force and authority (counts add up). */
export async function insertReconciliation(db: Kysely<Database>): Promise<void> {
  await sql`
    INSERT INTO statistics_reconciliation (financial_year, police_force_id, responsible_agency_id, both_recorded, local_authority_only, police_only)
    SELECT s.financial_year, s.police_force_id, s.responsible_agency_id,
      count(*) FILTER (WHERE s.recorded_by = 'local_authority' AND s.linked),
      count(*) FILTER (WHERE s.recorded_by = 'local_authority' AND NOT s.linked),
      count(*) FILTER (WHERE s.recorded_by = 'police' AND NOT s.linked)
    FROM statistics_episode s
    WHERE s.la_category = 'M' OR s.recorded_by = 'police'
    GROUP BY 1, 2, 3`.execute(db)
}

const londonMidnight = (day: string) => `(${day}::timestamp AT TIME ZONE 'Europe/London')`

/** Each start of being looked after (RNE `S`), with the time to the child's first missing (M) episode in that period of care. */
export async function insertCareStartFacts(db: Kysely<Database>): Promise<number> {
  const result = await sql`
    INSERT INTO statistics_care_start (person_id, started_on, financial_year, responsible_agency_id, unaccompanied, trafficking_status, hours_to_first_missing)
    SELECT DISTINCT ON (c.person_id, c.started_on) c.person_id, c.started_on, ${sql.raw(financialYearOf('c.started_on'))}, c.responsible_agency_id, p.unaccompanied,
      ${sql.raw(statusSql(nrmRankSql('c.person_id', 'c.started_on'), 'p.suspected_trafficking_since', 'c.started_on'))},
      (SELECT extract(epoch FROM min(e.started_at) - ${sql.raw(londonMidnight('c.started_on'))}) / 3600
        FROM missing_episode e
        WHERE e.person_id = c.person_id AND e.recorded_by = 'local_authority' AND e.la_category = 'M'
          AND e.started_at >= ${sql.raw(londonMidnight('c.started_on'))}
          AND (next.started_on IS NULL OR e.started_at < ${sql.raw(londonMidnight('next.started_on'))}))
    FROM care_episode c
    JOIN person p ON p.id = c.person_id
    LEFT JOIN LATERAL (
      SELECT n.started_on FROM care_episode n
      WHERE n.person_id = c.person_id AND n.reason_for_new_episode = 'S' AND n.started_on > c.started_on
      ORDER BY n.started_on LIMIT 1
    ) next ON true
    WHERE c.reason_for_new_episode = 'S'
    ORDER BY c.person_id, c.started_on, c.created_at
  `.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/** Each NRM referral of a looked-after child, with the time from referral to the child's next missing (M) episode. */
export async function insertReferralFacts(db: Kysely<Database>): Promise<number> {
  const result = await sql`
    INSERT INTO statistics_referral (referral_id, person_id, referred_on, financial_year, responsible_agency_id, unaccompanied, hours_to_first_missing)
    SELECT r.id, r.person_id, r.referred_on, ${sql.raw(financialYearOf('r.referred_on'))}, p.owning_agency_id, p.unaccompanied,
      (SELECT extract(epoch FROM min(e.started_at) - ${sql.raw(londonMidnight('r.referred_on'))}) / 3600
        FROM missing_episode e
        WHERE e.person_id = r.person_id AND e.recorded_by = 'local_authority' AND e.la_category = 'M'
          AND e.started_at >= ${sql.raw(londonMidnight('r.referred_on'))})
    FROM nrm_referral r
    JOIN person p ON p.id = r.person_id
    WHERE EXISTS (SELECT 1 FROM care_episode c WHERE c.person_id = r.person_id)
  `.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

export async function insertRefresh(db: Kysely<Database>, row: { id: string; started_at: Date; finished_at: Date; as_at: Date; episodes: number; care_starts: number; referrals: number }) {
  await db.insertInto('statistics_refresh').values(row).execute()
}

export async function latestRefresh(db: Kysely<Database>) {
  return db.selectFrom('statistics_refresh').selectAll().orderBy('finished_at', 'desc').limit(1).executeTakeFirst()
}

/**
 * After a refresh: statistics for the planner, and the old rows the refresh deleted made free space (VACUUM), so
 * the next table read does not step over a whole dead copy of the facts and the refresh after reuses the space.
 */
export async function analyzeFacts(db: Kysely<Database>): Promise<void> {
  for (const table of ['statistics_episode', 'statistics_care_start', 'statistics_referral', 'statistics_cell', 'statistics_value', 'statistics_reconciliation']) await sql`VACUUM (ANALYZE) ${sql.table(table)}`.execute(db)
}

// ---------------------------------------------------------------- queries over the facts

export interface EpisodeFilter {
  yearFrom: number
  yearTo: number
  /** SSDA903 categories counted: ['M'], ['A'] or both. */
  categories: readonly ('M' | 'A')[]
  over24Hours: boolean
  equals: readonly { dimension: DimensionName; values: readonly string[] }[]
}

/** The filter over the facts (`statistics_episode s`): the benchmark's floor and the checks use it. */
function whereSql(filter: EpisodeFilter): RawBuilder<unknown> {
  const parts = [
    sql`s.recorded_by = 'local_authority'`,
    sql`s.financial_year BETWEEN ${filter.yearFrom} AND ${filter.yearTo}`,
    sql`s.la_category = ANY (${[...filter.categories]}::text[])`,
  ]
  if (filter.over24Hours) parts.push(sql`s.over_24_hours`)
  for (const { dimension, values } of filter.equals) parts.push(sql`${sql.raw(DIMENSIONS[dimension].sql)} = ANY (${[...values]}::text[])`)
  return sql.join(parts, sql` AND `)
}

/** The codes of some values of a dimension, worked out once per query (an init plan). */
function codesOf(dimension: DimensionName, values: readonly string[]): RawBuilder<unknown> {
  return sql`ARRAY(SELECT code FROM statistics_value WHERE dimension = ${dimension} AND value = ANY (${[...values]}::text[]))`
}

/** The same filter over the narrow cells (`statistics_cell s`). */
function cellWhereSql(filter: EpisodeFilter): RawBuilder<unknown> {
  const parts = [sql`s.financial_year BETWEEN ${filter.yearFrom} AND ${filter.yearTo}`, sql`s.la_category = ANY (${[...filter.categories]}::"char"[])`]
  if (filter.over24Hours) parts.push(sql`s.over_24_hours`)
  for (const { dimension, values } of filter.equals) parts.push(sql`s.${sql.raw(DIMENSIONS[dimension].column)} = ANY (${codesOf(dimension, values)})`)
  return sql.join(parts, sql` AND `)
}

export interface CountRow {
  row: string | null
  column: string | null
  episodes: number
  children: number
}

/**
 * Episodes and distinct children by one or two dimensions, with every margin: a child counts once in each cell
 * they have an episode in, and once in each total. Counted in two steps: first one row per child per cell (a hash
 * aggregate), then each cell is a plain count of those rows and each margin a count of its distinct children,
 * again by hashing (no sorting for DISTINCT, which is what costs in a plain GROUP BY).
 */
export async function countBy(db: Kysely<Database>, rows: DimensionName, columns: DimensionName | null, filter: EpisodeFilter): Promise<CountRow[]> {
  const rowColumn = sql.raw(`s.${DIMENSIONS[rows].column}`)
  const columnColumn = columns ? sql.raw(`s.${DIMENSIONS[columns].column}`) : sql`0::smallint`
  const result = await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL work_mem = '64MB'`.execute(trx)
    return sql<{ row: string | null; column: string | null; episodes: number; children: number }>`
      WITH cell AS MATERIALIZED (
        SELECT ${rowColumn} AS r, ${columnColumn} AS c, s.person_key, sum(s.episodes)::int AS n
        FROM statistics_cell s
        WHERE ${cellWhereSql(filter)}
        GROUP BY 1, 2, 3
      ),
      counted AS (
        SELECT r, c, sum(n)::int AS episodes, count(*)::int AS children FROM cell GROUP BY r, c
        UNION ALL
        SELECT r, NULL, sum(n)::int, count(*)::int FROM (SELECT r, person_key, sum(n) AS n FROM cell GROUP BY r, person_key) x GROUP BY r
        UNION ALL
        SELECT NULL, c, sum(n)::int, count(*)::int FROM (SELECT c, person_key, sum(n) AS n FROM cell GROUP BY c, person_key) x GROUP BY c
        UNION ALL
        SELECT NULL, NULL, sum(n)::int, count(*)::int FROM (SELECT person_key, sum(n) AS n FROM cell GROUP BY person_key) x
      )
      SELECT rv.value AS row, ${columns ? sql`cv.value` : sql`CASE WHEN counted.c IS NULL THEN NULL ELSE '' END`} AS column, counted.episodes, counted.children
      FROM counted
      LEFT JOIN statistics_value rv ON rv.dimension = ${rows} AND rv.code = counted.r
      LEFT JOIN statistics_value cv ON cv.dimension = ${columns ?? ''} AND cv.code = counted.c
    `.execute(trx)
  })
  return result.rows.map((row) => ({ ...row, episodes: Number(row.episodes), children: Number(row.children) }))
}

/** The same counts, the plain way: one GROUP BY over the facts per table (the benchmark's floor). */
export async function countByNaive(db: Kysely<Database>, rows: DimensionName, columns: DimensionName | null, filter: EpisodeFilter) {
  const rowSql = sql.raw(DIMENSIONS[rows].sql)
  const columnSql = columns ? sql.raw(DIMENSIONS[columns].sql) : sql`''`
  const result = await sql`
    SELECT ${rowSql} AS r, ${columnSql} AS c, count(*) AS episodes, count(DISTINCT s.person_id) AS children
    FROM statistics_episode s LEFT JOIN agency ra ON ra.id = s.responsible_agency_id
    WHERE ${whereSql(filter)}
    GROUP BY 1, 2`.execute(db)
  return result.rows
}

/**
 * Children and episodes by year and trafficking status counted straight from the records, with the NRM standing and
 * the placement looked up as at each episode's day: what one writes without the facts. The benchmark's "plain"
 * figure, and the check that the facts and cells agree with the records.
 */
export async function countByYearAndStatusFromRecords(db: Kysely<Database>, filter: Omit<EpisodeFilter, 'equals'>, asAt: Date) {
  const { rows } = await sql<{ year: number; status: string; episodes: number; children: number }>`
    WITH e AS (
      SELECT e.*, ${sql.raw(londonDay('e.started_at'))} AS day FROM missing_episode e
      WHERE e.recorded_by = 'local_authority' AND e.la_category = ANY (${[...filter.categories]}::text[])
    )
    SELECT ${sql.raw(financialYearOf('e.day'))}::int AS year, ${sql.raw(statusSql('nrm.rank', 'p.suspected_trafficking_since', 'e.day'))} AS status,
      count(*)::int AS episodes, count(DISTINCT e.person_id)::int AS children
    FROM e JOIN person p ON p.id = e.person_id
    LEFT JOIN LATERAL (SELECT ${sql.raw(nrmRankSql('e.person_id', 'e.day'))} AS rank) nrm ON true
    WHERE ${sql.raw(financialYearOf('e.day'))} BETWEEN ${filter.yearFrom} AND ${filter.yearTo}
      ${filter.over24Hours ? sql`AND coalesce(e.ended_at, ${asAt}::timestamptz) - e.started_at > interval '24 hours'` : sql``}
    GROUP BY 1, 2`.execute(db)
  return rows
}

export interface YearEndRow {
  year: number
  status: string | null
  episodes: number
  children: number
}

/** Episodes open at the end of 31 March of each year (whenever they began), by trafficking status as at their start. */
export async function openAtYearEnd(db: Kysely<Database>, filter: EpisodeFilter): Promise<YearEndRow[]> {
  // Only episodes that did not end in the year they began can be open at a year end whatever their year.
  const { rows } = await sql<YearEndRow>`
    SELECT y.year::int AS year, CASE WHEN grouping(st.value) = 1 THEN NULL ELSE st.value END AS status,
      sum(s.episodes)::int AS episodes, count(DISTINCT s.person_key)::int AS children
    FROM generate_series(${filter.yearFrom}::int, ${filter.yearTo}::int) AS y (year)
    JOIN statistics_cell s ON s.financial_year <= y.year AND (s.end_financial_year IS NULL OR s.end_financial_year > y.year)
    JOIN statistics_value st ON st.dimension = 'traffickingStatus' AND st.code = s.trafficking_status
    WHERE ${cellWhereSql({ ...filter, yearFrom: -32768, yearTo: 32767 })} AND (s.end_financial_year IS NULL OR s.end_financial_year > s.financial_year)
    GROUP BY GROUPING SETS ((y.year, st.value), (y.year))`.execute(db)
  return rows
}

export interface ParliamentaryRow {
  year: number
  children: number
  referred: number
  reasonableGrounds: number
  conclusiveGrounds: number
  suspectedOnly: number
  anyConcern: number
  episodes: number
  episodesAnyConcern: number
}

/**
 * The 2013 question: children who went missing (by the chosen definition) each year, and of them those who, as at
 * the day one of their episodes began, were referred to the NRM (any stage), had a positive reasonable- or
 * conclusive-grounds decision, had a positive conclusive-grounds decision, or were suspected but not referred.
 */
export async function parliamentaryCounts(db: Kysely<Database>, filter: EpisodeFilter): Promise<ParliamentaryRow[]> {
  const status = (...values: string[]) => sql`s.trafficking_status = ANY (${codesOf('traffickingStatus', values)})`
  // One row per child per year (with whether any of their episodes that year began with each status), then counts.
  const { rows } = await sql<ParliamentaryRow>`
    SELECT year::int AS year,
      count(*)::int AS children,
      count(*) FILTER (WHERE referred)::int AS referred,
      count(*) FILTER (WHERE reasonable)::int AS "reasonableGrounds",
      count(*) FILTER (WHERE conclusive)::int AS "conclusiveGrounds",
      count(*) FILTER (WHERE suspected)::int AS "suspectedOnly",
      count(*) FILTER (WHERE concern > 0)::int AS "anyConcern",
      sum(n)::int AS episodes,
      sum(concern)::int AS "episodesAnyConcern"
    FROM (
      SELECT s.financial_year AS year, s.person_key,
        bool_or(${status('referred', 'reasonable_grounds', 'conclusive_grounds')}) AS referred,
        bool_or(${status('reasonable_grounds', 'conclusive_grounds')}) AS reasonable,
        bool_or(${status('conclusive_grounds')}) AS conclusive,
        bool_or(${status('suspected')}) AS suspected,
        coalesce(sum(s.episodes) FILTER (WHERE NOT ${status('none')}), 0) AS concern,
        sum(s.episodes) AS n
      FROM statistics_cell s
      WHERE ${cellWhereSql(filter)}
      GROUP BY 1, 2
    ) child
    GROUP BY year
    ORDER BY year`.execute(db)
  return rows
}

export interface ReconciliationRow {
  agency: string | null
  both: number
  localAuthorityOnly: number
  policeOnly: number
}

/**
 * Police and council records of looked-after children's absences (M only: an away episode need not be reported),
 * by police force (the force that recorded it, or in whose area it happened) or by responsible authority.
 */
export async function reconciliation(db: Kysely<Database>, by: 'policeForce' | 'responsibleAuthority', yearFrom: number, yearTo: number): Promise<ReconciliationRow[]> {
  const key = by === 'policeForce' ? sql`r.police_force_id` : sql`r.responsible_agency_id`
  const { rows } = await sql<ReconciliationRow>`
    SELECT CASE WHEN grouping(${key}) = 1 THEN NULL ELSE coalesce(${key}::text, 'unknown') END AS agency,
      coalesce(sum(r.both_recorded), 0)::int AS both,
      coalesce(sum(r.local_authority_only), 0)::int AS "localAuthorityOnly",
      coalesce(sum(r.police_only), 0)::int AS "policeOnly"
    FROM statistics_reconciliation r
    WHERE r.financial_year BETWEEN ${yearFrom} AND ${yearTo}
    GROUP BY GROUPING SETS ((${key}), ())`.execute(db)
  return rows
}

export interface CohortRow {
  status: string | null
  cohort: number
  within48Hours: number
  within7Days: number
  within28Days: number
  ever: number
}

/** Time from entering care (or from an NRM referral) to the first missing episode, for a cohort by year of start. */
export async function timeToFirstMissing(db: Kysely<Database>, from: 'care' | 'referral', yearFrom: number, yearTo: number, by: 'traffickingStatus' | 'unaccompanied'): Promise<CohortRow[]> {
  const table = from === 'care' ? sql`statistics_care_start` : sql`statistics_referral`
  const key = by === 'traffickingStatus' && from === 'care' ? sql`f.trafficking_status` : sql`CASE WHEN f.unaccompanied THEN 'yes' ELSE 'no' END`
  const { rows } = await sql<CohortRow>`
    SELECT CASE WHEN grouping(${key}) = 1 THEN NULL ELSE ${key} END AS status,
      count(*)::int AS cohort,
      count(*) FILTER (WHERE f.hours_to_first_missing < 48)::int AS "within48Hours",
      count(*) FILTER (WHERE f.hours_to_first_missing < 168)::int AS "within7Days",
      count(*) FILTER (WHERE f.hours_to_first_missing < 672)::int AS "within28Days",
      count(f.hours_to_first_missing)::int AS ever
    FROM ${table} f
    WHERE f.financial_year BETWEEN ${yearFrom} AND ${yearTo}
    GROUP BY GROUPING SETS ((${key}), ())`.execute(db)
  return rows
}

/** Children whose first missing episode came on each day after the start (0 = the day they entered care), to a limit. */
export async function firstMissingByDay(db: Kysely<Database>, from: 'care' | 'referral', yearFrom: number, yearTo: number, days: number, onlyTrafficked: boolean) {
  const table = from === 'care' ? sql`statistics_care_start` : sql`statistics_referral`
  const trafficked = onlyTrafficked && from === 'care' ? sql`AND f.trafficking_status <> 'none'` : sql``
  const { rows } = await sql<{ day: number; children: number }>`
    SELECT floor(f.hours_to_first_missing / 24)::int AS day, count(*)::int AS children
    FROM ${table} f
    WHERE f.financial_year BETWEEN ${yearFrom} AND ${yearTo} AND f.hours_to_first_missing < ${days * 24} ${trafficked}
    GROUP BY 1 ORDER BY 1`.execute(db)
  return rows
}

export async function agencyNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, { name: string; region: string | null; code: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('agency').select(['id', 'name', 'region', 'code']).where('id', 'in', [...ids]).execute()
  return new Map(rows.map((row) => [row.id, { name: row.name, region: row.region, code: row.code }]))
}
