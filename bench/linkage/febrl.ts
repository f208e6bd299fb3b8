// FEBRL files (comma and space separated, YYYYMMDD dates) as person records, with the address columns
// kept as further columns for the FEBRL model's comparisons.
import { readFileSync } from 'node:fs'
import { parseCsv } from '../../src/lib/csv.ts'
import type { PersonRecord } from '../../src/linkage/person-record.ts'
import { isIsoDate } from '../../src/lib/dates.ts'

export const FEBRL_EXTRA_COLUMNS = ['street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state']

export function readFebrl(path: string): PersonRecord[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'))
  if (!header) throw new Error(`${path} is empty`)
  const names = header.map((name) => name.trim())
  return rows.map((row) => {
    const field = (name: string) => (row[names.indexOf(name)] ?? '').trim()
    const raw = field('date_of_birth')
    const iso = raw.length === 8 ? `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}` : ''
    const date = isIsoDate(iso) ? iso : null
    const ssn = field('soc_sec_id')
    return {
      recordId: field('rec_id'),
      source: '',
      givenNames: field('given_name'),
      familyName: field('surname'),
      otherNames: [],
      dateOfBirth: date,
      dobEarliest: date,
      dobLatest: date,
      sex: 'U',
      nationality: null,
      identifiers: ssn ? [{ type: 'ssn', value: ssn }] : [],
      extra: Object.fromEntries(FEBRL_EXTRA_COLUMNS.map((column) => [column, field(column)])),
    }
  })
}

/** The person a FEBRL record stands for: rec-<n>-org and rec-<n>-dup-<k> are one person. */
export const febrlEntity = (recordId: string): string => recordId.replace(/-(org|dup-\d+)$/, '')
