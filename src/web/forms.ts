import type { FieldError } from '../lib/errors.ts'
import { isIsoDate } from '../lib/dates.ts'
import type { Translate } from './i18n.ts'
import { londonInstant } from './format.ts'

// Form helpers for the GOV.UK error pattern: every field error becomes a message beside the field and a link
// in the "There is a problem" summary; the page is shown again with status 400 and the answers kept.

export type FormBody = Record<string, string | string[] | undefined>

export interface FormErrors {
  /** For govukErrorSummary: each error links to its field's id. */
  summary: { text: string; href: string }[]
  /** For each macro's errorMessage: `errors.fields['email']`. */
  fields: Record<string, { text: string }>
}

/** Collects field errors as a form is read, then as a GOV.UK error summary. */
export class FormProblems {
  readonly errors: { field: string; message: string; anchor: string }[] = []

  /** `anchor` is the id of the element the summary links to (a date's day input, say); by default the field. */
  add(field: string, message: string, anchor = field): void {
    if (!this.has(field)) this.errors.push({ field, message: sentence(message), anchor })
  }

  has(field: string): boolean {
    return this.errors.some((error) => error.field === field)
  }

  get empty(): boolean {
    return this.errors.length === 0
  }

  toFormErrors(): FormErrors | null {
    if (this.empty) return null
    return {
      summary: this.errors.map((error) => ({ text: error.message, href: `#${error.anchor}` })),
      fields: Object.fromEntries(this.errors.map((error) => [error.field, { text: error.message }])),
    }
  }
}

/**
 * A service's field errors (paths like `lastSeen/postcode`) as form errors. `fieldOf` maps a service path to
 * the form's field name (by default `lastSeen/postcode` becomes `lastSeen-postcode`); `anchorOf` gives the id
 * to link to when it is not the field itself (a date field's day input).
 */
export function fromServiceErrors(
  errors: FieldError[],
  options: { fieldOf?: (path: string) => string | undefined; anchorOf?: (field: string) => string; fallbackField?: string } = {},
): FormProblems {
  const problems = new FormProblems()
  for (const error of errors) {
    const mapped = options.fieldOf?.(error.field) ?? (error.field === '' ? options.fallbackField : error.field.replaceAll('/', '-'))
    const field = mapped ?? options.fallbackField ?? 'form'
    problems.add(field, error.message, options.anchorOf?.(field) ?? field)
  }
  return problems
}

function sentence(message: string): string {
  return message.length > 0 ? message[0]?.toUpperCase() + message.slice(1) : message
}

/** Whether a form's hidden `version` field holds a record version (a positive whole number) as the page wrote it. */
export const isVersion = (value: string): boolean => /^[1-9]\d{0,9}$/.test(value)

/** One text answer, trimmed; '' when absent. */
export function text(body: FormBody, name: string): string {
  const value = body[name]
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first.trim() : ''
}

/** A text answer or null when blank, for optional service fields. */
export function optionalText(body: FormBody, name: string): string | null {
  const value = text(body, name)
  return value === '' ? null : value
}

/** Checkbox answers: always a list. */
export function list(body: FormBody, name: string): string[] {
  const value = body[name]
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== '')
}

/** The answer if it is one of the allowed values, else null (and an error when required). */
export function choice<const T extends string>(
  body: FormBody,
  name: string,
  allowed: readonly T[],
  problems: FormProblems,
  message: string | null,
  anchor?: string,
): T | null {
  const value = text(body, name)
  if ((allowed as readonly string[]).includes(value)) return value as T
  if (message !== null || value !== '') problems.add(name, message ?? 'Select an option', anchor ?? name)
  return null
}

/** Yes or no radios as a boolean; null when unanswered. */
export function yesNo(body: FormBody, name: string): boolean | null {
  const value = text(body, name)
  return value === 'yes' ? true : value === 'no' ? false : null
}

export interface DateParts {
  day: string
  month: string
  year: string
}

export function dateParts(body: FormBody, name: string): DateParts {
  return { day: text(body, `${name}-day`), month: text(body, `${name}-month`), year: text(body, `${name}-year`) }
}

/**
 * A GOV.UK date input (`name-day`, `name-month`, `name-year`) as an ISO date. Blank is null (an error when
 * required); a date that does not exist is always an error, naming the field by its label.
 */
export function dateInput(body: FormBody, name: string, label: string, problems: FormProblems, t: Translate, required: boolean): string | null {
  const parts = dateParts(body, name)
  const anchor = `${name}-day`
  if (parts.day === '' && parts.month === '' && parts.year === '') {
    if (required) problems.add(name, t('forms.dateRequired', { label }), anchor)
    return null
  }
  const missing = (['day', 'month', 'year'] as const).filter((part) => parts[part] === '')
  if (missing.length > 0) {
    problems.add(name, t(`forms.dateMissing.${missing[0]}`, { label }), `${name}-${missing[0]}`)
    return null
  }
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
    problems.add(name, t('forms.dateReal', { label }), anchor)
    return null
  }
  const iso = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`
  if (!isIsoDate(iso)) {
    problems.add(name, t('forms.dateReal', { label }), anchor)
    return null
  }
  return iso
}

/** A date input plus a time input (`name-time`, "14:30" or "2:30pm"), as an instant in Europe/London. */
export function dateTimeInput(body: FormBody, name: string, label: string, problems: FormProblems, t: Translate, required: boolean): Date | null {
  const date = dateInput(body, name, label, problems, t, required)
  const timeText = text(body, `${name}-time`).toLowerCase().replace(/\s+/g, '')
  if (problems.has(name)) return null
  if (date === null) {
    if (timeText !== '') problems.add(name, t('forms.dateRequired', { label }), `${name}-day`)
    return null
  }
  if (timeText === '') {
    problems.add(name, t('forms.timeRequired', { label }), `${name}-time`)
    return null
  }
  const match = /^(\d{1,2})[:.](\d{2})(am|pm)?$/.exec(timeText) ?? /^(\d{1,2})(am|pm)$/.exec(timeText)
  let hour = match ? Number(match[1]) : NaN
  const minute = match && match[2] && /^\d{2}$/.test(match[2]) ? Number(match[2]) : 0
  const meridiem = match ? (match[3] ?? (match[2] === 'am' || match[2] === 'pm' ? match[2] : undefined)) : undefined
  if (meridiem) {
    if (hour < 1 || hour > 12) hour = NaN
    else hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0)
  }
  if (!match || Number.isNaN(hour) || hour > 23 || minute > 59) {
    problems.add(name, t('forms.timeReal', { label }), `${name}-time`)
    return null
  }
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return londonInstant(year, month, day, hour, minute)
}

/** A whole number within bounds, or null when blank. */
export function wholeNumber(body: FormBody, name: string, label: string, bounds: { min: number; max: number }, problems: FormProblems, t: Translate): number | null {
  const value = text(body, name)
  if (value === '') return null
  const number = Number(value)
  if (!/^\d+$/.test(value) || number < bounds.min || number > bounds.max) {
    problems.add(name, t('forms.numberBetween', { label, min: bounds.min, max: bounds.max }))
    return null
  }
  return number
}

/** How a person looks, as the person forms and the encounter search ask it (web/views/partials/description-inputs.njk). */
export interface DescriptionAnswers {
  heightCm: number | null
  build: string | null
  hair: string | null
  eyes: string | null
  distinguishingMarks: string | null
}

/** The description fields' answers; a height that is not a whole number of centimetres from 30 to 250 is a problem. */
export function descriptionAnswers(body: FormBody, problems: FormProblems, t: Translate): DescriptionAnswers {
  return {
    heightCm: wholeNumber(body, 'heightCm', t('report.person.heightLabel'), { min: 30, max: 250 }, problems, t),
    build: optionalText(body, 'build'),
    hair: optionalText(body, 'hair'),
    eyes: optionalText(body, 'eyes'),
    distinguishingMarks: optionalText(body, 'distinguishingMarks'),
  }
}
