import type { Kysely } from 'kysely'
import type { Database, RowUpdate } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can } from '../access/roles.ts'
import { requirePersonRead, requirePersonWrite, type PersonAccessLevel } from '../access/access.service.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { recordEvent } from '../events/events.service.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { matchableForm } from '../../lib/names.ts'
import { londonDateOf } from '../../lib/dates.ts'
import { pageWindow, type Page, type PageRequest } from '../../lib/pagination.ts'
import { parseInput } from '../../lib/schema.ts'
import { ForbiddenError, NotFoundError, StaleVersionError, ValidationError, type FieldError } from '../../lib/errors.ts'
import { PersonInput, PersonUpdateInput, PhotoInput } from './people.schemas.ts'
import type { DOB_SOURCES, IDENTIFIER_KINDS, NAME_KINDS, SEXES } from './people.schemas.ts'
import * as repo from './people.repository.ts'

export interface PersonName {
  kind: (typeof NAME_KINDS)[number]
  text: string
  script: string
  transliteration: string | null
}

export interface DateOfBirth {
  earliest: string | null
  latest: string | null
  source: (typeof DOB_SOURCES)[number] | null
}

export interface Person {
  id: string
  owningAgencyId: string
  access: PersonAccessLevel
  names: PersonName[]
  sex: (typeof SEXES)[number]
  dateOfBirth: DateOfBirth | null
  ageDisputed: boolean
  ethnicity: string | null
  nationalities: string[]
  languages: string[]
  description: {
    heightCm: number | null
    build: string | null
    hair: string | null
    eyes: string | null
    distinguishingMarks: string | null
    notes: string | null
  }
  /** `suspectedTraffickingSince`: the day suspicion began, null exactly when not suspected (docs/adr/0014). */
  flags: { unaccompanied: boolean; suspectedTrafficking: boolean; suspectedTraffickingSince: string | null; restrictedLocation: boolean }
  identifiers: { kind: (typeof IDENTIFIER_KINDS)[number]; value: string }[]
  photos: { id: string; contentType: string; takenOn: string | null; caption: string | null }[]
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface PersonSummary {
  id: string
  names: PersonName[]
  sex: Person['sex']
  dateOfBirth: DateOfBirth | null
  flags: Person['flags']
  version: number
  updatedAt: Date
}

/** The largest photo accepted (the API's base64 limit allows for it). */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024

function dateOfBirthOf(row: { dob_earliest: string | null; dob_latest: string | null; dob_source: string | null }): DateOfBirth | null {
  if (row.dob_earliest === null && row.dob_latest === null) return null
  return { earliest: row.dob_earliest, latest: row.dob_latest, source: row.dob_source as DateOfBirth['source'] }
}

function toPerson(row: repo.PersonDetailRow, access: PersonAccessLevel): Person {
  return {
    id: row.id,
    owningAgencyId: row.owning_agency_id,
    access,
    names: row.names as PersonName[],
    sex: row.sex as Person['sex'],
    dateOfBirth: dateOfBirthOf(row),
    ageDisputed: row.age_disputed,
    ethnicity: row.ethnicity,
    nationalities: row.nationalities,
    languages: row.languages,
    description: {
      heightCm: row.height_cm,
      build: row.build,
      hair: row.hair,
      eyes: row.eyes,
      distinguishingMarks: row.distinguishing_marks,
      notes: row.description_notes,
    },
    flags: {
      unaccompanied: row.unaccompanied,
      suspectedTrafficking: row.suspected_trafficking,
      suspectedTraffickingSince: row.suspected_trafficking_since,
      restrictedLocation: row.restricted_location,
    },
    identifiers: row.identifiers as Person['identifiers'],
    photos: row.photos.map((photo) => ({
      id: photo.id,
      contentType: photo.content_type,
      takenOn: photo.taken_on,
      caption: photo.caption,
    })),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** Cross-field rules the schema cannot say. */
function checkPersonRules(input: { dateOfBirth?: PersonInput['dateOfBirth'] }, today: string): FieldError[] {
  const errors: FieldError[] = []
  const dob = input.dateOfBirth
  if (dob) {
    if (dob.earliest > dob.latest) errors.push({ field: 'dateOfBirth/latest', message: 'The latest date of birth must not be before the earliest' })
    if (dob.latest > today) errors.push({ field: 'dateOfBirth/latest', message: 'The date of birth must not be in the future' })
    if (dob.source === 'stated' || dob.source === 'documented') {
      if (dob.earliest !== dob.latest)
        errors.push({ field: 'dateOfBirth/latest', message: `A ${dob.source} date of birth is one day: earliest and latest must be the same` })
    }
  }
  return errors
}

/**
 * The day suspicion of trafficking began (docs/adr/0014): kept while the flag stays on, the given day or today when
 * it is turned on, cleared when it is turned off. `current` is the record before the change (none when creating).
 */
function suspicionSince(
  flags: { suspectedTrafficking?: boolean; suspectedTraffickingSince?: string } | undefined,
  current: { suspected_trafficking: boolean; suspected_trafficking_since: string | null } | null,
  today: string,
): { since: string | null | undefined; errors: FieldError[] } {
  const suspected = flags?.suspectedTrafficking ?? current?.suspected_trafficking ?? false
  const given = flags?.suspectedTraffickingSince
  const errors: FieldError[] = []
  if (given !== undefined && !suspected) errors.push({ field: 'flags/suspectedTraffickingSince', message: 'A day suspicion began needs suspectedTrafficking to be true' })
  if (given !== undefined && given > today) errors.push({ field: 'flags/suspectedTraffickingSince', message: 'The day suspicion began must not be in the future' })
  if (!suspected) return { since: current?.suspected_trafficking ? null : undefined, errors }
  if (given !== undefined) return { since: given, errors }
  return { since: current?.suspected_trafficking ? undefined : today, errors }
}

function nameRows(personId: string, names: PersonInput['names']): repo.NameRow[] {
  return names.map((name, position) => ({
    id: uuidv7(),
    person_id: personId,
    position,
    kind: name.kind,
    text: name.text.trim(),
    script: name.script ?? 'Latn',
    transliteration: name.transliteration?.trim() || null,
    folded: matchableForm({ text: name.text, transliteration: name.transliteration ?? null }),
  }))
}

function identifierRows(personId: string, identifiers: NonNullable<PersonInput['identifiers']>, agencyId: string) {
  return identifiers.map((identifier) => ({
    id: uuidv7(),
    person_id: personId,
    kind: identifier.kind,
    value: identifier.value.trim(),
    issuing_agency_id: agencyId,
  }))
}

function personColumns(input: Partial<PersonInput>): RowUpdate<'person'> {
  const columns: RowUpdate<'person'> = {}
  if (input.sex !== undefined) columns.sex = input.sex
  if (input.dateOfBirth !== undefined) {
    columns.dob_earliest = input.dateOfBirth?.earliest ?? null
    columns.dob_latest = input.dateOfBirth?.latest ?? null
    columns.dob_source = input.dateOfBirth?.source ?? null
  }
  if (input.ageDisputed !== undefined) columns.age_disputed = input.ageDisputed
  if (input.ethnicity !== undefined) columns.ethnicity = input.ethnicity
  if (input.nationalities !== undefined) columns.nationalities = input.nationalities
  if (input.languages !== undefined) columns.languages = input.languages
  const description = input.description
  if (description) {
    if (description.heightCm !== undefined) columns.height_cm = description.heightCm
    if (description.build !== undefined) columns.build = description.build
    if (description.hair !== undefined) columns.hair = description.hair
    if (description.eyes !== undefined) columns.eyes = description.eyes
    if (description.distinguishingMarks !== undefined) columns.distinguishing_marks = description.distinguishingMarks
    if (description.notes !== undefined) columns.description_notes = description.notes
  }
  const flags = input.flags
  if (flags) {
    if (flags.unaccompanied !== undefined) columns.unaccompanied = flags.unaccompanied
    if (flags.suspectedTrafficking !== undefined) columns.suspected_trafficking = flags.suspectedTrafficking
    if (flags.restrictedLocation !== undefined) columns.restricted_location = flags.restrictedLocation
  }
  return columns
}

export function createPeopleService(db: Kysely<Database>) {
  async function readPerson(trx: Kysely<Database>, id: string, access: PersonAccessLevel): Promise<Person> {
    const row = await repo.findPersonDetail(trx, id)
    if (!row) throw new NotFoundError('Person')
    return toPerson(row, access)
  }

  return {
    async create(actor: Actor, rawInput: PersonInput): Promise<Person> {
      if (!can.workCases(actor)) throw new ForbiddenError('Your role cannot record people')
      const input = parseInput(PersonInput, rawInput)
      const today = londonDateOf(new Date())
      const suspicion = suspicionSince(input.flags, null, today)
      const errors = [...checkPersonRules(input, today), ...suspicion.errors]
      if (errors.length > 0) throw new ValidationError(errors)
      const id = uuidv7()
      return db.transaction().execute(async (trx) => {
        await repo.insertPerson(trx, {
          id,
          owning_agency_id: actor.agencyId,
          sex: input.sex,
          created_by_user_id: actor.userId,
          ...personColumns(input),
          suspected_trafficking_since: suspicion.since ?? null,
        })
        await repo.replaceNames(trx, id, nameRows(id, input.names))
        await repo.replaceIdentifiers(trx, id, identifierRows(id, input.identifiers ?? [], actor.agencyId))
        await recordAudit(trx, actor, [{ action: 'CREATE_PERSON', subjectPersonId: id, recordType: 'person', recordId: id }])
        await recordEvent(trx, { type: 'person.recorded', actor, personId: id })
        return readPerson(trx, id, 'owner')
      })
    },

    /** One person's record; every read is audited as a consultation before the record is returned. */
    async get(actor: Actor, id: string): Promise<Person> {
      const access = await requirePersonRead(db, actor, id)
      const person = await readPerson(db, id, access.level)
      await recordAudit(db, actor, [
        { action: 'VIEW_PERSON', subjectPersonId: id, recordType: 'person', recordId: id, detail: { access: access.level } },
      ])
      return person
    },

    async update(actor: Actor, id: string, rawInput: PersonUpdateInput): Promise<Person> {
      const input = parseInput(PersonUpdateInput, rawInput)
      const today = londonDateOf(new Date())
      const errors = checkPersonRules(input, today)
      if (errors.length > 0) throw new ValidationError(errors)
      return db.transaction().execute(async (trx) => {
        await requirePersonWrite(trx, actor, id)
        const current = await repo.lockPerson(trx, id)
        if (!current) throw new NotFoundError('Person')
        if (current.version !== input.version) throw new StaleVersionError('The person record', current.version)
        const suspicion = suspicionSince(input.flags, current, today)
        if (suspicion.errors.length > 0) throw new ValidationError(suspicion.errors)
        if (input.dateOfBirth) {
          // SSDA903 rule 586: nothing starts on or before the date of birth.
          const earliestEvent = await repo.earliestEventDate(trx, id)
          if (earliestEvent !== null && earliestEvent <= input.dateOfBirth.earliest) {
            throw new ValidationError([
              { field: 'dateOfBirth/earliest', message: `The person has an episode starting ${earliestEvent}: the date of birth must be before it` },
            ])
          }
        }
        const columns = personColumns(input)
        if (suspicion.since !== undefined) columns.suspected_trafficking_since = suspicion.since
        await repo.updatePersonVersioned(trx, id, input.version, columns)
        if (input.names) await repo.replaceNames(trx, id, nameRows(id, input.names))
        if (input.identifiers) await repo.replaceIdentifiers(trx, id, identifierRows(id, input.identifiers, actor.agencyId))
        await recordAudit(trx, actor, [
          { action: 'UPDATE_PERSON', subjectPersonId: id, recordType: 'person', recordId: id, detail: { fields: Object.keys(input).filter((key) => key !== 'version') } },
        ])
        await recordEvent(trx, { type: 'person.updated', actor, personId: id, payload: { fields: Object.keys(input).filter((key) => key !== 'version') } })
        return readPerson(trx, id, 'owner')
      })
    },

    /** The owning agency's people, newest change first, optionally filtered by a name or its sound. */
    async list(actor: Actor, query: Partial<PageRequest> & { name?: string }): Promise<Page<PersonSummary>> {
      if (!can.workCases(actor)) throw new ForbiddenError('Your role cannot list people')
      const window = pageWindow(query)
      const name = query.name?.trim() ? matchableForm({ text: query.name, transliteration: null }) : null
      const [rows, total] = await Promise.all([
        repo.listPeopleOfAgency(db, actor.agencyId, name, window),
        repo.countPeopleOfAgency(db, actor.agencyId, name),
      ])
      await recordAudit(
        db,
        actor,
        rows.map((row) => ({ action: 'LIST_PEOPLE' as const, subjectPersonId: row.id, recordType: 'person' as const, recordId: row.id })),
      )
      return {
        page: window.page,
        pageSize: window.pageSize,
        total,
        items: rows.map((row) => ({
          id: row.id,
          names: row.names as PersonName[],
          sex: row.sex as Person['sex'],
          dateOfBirth: dateOfBirthOf(row),
          flags: {
            unaccompanied: row.unaccompanied,
            suspectedTrafficking: row.suspected_trafficking,
            suspectedTraffickingSince: row.suspected_trafficking_since,
            restrictedLocation: row.restricted_location,
          },
          version: row.version,
          updatedAt: row.updated_at,
        })),
      }
    },

    /** Erasure removes the record and everything recorded about the person; the audit trail stays. */
    async erase(actor: Actor, id: string, version: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await requirePersonWrite(trx, actor, id)
        const current = await repo.lockPerson(trx, id)
        if (!current) throw new NotFoundError('Person')
        if (current.version !== version) throw new StaleVersionError('The person record', current.version)
        // Told before the record goes, while its readers can still be worked out.
        await recordEvent(trx, { type: 'person.erased', actor, personId: id })
        await repo.deletePerson(trx, id)
        await recordAudit(trx, actor, [{ action: 'ERASE_PERSON', subjectPersonId: id, recordType: 'person', recordId: id }])
      })
    },

    async addPhoto(actor: Actor, personId: string, rawInput: PhotoInput): Promise<{ id: string }> {
      const input = parseInput(PhotoInput, rawInput)
      const bytes = Buffer.from(input.dataBase64, 'base64')
      const errors: FieldError[] = []
      if (bytes.length === 0 || bytes.length > MAX_PHOTO_BYTES) errors.push({ field: 'dataBase64', message: 'The photo must be between 1 byte and 2 MB' })
      else if (!looksLike(input.contentType, bytes)) errors.push({ field: 'dataBase64', message: `The file is not a ${input.contentType} image` })
      if (errors.length > 0) throw new ValidationError(errors)
      const id = uuidv7()
      await db.transaction().execute(async (trx) => {
        await requirePersonWrite(trx, actor, personId)
        await repo.insertPhoto(trx, {
          id,
          person_id: personId,
          content_type: input.contentType,
          bytes,
          taken_on: input.takenOn ?? null,
          caption: input.caption ?? null,
        })
        await repo.bumpPersonVersion(trx, personId)
        await recordAudit(trx, actor, [{ action: 'ADD_PHOTO', subjectPersonId: personId, recordType: 'photo', recordId: id }])
      })
      return { id }
    },

    async getPhoto(actor: Actor, personId: string, photoId: string): Promise<{ contentType: string; bytes: Uint8Array }> {
      await requirePersonRead(db, actor, personId)
      const photo = await repo.findPhoto(db, personId, photoId)
      if (!photo) throw new NotFoundError('Photo')
      await recordAudit(db, actor, [{ action: 'VIEW_PHOTO', subjectPersonId: personId, recordType: 'photo', recordId: photoId }])
      return { contentType: photo.content_type, bytes: photo.bytes }
    },
  }
}

/** The first bytes of the file must say what the content type claims. */
function looksLike(contentType: string, bytes: Buffer): boolean {
  if (contentType === 'image/jpeg') return bytes[0] === 0xff && bytes[1] === 0xd8
  if (contentType === 'image/png') return bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  return bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP'
}

export type PeopleService = ReturnType<typeof createPeopleService>
