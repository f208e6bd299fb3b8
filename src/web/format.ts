import type { Language } from './i18n.ts'

// How dates, times and durations read on a page, in Europe/London, in the page's language.
// GOV.UK style: "14 March 2026", "2:30pm on 14 March 2026" (Welsh: "14 Mawrth 2026").

const locales: Record<Language, string> = { en: 'en-GB', cy: 'cy-GB' }

export interface Formatters {
  date: (value: string | Date | null | undefined) => string
  dateTime: (value: Date | null | undefined) => string
  time: (value: Date) => string
  /** Whole hours and days: "3 days 4 hours", "5 hours". */
  duration: (hours: number) => string
  number: (value: number) => string
}

const DURATION = {
  en: { day: ['day', 'days'], hour: ['hour', 'hours'], lessThanHour: 'less than an hour' },
  cy: { day: ['diwrnod', 'diwrnod'], hour: ['awr', 'awr'], lessThanHour: 'llai nag awr' },
} as const

export function formatters(language: Language): Formatters {
  const locale = locales[language]
  const dateFormat = new Intl.DateTimeFormat(locale, { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' })
  const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: '2-digit', hour12: true })
  const numberFormat = new Intl.NumberFormat(locale)
  const time = (value: Date) => timeFormat.format(value).replace(' ', '').toLowerCase()
  return {
    date: (value) => {
      if (value === null || value === undefined || value === '') return ''
      // A calendar date is a day, not an instant: format it at noon UTC so no time zone moves it.
      const instant = typeof value === 'string' ? new Date(`${value}T12:00:00Z`) : value
      return dateFormat.format(instant)
    },
    dateTime: (value) => {
      if (!value) return ''
      return language === 'cy' ? `${time(value)} ar ${dateFormat.format(value)}` : `${time(value)} on ${dateFormat.format(value)}`
    },
    time,
    duration: (hours) => {
      const words = DURATION[language]
      const whole = Math.floor(hours)
      if (whole < 1) return words.lessThanHour
      const days = Math.floor(whole / 24)
      const rest = whole % 24
      const part = (count: number, [one, many]: readonly [string, string]) => `${count} ${count === 1 ? one : many}`
      if (days === 0) return part(rest, words.hour)
      return rest === 0 ? part(days, words.day) : `${part(days, words.day)} ${part(rest, words.hour)}`
    },
    number: (value) => numberFormat.format(value),
  }
}

/** The London wall-clock parts of an instant, for pre-filling date and time inputs. */
export function londonParts(instant: Date): { day: string; month: string; year: string; hour: string; minute: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(instant)
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? ''
  return { day: get('day'), month: get('month'), year: get('year'), hour: get('hour'), minute: get('minute') }
}

/** The instant of a London wall-clock time (handles British Summer Time). */
export function londonInstant(year: number, month: number, day: number, hour: number, minute: number): Date {
  const guess = new Date(Date.UTC(year, month - 1, day, hour, minute))
  // London is UTC or UTC+1: find the offset at the guessed instant and correct by it.
  const shown = londonParts(guess)
  const shownAsUtc = Date.UTC(Number(shown.year), Number(shown.month) - 1, Number(shown.day), Number(shown.hour), Number(shown.minute))
  const offset = shownAsUtc - guess.getTime()
  return new Date(guess.getTime() - offset)
}

/** How a person is named on a page: given and family names (or the full name), else the first name recorded. */
export function personName(names: readonly { kind: string; text: string }[]): string {
  const main = names.filter((name) => name.kind === 'given' || name.kind === 'family' || name.kind === 'full')
  const chosen = main.length > 0 ? main : names.slice(0, 1)
  return chosen.map((name) => name.text).join(' ')
}
