// The published figures the generator is calibrated to (../shared/DOMAIN-SOURCES.md §6), by financial year
// (year ending 31 March), for England. [V] marks a figure verified in a source there; [K] a DfE figure known but
// not quoted there; [I] interpolated between verified years; [A] an assumption (no published figure), chosen to
// keep the shape the sources describe. docs/adr/0013 explains the model.

export const FIRST_YEAR = 2006
export const LAST_YEAR = 2025

export interface YearTargets {
  /** Children looked after at 31 March [K]: DfE SSDA903 headline series. */
  lookedAfterAt31March: number
  /** Looked-after children with at least one missing (M) episode in the year, every episode counted. */
  childrenMissing: number
  /** Missing (M) episodes per child who went missing. */
  episodesPerChild: number
  /** The pre-2015 series: children missing from their placement for more than 24 hours [V], 2006-2012 only. */
  missingOver24Hours: number | null
  /** Police missing incidents, England [A] before 2011, from NCA UK Missing Persons Unit figures after [V/I]. */
  policeIncidents: number
  /** NRM referrals of children, calendar year ending in this financial year [V] 2013, 2017-2023, [I]/[A] others. */
  childNrmReferrals: number
}

// The 2013 written answer's series, years ending 31 March 2006 to 2012 [V] (DOMAIN-SOURCES.md §6.1).
const OVER_24_HOURS: Record<number, number> = { 2006: 890, 2007: 970, 2008: 980, 2009: 930, 2010: 820, 2011: 950, 2012: 1510 }

const LOOKED_AFTER: Record<number, number> = {
  2005: 61000, 2006: 60300, 2007: 60000, 2008: 59400, 2009: 60900, 2010: 64400, 2011: 65500, 2012: 67100,
  2013: 68100, 2014: 68840, 2015: 69540, 2016: 70440, 2017: 72670, 2018: 75370, 2019: 78150, 2020: 80080,
  2021: 80850, 2022: 82170, 2023: 83840, 2024: 83630, 2025: 81770,
}

// Children with a missing incident: 6,110 (2015), 11,530 (2018), 12,150 (2022), about 12,800 (2025) [V];
// episodes per child 4.7, 6.1, 6.3, 6.8 [V]. Before 2015 DfE collected no incidents; the register's records of
// those years are taken to be as sparse as the first year of collection [A].
const MISSING_POINTS: [number, number, number][] = [
  [2006, 4200, 4.4],
  [2012, 5000, 4.6],
  [2015, 6110, 4.7],
  [2018, 11530, 6.1],
  [2022, 12150, 6.3],
  [2025, 12800, 6.8],
]

// NCA: 327,000 UK incidents 2010/11, 313,000 GB 2011/12, 306,000 2012/13, about 320,000 2019/20 and 2021/22,
// 17.8% down in 2020/21 [V]; England is about 94% of them [A].
const POLICE_POINTS: [number, number][] = [
  [2006, 300000], [2011, 327000], [2012, 313000], [2013, 306000], [2015, 300000], [2018, 330000],
  [2020, 325000], [2021, 270000], [2022, 320000], [2025, 320000],
]

// Child NRM referrals (UK): 450 (2013), 2,118 (2017), 3,137 (2018), 4,550 (2019), 4,946 (2020), 5,468 (2021),
// 6,950 (2022), 7,432 (2023) [V]; the NRM began on 1 April 2009, so nothing before; 2024 assumed 44% of 19,125 [A].
const NRM_POINTS: [number, number][] = [
  [2009, 0], [2010, 180], [2013, 450], [2017, 2118], [2018, 3137], [2019, 4550], [2020, 4946], [2021, 5468],
  [2022, 6950], [2023, 7432], [2024, 8400], [2025, 8400],
]

function interpolate(points: readonly (readonly number[])[], year: number, column: number): number {
  const first = points[0]
  const last = points.at(-1)
  if (!first || !last) throw new Error('No calibration points')
  if (year <= (first[0] ?? 0)) return first[column] ?? 0
  if (year >= (last[0] ?? 0)) return last[column] ?? 0
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1]
    const b = points[i]
    if (!a || !b) continue
    const [ya = 0, yb = 0] = [a[0], b[0]]
    if (year <= yb) {
      const t = (year - ya) / (yb - ya)
      return (a[column] ?? 0) + t * ((b[column] ?? 0) - (a[column] ?? 0))
    }
  }
  return last[column] ?? 0
}

const memo = new Map<number, YearTargets>()

export function targetsFor(year: number): YearTargets {
  const known = memo.get(year)
  if (known) return known
  const lookedAfter = LOOKED_AFTER[year]
  if (lookedAfter === undefined) throw new Error(`No calibration for the year ending 31 March ${year}`)
  const targets: YearTargets = {
    lookedAfterAt31March: lookedAfter,
    childrenMissing: Math.round(interpolate(MISSING_POINTS, year, 1)),
    episodesPerChild: interpolate(MISSING_POINTS, year, 2),
    missingOver24Hours: OVER_24_HOURS[year] ?? null,
    policeIncidents: Math.round(0.94 * interpolate(POLICE_POINTS, year, 1)),
    // The NRM began on 1 April 2009 (year ending 2010).
    childNrmReferrals: year < 2010 ? 0 : Math.round(interpolate(NRM_POINTS, year, 1)),
  }
  memo.set(year, targets)
  return targets
}

/** Children looked after at 31 March of the year before the first generated year: the stock to start from. */
export function lookedAfterBefore(firstYear: number): number {
  return LOOKED_AFTER[firstYear - 1] ?? 61000
}

/** Mean length of a period of care, in years [A]: with about 30,000 starts a year it holds the stock near 60-80,000. */
export const MEAN_YEARS_IN_CARE = 2.3

/** Shares [V] that shape each record (DOMAIN-SOURCES.md §6, "Synthetic-data calibration targets"). */
export const SHARES = {
  /** Police: about 60% of incidents are children. */
  policeChildren: 0.6,
  /** Of missing looked-after children, about 56% male. */
  missingMale: 0.56,
  /** Trafficked children in care who go missing in a year: 24-31% (ECPAT). */
  traffickedMissing: 0.28,
  /** Episodes per trafficked child who goes missing: 7.2-8 (ECPAT). */
  traffickedEpisodesPerChild: 7.6,
  /** Unaccompanied children who go missing in a year: 13-15% (ECPAT). */
  unaccompaniedMissing: 0.14,
  /** Of trafficked children who go missing, the share never found: about 20% (ECPAT 169 of 986; 207; 190). */
  traffickedNeverFound: 0.2,
  /** First episode of a trafficked child within 48 hours of placement: "many" (APPG 2012) [A: 40%]. */
  traffickedWithin48Hours: 0.4,
  /** ...and within a week: "most" [A: 65%]. */
  traffickedWithinWeek: 0.65,
  /** Children reported missing more than once: 65% of missing children (Coram). */
  repeat: 0.65,
  /** LA missing (M) episodes the police also recorded [A]; the rest are the reconciliation's "LA only". */
  reportedToPolice: 0.92,
  /** Police incidents from care with no LA record [A]: the reconciliation's "police only". */
  policeOnlyFromCare: 0.08,
  /** Children's NRM referrals that are of looked-after children [A]: most non-UK children are in care. */
  referralsInCareNonUk: 0.85,
  referralsInCareUk: 0.25,
  /** UK nationals among child referrals: about 45% (2023). */
  referralUkNational: 0.45,
  /** Child reasonable-grounds decisions positive: 74% (2023); conclusive 66-89%. */
  reasonableGroundsPositive: 0.8,
  conclusiveGroundsPositive: 0.75,
  /** Looked-after children who are unaccompanied [K: about 6-9% of the stock]. */
  unaccompanied: 0.07,
  /** Placed outside the responsible authority [K: about 40%]. */
  outOfArea: 0.4,
} as const
