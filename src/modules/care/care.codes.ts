// SSDA903 Episodes code lists (DOMAIN-SOURCES.md §3.4). The codes are the values stored and exchanged;
// the labels are DfE's wording, shortened where the guide runs long, for pages and exports.

/** RNE: why a new episode began. */
export const REASON_FOR_NEW_EPISODE_CODES = ['S', 'L', 'P', 'T', 'B', 'U'] as const
export type ReasonForNewEpisode = (typeof REASON_FOR_NEW_EPISODE_CODES)[number]
export const REASON_FOR_NEW_EPISODE_LABELS: Readonly<Record<ReasonForNewEpisode, string>> = {
  S: 'Started to be looked after',
  L: 'Change of legal status only',
  P: 'Change of placement and carer(s) only',
  T: 'Change of placement (but same carer(s)) only',
  B: 'Change of legal status and placement and carer(s) at the same time',
  U: 'Change of legal status and change of placement (but same carer(s)) at the same time',
}

/** LS: the legal status under which the child is looked after. */
export const LEGAL_STATUS_CODES = ['C1', 'C2', 'D1', 'E1', 'V2', 'V3', 'V4', 'L1', 'L2', 'L3', 'J1', 'J2', 'J3'] as const
export type LegalStatus = (typeof LEGAL_STATUS_CODES)[number]
export const LEGAL_STATUS_LABELS: Readonly<Record<LegalStatus, string>> = {
  C1: 'Interim care order',
  C2: 'Full care order',
  D1: 'Freeing order granted',
  E1: 'Placement order granted',
  V2: 'Single period of accommodation under section 20 (Children Act 1989)',
  V3: 'Accommodated under an agreed series of short-term breaks, when individual episodes of care are recorded',
  V4: 'Accommodated under an agreed series of short-term breaks, when agreements are recorded',
  L1: 'Under police protection and in local authority accommodation',
  L2: 'Emergency protection order',
  L3: 'Under a child assessment order and in local authority accommodation',
  J1: 'Remanded to local authority accommodation or to youth detention accommodation',
  J2: 'Placed in local authority accommodation under the Police and Criminal Evidence Act 1984',
  J3: 'Sentenced to a youth rehabilitation order with a residence or intensive fostering requirement',
}

/** CIN: the main category of need. */
export const CATEGORY_OF_NEED_CODES = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8'] as const
export type CategoryOfNeed = (typeof CATEGORY_OF_NEED_CODES)[number]
export const CATEGORY_OF_NEED_LABELS: Readonly<Record<CategoryOfNeed, string>> = {
  N1: 'Abuse or neglect',
  N2: "Child's disability",
  N3: 'Parental illness or disability',
  N4: 'Family in acute stress',
  N5: 'Family dysfunction',
  N6: 'Socially unacceptable behaviour',
  N7: 'Low income',
  N8: 'Absent parenting',
}

/**
 * PLACE: the placement type. The valid list changes by collection year (DfE validator rule 146): K3 arrived
 * in 2024/25; H5, P2 and Z1 went in 2025/26, when Z1 was split into Z11 to Z14. A register holds history
 * across years, so it accepts the union of 2022/23 to 2025/26; whether a code fits the year of an episode
 * is for the SSDA903 export to check against that year's rules.
 */
export const PLACEMENT_TYPE_CODES = [
  'A3', 'A4', 'A5', 'A6',
  'H5',
  'K1', 'K2', 'K3',
  'P1', 'P2', 'P3',
  'R1', 'R2', 'R3', 'R5',
  'S1',
  'T0', 'T1', 'T2', 'T3', 'T4',
  'U1', 'U2', 'U3', 'U4', 'U5', 'U6',
  'Z1', 'Z11', 'Z12', 'Z13', 'Z14',
] as const
export type PlacementType = (typeof PLACEMENT_TYPE_CODES)[number]
export const PLACEMENT_TYPE_LABELS: Readonly<Record<PlacementType, string>> = {
  A3: 'Placed for adoption with parental or guardian consent, with current foster carer(s)',
  A4: 'Placed for adoption with parental or guardian consent, not with current foster carer(s)',
  A5: 'Placed for adoption with a placement order, with current foster carer(s)',
  A6: 'Placed for adoption with a placement order, not with current foster carer(s)',
  H5: "Semi-independent living accommodation not subject to children's homes regulations (until 2024/25)",
  K1: "Secure children's home",
  K2: "Children's home subject to Children's Homes Regulations",
  K3: 'Registered supported accommodation (from 2024/25)',
  P1: 'Placed with own parent(s) or other person(s) with parental responsibility',
  P2: 'Independent living, for example a flat, lodgings, bedsit, bed and breakfast or with friends (until 2024/25)',
  P3: 'Residential employment',
  R1: 'Residential care home',
  R2: 'NHS or health trust, or other establishment providing medical or nursing care',
  R3: 'Family centre or mother and baby unit',
  R5: 'Young offender institution or prison',
  S1: "Residential school, except where dual-registered as a school and children's home",
  T0: 'Temporary placement: all types of temporary move',
  T1: 'Temporary placement: period in hospital',
  T2: 'Temporary placement: absence of the child on holiday',
  T3: 'Temporary placement: while the usual foster carer is on holiday',
  T4: 'Temporary placement of seven days or less, for any reason not covered by T1 to T3',
  U1: 'Foster placement with relative(s) or friend(s): long-term fostering',
  U2: 'Foster placement with relative(s) or friend(s) who are also approved adopters: fostering for adoption or concurrent planning',
  U3: 'Foster placement with relative(s) or friend(s): not long-term or fostering for adoption',
  U4: 'Foster placement with other foster carer(s): long-term fostering',
  U5: 'Foster placement with other foster carer(s) who are also approved adopters: fostering for adoption or concurrent planning',
  U6: 'Foster placement with other foster carer(s): not long-term or fostering for adoption',
  Z1: 'Other placement (until 2024/25)',
  // DOMAIN-SOURCES.md records only that Z1 was split in four from 2025/26, not each part's wording.
  Z11: 'Other placement (from 2025/26, Z11)',
  Z12: 'Other placement (from 2025/26, Z12)',
  Z13: 'Other placement (from 2025/26, Z13)',
  Z14: 'Other placement (from 2025/26, Z14)',
}

/**
 * Placements that have no provider. DfE validator rules 178 and 213 list T0 to T4 in every year, Z1 until
 * 2024/25 and Z11 to Z14 from 2025/26: a provider given for one of these fails the return.
 */
export const PLACEMENT_TYPES_WITHOUT_PROVIDER: ReadonlySet<PlacementType> = new Set<PlacementType>([
  'T0', 'T1', 'T2', 'T3', 'T4', 'Z1', 'Z11', 'Z12', 'Z13', 'Z14',
])

/** PLACE_PROVIDER: who provides the placement. */
export const PLACEMENT_PROVIDER_CODES = ['PR0', 'PR1', 'PR2', 'PR3', 'PR4', 'PR5'] as const
export type PlacementProvider = (typeof PLACEMENT_PROVIDER_CODES)[number]
export const PLACEMENT_PROVIDER_LABELS: Readonly<Record<PlacementProvider, string>> = {
  PR0: 'Parent(s) or other person(s) with parental responsibility',
  PR1: "Own provision by the local authority, including a regional adoption agency where the child's authority hosts it",
  PR2: 'Other local authority provision, including a regional adoption agency hosted by another authority',
  PR3: 'Other public provision, for example a primary care trust',
  PR4: 'Private provision',
  PR5: 'Voluntary or third sector provision',
}

/** REC: why the episode ended. */
export const REASON_ENDED_CODES = [
  'X1',
  'E11', 'E12',
  'E2', 'E3',
  'E4A', 'E4B',
  'E13',
  'E41',
  'E45', 'E46', 'E47', 'E48',
  'E5', 'E6', 'E7',
  'E8',
  'E9',
  'E14', 'E15', 'E16', 'E17',
] as const
export type ReasonEnded = (typeof REASON_ENDED_CODES)[number]
export const REASON_ENDED_LABELS: Readonly<Record<ReasonEnded, string>> = {
  X1: 'Episode ceases and a new episode begins on the same day',
  E11: 'Adopted: application for an adoption order unopposed',
  E12: 'Adopted: consent dispensed with by the court',
  E2: 'Died',
  E3: 'Care taken over by another local authority in the UK',
  E4A: 'Returned home to live with parent(s), relative(s) or other person(s) with parental responsibility, as part of care planning',
  E4B: 'Returned home to live with parent(s), relative(s) or other person(s) with parental responsibility, not as part of care planning',
  E13: 'Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility',
  E41: 'Residence order or child arrangements order granted',
  E45: 'Special guardianship order made to former foster carer(s) who are relatives or friends',
  E46: 'Special guardianship order made to former foster carer(s) other than relatives or friends',
  E47: 'Special guardianship order made to carer(s), not former foster carer(s), who are relatives or friends',
  E48: 'Special guardianship order made to carer(s), not former foster carer(s), other than relatives or friends',
  E5: 'Moved into independent living with formal advice or support',
  E6: 'Moved into independent living without formal advice or support',
  E7: 'Transferred to residential care funded by adult social care services',
  // Rule 580: the reason expected when a child ceases to be looked after while missing, at 18.
  E8: 'Period of being looked after ceased for any other reason',
  E9: 'Sentenced to custody',
  E14: 'Accommodation on remand ended',
  E15: 'Age assessment determined the child is aged 18 or over',
  E16: 'Child moved abroad',
  E17: 'Aged 18 or over and remained with current carers (for example staying put)',
}

/** REASON_PLACE_CHANGE: why the placement changed. */
export const REASON_FOR_PLACEMENT_CHANGE_CODES = [
  'CARPL', 'CLOSE', 'ALLEG', 'STAND', 'APPRR', 'CREQB', 'CREQO', 'CHILD', 'LAREQ', 'PLACE', 'CUSTOD', 'OTHER',
] as const
export type ReasonForPlacementChange = (typeof REASON_FOR_PLACEMENT_CHANGE_CODES)[number]
export const REASON_FOR_PLACEMENT_CHANGE_LABELS: Readonly<Record<ReasonForPlacementChange, string>> = {
  CARPL: 'Change to, or implementation of, the care plan',
  CLOSE: 'Resignation or closure of the provision',
  ALLEG: 'Allegation (section 47)',
  STAND: 'Standards of care concern',
  APPRR: 'Approval removed',
  CREQB: "Carer requests the placement end because of the child's behaviour",
  CREQO: "Carer requests the placement end, other than because of the child's behaviour",
  CHILD: 'Child requests the placement end',
  LAREQ: 'Responsible or area authority requests the placement end',
  PLACE: 'Change in the status of the placement only',
  CUSTOD: 'Custody arrangement',
  OTHER: 'Other',
}
