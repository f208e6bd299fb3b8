import type { Translate } from '../../i18n.ts'
import { choice, dateInput, descriptionAnswers, FormProblems, list, optionalText, text, type FormBody } from '../../forms.ts'
import { DOB_SOURCES, NAME_KINDS, SEXES, type PersonUpdateInput } from '../../../modules/people/people.schemas.ts'
import type { Person } from '../../../modules/people/people.service.ts'
import { scriptOf } from '../../../lib/names.ts'

// The "change a person's details" form: names as rows (kind, as written, script, transliteration), sex, date of
// birth (one day, or a range, with how it is known), nationalities, description and the two flags a caseworker
// sets. A range is the date of birth (its earliest) plus a box "known only as a range" revealing the latest: a
// checkbox, not radios, reveals it, since GOV.UK's script marks a revealing radio aria-expanded, which ARIA does
// not allow on a radio (axe's aria-allowed-attr). Only what changed is sent to the people service, so its audit row says which parts were altered.
// The rules (dates of birth, suspicion dates, lengths, codes) are the service's; this only reads the answers.

export const PERSON_FLAGS = ['unaccompanied', 'suspectedTrafficking'] as const

/** Empty name rows offered for adding names (no JavaScript needed: clear a row's name to remove it). */
export const BLANK_NAME_ROWS = 2
const MAX_NAMES = 30
const MAX_NATIONALITIES = 5
/** A form row index above this is not one the page made. */
const MAX_ROW_INDEX = MAX_NAMES + BLANK_NAME_ROWS

export interface PersonDetails {
  names: { kind: (typeof NAME_KINDS)[number]; text: string; script: string; transliteration: string | null }[]
  sex: (typeof SEXES)[number]
  dateOfBirth: { earliest: string; latest: string; source: (typeof DOB_SOURCES)[number] } | null
  ageDisputed: boolean
  nationalities: string[]
  description: { heightCm: number | null; build: string | null; hair: string | null; eyes: string | null; distinguishingMarks: string | null; notes: string | null }
  flags: { unaccompanied: boolean; suspectedTrafficking: boolean; suspectedTraffickingSince: string | null }
}

export type PersonChanges = Omit<PersonUpdateInput, 'version'>

/** The name rows the form sent, in order (`name-0-text`, `name-1-kind`, ...). */
export function nameRowsOf(body: FormBody): number[] {
  const rows = new Set<number>()
  for (const key of Object.keys(body)) {
    const match = /^name-(\d{1,3})-(?:kind|text|script|transliteration)$/.exec(key)
    if (match && Number(match[1]) <= MAX_ROW_INDEX) rows.add(Number(match[1]))
  }
  return [...rows].sort((a, b) => a - b)
}

/** An ISO 15924 code as the service wants it (`arab` becomes `Arab`), or null if it is not four letters. */
function scriptCode(value: string): string | null {
  if (!/^[A-Za-z]{4}$/.test(value)) return null
  return value[0]?.toUpperCase() + value.slice(1).toLowerCase()
}

function dateValues(name: string, iso: string | null | undefined): FormBody {
  if (!iso) return {}
  const [year = '', month = '', day = ''] = iso.split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year }
}

/** The form's answers for a person as recorded, with empty name rows for adding. */
export function valuesOf(person: Person): { values: FormBody; nameRows: number[] } {
  const values: FormBody = {}
  person.names.forEach((name, row) => {
    values[`name-${row}-kind`] = name.kind
    values[`name-${row}-text`] = name.text
    values[`name-${row}-script`] = name.script
    values[`name-${row}-transliteration`] = name.transliteration ?? ''
  })
  const nameRows = Array.from({ length: person.names.length + BLANK_NAME_ROWS }, (_, row) => row)
  const dob = person.dateOfBirth
  const range = dob !== null && dob.earliest !== dob.latest
  Object.assign(
    values,
    { sex: person.sex, dobSource: dob?.source ?? '', dobRange: range ? ['yes'] : [], ageDisputed: person.ageDisputed ? ['yes'] : [] },
    dateValues('dob', dob?.earliest ?? dob?.latest),
    range ? dateValues('dobLatest', dob.latest) : {},
    {
      nationalities: person.nationalities.join(', '),
      heightCm: person.description.heightCm === null ? '' : String(person.description.heightCm),
      build: person.description.build ?? '',
      hair: person.description.hair ?? '',
      eyes: person.description.eyes ?? '',
      distinguishingMarks: person.description.distinguishingMarks ?? '',
      notes: person.description.notes ?? '',
      flags: PERSON_FLAGS.filter((flag) => person.flags[flag]),
    },
    dateValues('suspectedTraffickingSince', person.flags.suspectedTraffickingSince),
  )
  return { values, nameRows }
}

/**
 * Reads the form. `nameRows[i]` is the form row of the i-th name sent to the service (blank rows are left out), so
 * a service error on `names/1/script` can be shown on the row it came from.
 */
export function readPersonDetails(body: FormBody, t: Translate): { problems: FormProblems; value: PersonDetails | null; nameRows: number[]; dobRange: boolean } {
  const problems = new FormProblems()
  const rows = nameRowsOf(body)
  const names: PersonDetails['names'] = []
  const nameRows: number[] = []
  for (const row of rows) {
    const field = (part: string) => `name-${row}-${part}`
    const nameText = text(body, field('text'))
    const transliteration = text(body, field('transliteration'))
    const scriptText = text(body, field('script'))
    if (nameText === '') {
      if (transliteration !== '') problems.add(field('text'), t('personEdit.nameTextRequired', { n: row + 1 }))
      continue
    }
    const kind = choice(body, field('kind'), NAME_KINDS, problems, t('personEdit.nameKindRequired', { n: row + 1 }))
    if (nameText.length > 200) problems.add(field('text'), t('personEdit.nameTooLong', { n: row + 1, max: 200 }))
    if (transliteration.length > 200) problems.add(field('transliteration'), t('personEdit.transliterationTooLong', { n: row + 1, max: 200 }))
    const script = scriptText === '' ? scriptOf(nameText) : scriptCode(scriptText)
    if (script === null) problems.add(field('script'), t('personEdit.scriptFormat', { n: row + 1 }))
    if (kind && script) {
      names.push({ kind, text: nameText, script, transliteration: transliteration || null })
      nameRows.push(row)
    }
  }
  const firstRow = `name-${rows[0] ?? 0}-text`
  if (names.length === 0 && problems.empty) problems.add(firstRow, t('personEdit.namesRequired'))
  if (names.length > MAX_NAMES) problems.add(firstRow, t('personEdit.tooManyNames', { max: MAX_NAMES }))

  const sex = choice(body, 'sex', SEXES, problems, t('report.person.sexRequired'), 'sex')

  // Blank is "not known"; with the range box ticked, the date is the earliest and the latest is asked as well.
  const dobRange = list(body, 'dobRange').includes('yes')
  const earliest = dateInput(body, 'dob', t('personEdit.dobLabel'), problems, t, false)
  const latest = dobRange ? dateInput(body, 'dobLatest', t('personEdit.dobLatestLabel'), problems, t, earliest !== null) : earliest
  if (earliest === null && latest !== null) problems.add('dob', t('personEdit.dobEarliestRequired'), 'dob-day')
  const source = earliest !== null ? choice(body, 'dobSource', DOB_SOURCES, problems, t('report.person.dobSourceRequired'), 'dobSource') : null
  const dateOfBirth: PersonDetails['dateOfBirth'] = earliest && latest && source ? { earliest, latest, source } : null

  const nationalities = [...new Set(text(body, 'nationalities').split(/[\s,;]+/).filter((code) => code !== '').map((code) => code.toUpperCase()))]
  if (nationalities.some((code) => !/^[A-Z]{3}$/.test(code))) problems.add('nationalities', t('personEdit.nationalityFormat'))
  else if (nationalities.length > MAX_NATIONALITIES) problems.add('nationalities', t('personEdit.tooManyNationalities', { max: MAX_NATIONALITIES }))

  const description = descriptionAnswers(body, problems, t)
  const flags = list(body, 'flags')
  const suspectedTrafficking = flags.includes('suspectedTrafficking')
  // The day suspicion began is read only while the box is ticked (without JavaScript its field is always shown).
  const suspectedTraffickingSince = suspectedTrafficking ? dateInput(body, 'suspectedTraffickingSince', t('personEdit.sinceLabel'), problems, t, false) : null

  if (!problems.empty || !sex) return { problems, value: null, nameRows, dobRange }
  return {
    problems,
    nameRows,
    dobRange,
    value: {
      names,
      sex,
      dateOfBirth,
      ageDisputed: list(body, 'ageDisputed').includes('yes'),
      nationalities,
      description: { ...description, notes: optionalText(body, 'notes') },
      flags: { unaccompanied: flags.includes('unaccompanied'), suspectedTrafficking, suspectedTraffickingSince },
    },
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * What the answers change in the record, part by part: only those parts are sent. A day suspicion began is sent
 * only when it is given and differs (left blank, the service keeps the day, or records today when the flag is new).
 */
export function changesOf(person: Person, details: PersonDetails): PersonChanges {
  const changes: PersonChanges = {}
  const recordedNames = person.names.map((name) => ({ kind: name.kind, text: name.text, script: name.script, transliteration: name.transliteration }))
  if (!same(recordedNames, details.names)) changes.names = details.names
  if (person.sex !== details.sex) changes.sex = details.sex
  const dob = person.dateOfBirth
  const recordedDob = dob && (dob.earliest || dob.latest) ? { earliest: dob.earliest, latest: dob.latest, source: dob.source } : null
  if (!same(recordedDob, details.dateOfBirth)) changes.dateOfBirth = details.dateOfBirth
  if (person.ageDisputed !== details.ageDisputed) changes.ageDisputed = details.ageDisputed
  if (!same(person.nationalities, details.nationalities)) changes.nationalities = details.nationalities
  const description = person.description
  const recordedDescription = { heightCm: description.heightCm, build: description.build, hair: description.hair, eyes: description.eyes, distinguishingMarks: description.distinguishingMarks, notes: description.notes }
  if (!same(recordedDescription, details.description)) changes.description = details.description
  const flags = details.flags
  const sinceChanged = flags.suspectedTrafficking && flags.suspectedTraffickingSince !== null && flags.suspectedTraffickingSince !== person.flags.suspectedTraffickingSince
  if (flags.unaccompanied !== person.flags.unaccompanied || flags.suspectedTrafficking !== person.flags.suspectedTrafficking || sinceChanged) {
    changes.flags = {
      unaccompanied: flags.unaccompanied,
      suspectedTrafficking: flags.suspectedTrafficking,
      ...(sinceChanged && flags.suspectedTraffickingSince !== null ? { suspectedTraffickingSince: flags.suspectedTraffickingSince } : {}),
    }
  }
  return changes
}

const DESCRIPTION_FIELDS = ['heightCm', 'build', 'hair', 'eyes', 'distinguishingMarks', 'notes']
const DATE_FIELDS = ['dob', 'dobLatest', 'suspectedTraffickingSince']

/** The form field a service error path belongs to (`names/1/script` to the row it came from, and so on). */
export function fieldOfServicePath(path: string, nameRows: readonly number[], dobRange: boolean): string | undefined {
  const name = /^names\/(\d+)\/(kind|text|script|transliteration)$/.exec(path)
  if (name) return `name-${nameRows[Number(name[1])] ?? 0}-${name[2]}`
  if (path === 'names' || path.startsWith('names/')) return `name-${nameRows[0] ?? 0}-text`
  if (path === 'sex' || path === 'ageDisputed') return path
  if (path === 'dateOfBirth/source') return 'dobSource'
  if (path.startsWith('dateOfBirth')) return dobRange && path === 'dateOfBirth/latest' ? 'dobLatest' : 'dob'
  if (path === 'nationalities' || path.startsWith('nationalities/')) return 'nationalities'
  const description = /^description\/(\w+)$/.exec(path)
  if (description?.[1] && DESCRIPTION_FIELDS.includes(description[1])) return description[1]
  if (path === 'flags/suspectedTraffickingSince') return 'suspectedTraffickingSince'
  if (path.startsWith('flags')) return 'flags'
  if (path === 'version') return 'save'
  return undefined
}

/** The element a field's error links to: a date's day input, or the field itself. */
export function anchorOf(field: string): string {
  return DATE_FIELDS.includes(field) ? `${field}-day` : field
}
