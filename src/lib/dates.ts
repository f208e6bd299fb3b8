// Calendar dates are ISO strings `YYYY-MM-DD`; instants are Date. Dates shown or bucketed use Europe/London.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value)
  if (!match) return false
  const [, y, m, d] = match
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  return date.toISOString().slice(0, 10) === value
}

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** The calendar date of an instant in Europe/London. */
export function londonDateOf(instant: Date): string {
  return londonDate.format(instant)
}

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

/** The financial year an ISO date falls in, named by the year it ends (1 April to 31 March). */
export function financialYearEnding(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4))
  const month = Number(isoDate.slice(5, 7))
  return month >= 4 ? year + 1 : year
}

export function hoursBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / 3_600_000
}

/** The instant a calendar day begins in Europe/London (midnight GMT in winter, 23:00 UTC the day before in summer). */
export function startOfLondonDay(isoDate: string): Date {
  const utcMidnight = new Date(`${isoDate}T00:00:00Z`)
  // London is UTC or UTC+1, and never changes clocks at midnight: one of the two candidates is right.
  for (const offsetHours of [0, 1]) {
    const candidate = new Date(utcMidnight.getTime() - offsetHours * 3_600_000)
    if (londonDateOf(candidate) === isoDate && londonDateOf(new Date(candidate.getTime() - 1)) !== isoDate) return candidate
  }
  throw new Error(`No London midnight found for ${isoDate}`)
}
