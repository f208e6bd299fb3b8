import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can } from '../access/roles.ts'
import { PurposeRequiredError } from '../access/access.service.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { recordEvent } from '../events/events.service.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { addDays, londonDateOf } from '../../lib/dates.ts'
import { parseInput } from '../../lib/schema.ts'
import { pageWindow, type Page, type PageRequest } from '../../lib/pagination.ts'
import { ConflictError, ForbiddenError, NotFoundError, StaleVersionError, ValidationError, type FieldError } from '../../lib/errors.ts'
import type { PersonName } from '../people/people.service.ts'
import { runLinkage } from '../../linkage/link.ts'
import { loadPersonModel } from '../../linkage/models/person-model.ts'
import { probabilityOfWeight, type LinkageModel, type PairExplanation } from '../../linkage/model.ts'
import { withDescription, type PersonRecord } from '../../linkage/person-record.ts'
import { createLiveIndex, toPersonRecord, type IndexLog, type LiveIndex } from './identity.index.ts'
import { EncounterSearchInput, IdentityDecisionInput, type SEARCH_SCOPES } from './identity.schemas.ts'
import * as repo from './identity.repository.ts'

/** Pairs at or above this match probability are linked without a person's decision. */
export const LINK_THRESHOLD = 0.99
/** Pairs from here up to the link threshold wait in the review queue. */
export const REVIEW_THRESHOLD = 0.5
/** A match to someone missing from another agency at or above this raises an alert for that agency. */
export const ALERT_THRESHOLD = 0.9

export interface Explanation {
  prior: { probability: number; weight: number }
  fields: { field: string; level: string; weight: number; termFrequencyAdjustment: number }[]
  matchWeight: number
  matchProbability: number
}

/** The waterfall of a pair: the prior, then each field's weight (with its term-frequency adjustment). */
export function toExplanation(explanation: PairExplanation): Explanation {
  return {
    prior: explanation.prior,
    fields: explanation.comparisons.map((part) => ({
      field: part.comparison,
      level: part.label,
      weight: part.weight + part.tfAdjustment,
      termFrequencyAdjustment: part.tfAdjustment,
    })),
    matchWeight: explanation.matchWeight,
    matchProbability: explanation.matchProbability,
  }
}

export interface MatchPerson {
  personId: string
  names: PersonName[]
  sex: string
  dateOfBirth: { earliest: string | null; latest: string | null; source: string | null } | null
  nationalities: string[]
  recordedBy: { id: string; name: string; code: string }
}

export interface EncounterMatch {
  rank: number
  matchWeight: number
  matchProbability: number
  person: MatchPerson
  description: { heightCm: number | null; build: string | null; hair: string | null; eyes: string | null; distinguishingMarks: string | null }
  flags: { unaccompanied: boolean; suspectedTrafficking: boolean }
  openEpisode: {
    episodeId: string
    missingSince: Date
    riskGrade: string | null
    incidentReference: string | null
    owningAgency: { id: string; name: string; code: string; contactPhone: string | null; contactEmail: string | null }
  } | null
  explanation: Explanation
}

export interface EncounterSearchResult {
  scope: (typeof SEARCH_SCOPES)[number]
  searched: number
  results: EncounterMatch[]
}

function matchPerson(row: repo.MatchDisplayRow): MatchPerson {
  return {
    personId: row.person_id,
    names: row.names as PersonName[],
    sex: row.sex,
    dateOfBirth: row.dob_earliest || row.dob_latest ? { earliest: row.dob_earliest, latest: row.dob_latest, source: row.dob_source } : null,
    nationalities: row.nationalities,
    recordedBy: { id: row.owner_id, name: row.owner_name, code: row.owner_code },
  }
}

/** The query as a person record: the officer's words, an age range as a range of dates of birth. */
function queryRecord(input: EncounterSearchInput, today: string): PersonRecord {
  const errors: FieldError[] = []
  if (!input.name?.trim() && !input.givenNames?.trim() && !input.familyName?.trim() && !(input.identifiers?.length ?? 0))
    errors.push({ field: 'name', message: 'Give a name (any part, any spelling) or an identifier' })
  if (input.ageFrom !== undefined && input.ageTo !== undefined && input.ageFrom > input.ageTo) errors.push({ field: 'ageTo', message: 'The oldest age must not be below the youngest' })
  if (input.dobEarliest && input.dobLatest && input.dobEarliest > input.dobLatest) errors.push({ field: 'dobLatest', message: 'The latest date of birth must not be before the earliest' })
  if (input.dateOfBirth && input.dateOfBirth > today) errors.push({ field: 'dateOfBirth', message: 'The date of birth must not be in the future' })
  if (errors.length > 0) throw new ValidationError(errors)
  let dobEarliest = input.dateOfBirth ?? input.dobEarliest ?? null
  let dobLatest = input.dateOfBirth ?? input.dobLatest ?? null
  if (!input.dateOfBirth && !input.dobEarliest && !input.dobLatest && (input.ageFrom !== undefined || input.ageTo !== undefined)) {
    const year = Number(today.slice(0, 4))
    // Aged from..to today: born after today less (to + 1) years, and on or before today less `from` years.
    if (input.ageTo !== undefined) dobEarliest = addDays(`${year - input.ageTo - 1}${today.slice(4)}`, 1)
    if (input.ageFrom !== undefined) dobLatest = `${year - input.ageFrom}${today.slice(4)}`
  }
  const given = [input.name, input.givenNames].filter((part) => part?.trim()).join(' ')
  return {
    recordId: 'encounter',
    source: 'encounter',
    givenNames: given,
    familyName: input.familyName?.trim() ?? '',
    otherNames: input.otherNames ?? [],
    dateOfBirth: input.dateOfBirth ?? null,
    dobEarliest,
    dobLatest,
    sex: input.sex === 'male' ? 'M' : input.sex === 'female' ? 'F' : 'U',
    nationality: input.nationality ?? null,
    identifiers: (input.identifiers ?? []).map((identifier) => ({ type: identifier.kind, value: identifier.value.trim() })),
    ...withDescription({
      heightCm: input.description?.heightCm ?? null,
      build: input.description?.build?.trim() || null,
      hair: input.description?.hair?.trim() || null,
      eyes: input.description?.eyes?.trim() || null,
      distinguishingMarks: input.description?.distinguishingMarks?.trim() || null,
    }),
    extra: {},
  }
}

/** Police see everyone missing now; searching every person record is for coordinators, who resolve identities. */
function requireSearchAccess(actor: Actor, scope: (typeof SEARCH_SCOPES)[number]) {
  if (!can.readNationalRegister(actor)) throw new ForbiddenError('Encounter search is for police officers and staff')
  if (scope === 'all' && !actor.roles.includes('missing_person_coordinator'))
    throw new ForbiddenError('Searching every person record is for missing person coordinators')
  if (!actor.purpose) throw new PurposeRequiredError()
}

/** Identity runs and reviews are for the roles that work cases; a run is for the leads of a force or an authority. */
function requireRunAccess(actor: Actor) {
  if (!actor.roles.includes('missing_person_coordinator') && !actor.roles.includes('missing_from_care_lead') && actor.userId !== null)
    throw new ForbiddenError('Linkage runs are for missing person coordinators and missing-from-care leads')
}

export interface IdentityServiceOptions {
  model?: LinkageModel
  pollMs?: number
  log?: IndexLog
}

export function createIdentityService(db: Kysely<Database>, options: IdentityServiceOptions = {}) {
  const model = options.model ?? loadPersonModel()
  let alertsOnNewPeople = true
  const pendingNew = new Set<string>()
  const index: LiveIndex = createLiveIndex(db, {
    model,
    pollMs: options.pollMs ?? 250,
    ...(options.log ? { log: options.log } : {}),
    onNewPerson: (personId) => {
      if (alertsOnNewPeople) pendingNew.add(personId)
    },
  })

  /** The identity.matched event for one match to an open episode: to the owning agency and the responsible authority. */
  async function emitMatch(trx: Kysely<Database>, actor: Actor | null, matchedPersonId: string, episodeId: string, episodeAgencyId: string, payload: Record<string, string | number>) {
    const responsible = await repo.findResponsibleAuthority(trx, matchedPersonId)
    await recordEvent(trx, {
      type: 'identity.matched',
      actor: actor ? { userId: actor.userId, agencyId: actor.agencyId } : null,
      personId: matchedPersonId,
      episodeId,
      payload,
      audience: [
        { agencyId: episodeAgencyId, roles: ['call_handler', 'police_officer', 'missing_person_coordinator', 'social_worker', 'missing_from_care_lead'], userId: null },
        ...(responsible && responsible !== episodeAgencyId ? [{ agencyId: responsible, roles: ['social_worker', 'missing_from_care_lead'], userId: null }] : []),
      ],
    })
  }

  /** Strong matches of an encounter search to someone missing from another agency: that agency is told, every time. */
  async function alertForEncounter(actor: Actor, searchId: string, matches: { personId: string; probability: number }[]): Promise<void> {
    for (const match of matches) {
      const other = index.person(match.personId)
      if (match.probability < ALERT_THRESHOLD || !other?.openEpisodeId || !other.openEpisodeAgencyId) continue
      if (other.openEpisodeAgencyId === actor.agencyId) continue
      const episodeId = other.openEpisodeId
      const agencyId = other.openEpisodeAgencyId
      await db.transaction().execute((trx) =>
        emitMatch(trx, actor, match.personId, episodeId, agencyId, { source: 'encounter_search', searchId, searchingAgencyId: actor.agencyId, matchProbability: Number(match.probability.toFixed(4)) }),
      )
    }
  }

  /** A new person record matching someone missing from another agency: alerted once per pair, whichever instance sees it first. */
  async function alertForNewPerson(personId: string, matches: { personId: string; probability: number }[]): Promise<void> {
    const subject = index.person(personId)
    for (const match of matches) {
      const other = index.person(match.personId)
      if (match.probability < ALERT_THRESHOLD || !other?.openEpisodeId || !other.openEpisodeAgencyId || match.personId === personId) continue
      // An agency's own records are its own to see: the alert is for a match across agencies.
      if (subject && (subject.ownerAgencyId === other.openEpisodeAgencyId || subject.ownerAgencyId === other.ownerAgencyId)) continue
      const episodeId = other.openEpisodeId
      const agencyId = other.openEpisodeAgencyId
      await db.transaction().execute(async (trx) => {
        const claimed = await repo.claimAlert(trx, { person_id: personId, matched_person_id: match.personId, episode_id: episodeId, match_probability: match.probability })
        if (!claimed) return
        await emitMatch(trx, null, match.personId, episodeId, agencyId, {
          source: 'new_person_record',
          matchedPersonId: personId,
          recordingAgencyId: subject?.ownerAgencyId ?? '',
          matchProbability: Number(match.probability.toFixed(4)),
        })
      })
    }
  }

  /** New person records the index has seen: each is searched against everyone missing, for alerts. */
  async function checkNewPeople(): Promise<void> {
    const ids = [...pendingNew]
    pendingNew.clear()
    for (const personId of ids) {
      const rows = await repo.findPeopleForLinkage(db, [personId])
      const row = rows[0]
      if (!row) continue
      const hits = index.index.search(toPersonRecord(row), {
        top: 5,
        accept: (recordId) => recordId !== personId && index.person(recordId)?.openEpisodeId != null,
        minimumProbability: ALERT_THRESHOLD,
      })
      await alertForNewPerson(
        personId,
        hits.map((hit) => ({ personId: hit.recordId, probability: hit.matchProbability })),
      )
    }
  }

  async function ready(): Promise<void> {
    await index.start()
  }

  return {
    index,

    /** Builds the index (rebuilt on every start) and follows the register's changes. */
    async start(): Promise<void> {
      await ready()
    },

    async stop(): Promise<void> {
      await index.stop()
    },

    /** Reads the register's latest changes into the index now, and raises alerts for new person records. */
    async catchUp(): Promise<void> {
      await ready()
      await index.refreshNow()
      await checkNewPeople()
    },

    /** New person records raise alerts when they match someone missing elsewhere (on by default). */
    setAlertsOnNewPeople(enabled: boolean) {
      alertsOnNewPeople = enabled
    },

    /**
     * Who is this? Ranked candidates among everyone missing now (or every person record, for coordinators),
     * each with its explanation. The search and every match shown are audited; a strong match to someone
     * missing from another agency alerts that agency.
     */
    async search(actor: Actor, rawInput: EncounterSearchInput): Promise<EncounterSearchResult> {
      const input = parseInput(EncounterSearchInput, rawInput)
      const scope = input.scope ?? 'missing'
      requireSearchAccess(actor, scope)
      const query = queryRecord(input, londonDateOf(new Date()))
      await ready()
      await index.refreshNow()
      const hits = index.index.searchExplained(query, {
        top: input.limit ?? 10,
        minimumProbability: 0.001,
        accept: scope === 'all' ? undefined : (recordId) => index.person(recordId)?.openEpisodeId != null,
      })
      const displays = await repo.findMatchDisplays(
        db,
        hits.map((hit) => hit.recordId),
      )
      const byPerson = new Map<string, repo.MatchDisplayRow>()
      for (const row of displays) if (!byPerson.has(row.person_id)) byPerson.set(row.person_id, row)
      const results: EncounterMatch[] = []
      for (const hit of hits) {
        const row = byPerson.get(hit.recordId)
        // Erased since the index last looked: not shown.
        if (!row) continue
        if (scope === 'missing' && !row.episode_id) continue
        results.push({
          rank: results.length + 1,
          matchWeight: hit.matchWeight,
          matchProbability: hit.matchProbability,
          person: matchPerson(row),
          description: { heightCm: row.height_cm, build: row.build, hair: row.hair, eyes: row.eyes, distinguishingMarks: row.distinguishing_marks },
          flags: { unaccompanied: row.unaccompanied, suspectedTrafficking: row.suspected_trafficking },
          openEpisode:
            row.episode_id && row.started_at && row.episode_agency_id
              ? {
                  episodeId: row.episode_id,
                  missingSince: row.started_at,
                  riskGrade: row.current_risk_grade,
                  incidentReference: row.incident_reference,
                  owningAgency: {
                    id: row.episode_agency_id,
                    name: row.episode_agency_name ?? '',
                    code: row.episode_agency_code ?? '',
                    contactPhone: row.episode_agency_phone,
                    contactEmail: row.episode_agency_email,
                  },
                }
              : null,
          explanation: toExplanation(hit.explanation),
        })
      }
      const searchId = uuidv7()
      await recordAudit(db, actor, [
        {
          action: 'SEARCH_ENCOUNTER',
          subjectPersonId: null,
          recordType: 'encounter_search',
          recordId: searchId,
          detail: {
            scope,
            results: results.length,
            byName: query.givenNames !== '' || query.familyName !== '',
            byDateOfBirth: query.dobEarliest !== null || query.dobLatest !== null,
            byIdentifier: query.identifiers.length > 0,
            byDescription: query.description !== undefined,
          },
        },
        ...results.map((result) => ({
          action: 'VIEW_ENCOUNTER_MATCH' as const,
          subjectPersonId: result.person.personId,
          recordType: result.openEpisode ? ('missing_episode' as const) : ('person' as const),
          recordId: result.openEpisode?.episodeId ?? result.person.personId,
          recipientAgencyId: actor.agencyId,
          detail: { search: searchId, rank: result.rank, matchProbability: Number(result.matchProbability.toFixed(4)) },
        })),
      ])
      await alertForEncounter(
        actor,
        searchId,
        results.map((result) => ({ personId: result.person.personId, probability: result.matchProbability })),
      )
      return { scope, searched: index.size, results }
    },

    /**
     * Links the register's person records into identities: pairs above the link threshold are linked, those
     * between the review and link thresholds wait for a person's decision, and every decision already made is
     * respected (a rejected pair is never linked, even through others).
     */
    async runLinkage(actor: Actor) {
      requireRunAccess(actor)
      await ready()
      const rows: repo.PersonLinkageRow[] = []
      let after: string | null = null
      for (;;) {
        const page = await repo.listPeopleForLinkage(db, after, 5000)
        rows.push(...page)
        if (page.length < 5000) break
        after = page[page.length - 1]?.id ?? null
      }
      const records = rows.map(toPersonRecord)
      const run = runLinkage(records, null, { model, threshold: REVIEW_THRESHOLD })
      const decisions = new Map((await repo.latestDecisions(db)).map((decision) => [`${decision.person_a_id}|${decision.person_b_id}`, decision.decision]))
      const runId = uuidv7()
      const links: Parameters<typeof repo.replaceLinks>[1] = []
      const seen = new Set<string>()
      for (let p = 0; p < run.pairs.count; p++) {
        const x = records[run.pairs.left[p] as number] as PersonRecord
        const y = records[run.pairs.right[p] as number] as PersonRecord
        const [a, b] = x.recordId < y.recordId ? [x.recordId, y.recordId] : [y.recordId, x.recordId]
        const key = `${a}|${b}`
        seen.add(key)
        const weight = run.pairs.weight[p] as number
        const probability = probabilityOfWeight(weight)
        const decision = decisions.get(key)
        const status = decision === 'same_person' ? 'confirmed' : decision === 'different_people' ? 'rejected' : probability >= LINK_THRESHOLD ? 'linked' : 'review'
        links.push({
          id: uuidv7(),
          person_a_id: a,
          person_b_id: b,
          match_weight: weight,
          match_probability: probability,
          explanation: JSON.stringify(toExplanation(run.scorer.explain(run.pairs.left[p] as number, run.pairs.right[p] as number))),
          status,
          run_id: runId,
        })
      }
      // A person confirmed a pair the model now scores low: it stays linked, on the person's word.
      const present = new Set(rows.map((row) => row.id))
      for (const [key, decision] of decisions) {
        if (seen.has(key) || decision !== 'same_person') continue
        const [a, b] = key.split('|') as [string, string]
        if (!present.has(a) || !present.has(b)) continue
        links.push({ id: uuidv7(), person_a_id: a, person_b_id: b, match_weight: 0, match_probability: 0.5, explanation: JSON.stringify(null), status: 'confirmed', run_id: runId })
      }
      const clusters = clusterWithDecisions(
        rows.map((row) => row.id),
        links,
      )
      await db.transaction().execute(async (trx) => {
        await repo.replaceLinks(trx, links)
        await repo.replaceIdentities(trx, runId, clusters)
        await recordAudit(trx, actor, [
          { action: 'RUN_IDENTITY_LINKAGE', subjectPersonId: null, recordType: 'identity_link', recordId: runId, detail: { records: records.length, links: links.length } },
        ])
      })
      const count = (status: string) => links.filter((link) => link.status === status).length
      return {
        runId,
        records: records.length,
        candidatePairs: run.candidatePairs,
        linked: count('linked'),
        review: count('review'),
        confirmed: count('confirmed'),
        rejected: count('rejected'),
        identities: clusters.length,
      }
    },

    /** Uncertain links that involve a record of the actor's agency, most likely first. Showing the other record is audited. */
    async reviews(actor: Actor, query: Partial<PageRequest>): Promise<Page<ReviewItem>> {
      if (!can.workCases(actor)) throw new ForbiddenError('Your role cannot review identity links')
      if (!actor.purpose) throw new PurposeRequiredError()
      const window = pageWindow(query)
      const { rows, total } = await repo.listReviews(db, actor.agencyId, window)
      const displays = new Map(
        (await repo.findMatchDisplays(
          db,
          rows.flatMap((row) => [row.person_a_id, row.person_b_id]),
        )).map((row) => [row.person_id, row]),
      )
      const items: ReviewItem[] = rows.map((row) => ({
        id: row.id,
        version: row.version,
        matchWeight: row.match_weight,
        matchProbability: row.match_probability,
        explanation: row.explanation as Explanation,
        records: [row.person_a_id, row.person_b_id].flatMap((id) => {
          const display = displays.get(id)
          return display ? [matchPerson(display)] : []
        }),
      }))
      await recordAudit(
        db,
        actor,
        rows.flatMap((row) =>
          [
            [row.person_a_id, row.agency_a_id],
            [row.person_b_id, row.agency_b_id],
          ]
            .filter(([, agency]) => agency !== actor.agencyId)
            .map(([personId]) => ({
              action: 'VIEW_IDENTITY_REVIEW' as const,
              subjectPersonId: personId as string,
              recordType: 'identity_link' as const,
              recordId: row.id,
              recipientAgencyId: actor.agencyId,
            })),
        ),
      )
      return { page: window.page, pageSize: window.pageSize, total, items }
    },

    /** A person's decision on one link: kept, applied now, and respected by every later run. */
    async decide(actor: Actor, linkId: string, rawInput: IdentityDecisionInput): Promise<{ id: string; status: string; version: number }> {
      if (!can.workCases(actor)) throw new ForbiddenError('Your role cannot decide identity links')
      const input = parseInput(IdentityDecisionInput, rawInput)
      return db.transaction().execute(async (trx) => {
        const link = await repo.lockLink(trx, linkId)
        if (!link) throw new NotFoundError('Identity link')
        const owners = await trx.selectFrom('person').select(['id', 'owning_agency_id']).where('id', 'in', [link.person_a_id, link.person_b_id]).execute()
        if (!owners.some((owner) => owner.owning_agency_id === actor.agencyId)) throw new NotFoundError('Identity link')
        if (link.version !== input.version) throw new StaleVersionError('The identity link', link.version)
        if (link.status === 'linked') throw new ConflictError('This link was made automatically; only uncertain links wait for a decision')
        const status = input.decision === 'same_person' ? 'confirmed' : 'rejected'
        await repo.insertDecision(trx, {
          id: uuidv7(),
          person_a_id: link.person_a_id,
          person_b_id: link.person_b_id,
          decision: input.decision,
          reason: input.reason,
          match_probability: link.match_probability,
          decided_by_user_id: actor.userId,
          decided_by_agency_id: actor.agencyId,
        })
        await repo.setLinkStatus(trx, link.id, status)
        await recordAudit(
          trx,
          actor,
          [link.person_a_id, link.person_b_id].map((personId) => ({
            action: 'DECIDE_IDENTITY_LINK' as const,
            subjectPersonId: personId,
            recordType: 'identity_link' as const,
            recordId: link.id,
            detail: { decision: input.decision },
          })),
        )
        if (status === 'confirmed') {
          const otherOwner = owners.find((owner) => owner.id === link.person_b_id)?.owning_agency_id
          await recordEvent(trx, {
            type: 'identity.link_confirmed',
            actor: { userId: actor.userId, agencyId: actor.agencyId },
            personId: link.person_a_id,
            subject: { type: 'identity_link', id: link.id },
            payload: { otherPersonId: link.person_b_id },
            audience: otherOwner ? [{ agencyId: otherOwner, roles: ['call_handler', 'police_officer', 'missing_person_coordinator', 'social_worker', 'missing_from_care_lead', 'first_responder'], userId: null }] : [],
          })
        }
        return { id: link.id, status, version: link.version + 1 }
      })
    },

    /** The records linked with one person (ids and recording agencies only). */
    async identityOf(actor: Actor, personId: string) {
      if (!can.workCases(actor)) throw new ForbiddenError('Your role cannot see identities')
      const rows = await repo.identityOf(db, personId)
      if (!rows.some((row) => row.person_id === personId && row.agency_id === actor.agencyId)) throw new NotFoundError('Person')
      return { identityId: rows[0]?.identity_id ?? null, records: rows.map((row) => ({ personId: row.person_id, recordedBy: { id: row.agency_id, name: row.agency_name, code: row.agency_code } })) }
    },
  }
}

export interface ReviewItem {
  id: string
  version: number
  matchWeight: number
  matchProbability: number
  explanation: Explanation
  records: MatchPerson[]
}

/**
 * Identities from the links: confirmed links first, then automatic ones strongest first; a union that would put
 * two records a person said are different people into one identity is not made.
 */
export function clusterWithDecisions(personIds: string[], links: { person_a_id: string; person_b_id: string; status: string; match_weight: number }[]): string[][] {
  const parent = new Map(personIds.map((id) => [id, id]))
  const members = new Map(personIds.map((id) => [id, [id]]))
  const find = (id: string): string => {
    let root = id
    while (parent.get(root) !== root) root = parent.get(root) ?? root
    parent.set(id, root)
    return root
  }
  const apart = new Map<string, Set<string>>()
  for (const link of links) {
    if (link.status !== 'rejected') continue
    if (!apart.has(link.person_a_id)) apart.set(link.person_a_id, new Set())
    if (!apart.has(link.person_b_id)) apart.set(link.person_b_id, new Set())
    apart.get(link.person_a_id)?.add(link.person_b_id)
    apart.get(link.person_b_id)?.add(link.person_a_id)
  }
  const joinable = (x: string[], y: Set<string>) => !x.some((id) => [...(apart.get(id) ?? [])].some((other) => y.has(other)))
  const order = links
    .filter((link) => link.status === 'confirmed' || link.status === 'linked')
    .sort((a, b) => (a.status === b.status ? b.match_weight - a.match_weight : a.status === 'confirmed' ? -1 : 1))
  for (const link of order) {
    if (!parent.has(link.person_a_id) || !parent.has(link.person_b_id)) continue
    const a = find(link.person_a_id)
    const b = find(link.person_b_id)
    if (a === b) continue
    const membersA = members.get(a) ?? []
    const membersB = members.get(b) ?? []
    if (!joinable(membersA, new Set(membersB))) continue
    parent.set(b, a)
    members.set(a, [...membersA, ...membersB])
    members.delete(b)
  }
  return [...members.values()].map((list) => [...list].sort())
}

export type IdentityService = ReturnType<typeof createIdentityService>
