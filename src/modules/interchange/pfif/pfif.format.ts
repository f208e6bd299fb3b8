// PFIF 1.4, the People Finder Interchange Format (http://zesty.ca/pfif/1.4/), as humanitarian tracing
// systems exchange it: the field lists in the specification's order, reading with line numbers, writing.
import { SaxesParser } from 'saxes'

export const PFIF_NAMESPACE = 'http://zesty.ca/pfif/1.4'

/** The fields of <pfif:person>, in PFIF 1.4 order. */
export const PERSON_FIELDS = [
  'person_record_id', 'entry_date', 'expiry_date', 'author_name', 'author_email', 'author_phone', 'source_name', 'source_date', 'source_url',
  'full_name', 'given_name', 'family_name', 'alternate_names', 'description', 'sex', 'date_of_birth', 'age', 'home_street', 'home_neighborhood',
  'home_city', 'home_state', 'home_postal_code', 'home_country', 'photo_url', 'profile_urls',
] as const
export const PERSON_REQUIRED = ['person_record_id', 'source_date', 'full_name'] as const

/** The fields of <pfif:note>, in PFIF 1.4 order. */
export const NOTE_FIELDS = [
  'note_record_id', 'person_record_id', 'linked_person_record_id', 'entry_date', 'author_name', 'author_email', 'author_phone', 'source_date',
  'author_made_contact', 'status', 'email_of_found_person', 'phone_of_found_person', 'last_known_location', 'text', 'photo_url',
] as const
export const NOTE_REQUIRED = ['note_record_id', 'author_name', 'source_date'] as const

export const SEX_VALUES = ['female', 'male', 'other'] as const
export const NOTE_STATUSES = ['information_sought', 'is_note_author', 'believed_alive', 'believed_missing', 'believed_dead'] as const

export type PersonField = (typeof PERSON_FIELDS)[number]
export type NoteField = (typeof NOTE_FIELDS)[number]
export type PfifPerson = Partial<Record<PersonField, string>>
export type PfifNote = Partial<Record<NoteField, string>>

export interface ParsedRecord<T> {
  line: number
  fields: T
  unknown: string[]
}

export interface ParsedPfif {
  persons: ParsedRecord<PfifPerson>[]
  notes: ParsedRecord<PfifNote>[]
  error: { message: string; line: number } | null
}

/** Reads a PFIF 1.4 document; notes inside a person take its person_record_id. Other namespaces are extensions, ignored. */
export function parsePfif(text: string): ParsedPfif {
  const result: ParsedPfif = { persons: [], notes: [], error: null }
  const parser = new SaxesParser({ xmlns: true, position: true })
  let person: ParsedRecord<PfifPerson> | null = null
  let note: ParsedRecord<PfifNote> | null = null
  let enclosed: ParsedRecord<PfifNote>[] = []
  let field: string | null = null
  let value = ''
  let depth = 0
  let rootSeen = false
  parser.on('error', (error) => {
    result.error ??= { message: error.message.replace(/^.*?:\d+:\d+: /, ''), line: parser.line }
  })
  parser.on('opentag', (tag) => {
    depth += 1
    const ours = tag.uri === PFIF_NAMESPACE
    if (depth === 1) {
      rootSeen = true
      if (!ours || tag.local !== 'pfif') result.error ??= { message: `The root is <${tag.name}> in ${tag.uri || 'no namespace'}: a PFIF 1.4 document is <pfif:pfif xmlns:pfif="${PFIF_NAMESPACE}">`, line: parser.line }
      return
    }
    if (!ours) return
    if (tag.local === 'person' && depth === 2) {
      person = { line: parser.line, fields: {}, unknown: [] }
      enclosed = []
    } else if (tag.local === 'note' && (depth === 2 || (depth === 3 && person))) {
      note = { line: parser.line, fields: {}, unknown: [] }
    } else if (note || person) {
      field = tag.local
      value = ''
    }
  })
  parser.on('text', (text) => {
    if (field) value += text
  })
  parser.on('closetag', (tag) => {
    depth -= 1
    if (tag.uri !== PFIF_NAMESPACE) return
    if (field && tag.local === field) {
      const trimmed = value.trim()
      if (note) {
        if ((NOTE_FIELDS as readonly string[]).includes(field)) note.fields[field as NoteField] = trimmed
        else note.unknown.push(field)
      } else if (person) {
        if ((PERSON_FIELDS as readonly string[]).includes(field)) person.fields[field as PersonField] = trimmed
        else person.unknown.push(field)
      }
      field = null
      return
    }
    if (tag.local === 'note' && note) {
      result.notes.push(note)
      if (person) enclosed.push(note)
      note = null
    } else if (tag.local === 'person' && person) {
      for (const inner of enclosed) inner.fields.person_record_id ??= person.fields.person_record_id
      result.persons.push(person)
      person = null
    }
  })
  try {
    parser.write(text).close()
  } catch {
    // reported by the error handler
  }
  if (!rootSeen && !result.error) result.error = { message: 'The file has no XML element', line: 1 }
  return result
}

const escape = (text: string) => text.replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD]/gu, '').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

function element(name: string, value: string | undefined, indent: string): string {
  return value === undefined || value === '' ? '' : `${indent}<pfif:${name}>${escape(value)}</pfif:${name}>\n`
}

/** Writes a PFIF 1.4 document: each person with its notes inside, fields in the specification's order. */
export function writePfif(persons: { person: PfifPerson; notes: PfifNote[] }[]): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<pfif:pfif xmlns:pfif="${PFIF_NAMESPACE}">\n`
  for (const { person, notes } of persons) {
    out += '  <pfif:person>\n'
    for (const name of PERSON_FIELDS) out += element(name, person[name], '    ')
    for (const note of notes) {
      out += '    <pfif:note>\n'
      for (const name of NOTE_FIELDS) out += element(name, note[name], '      ')
      out += '    </pfif:note>\n'
    }
    out += '  </pfif:person>\n'
  }
  return `${out}</pfif:pfif>\n`
}
