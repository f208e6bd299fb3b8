import { readFileSync } from 'node:fs'
import { parseCsv } from '../../lib/csv.ts'
import { addDays } from '../../lib/dates.ts'

// Working days in England and Wales: Monday to Friday, except bank holidays (reference/README.md).
// The one function every deadline counted in working days uses (the NRM reasonable-grounds target among them).

export interface BankHoliday {
  date: string
  title: string
}

let holidays: readonly BankHoliday[] | null = null
let holidayDates: ReadonlySet<string> | null = null

/** The bank holidays of England and Wales, oldest first, read once from the shipped CSV. */
export function bankHolidays(): readonly BankHoliday[] {
  if (!holidays) {
    const text = readFileSync(new URL('./reference/bank-holidays-england-and-wales.csv', import.meta.url), 'utf8')
    const [header, ...rows] = parseCsv(text)
    if (header?.join(',') !== 'date,title') throw new Error('bank-holidays-england-and-wales.csv must start with the header date,title')
    holidays = rows.map(([date = '', title = '']) => ({ date, title }))
    holidayDates = new Set(holidays.map((holiday) => holiday.date))
  }
  return holidays
}

/** The last year the bank-holiday list covers: beyond it only weekends are counted out. */
export function lastCoveredYear(): number {
  return Number(bankHolidays().at(-1)?.date.slice(0, 4) ?? 0)
}

export function isBankHoliday(isoDate: string): boolean {
  bankHolidays()
  return holidayDates?.has(isoDate) ?? false
}

export function isWorkingDay(isoDate: string): boolean {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay()
  return weekday !== 0 && weekday !== 6 && !isBankHoliday(isoDate)
}

/**
 * The date `workingDays` working days after `isoDate` (which need not be a working day itself): a referral on
 * Friday with a 5-working-day target is due the next Friday, or the Monday after when a bank holiday falls between.
 */
export function addWorkingDays(isoDate: string, workingDays: number): string {
  let date = isoDate
  let counted = 0
  while (counted < workingDays) {
    date = addDays(date, 1)
    if (isWorkingDay(date)) counted += 1
  }
  return date
}
