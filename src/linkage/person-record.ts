// One person as one source recorded them: the engine's input, read from the person CSV format (see
// README) or from the register's person records.
import { isIsoDate } from '../lib/dates.ts'
import { csvLine, eachCsvRow } from '../lib/csv.ts'

export interface PersonIdentifier {
  type: string
  value: string
}

export interface PersonRecord {
  recordId: string
  source: string
  givenNames: string
  familyName: string
  /** Aliases, nicknames and other full names, each as written. */
  otherNames: string[]
  /** A single known date (YYYY-MM-DD), or null. */
  dateOfBirth: string | null
  /** The range the date of birth is known to lie in (an assessed age, a year); null ends are open. */
  dobEarliest: string | null
  dobLatest: string | null
  sex: 'M' | 'F' | 'U'
  /** ISO 3166-1 alpha-3. */
  nationality: string | null
  identifiers: PersonIdentifier[]
  /** How the person looks, where the source recorded it (the optional description columns); absent when nothing was. */
  description?: PersonDescription
  /** Further columns of the file, kept by name for models that compare them. */
  extra: Record<string, string>
}

/**
 * What an officer can see of a person, as a missing-person report records it (DOMAIN-SOURCES 2.2 and "Entities": height, build,
 * hair, eyes, marks, scars and tattoos). Words are as written ("dark brown", "scar above the left eye"); the
 * comparisons normalise them.
 */
export interface PersonDescription {
  heightCm: number | null
  build: string | null
  hair: string | null
  eyes: string | null
  distinguishingMarks: string | null
}

export const PERSON_CSV_COLUMNS = [
  'record_id',
  'source',
  'given_names',
  'family_name',
  'other_names',
  'date_of_birth',
  'dob_earliest',
  'dob_latest',
  'sex',
  'nationality',
  'identifiers',
] as const

/** The description's columns: optional, read into `description`, written only when some record has one. */
export const DESCRIPTION_CSV_COLUMNS = ['height_cm', 'build', 'hair', 'eyes', 'distinguishing_marks'] as const

/** The heights a person record can hold, in whole centimetres (a child of 10 to an adult). */
export const HEIGHT_CM_RANGE = { min: 30, max: 250 } as const

export interface CsvProblem {
  line: number
  field: string
  message: string
}

/** A file that does not follow the format: every problem, with its line and column, and nothing read. */
export class PersonCsvError extends Error {
  readonly problems: CsvProblem[]
  constructor(fileLabel: string, problems: CsvProblem[]) {
    const shown = problems.slice(0, 20).map((problem) => `  line ${problem.line}, ${problem.field}: ${problem.message}`)
    const more = problems.length > 20 ? [`  ... and ${problems.length - 20} more`] : []
    super([`${fileLabel}: ${problems.length} problem(s), nothing was read:`, ...shown, ...more].join('\n'))
    this.problems = problems
  }
}

const REQUIRED = ['record_id', 'given_names', 'family_name'] as const
const NATIONALITY = /^[A-Z]{3}$/

/** Reads the person CSV format. Unknown columns are kept in `extra`; every problem is reported at once. */
export function readPersonCsv(text: string, fileLabel = 'person file'): PersonRecord[] {
  const records: PersonRecord[] = []
  const problems: CsvProblem[] = []
  let header: string[] | null = null
  const seen = new Set<string>()
  let columnIndex: Record<string, number> = {}
  let extraColumns: [string, number][] = []

  try {
    eachCsvRow(text, (rawFields, line) => {
      if (header === null) {
        header = rawFields.map((field) => field.trim())
        columnIndex = Object.fromEntries(header.map((name, index) => [name, index]))
        for (const column of REQUIRED) {
          if (!(column in columnIndex)) problems.push({ line, field: column, message: `the header has no "${column}" column` })
        }
        const known = new Set<string>([...PERSON_CSV_COLUMNS, ...DESCRIPTION_CSV_COLUMNS])
        extraColumns = header.flatMap((name, index) => (known.has(name) ? [] : [[name, index] as [string, number]]))
        return
      }
      if (rawFields.length === 1 && rawFields[0] === '') return
      if (rawFields.length !== (header as string[]).length) {
        problems.push({ line, field: '(row)', message: `has ${rawFields.length} fields; the header has ${(header as string[]).length}` })
        return
      }
      const value = (column: string): string => {
        const index = columnIndex[column]
        return index === undefined ? '' : (rawFields[index] ?? '').trim()
      }
      const problem = (field: string, message: string) => problems.push({ line, field, message })
      const recordId = value('record_id')
      if (recordId === '') problem('record_id', 'is blank')
      else if (seen.has(recordId)) problem('record_id', `"${recordId}" appears twice`)
      seen.add(recordId)
      const dateOfBirth = optionalDate(value('date_of_birth'), 'date_of_birth', problem)
      let dobEarliest = optionalDate(value('dob_earliest'), 'dob_earliest', problem)
      let dobLatest = optionalDate(value('dob_latest'), 'dob_latest', problem)
      if (dobEarliest && dobLatest && dobEarliest > dobLatest) problem('dob_latest', `${dobLatest} is before dob_earliest ${dobEarliest}`)
      if (dateOfBirth && ((dobEarliest && dateOfBirth < dobEarliest) || (dobLatest && dateOfBirth > dobLatest)))
        problem('date_of_birth', `${dateOfBirth} is outside dob_earliest..dob_latest`)
      if (dateOfBirth) {
        dobEarliest ??= dateOfBirth
        dobLatest ??= dateOfBirth
      }
      const sexText = value('sex').toUpperCase()
      if (sexText !== '' && sexText !== 'M' && sexText !== 'F' && sexText !== 'U') problem('sex', `must be M, F or U, not "${value('sex')}"`)
      const nationality = value('nationality').toUpperCase()
      if (nationality !== '' && !NATIONALITY.test(nationality)) problem('nationality', `must be an ISO 3166-1 alpha-3 code, not "${value('nationality')}"`)
      const identifiers: PersonIdentifier[] = []
      for (const item of splitList(value('identifiers'))) {
        const colon = item.indexOf(':')
        if (colon <= 0 || colon === item.length - 1) problem('identifiers', `"${item}" is not type:value`)
        else identifiers.push({ type: item.slice(0, colon).trim().toLowerCase(), value: item.slice(colon + 1).trim() })
      }
      const extra: Record<string, string> = {}
      for (const [name, index] of extraColumns) extra[name] = (rawFields[index] ?? '').trim()
      const description = readDescription(value, problem)
      records.push({
        recordId,
        source: value('source'),
        givenNames: value('given_names'),
        familyName: value('family_name'),
        otherNames: splitList(value('other_names')),
        dateOfBirth,
        dobEarliest,
        dobLatest,
        sex: sexText === 'M' || sexText === 'F' ? sexText : 'U',
        nationality: nationality === '' ? null : nationality,
        identifiers,
        ...(description ? { description } : {}),
        extra,
      })
    })
  } catch (error) {
    problems.push({ line: 0, field: '(file)', message: error instanceof Error ? error.message : String(error) })
  }
  if (header === null) problems.push({ line: 1, field: '(header)', message: 'the file is empty' })
  if (problems.length > 0) throw new PersonCsvError(fileLabel, problems)
  return records
}

function optionalDate(text: string, field: string, problem: (field: string, message: string) => void): string | null {
  if (text === '') return null
  if (!isIsoDate(text)) {
    problem(field, `"${text}" is not a date YYYY-MM-DD`)
    return null
  }
  return text
}

/** The description columns of a row, or undefined when all are blank (or absent from the header). */
function readDescription(value: (column: string) => string, problem: (field: string, message: string) => void): PersonDescription | undefined {
  const text = (column: string): string | null => {
    const found = value(column)
    return found === '' ? null : found
  }
  let heightCm: number | null = null
  const height = value('height_cm')
  if (height !== '') {
    if (/^\d+$/.test(height) && Number(height) >= HEIGHT_CM_RANGE.min && Number(height) <= HEIGHT_CM_RANGE.max) heightCm = Number(height)
    else problem('height_cm', `must be a whole number of centimetres from ${HEIGHT_CM_RANGE.min} to ${HEIGHT_CM_RANGE.max}, not "${height}"`)
  }
  return withDescription({ heightCm, build: text('build'), hair: text('hair'), eyes: text('eyes'), distinguishingMarks: text('distinguishing_marks') }).description
}

/** A record's description, left out when nothing of it was recorded (the comparisons then take their null level). */
export function withDescription(description: PersonDescription): { description?: PersonDescription } {
  const recorded = Object.values(description).some((value) => value !== null && value !== '')
  return recorded ? { description } : {}
}

function splitList(text: string): string[] {
  if (text === '') return []
  return text
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/**
 * The person CSV format, header first; the description columns when any record has a description, then
 * `extraColumns`.
 */
export function writePersonCsv(records: Iterable<PersonRecord>, extraColumns: readonly string[] = []): string {
  const list = [...records]
  const described = list.some((record) => record.description !== undefined)
  const lines = [csvLine([...PERSON_CSV_COLUMNS, ...(described ? DESCRIPTION_CSV_COLUMNS : []), ...extraColumns])]
  for (const record of list) {
    const description = record.description
    const descriptionFields = described
      ? [description?.heightCm == null ? '' : String(description.heightCm), description?.build ?? '', description?.hair ?? '', description?.eyes ?? '', description?.distinguishingMarks ?? '']
      : []
    const exact = record.dateOfBirth !== null && record.dobEarliest === record.dateOfBirth && record.dobLatest === record.dateOfBirth
    lines.push(
      csvLine([
        record.recordId,
        record.source,
        record.givenNames,
        record.familyName,
        record.otherNames.join(';'),
        record.dateOfBirth ?? '',
        exact ? '' : (record.dobEarliest ?? ''),
        exact ? '' : (record.dobLatest ?? ''),
        record.sex,
        record.nationality ?? '',
        record.identifiers.map((identifier) => `${identifier.type}:${identifier.value}`).join(';'),
        ...descriptionFields,
        ...extraColumns.map((column) => record.extra[column] ?? ''),
      ]),
    )
  }
  return lines.join('\n') + '\n'
}
