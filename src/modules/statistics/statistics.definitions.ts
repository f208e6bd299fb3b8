// What the statistics count and how they break down: every dimension a table can have as rows, columns or a
// filter, with its SQL over `statistics_episode` and its labels. Names are the domain's; codes are the values.
import { PLACEMENT_TYPE_LABELS } from '../care/care.codes.ts'

export const TRAFFICKING_STATUSES = ['conclusive_grounds', 'reasonable_grounds', 'referred', 'suspected', 'none'] as const
export type TraffickingStatus = (typeof TRAFFICKING_STATUSES)[number]
export const TRAFFICKING_STATUS_LABELS: Readonly<Record<TraffickingStatus, string>> = {
  conclusive_grounds: 'Positive conclusive grounds decision',
  reasonable_grounds: 'Positive reasonable grounds decision (conclusive grounds not yet decided)',
  referred: 'Referred to the NRM (no positive decision in force)',
  suspected: 'Suspected trafficking victim, not referred',
  none: 'No trafficking concern recorded',
}

/** Which missing episodes count: every one (DfE since 2015), or only those over 24 hours (the series before 2015). */
export const DEFINITIONS = ['every_episode', 'over_24_hours'] as const
export type Definition = (typeof DEFINITIONS)[number]
export const DEFINITION_LABELS: Readonly<Record<Definition, string>> = {
  every_episode: 'Every missing episode, whatever its length (DfE, from 2015)',
  over_24_hours: 'Only episodes of more than 24 hours (the series published to 2012)',
}

/** SSDA903 category: missing (M), away without authorisation (A), or both. */
export const CATEGORIES = ['missing', 'away', 'both'] as const
export type Category = (typeof CATEGORIES)[number]

export const AGE_BANDS = ['under_1', '1_to_4', '5_to_9', '10_to_15', '16_and_over', 'unknown'] as const
export const DISTANCE_BANDS = ['5_or_less', '5_to_10', '10_to_20', '20_to_50', 'over_50', 'unknown'] as const
export const DURATION_BANDS = ['under_24_hours', '1_to_2_days', '2_to_7_days', '1_to_4_weeks', 'over_4_weeks', 'not_ended'] as const
export const OUTCOMES = ['returned', 'found', 'still_missing', 'ceased_while_missing'] as const

const BAND_LABELS: Record<string, string> = {
  under_1: 'Under 1',
  '1_to_4': '1 to 4',
  '5_to_9': '5 to 9',
  '10_to_15': '10 to 15',
  '16_and_over': '16 and over',
  '5_or_less': '5 miles or less',
  '5_to_10': 'Over 5 to 10 miles',
  '10_to_20': 'Over 10 to 20 miles',
  '20_to_50': 'Over 20 to 50 miles',
  over_50: 'Over 50 miles',
  under_24_hours: 'Under 24 hours',
  '1_to_2_days': '24 to 48 hours',
  '2_to_7_days': '2 to 7 days',
  '1_to_4_weeks': '1 to 4 weeks',
  over_4_weeks: 'Over 4 weeks',
  not_ended: 'Not ended',
  returned: 'Returned',
  found: 'Found',
  still_missing: 'Still missing',
  ceased_while_missing: 'Ceased to be looked after while missing (never found)',
  unknown: 'Not known',
  yes: 'Yes',
  no: 'No',
  male: 'Male',
  female: 'Female',
  foster: 'Foster care',
  childrens_home: "Children's homes",
  semi_independent: 'Semi-independent and supported accommodation',
  other: 'Other placements',
}

export type LabelSource = 'agency' | 'code'

export interface Dimension {
  label: string
  /** SQL over `statistics_episode s` (and `agency ra`, the responsible authority), giving text. */
  sql: string
  /** The column of `statistics_cell` holding the value's code (docs/adr/0020); `statistics_value` decodes it. */
  column: string
  /** Where the labels come from: fixed codes, or agency names (looked up). */
  labels: LabelSource
  /** Order of the values, when fixed. */
  values?: readonly string[]
  /** The rows are local authorities (counts of 1 to 5 suppressed) or regions (rounded). */
  level?: 'local' | 'regional'
}

const yesNo = (column: string) => `CASE WHEN ${column} IS NULL THEN 'unknown' WHEN ${column} THEN 'yes' ELSE 'no' END`

export const DIMENSIONS = {
  year: { label: 'Year ending 31 March', column: 'year', sql: 's.financial_year::text', labels: 'code' },
  traffickingStatus: { label: 'Trafficking status as at the day the episode began', column: 'trafficking_status', sql: 's.trafficking_status', labels: 'code', values: TRAFFICKING_STATUSES },
  unaccompanied: { label: 'Unaccompanied (UASC)', column: 'unaccompanied', sql: yesNo('s.unaccompanied'), labels: 'code', values: ['yes', 'no'] },
  placementType: { label: 'Placement type (SSDA903 PLACE) on the day the episode began', column: 'placement_type', sql: "coalesce(s.placement_type, 'unknown')", labels: 'code' },
  placementGroup: {
    label: 'Placement on the day the episode began',
    column: 'placement_group',
    sql: `CASE WHEN s.placement_type IS NULL THEN 'unknown' WHEN s.placement_type LIKE 'U%' THEN 'foster' WHEN s.placement_type IN ('K1', 'K2') THEN 'childrens_home'
      WHEN s.placement_type IN ('H5', 'P2', 'K3') THEN 'semi_independent' ELSE 'other' END`,
    labels: 'code',
    values: ['foster', 'childrens_home', 'semi_independent', 'other', 'unknown'],
  },
  responsibleAuthority: { label: 'Responsible local authority', column: 'responsible_authority', sql: "coalesce(s.responsible_agency_id::text, 'unknown')", labels: 'agency', level: 'local' },
  hostAuthority: { label: 'Local authority the child was placed in', column: 'host_authority', sql: "coalesce(s.host_agency_id::text, 'unknown')", labels: 'agency', level: 'local' },
  region: { label: 'Region of the responsible local authority', column: 'region', sql: "coalesce(ra.region, 'unknown')", labels: 'code', level: 'regional' },
  outOfArea: { label: 'Placed outside the responsible authority', column: 'out_of_area', sql: yesNo('s.out_of_area'), labels: 'code', values: ['yes', 'no', 'unknown'] },
  distanceBand: { label: 'Distance from home to placement', column: 'distance_band', sql: 's.distance_band', labels: 'code', values: DISTANCE_BANDS },
  ageBand: { label: 'Age when the episode began', column: 'age_band', sql: 's.age_band', labels: 'code', values: AGE_BANDS },
  sex: { label: 'Sex', column: 'sex', sql: 's.sex', labels: 'code', values: ['male', 'female', 'unknown'] },
  nationality: { label: 'Nationality (first recorded)', column: 'nationality', sql: 's.nationality', labels: 'code' },
  policeForce: { label: 'Police force', column: 'police_force', sql: "coalesce(s.police_force_id::text, 'unknown')", labels: 'agency' },
  durationBand: {
    label: 'How long the episode lasted',
    column: 'duration_band',
    sql: `CASE WHEN s.duration_hours IS NULL THEN 'not_ended' WHEN s.duration_hours < 24 THEN 'under_24_hours' WHEN s.duration_hours < 48 THEN '1_to_2_days'
      WHEN s.duration_hours < 168 THEN '2_to_7_days' WHEN s.duration_hours < 672 THEN '1_to_4_weeks' ELSE 'over_4_weeks' END`,
    labels: 'code',
    values: DURATION_BANDS,
  },
  outcome: { label: 'How the episode ended', column: 'outcome', sql: 's.outcome', labels: 'code', values: OUTCOMES },
} as const satisfies Record<string, Dimension>

export type DimensionName = keyof typeof DIMENSIONS
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as DimensionName[]

export function isDimensionName(value: string): value is DimensionName {
  return Object.hasOwn(DIMENSIONS, value)
}

/** The label of a code value of a dimension (agency names are looked up by the service). */
export function codeLabel(dimension: DimensionName, value: string): string {
  if (dimension === 'traffickingStatus' && value in TRAFFICKING_STATUS_LABELS) return TRAFFICKING_STATUS_LABELS[value as TraffickingStatus]
  if (dimension === 'placementType' && value in PLACEMENT_TYPE_LABELS) return `${value}: ${PLACEMENT_TYPE_LABELS[value as keyof typeof PLACEMENT_TYPE_LABELS]}`
  return BAND_LABELS[value] ?? value
}

/**
 * The 2013 written answer: looked-after children who went missing from their placement for more than 24 hours,
 * years ending 31 March 2006 to 2012 (DOMAIN-SOURCES.md §6.1; the year alignment differs between sources).
 */
export const PARLIAMENTARY_ANSWER_2013: Readonly<Record<number, number>> = { 2006: 890, 2007: 970, 2008: 980, 2009: 930, 2010: 820, 2011: 950, 2012: 1510 }
