// SSDA903 import: read the return, check it with DfE's rules and against what Lantern holds, then write it
// in one transaction, or nothing. Children become (or are matched to) the authority's person records by
// CHILD; episodes become care episodes; Missing rows become M and A missing episodes. Importing the same
// year again updates what the earlier import made (docs/adr/0015).
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/database.ts'
import type { Actor } from '../../access/actor.ts'
import type { AuditEntry } from '../../audit/audit.actions.ts'
import { createAgenciesService } from '../../agencies/agencies.service.ts'
import { placementGeography } from '../../agencies/geography.ts'
import { uuidv7 } from '../../../lib/ids.ts'
import { TtlCache } from '../../../lib/ttl-cache.ts'
import { londonDateOf, startOfLondonDay } from '../../../lib/dates.ts'
import { NotFoundError, ValidationError } from '../../../lib/errors.ts'
import { DEFAULT_MAX_FILE_BYTES, type IncomingFile } from '../files.ts'
import { deleteByIds, insertRows, recordAuditInChunks, updateRows, type Cell, type Columns } from '../bulk.ts'
import { isFileIssue, LANTERN_RULE, sortIssues, type Issue } from '../report.ts'
import { requireImporter, saveRun, type ImportResult, type RunStatus } from '../import-run.service.ts'
import { lockImports } from '../import-run.repository.ts'
import { collectionWindow, FIRST_YEAR, LAST_YEAR } from './ssda903.codes.ts'
import { childrenOf, readReturn, type ChildReturn, type EpisodeOfCare, type MissingPeriod, type ReadReturn } from './ssda903.read.ts'
import { validateReturn } from './ssda903.validate.ts'
import * as repo from './ssda903.repository.ts'

export interface Ssda903ImportRequest {
  /** The local authority's code (ONS, e.g. E10000016). */
  la: string
  /** The collection year, named by the year it ends: 2025 is April 2024 to March 2025. */
  year: number
  files: IncomingFile[]
  /** Import the children with no problem, leave out the others and list them. */
  acceptValid?: boolean
  /** Told how far the import has got: phase, done, total. */
  onProgress?: (phase: string, done: number, total: number) => void
}

export interface Ssda903ImportOptions {
  maxFileBytes?: number
}

type CareRow = Awaited<ReturnType<typeof repo.findCareEpisodes>>[number]
type MissingRow = Awaited<ReturnType<typeof repo.findMissingEpisodes>>[number]
type ReturnRow = Awaited<ReturnType<typeof repo.findReturnChildren>>[number]

interface Counts {
  created: number
  updated: number
  removed: number
  unchanged: number
}

const zero = (): Counts => ({ created: 0, updated: 0, removed: 0, unchanged: 0 })

const CARE_COLUMNS: Columns = {
  id: 'uuid', person_id: 'uuid', responsible_agency_id: 'uuid', started_on: 'date', reason_for_new_episode: 'text', legal_status: 'text',
  category_of_need: 'text', placement_type: 'text', placement_provider: 'text', ended_on: 'date', reason_ended: 'text',
  reason_for_placement_change: 'text', home_postcode: 'text', placement_postcode: 'text', provider_urn: 'text', host_agency_id: 'uuid',
  placement_district_code: 'text', distance_miles: 'numeric', out_of_area: 'boolean', over_20_miles: 'boolean', created_by_user_id: 'uuid',
}
const CARE_UPDATE_COLUMNS: Columns = Object.fromEntries(Object.entries(CARE_COLUMNS).filter(([name]) => !['person_id', 'responsible_agency_id', 'created_by_user_id'].includes(name)))
const MISSING_COLUMNS: Columns = {
  id: 'uuid', person_id: 'uuid', owning_agency_id: 'uuid', recorded_by: 'text', started_at: 'timestamptz', ended_at: 'timestamptz',
  la_category: 'text', continues_episode_id: 'uuid', created_by_user_id: 'uuid',
}
const PERSON_COLUMNS: Columns = {
  id: 'uuid', owning_agency_id: 'uuid', sex: 'text', dob_earliest: 'date', dob_latest: 'date', dob_source: 'text', ethnicity: 'text',
  unaccompanied: 'boolean', created_by_user_id: 'uuid',
}

/** The fields of a care episode that the return speaks for, as stored. */
function careCells(episode: EpisodeOfCare, geography: Record<string, Cell>): Record<string, Cell> {
  return {
    started_on: episode.startedOn,
    reason_for_new_episode: episode.reasonForNewEpisode,
    legal_status: episode.legalStatus,
    category_of_need: episode.categoryOfNeed,
    placement_type: episode.placementType,
    placement_provider: episode.placementProvider,
    ended_on: episode.endedOn,
    reason_ended: episode.reasonEnded,
    reason_for_placement_change: episode.reasonForPlacementChange,
    home_postcode: episode.homePostcode,
    placement_postcode: episode.placementPostcode,
    provider_urn: episode.providerUrn,
    ...geography,
  }
}

function sameCare(row: CareRow, cells: Record<string, Cell>): boolean {
  return Object.entries(cells).every(([column, value]) => {
    const current = row[column as keyof CareRow]
    if (column === 'distance_miles') return (current === null ? null : Number(current)) === value
    return (current ?? null) === value
  })
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index])
}

function sameReturnRow(row: ReturnRow, next: Plan['returnRows'][number]): boolean {
  return (
    row.person_id === next.person_id && sameIds(row.care_episode_ids, next.care_episode_ids) && sameIds(row.missing_episode_ids, next.missing_episode_ids) &&
    (row.mother ?? null) === next.mother && (row.mother_child_dob ?? null) === next.mother_child_dob && (row.uasc_ceased_on ?? null) === next.uasc_ceased_on
  )
}

/**
 * London's day boundaries, worked out once per date: a return's hundreds of thousands of dates are a few
 * hundred distinct days, and each conversion goes through the time-zone database.
 */
function londonDays() {
  const starts = new Map<string, number>()
  const dates = new Map<number, string>()
  return {
    startOf(isoDate: string): Date {
      let ms = starts.get(isoDate)
      if (ms === undefined) {
        ms = startOfLondonDay(isoDate).getTime()
        starts.set(isoDate, ms)
      }
      return new Date(ms)
    },
    dateOf(instant: Date): string {
      const ms = instant.getTime()
      let date = dates.get(ms)
      if (date === undefined) {
        date = londonDateOf(instant)
        dates.set(ms, date)
      }
      return date
    },
  }
}

/** Keys that match a return's rows to records: the start date, and the how-manieth on that day. */
function keyed<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T> {
  const counts = new Map<string, number>()
  const result = new Map<string, T>()
  for (const item of items) {
    const base = keyOf(item)
    const n = counts.get(base) ?? 0
    counts.set(base, n + 1)
    result.set(`${base}#${n}`, item)
  }
  return result
}

/** [start, end) in milliseconds, an open end running for ever; touching is not overlapping. */
function overlaps(a: { start: number; end: number | null }, b: { start: number; end: number | null }): boolean {
  if (a.end === null && b.end === null) return true
  return a.start < (b.end ?? Infinity) && b.start < (a.end ?? Infinity)
}

export function createSsda903ImportService(db: Kysely<Database>, options: Ssda903ImportOptions = {}) {
  const agencies = createAgenciesService(db)
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES

  // Agencies are reference data that changes a few times a year: a national year of returns looks the same
  // 150 host authorities up over and over, so they are kept for a minute.
  const agencyCache = new TtlCache<Awaited<ReturnType<typeof agencies.findByCode>>>(60_000, 1_000)
  async function agencyByCode(code: string) {
    if (agencyCache.get(code) === undefined) agencyCache.set(code, await agencies.findByCode(code))
    return agencyCache.get(code) ?? null
  }

  /** Host authorities by code, looked up once per code before the transaction opens. */
  async function hostAgencies(codes: Iterable<string>): Promise<Map<string, string | null>> {
    const result = new Map<string, string | null>()
    for (const code of codes) {
      if (result.has(code)) continue
      const agency = await agencyByCode(code)
      result.set(code, agency?.kind === 'local_authority' ? agency.id : null)
    }
    return result
  }

  async function refuse(actor: Actor, base: RunBase, read: ReadReturn, issues: Issue[], summary: Record<string, unknown>): Promise<ImportResult> {
    return db.transaction().execute((trx) =>
      saveRun(trx, actor, { ...base, status: 'refused', files: read.files, summary: { ...summary, skippedTables: read.skipped } }, sortIssues(issues)),
    )
  }

  return {
    async importReturn(actor: Actor, request: Ssda903ImportRequest): Promise<ImportResult> {
      if (!Number.isInteger(request.year) || request.year < FIRST_YEAR || request.year > LAST_YEAR) {
        throw new ValidationError([{ field: 'year', message: `must be a collection year from ${FIRST_YEAR} to ${LAST_YEAR}, named by the year it ends (2025 is April 2024 to March 2025)` }])
      }
      const la = await agencyByCode(request.la)
      if (!la || la.kind !== 'local_authority') throw new NotFoundError(`Local authority ${request.la}`)
      requireImporter(actor, la.id)
      const progress = request.onProgress ?? (() => {})
      const acceptValid = request.acceptValid ?? false
      const base: RunBase = { id: uuidv7(), format: 'ssda903', collectionYear: request.year, acceptValid, startedAt: new Date() }

      progress('read', 0, request.files.length)
      const read = readReturn(request.files, maxFileBytes)
      progress('read', request.files.length, request.files.length)
      if (read.issues.some(isFileIssue)) return refuse(actor, base, read, read.issues, {})

      const headerChildren = [...new Set((read.tables.Header ?? []).map((row) => row.values.CHILD ?? '').filter((child) => child !== ''))]
      // Geography needs the agencies, read on their own connection: before the transaction, never inside it.
      const hostCodes = new Set<string>()
      for (const row of read.tables.Episodes ?? []) {
        const code = placementGeography(null, row.values.PL_POST ?? null).hostAuthorityCode
        if (code) hostCodes.add(code)
      }
      const hosts = await hostAgencies(hostCodes)

      const outcome = await db.transaction().execute(async (trx) => {
        await lockImports(trx, la.id, 'ssda903')
        const matched = await repo.findChildren(trx, la.id, headerChildren)
        const personOf = new Map(matched.map((row) => [row.child, row]))
        await repo.lockPeople(trx, matched.map((row) => row.id))
        const personIds = matched.map((row) => row.id)
        const [careRows, missingRows, previousRows] = await Promise.all([
          repo.findCareEpisodes(trx, la.id, personIds),
          repo.findMissingEpisodes(trx, la.id, personIds),
          repo.findReturnChildren(trx, la.id, request.year, headerChildren),
        ])
        const careOf = groupBy(careRows, (row) => row.person_id)
        const missingOf = groupBy(missingRows, (row) => row.person_id)
        const previousOf = new Map(previousRows.map((row) => [row.child, row]))
        progress('match', 1, 1)

        // Rule 576: the period each child had open when the year began, from Lantern's own record.
        const window = collectionWindow(request.year)
        const yearStart = startOfLondonDay(window.start).getTime()
        const openAtStart = new Map<string, string>()
        for (const person of matched) {
          for (const episode of missingOf.get(person.id) ?? []) {
            if (episode.started_at.getTime() < yearStart && (episode.ended_at === null || episode.ended_at.getTime() >= yearStart)) {
              openAtStart.set(person.child, londonDateOf(episode.started_at))
            }
          }
        }
        progress('validate', 0, 1)
        const issues = [...read.issues, ...validateReturn(read.tables, { year: request.year, format: read.format, openAtStart })]
        progress('validate', 1, 1)

        const leftOut = new Set(issues.map((issue) => issue.key).filter((key) => key !== null))
        const children = childrenOf(read, leftOut)
        const plan = planWrites(actor, la, request.year, base.id, children, { personOf, careOf, missingOf, previousOf, hosts, uascGiven: read.format === 'xml' || read.tables.UASC !== undefined })
        const inUse = await repo.findMissingEpisodesInUse(trx, plan.missingToRemove.map((item) => item.id))
        for (const item of plan.missingToRemove) {
          if (inUse.has(item.id)) plan.conflicts.push({ rule: LANTERN_RULE, message: `Lantern holds interviews, police actions or a linked police record on the missing period from ${item.startedOn}, which this return no longer has: correct the return or the record in Lantern`, table: 'Missing', line: null, field: 'MIS_START', key: item.child })
        }
        issues.push(...plan.conflicts)
        progress('plan', 1, 1)
        for (const conflict of plan.conflicts) if (conflict.key) leftOut.add(conflict.key)

        const inFile = headerChildren.length
        const summaryBase = { childrenInFile: inFile, skippedTables: read.skipped }
        if (issues.length > 0 && !acceptValid) return { refused: true as const, issues, summary: summaryBase }
        const accepted = children.filter((child) => !leftOut.has(child.child))
        if (accepted.length === 0 && issues.length > 0) return { refused: true as const, issues, summary: summaryBase }

        const status: RunStatus = leftOut.size > 0 || issues.length > 0 ? 'imported_in_part' : 'imported'
        const leftOutList = [...leftOut].sort()
        // The run first: the records of what the return made point at it.
        const run = await saveRun(
          trx,
          actor,
          { ...base, status, files: read.files, summary: { ...summaryBase, ...summaryOf(plan), childrenLeftOut: leftOutList.length, leftOut: leftOutList } },
          sortIssues(issues),
        )
        await writePlan(trx, actor, la.id, request.year, base.id, plan, progress)
        return { refused: false as const, run }
      })
      if (outcome.refused) return refuse(actor, base, read, outcome.issues, outcome.summary)
      return outcome.run
    },
  }
}

interface RunBase {
  id: string
  format: 'ssda903'
  collectionYear: number
  acceptValid: boolean
  startedAt: Date
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const key = keyOf(row)
    const list = groups.get(key)
    if (list) list.push(row)
    else groups.set(key, [row])
  }
  return groups
}

interface Plan {
  personsToInsert: Record<string, Cell>[]
  personsToUpdate: Record<string, Cell>[]
  identifiersToInsert: Record<string, Cell>[]
  upnChanged: string[]
  careToInsert: Record<string, Cell>[]
  careToUpdate: Record<string, Cell>[]
  careToRemove: string[]
  missingToInsert: Record<string, Cell>[]
  missingToUpdate: Record<string, Cell>[]
  missingToRemove: { id: string; child: string; startedOn: string }[]
  returnRows: Parameters<typeof repo.upsertReturnChildren>[1][number][]
  returnRowsToWrite: Parameters<typeof repo.upsertReturnChildren>[1][number][]
  returnRowsNew: number
  audits: Map<string, { child: string; created: boolean; care: Counts; missing: Counts; personChanged: boolean }>
  conflicts: Issue[]
  children: { created: number; updated: number; unchanged: number }
  unchanged: { care: number; missing: number }
}

/** Works out every write, in memory, and the conflicts with what Lantern holds that refuse a child. */
function planWrites(
  actor: Actor,
  la: { id: string; code: string },
  year: number,
  runId: string,
  children: ChildReturn[],
  known: {
    personOf: Map<string, Awaited<ReturnType<typeof repo.findChildren>>[number]>
    careOf: Map<string, CareRow[]>
    missingOf: Map<string, MissingRow[]>
    previousOf: Map<string, ReturnRow>
    hosts: Map<string, string | null>
    uascGiven: boolean
  },
): Plan {
  const plan: Plan = {
    personsToInsert: [], personsToUpdate: [], identifiersToInsert: [], upnChanged: [], careToInsert: [], careToUpdate: [], careToRemove: [],
    missingToInsert: [], missingToUpdate: [], missingToRemove: [], returnRows: [], returnRowsToWrite: [], returnRowsNew: 0, audits: new Map(), conflicts: [],
    children: { created: 0, updated: 0, unchanged: 0 },
    unchanged: { care: 0, missing: 0 },
  }
  const days = londonDays()
  const geographyCache = new Map<string, Record<string, Cell>>()
  const geographyOf = (home: string | null, placement: string | null): Record<string, Cell> => {
    const cacheKey = `${home ?? ''}|${placement ?? ''}`
    let cells = geographyCache.get(cacheKey)
    if (!cells) {
      const geography = placementGeography(home, placement)
      const hostCode = geography.hostAuthorityCode
      cells = {
        host_agency_id: hostCode === null ? null : (known.hosts.get(hostCode) ?? null),
        placement_district_code: geography.placementDistrictCode,
        distance_miles: geography.distanceMiles,
        out_of_area: hostCode === null ? null : hostCode !== la.code,
        over_20_miles: geography.overTwentyMiles,
      }
      geographyCache.set(cacheKey, cells)
    }
    return cells
  }

  for (const child of children) {
    const existing = known.personOf.get(child.child)
    const personId = existing?.id ?? uuidv7()
    const previous = known.previousOf.get(child.child)
    const conflictsBefore = plan.conflicts.length
    const care = zero()
    const missing = zero()
    const careWrites = { insert: [] as Record<string, Cell>[], update: [] as Record<string, Cell>[], remove: [] as string[] }
    const missingWrites = { insert: [] as Record<string, Cell>[], update: [] as Record<string, Cell>[], remove: [] as { id: string; child: string; startedOn: string }[] }

    // ---- care episodes, matched by start date
    const existingCare = keyed(existing ? (known.careOf.get(personId) ?? []) : [], (row) => row.started_on)
    const careIds: string[] = []
    const fileCare = keyed(child.episodes, (episode) => episode.startedOn)
    for (const [key, episode] of fileCare) {
      const cells = careCells(episode, geographyOf(episode.homePostcode, episode.placementPostcode))
      const row = existingCare.get(key)
      if (row) {
        careIds.push(row.id)
        existingCare.delete(key)
        if (sameCare(row, cells)) care.unchanged += 1
        else {
          careWrites.update.push({ id: row.id, ...cells })
          care.updated += 1
        }
      } else {
        const id = uuidv7()
        careIds.push(id)
        careWrites.insert.push({ id, person_id: personId, responsible_agency_id: la.id, created_by_user_id: actor.userId, ...cells })
        care.created += 1
      }
    }
    const previousCare = new Set(previous?.care_episode_ids ?? [])
    for (const row of existingCare.values()) {
      if (previousCare.has(row.id)) {
        careWrites.remove.push(row.id)
        care.removed += 1
        continue
      }
      const kept = { start: Date.parse(row.started_on), end: row.ended_on === null ? null : Date.parse(row.ended_on) }
      const clash = child.episodes.find((episode) => overlaps(kept, { start: Date.parse(episode.startedOn), end: episode.endedOn === null ? null : Date.parse(episode.endedOn) }))
      if (clash) {
        plan.conflicts.push({
          rule: LANTERN_RULE,
          message: `This episode overlaps the care episode from ${row.started_on}${row.ended_on ? ` to ${row.ended_on}` : ' (open)'} that Lantern already holds for this child and no return made: correct one of them`,
          table: 'Episodes', line: clash.line, field: 'DECOM', key: child.child,
        })
      }
    }

    // ---- missing and away periods, matched by category and start date
    const existingMissing = keyed(existing ? (known.missingOf.get(personId) ?? []) : [], (row) => `${row.la_category}|${days.dateOf(row.started_at)}`)
    const missingIds: string[] = []
    const periodIds = new Map<MissingPeriod, string>()
    const fileMissing = keyed(child.missing, (period) => `${period.category}|${period.startedOn}`)
    for (const [key, period] of fileMissing) {
      const row = existingMissing.get(key)
      periodIds.set(period, row?.id ?? uuidv7())
    }
    for (const [key, period] of fileMissing) {
      const id = periodIds.get(period) ?? uuidv7()
      missingIds.push(id)
      // DfE: an A that becomes an M (or the reverse) is two periods, the end of one the start of the next.
      const before = child.missing.find((other) => other !== period && other.endedOn === period.startedOn && other.category !== period.category)
      const continues = before ? (periodIds.get(before) ?? null) : null
      const startedAt = days.startOf(period.startedOn)
      const endedAt = period.endedOn === null ? null : days.startOf(period.endedOn)
      const row = existingMissing.get(key)
      if (row) {
        existingMissing.delete(key)
        const same = (row.ended_at?.getTime() ?? null) === (endedAt?.getTime() ?? null) && row.continues_episode_id === continues && row.started_at.getTime() === startedAt.getTime()
        if (same) missing.unchanged += 1
        else {
          missingWrites.update.push({ id: row.id, started_at: startedAt, ended_at: endedAt, continues_episode_id: continues })
          missing.updated += 1
        }
      } else {
        missingWrites.insert.push({
          id, person_id: personId, owning_agency_id: la.id, recorded_by: 'local_authority', started_at: startedAt, ended_at: endedAt,
          la_category: period.category, continues_episode_id: continues, created_by_user_id: actor.userId,
        })
        missing.created += 1
      }
    }
    const previousMissing = new Set(previous?.missing_episode_ids ?? [])
    for (const row of existingMissing.values()) {
      if (previousMissing.has(row.id)) {
        missingWrites.remove.push({ id: row.id, child: child.child, startedOn: days.dateOf(row.started_at) })
        missing.removed += 1
        continue
      }
      const kept = { start: row.started_at.getTime(), end: row.ended_at?.getTime() ?? null }
      const clash = child.missing.find((period) =>
        overlaps(kept, { start: days.startOf(period.startedOn).getTime(), end: period.endedOn === null ? null : days.startOf(period.endedOn).getTime() }),
      )
      if (clash) {
        plan.conflicts.push({
          rule: LANTERN_RULE,
          message: `This period overlaps the ${row.la_category} period from ${days.dateOf(row.started_at)}${row.ended_at ? ` to ${days.dateOf(row.ended_at)}` : ' (still open)'} that Lantern already holds for this child and no return made (SSDA903 rule 574): correct one of them`,
          table: 'Missing', line: clash.line, field: 'MIS_START', key: child.child,
        })
      }
    }
    if (plan.conflicts.length > conflictsBefore) continue

    // ---- the person
    const unaccompanied = known.uascGiven ? child.unaccompanied : (existing?.unaccompanied ?? false)
    const personCells = {
      sex: child.sex, dob_earliest: child.dateOfBirth, dob_latest: child.dateOfBirth, dob_source: 'documented', ethnicity: child.ethnicity, unaccompanied,
    }
    let personChanged = false
    if (!existing) {
      plan.personsToInsert.push({ id: personId, owning_agency_id: la.id, created_by_user_id: actor.userId, ...personCells })
      plan.identifiersToInsert.push({ id: uuidv7(), person_id: personId, kind: 'la_child_id', value: child.child, issuing_agency_id: la.id })
      if (child.upn) plan.identifiersToInsert.push({ id: uuidv7(), person_id: personId, kind: 'upn', value: child.upn, issuing_agency_id: la.id })
      plan.children.created += 1
    } else {
      personChanged =
        existing.sex !== child.sex || existing.dob_earliest !== child.dateOfBirth || existing.dob_latest !== child.dateOfBirth ||
        existing.ethnicity !== child.ethnicity || existing.unaccompanied !== unaccompanied
      if (personChanged) plan.personsToUpdate.push({ id: personId, ...personCells })
      if ((existing.upn ?? null) !== child.upn) {
        personChanged = true
        plan.upnChanged.push(personId)
        if (child.upn) plan.identifiersToInsert.push({ id: uuidv7(), person_id: personId, kind: 'upn', value: child.upn, issuing_agency_id: la.id })
      }
      const episodesChanged = care.created + care.updated + care.removed + missing.created + missing.updated + missing.removed > 0
      if (personChanged || episodesChanged) plan.children.updated += 1
      else plan.children.unchanged += 1
      personChanged ||= episodesChanged
    }
    plan.unchanged.care += care.unchanged
    plan.unchanged.missing += missing.unchanged
    plan.careToInsert.push(...careWrites.insert)
    plan.careToUpdate.push(...careWrites.update)
    plan.careToRemove.push(...careWrites.remove)
    plan.missingToInsert.push(...missingWrites.insert)
    plan.missingToUpdate.push(...missingWrites.update)
    plan.missingToRemove.push(...missingWrites.remove)
    const returnRow = {
      agency_id: la.id, collection_year: year, child: child.child, person_id: personId, care_episode_ids: careIds, missing_episode_ids: missingIds,
      mother: child.mother, mother_child_dob: child.motherChildDob, uasc_ceased_on: child.uascCeasedOn, import_run_id: runId,
    }
    plan.returnRows.push(returnRow)
    // What the return made for this child, rewritten only when it changed (it keeps naming the run that made it).
    if (!previous || !sameReturnRow(previous, returnRow)) plan.returnRowsToWrite.push(returnRow)
    if (!previous) plan.returnRowsNew += 1
    if (!existing || personChanged) plan.audits.set(personId, { child: child.child, created: !existing, care, missing, personChanged })
  }
  return plan
}

async function writePlan(
  trx: Kysely<Database>,
  actor: Actor,
  agencyId: string,
  year: number,
  runId: string,
  plan: Plan,
  progress: (phase: string, done: number, total: number) => void,
): Promise<void> {
  const steps = 8
  let step = 0
  const advance = () => progress('write', ++step, steps)
  progress('write', 0, steps)
  await insertRows(trx, 'person', PERSON_COLUMNS, plan.personsToInsert)
  advance()
  await updateRows(trx, 'person', Object.fromEntries(Object.entries(PERSON_COLUMNS).filter(([name]) => !['id', 'owning_agency_id', 'created_by_user_id'].includes(name))), plan.personsToUpdate, { versioned: true })
  await repo.deleteUpns(trx, agencyId, plan.upnChanged)
  await insertRows(trx, 'person_identifier', { id: 'uuid', person_id: 'uuid', kind: 'text', value: 'text', issuing_agency_id: 'uuid' }, plan.identifiersToInsert)
  advance()
  await deleteByIds(trx, 'care_episode', plan.careToRemove)
  await updateRows(trx, 'care_episode', CARE_UPDATE_COLUMNS, plan.careToUpdate, { versioned: true })
  advance()
  await insertRows(trx, 'care_episode', CARE_COLUMNS, plan.careToInsert)
  advance()
  const removedMissing = plan.missingToRemove.map((item) => item.id)
  await repo.clearContinuations(trx, removedMissing)
  await deleteByIds(trx, 'missing_episode', removedMissing)
  // Continuation links point at episodes in the same batch: insert without them, then set them.
  await insertRows(trx, 'missing_episode', MISSING_COLUMNS, plan.missingToInsert.map((row) => ({ ...row, continues_episode_id: null })))
  advance()
  const continuations = plan.missingToInsert.filter((row) => row.continues_episode_id !== null).map((row) => ({ id: row.id ?? null, continues_episode_id: row.continues_episode_id ?? null }))
  await updateRows(trx, 'missing_episode', { continues_episode_id: 'uuid' }, continuations, { versioned: false })
  await updateRows(trx, 'missing_episode', { started_at: 'timestamptz', ended_at: 'timestamptz', continues_episode_id: 'uuid' }, plan.missingToUpdate, { versioned: true })
  advance()
  await repo.upsertReturnChildren(trx, plan.returnRowsToWrite)
  advance()
  const entries: AuditEntry[] = [...plan.audits].map(([personId, audit]) => ({
    action: audit.created ? 'IMPORT_PERSON' : 'REIMPORT_PERSON',
    subjectPersonId: personId,
    recordType: 'import_run',
    recordId: runId,
    detail: {
      format: 'ssda903',
      year,
      child: audit.child,
      careEpisodes: `${audit.care.created} new, ${audit.care.updated} changed, ${audit.care.removed} removed`,
      missingEpisodes: `${audit.missing.created} new, ${audit.missing.updated} changed, ${audit.missing.removed} removed`,
    },
  }))
  await recordAuditInChunks(trx, actor, entries)
  advance()
  // A table that has never been analysed leaves the planner guessing that `person_id = any(...)` matches most
  // of it, and the next import's lookups scan whole tables. Once analysed, its estimates scale with its size
  // (the distinct ids are kept as a fraction of the rows), so a table is analysed again only when this load
  // at least doubles it: a handful of times over a national year rather than after every return.
  const inserted: Record<string, number> = {
    person: plan.personsToInsert.length,
    person_identifier: plan.identifiersToInsert.length,
    care_episode: plan.careToInsert.length,
    missing_episode: plan.missingToInsert.length,
    ssda903_return_child: plan.returnRowsNew,
  }
  const grown = Object.keys(inserted).filter((table) => (inserted[table] ?? 0) > 0)
  if (grown.length > 0) {
    const estimates = await repo.estimatedRows(trx, grown)
    await repo.analyseTables(trx, grown.filter((table) => (inserted[table] ?? 0) >= (estimates.get(table) ?? 0)))
  }
  advance()
}

function summaryOf(plan: Plan): Record<string, unknown> {
  return {
    childrenImported: plan.returnRows.length,
    childrenCreated: plan.children.created,
    childrenUpdated: plan.children.updated,
    childrenUnchanged: plan.children.unchanged,
    careEpisodes: { created: plan.careToInsert.length, updated: plan.careToUpdate.length, removed: plan.careToRemove.length, unchanged: plan.unchanged.care },
    missingEpisodes: { created: plan.missingToInsert.length, updated: plan.missingToUpdate.length, removed: plan.missingToRemove.length, unchanged: plan.unchanged.missing },
  }
}
