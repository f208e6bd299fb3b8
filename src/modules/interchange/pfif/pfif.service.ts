// PFIF 1.4 in and out. Export: the people an agency may disclose (its own records), with the fields it may
// disclose, each export a recorded disclosure to its recipient. Import: persons and notes from a tracing
// system into the importing agency's own records, updated on the next import by their record ids.
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/database.ts'
import type { Actor } from '../../access/actor.ts'
import { can } from '../../access/roles.ts'
import { requirePersonRead } from '../../access/access.service.ts'
import { recordAuditInChunks } from '../bulk.ts'
import { uuidv7 } from '../../../lib/ids.ts'
import { londonDateOf } from '../../../lib/dates.ts'
import { ForbiddenError, ValidationError } from '../../../lib/errors.ts'
import { DEFAULT_MAX_FILE_BYTES, decodeText, sha256, summarise, type IncomingFile } from '../files.ts'
import { fileIssue, FORMAT_RULE, REQUIRED_RULE, sortIssues, type Issue } from '../report.ts'
import { saveRun, type ImportResult } from '../import-run.service.ts'
import { lockImports } from '../import-run.repository.ts'
import { resolvePerson, type PersonDetails } from '../person-records.ts'
import { NOTE_REQUIRED, NOTE_STATUSES, parsePfif, PERSON_FIELDS, PERSON_REQUIRED, SEX_VALUES, writePfif, type NoteField, type ParsedRecord, type PfifNote, type PfifPerson } from './pfif.format.ts'
import * as repo from './pfif.repository.ts'

export interface PfifExportRequest {
  /** Which people: given ids, or every person with an open missing episode of the agency. */
  people: string[] | 'open'
  recipient: string
  /** The domain the record ids are minted in, e.g. lantern.kent.police.uk. */
  domain: string
}

export interface PfifExport {
  disclosureId: string
  document: string
  persons: number
  notes: number
  /** Fields left out for people whose location is restricted. */
  withheld: string[]
}

const isoSeconds = (instant: Date) => `${instant.toISOString().slice(0, 19)}Z`
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

/** Whole years between a date of birth and today. */
function ageOn(dob: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(dob.slice(0, 4))
  return today.slice(5) < dob.slice(5) ? years - 1 : years
}

/** The date of birth range as PFIF writes it: a day, a month, a year, or nothing. */
function pfifDateOfBirth(earliest: string | null, latest: string | null): string | undefined {
  if (!earliest || !latest) return undefined
  if (earliest === latest) return earliest
  if (earliest.slice(0, 7) === latest.slice(0, 7) && earliest.endsWith('-01')) return earliest.slice(0, 7)
  if (earliest.slice(0, 4) === latest.slice(0, 4) && earliest.endsWith('-01-01') && latest.endsWith('-12-31')) return earliest.slice(0, 4)
  return undefined
}

/** A PFIF date_of_birth (YYYY, YYYY-MM, YYYY-MM-DD) or age (N or N-M, at source_date) as Lantern's range. */
function dobRange(dateOfBirth: string | undefined, age: string | undefined, sourceDate: string): { earliest: string; latest: string; source: 'stated' | 'estimated' } | null | 'invalid' {
  if (dateOfBirth) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)) return { earliest: dateOfBirth, latest: dateOfBirth, source: 'stated' }
    if (/^\d{4}-\d{2}$/.test(dateOfBirth)) {
      const [year, month] = dateOfBirth.split('-').map(Number)
      const last = new Date(Date.UTC(year ?? 0, month ?? 1, 0)).toISOString().slice(0, 10)
      return { earliest: `${dateOfBirth}-01`, latest: last, source: 'estimated' }
    }
    if (/^\d{4}$/.test(dateOfBirth)) return { earliest: `${dateOfBirth}-01-01`, latest: `${dateOfBirth}-12-31`, source: 'estimated' }
    return 'invalid'
  }
  if (age) {
    const match = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(age)
    if (!match) return 'invalid'
    const low = Number(match[1])
    const high = Number(match[2] ?? match[1])
    if (high < low) return 'invalid'
    const on = sourceDate.slice(0, 10)
    const year = Number(on.slice(0, 4))
    // Aged `low` to `high` on that day: born after the day `high + 1` years before, and on or before `low` years before.
    const earliest = new Date(Date.UTC(year - high - 1, Number(on.slice(5, 7)) - 1, Number(on.slice(8, 10)) + 1)).toISOString().slice(0, 10)
    const latest = `${year - low}${on.slice(4)}`
    return { earliest, latest, source: 'estimated' }
  }
  return null
}

export function createPfifService(db: Kysely<Database>, options: { maxFileBytes?: number } = {}) {
  return {
    /**
     * A PFIF 1.4 document of the agency's own people, each read through the access checks as the owner: another
     * agency's record is not this agency's to disclose. A person whose location is restricted (flagged for
     * trafficking or exploitation) goes without anything that says where they were.
     */
    async exportPeople(actor: Actor, request: PfifExportRequest): Promise<PfifExport> {
      if (!can.workCases(actor)) throw new ForbiddenError('Your role cannot disclose records')
      if (request.recipient.trim() === '') throw new ValidationError([{ field: 'recipient', message: 'Say who receives the records (the tracing service)' }])
      if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(request.domain)) throw new ValidationError([{ field: 'domain', message: 'must be a domain name like lantern.kent.police.uk: PFIF record ids are minted in it' }])
      if (!actor.purpose) throw new ValidationError([{ field: 'purpose', message: 'Say why the records are disclosed' }])
      const ids = request.people === 'open' ? await repo.findOpenPeople(db, actor.agencyId) : [...new Set(request.people)]
      for (const id of ids) {
        const access = await requirePersonRead(db, actor, id)
        if (access.level !== 'owner') throw new ForbiddenError(`Person ${id} is another agency's record: only the agency that recorded a person may disclose it`)
      }
      const agency = await repo.findAgency(db, actor.agencyId)
      const people = await repo.findPeople(db, ids)
      const episodes = await repo.findEpisodes(db, actor.agencyId, ids)
      const today = londonDateOf(new Date())
      const now = new Date()
      const withheld = new Set<string>()
      const documentPeople = people.map((person) => {
        const given = person.names.filter((name) => name.kind === 'given').map((name) => name.transliteration ?? name.text).join(' ')
        const family = person.names.filter((name) => name.kind === 'family').map((name) => name.transliteration ?? name.text).join(' ')
        const full = person.names.find((name) => name.kind === 'full')
        const alternates = person.names.filter((name) => name.kind === 'alias' || name.kind === 'nickname').map((name) => name.text)
        const description = [
          person.height_cm ? `Height ${person.height_cm} cm` : null, person.build ? `build ${person.build}` : null, person.hair ? `hair ${person.hair}` : null,
          person.eyes ? `eyes ${person.eyes}` : null, person.distinguishing_marks ? `marks ${person.distinguishing_marks}` : null,
        ].filter(Boolean).join('; ')
        const personRecordId = `${request.domain}/person.${person.id}`
        const dob = pfifDateOfBirth(person.dob_earliest, person.dob_latest)
        const ages = person.dob_earliest && person.dob_latest ? [ageOn(person.dob_latest, today), ageOn(person.dob_earliest, today)] : null
        const pfifPerson: PfifPerson = {
          person_record_id: personRecordId,
          entry_date: isoSeconds(now),
          author_name: agency.name,
          author_email: agency.contact_email ?? undefined,
          author_phone: agency.contact_phone ?? undefined,
          source_name: 'Lantern',
          source_date: isoSeconds(person.updated_at),
          full_name: full?.text ?? [given, family].filter(Boolean).join(' ') ?? '',
          given_name: given || undefined,
          family_name: family || undefined,
          alternate_names: alternates.length > 0 ? alternates.join('\n') : undefined,
          description: description || undefined,
          sex: person.sex === 'male' || person.sex === 'female' ? person.sex : undefined,
          date_of_birth: dob,
          age: dob === undefined && ages ? (ages[0] === ages[1] ? String(ages[0]) : `${ages[0]}-${ages[1]}`) : undefined,
        }
        const notes: PfifNote[] = episodes
          .filter((episode) => episode.person_id === person.id)
          .map((episode) => {
            const restricted = person.restricted_location
            if (restricted && episode.last_seen_place) withheld.add('last_known_location')
            const status = episode.ended_at === null ? 'believed_missing' : episode.harm_outcome === 'found_dead' ? 'believed_dead' : 'believed_alive'
            return {
              note_record_id: `${request.domain}/note.${episode.id}`,
              person_record_id: personRecordId,
              entry_date: isoSeconds(now),
              author_name: agency.name,
              author_email: agency.contact_email ?? undefined,
              author_phone: agency.contact_phone ?? undefined,
              source_date: isoSeconds(episode.updated_at),
              status,
              last_known_location: restricted ? undefined : (episode.last_seen_place ?? undefined),
              text: episode.ended_at === null
                ? `Reported missing to ${agency.name}; last seen ${londonDateOf(episode.started_at)}. Contact ${agency.name} with any information.`
                : `Missing from ${londonDateOf(episode.started_at)}; ${status === 'believed_dead' ? 'found dead' : 'found or returned'} ${londonDateOf(episode.ended_at)}.`,
            }
          })
        return { person: pfifPerson, notes }
      })
      const document = writePfif(documentPeople)
      const disclosureId = uuidv7()
      await db.transaction().execute(async (trx) => {
        await repo.insertDisclosure(trx, {
          id: disclosureId,
          agency_id: actor.agencyId,
          actor_user_id: actor.userId,
          actor_token_id: actor.tokenId,
          format: 'pfif',
          recipient: request.recipient.trim(),
          purpose: actor.purpose ?? '',
          person_count: people.length,
          fields: [...PERSON_FIELDS.filter((field) => documentPeople.some(({ person }) => person[field] !== undefined)).map((field) => `person.${field}`), 'note.status', 'note.last_known_location', 'note.text'],
          sha256: sha256(Buffer.from(document)),
        })
        await recordAuditInChunks(
          trx,
          actor,
          people.map((person) => ({ action: 'DISCLOSE_RECORD', subjectPersonId: person.id, recordType: 'disclosure', recordId: disclosureId, detail: { format: 'pfif', recipient: request.recipient.trim() } })),
        )
      })
      return { disclosureId, document, persons: documentPeople.length, notes: documentPeople.reduce((sum, item) => sum + item.notes.length, 0), withheld: [...withheld] }
    },

    /** Persons and notes from a PFIF 1.4 document into the importing agency's own records. */
    async importDocument(actor: Actor, request: { files: IncomingFile[]; acceptValid?: boolean }): Promise<ImportResult> {
      if (!can.workCases(actor)) throw new ForbiddenError('Your role cannot import records')
      const [file, ...extra] = request.files
      if (!file || extra.length > 0) throw new ValidationError([{ field: 'files', message: 'Send one PFIF 1.4 XML file' }])
      const acceptValid = request.acceptValid ?? false
      const base = { id: uuidv7(), format: 'pfif' as const, collectionYear: null, acceptValid, startedAt: new Date() }
      const table = file.name
      const issues: Issue[] = []
      const refuse = (summary: Record<string, unknown>) =>
        db.transaction().execute((trx) => saveRun(trx, actor, { ...base, status: 'refused', files: [summarise(file, 'PFIF 1.4', 0)], summary }, sortIssues(issues)))
      const decoded = decodeText(file, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES)
      if ('issue' in decoded) {
        issues.push(decoded.issue)
        return refuse({})
      }
      const parsed = parsePfif(decoded.text)
      if (parsed.error) {
        issues.push(fileIssue(table, `The file is not a PFIF 1.4 document: ${parsed.error.message}`, parsed.error.line))
        return refuse({})
      }
      const problem = (record: ParsedRecord<object>, key: string | null, field: string, message: string, rule = FORMAT_RULE) => issues.push({ rule, message, table, line: record.line, field, key })
      const persons: { key: string; details: PersonDetails; record: ParsedRecord<PfifPerson> }[] = []
      for (const record of parsed.persons) {
        const fields = record.fields
        const key = fields.person_record_id ?? null
        for (const name of PERSON_REQUIRED) if (!fields[name]) problem(record, key, name, `${name} is required in a PFIF 1.4 person`, REQUIRED_RULE)
        for (const name of record.unknown) problem(record, key, name, `<pfif:${name}> is not a PFIF 1.4 person field`)
        if (fields.source_date && !UTC_INSTANT.test(fields.source_date)) problem(record, key, 'source_date', 'source_date must be UTC, like 2024-07-13T20:40:00Z')
        if (fields.sex && !(SEX_VALUES as readonly string[]).includes(fields.sex)) problem(record, key, 'sex', `sex must be one of ${SEX_VALUES.join(', ')}`)
        const range = dobRange(fields.date_of_birth, fields.age, fields.source_date ?? new Date().toISOString())
        if (range === 'invalid') problem(record, key, fields.date_of_birth ? 'date_of_birth' : 'age', 'date_of_birth must be YYYY, YYYY-MM or YYYY-MM-DD, and age a number or a range like 12-14')
        if (!key || issues.some((issue) => issue.key === key)) continue
        const given = fields.given_name ?? null
        const family = fields.family_name ?? null
        persons.push({
          key,
          record,
          details: {
            familyName: family,
            givenNames: given ?? (family ? null : (fields.full_name ?? null)),
            sex: fields.sex === 'male' || fields.sex === 'female' ? fields.sex : 'unknown',
            dobEarliest: range && range !== 'invalid' ? range.earliest : null,
            dobLatest: range && range !== 'invalid' ? range.latest : null,
            dobSource: range && range !== 'invalid' ? range.source : null,
            nationalities: [],
          },
        })
      }
      const personKeys = new Set(parsed.persons.map((record) => record.fields.person_record_id))
      for (const record of parsed.notes) {
        const fields = record.fields
        const key = fields.person_record_id ?? null
        for (const name of NOTE_REQUIRED) if (!fields[name]) problem(record, key, name, `${name} is required in a PFIF 1.4 note`, REQUIRED_RULE)
        for (const name of record.unknown) problem(record, key, name, `<pfif:${name}> is not a PFIF 1.4 note field`)
        if (!fields.person_record_id) problem(record, null, 'person_record_id', 'A note outside a person must name its person_record_id', REQUIRED_RULE)
        else if (!personKeys.has(fields.person_record_id)) problem(record, key, 'person_record_id', `The note is about ${fields.person_record_id}, which is not in this document`)
        if (fields.source_date && !UTC_INSTANT.test(fields.source_date)) problem(record, key, 'source_date', 'source_date must be UTC, like 2024-07-13T20:40:00Z')
        if (fields.status && !(NOTE_STATUSES as readonly string[]).includes(fields.status)) problem(record, key, 'status', `status must be one of ${NOTE_STATUSES.join(', ')}`)
        if (fields.author_made_contact && !['true', 'false'].includes(fields.author_made_contact)) problem(record, key, 'author_made_contact', 'author_made_contact must be true or false')
      }
      const leftOut = new Set(issues.map((issue) => issue.key).filter((key): key is string => key !== null))
      if ((issues.length > 0 && !acceptValid) || issues.some((issue) => issue.key === null && issue.rule === 'FILE')) return refuse({ persons: parsed.persons.length, notes: parsed.notes.length })
      const good = persons.filter((person) => !leftOut.has(person.key))
      if (good.length === 0 && issues.length > 0) return refuse({ persons: parsed.persons.length, notes: parsed.notes.length })
      const leftOutList = [...leftOut].sort()
      return db.transaction().execute(async (trx) => {
        await lockImports(trx, actor.agencyId, 'pfif')
        const summary = { persons: parsed.persons.length, notes: parsed.notes.length, personsCreated: 0, personsUpdated: 0, notesCreated: 0, notesUpdated: 0, leftOut: leftOutList }
        const run = await saveRun(trx, actor, { ...base, status: issues.length > 0 ? 'imported_in_part' : 'imported', files: [summarise(file, 'PFIF 1.4', parsed.persons.length)], summary }, sortIssues(issues))
        const audits: { personId: string; created: boolean }[] = []
        for (const person of good) {
          const resolved = await resolvePerson(trx, actor, { format: 'pfif', sourceKey: person.key, identifiers: [], runId: run.id }, person.details)
          let changed = resolved.changed
          if (resolved.created) summary.personsCreated += 1
          for (const note of parsed.notes.filter((candidate) => candidate.fields.person_record_id === person.key)) {
            const values = noteValues(note.fields)
            const existing = await repo.findNote(trx, resolved.personId, values.note_record_id)
            if (!existing) {
              await repo.insertNote(trx, { id: uuidv7(), person_id: resolved.personId, import_run_id: run.id, ...values })
              summary.notesCreated += 1
              changed = true
            } else if (JSON.stringify(noteValues(noteFieldsOf(existing))) !== JSON.stringify(values)) {
              await repo.updateNote(trx, existing.id, { import_run_id: run.id, ...values })
              summary.notesUpdated += 1
              changed = true
            }
          }
          if (!resolved.created && changed) summary.personsUpdated += 1
          if (resolved.created || changed) audits.push({ personId: resolved.personId, created: resolved.created })
        }
        await recordAuditInChunks(trx, actor, audits.map(({ personId, created }) => ({ action: created ? 'IMPORT_PERSON' : 'REIMPORT_PERSON', subjectPersonId: personId, recordType: 'import_run', recordId: run.id, detail: { format: 'pfif' } })))
        await trx.updateTable('import_run').set({ summary: JSON.stringify(summary) }).where('id', '=', run.id).execute()
        return { ...run, summary }
      })
    },
  }
}

function noteValues(fields: Partial<Record<NoteField, string>>) {
  return {
    note_record_id: fields.note_record_id ?? '',
    linked_person_record_id: fields.linked_person_record_id ?? null,
    entry_date: fields.entry_date ? new Date(fields.entry_date) : null,
    author_name: fields.author_name ?? '',
    author_email: fields.author_email ?? null,
    author_phone: fields.author_phone ?? null,
    source_date: new Date(fields.source_date ?? 0),
    status: fields.status || null,
    author_made_contact: fields.author_made_contact === undefined ? null : fields.author_made_contact === 'true',
    email_of_found_person: fields.email_of_found_person ?? null,
    phone_of_found_person: fields.phone_of_found_person ?? null,
    last_known_location: fields.last_known_location ?? null,
    text: fields.text ?? '',
    photo_url: fields.photo_url ?? null,
  }
}

function noteFieldsOf(row: NonNullable<Awaited<ReturnType<typeof repo.findNote>>>): Partial<Record<NoteField, string>> {
  const fields: Partial<Record<NoteField, string>> = {
    note_record_id: row.note_record_id,
    author_name: row.author_name,
    source_date: row.source_date.toISOString(),
    text: row.text,
  }
  if (row.linked_person_record_id) fields.linked_person_record_id = row.linked_person_record_id
  if (row.entry_date) fields.entry_date = row.entry_date.toISOString()
  if (row.author_email) fields.author_email = row.author_email
  if (row.author_phone) fields.author_phone = row.author_phone
  if (row.status) fields.status = row.status
  if (row.author_made_contact !== null) fields.author_made_contact = String(row.author_made_contact)
  if (row.email_of_found_person) fields.email_of_found_person = row.email_of_found_person
  if (row.phone_of_found_person) fields.phone_of_found_person = row.phone_of_found_person
  if (row.last_known_location) fields.last_known_location = row.last_known_location
  if (row.photo_url) fields.photo_url = row.photo_url
  return fields
}

export type PfifService = ReturnType<typeof createPfifService>
