import type { Kysely } from 'kysely'
import type { Database, RowUpdate } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { requirePersonRead, requirePersonWrite, type PersonAccess } from '../access/access.service.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { recordEvent } from '../events/events.service.ts'
import type { AuditEntry } from '../audit/audit.actions.ts'
import { createAgenciesService } from '../agencies/agencies.service.ts'
import { placementGeography } from '../agencies/geography.ts'
import { uuidv7 } from '../../lib/ids.ts'
import { normalisePostcode } from '../../lib/geo.ts'
import { parseInput } from '../../lib/schema.ts'
import { ForbiddenError, NotFoundError, StaleVersionError, ValidationError, type FieldError } from '../../lib/errors.ts'
import {
  PLACEMENT_TYPES_WITHOUT_PROVIDER,
  type CategoryOfNeed,
  type LegalStatus,
  type PlacementProvider,
  type PlacementType,
  type ReasonEnded,
  type ReasonForNewEpisode,
  type ReasonForPlacementChange,
} from './care.codes.ts'
import { CareEpisodeInput, CareEpisodeUpdateInput } from './care.schemas.ts'
import * as repo from './care.repository.ts'

/** One SSDA903 episode of care: a period under one legal status in one placement. */
export interface CareEpisode {
  id: string
  personId: string
  responsibleAgencyId: string
  startedOn: string
  reasonForNewEpisode: ReasonForNewEpisode
  legalStatus: LegalStatus
  categoryOfNeed: CategoryOfNeed
  placementType: PlacementType
  placementProvider: PlacementProvider | null
  endedOn: string | null
  reasonEnded: ReasonEnded | null
  reasonForPlacementChange: ReasonForPlacementChange | null
  homePostcode: string | null
  placementPostcode: string | null
  providerUrn: string | null
  hostAgencyId: string | null
  placementDistrictCode: string | null
  distanceMiles: number | null
  outOfArea: boolean | null
  overTwentyMiles: boolean | null
  /** The placement postcode, provider and district are withheld from this caller. */
  locationRestricted: boolean
  version: number
  createdAt: Date
  updatedAt: Date
}

/** The fields the episode rules look at, as they will be once the write is done. */
interface EpisodeFacts {
  startedOn: string
  endedOn: string | null
  reasonEnded: ReasonEnded | null
  placementType: PlacementType
  placementProvider: PlacementProvider | null
}

type PostcodeField = 'homePostcode' | 'placementPostcode'

function toCareEpisode(row: repo.CareEpisodeRow, access: PersonAccess): CareEpisode {
  // The placement of a child flagged for trafficking or exploitation is for named roles only
  // (ARCHITECTURE.md, "Access"): the postcode, the provider and the district would each point to it.
  const withheld = !access.seesRestrictedLocation
  return {
    id: row.id,
    personId: row.person_id,
    responsibleAgencyId: row.responsible_agency_id,
    startedOn: row.started_on,
    reasonForNewEpisode: row.reason_for_new_episode as ReasonForNewEpisode,
    legalStatus: row.legal_status as LegalStatus,
    categoryOfNeed: row.category_of_need as CategoryOfNeed,
    placementType: row.placement_type as PlacementType,
    placementProvider: row.placement_provider as PlacementProvider | null,
    endedOn: row.ended_on,
    reasonEnded: row.reason_ended as ReasonEnded | null,
    reasonForPlacementChange: row.reason_for_placement_change as ReasonForPlacementChange | null,
    homePostcode: row.home_postcode,
    placementPostcode: withheld ? null : row.placement_postcode,
    providerUrn: withheld ? null : row.provider_urn,
    hostAgencyId: row.host_agency_id,
    placementDistrictCode: withheld ? null : row.placement_district_code,
    distanceMiles: row.distance_miles === null ? null : Number(row.distance_miles),
    outOfArea: row.out_of_area,
    overTwentyMiles: row.over_20_miles,
    locationRestricted: withheld,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** "me14 1xq" -> "ME14 1XQ"; blank -> null; undefined (not sent) stays undefined. */
function normalisedPostcode(field: PostcodeField, value: string | null | undefined, errors: FieldError[]): string | null | undefined {
  if (value === undefined) return undefined
  if (value === null || value.trim() === '') return null
  const postcode = normalisePostcode(value)
  if (postcode === null) errors.push({ field, message: 'must be a full UK postcode like ME14 1XQ' })
  return postcode
}

/** Rules within one episode, which the schema cannot say. */
function checkEpisodeRules(episode: EpisodeFacts): FieldError[] {
  const errors: FieldError[] = []
  // DEC before DECOM: the Episodes form of SSDA903 rule 567.
  if (episode.endedOn !== null && episode.endedOn < episode.startedOn) {
    errors.push({ field: 'endedOn', message: 'The episode cannot end before it started' })
  }
  // SSDA903 DEC and REC: an ended episode says why it ended, and only an ended one does.
  if (episode.endedOn !== null && episode.reasonEnded === null) {
    errors.push({ field: 'reasonEnded', message: 'Give the reason the episode ended (REC) with the date it ended' })
  }
  if (episode.reasonEnded !== null && episode.endedOn === null) {
    errors.push({ field: 'endedOn', message: 'Give the date the episode ended (DEC) with the reason it ended' })
  }
  // SSDA903 rules 178 and 213: temporary and Z placements have no provider; every other placement has one.
  if (PLACEMENT_TYPES_WITHOUT_PROVIDER.has(episode.placementType)) {
    if (episode.placementProvider !== null) {
      errors.push({ field: 'placementProvider', message: `A ${episode.placementType} placement has no placement provider: leave it out` })
    }
  } else if (episode.placementProvider === null) {
    errors.push({ field: 'placementProvider', message: `Give the placement provider (PR0 to PR5) of the ${episode.placementType} placement` })
  }
  return errors
}

/** Only the local authority that holds the child's record can be the responsible authority. */
function requireResponsibleAuthority(actor: Actor) {
  if (actor.agencyKind !== 'local_authority') {
    throw new ForbiddenError(
      "Care episodes are recorded by the local authority responsible for the child, on its own record of the child: this record is held by an agency that is not a local authority",
    )
  }
}

/** An episode the caller cannot reach reads as not found, like the person it belongs to. */
async function asCareEpisode<T>(check: Promise<T>): Promise<T> {
  try {
    return await check
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError('Care episode')
    throw error
  }
}

export function createCareService(db: Kysely<Database>) {
  const agencies = createAgenciesService(db)

  /**
   * Where the placement is, from the two postcodes: its district, the authority hosting it (when that
   * authority is registered), how far from home, and whether it is outside the responsible authority's area.
   * Looked up before the transaction opens, so a write never waits on a second connection.
   */
  async function derivedPlacement(
    actor: Actor,
    responsibleAgencyId: string,
    homePostcode: string | null,
    placementPostcode: string | null,
  ): Promise<RowUpdate<'care_episode'>> {
    const geography = placementGeography(homePostcode, placementPostcode)
    const hostCode = geography.hostAuthorityCode
    const [host, responsible] = await Promise.all([
      hostCode === null ? null : agencies.findByCode(hostCode),
      agencies.get(actor, responsibleAgencyId),
    ])
    return {
      placement_district_code: geography.placementDistrictCode,
      host_agency_id: host?.kind === 'local_authority' ? host.id : null,
      distance_miles: geography.distanceMiles,
      out_of_area: hostCode === null ? null : hostCode !== responsible.code,
      over_20_miles: geography.overTwentyMiles,
    }
  }

  /**
   * Rules across the child's record. Every care episode write takes the person's row lock first, so these
   * checks and the write that follows see the same episodes.
   */
  async function checkAgainstRecord(
    trx: Kysely<Database>,
    personId: string,
    episode: EpisodeFacts,
    replacing: { id: string; version: number } | null,
  ) {
    const person = await repo.lockPerson(trx, personId)
    if (!person) throw new NotFoundError('Person')
    if (replacing !== null) {
      const now = await repo.findCareEpisode(trx, replacing.id)
      if (!now) throw new NotFoundError('Care episode')
      if (now.version !== replacing.version) throw new StaleVersionError('The care episode', now.version)
    }
    const errors: FieldError[] = []
    // SSDA903 rule 586 (missing periods before the date of birth), applied to episodes: with a date of birth
    // known only as a range, nothing may start on or before the earliest day the child can have been born.
    if (person.dob_earliest !== null && episode.startedOn <= person.dob_earliest) {
      errors.push({ field: 'startedOn', message: `The episode must start after the child's earliest possible date of birth, ${person.dob_earliest}` })
    }
    // SSDA903 rule 501: a new episode cannot start before the previous one ended; an open one has not ended,
    // so a child has at most one open episode.
    const clash = await repo.findOverlappingEpisode(trx, personId, episode, replacing?.id ?? null)
    if (clash) {
      errors.push({
        field: 'startedOn',
        message:
          clash.ended_on === null
            ? `The child has an open care episode from ${clash.started_on}: end it before recording one that overlaps it`
            : `This overlaps the care episode from ${clash.started_on} to ${clash.ended_on}: each episode starts on or after the previous one ends`,
      })
    }
    if (errors.length > 0) throw new ValidationError(errors)
  }

  function viewed(personId: string, access: PersonAccess, episodeIds: string[]): AuditEntry[] {
    const detail = { access: access.level, locationWithheld: !access.seesRestrictedLocation }
    // Finding that a child has no care episodes is a consultation too.
    if (episodeIds.length === 0) return [{ action: 'VIEW_CARE_EPISODES', subjectPersonId: personId, recordType: 'person', recordId: personId, detail }]
    return episodeIds.map((id) => ({ action: 'VIEW_CARE_EPISODES', subjectPersonId: personId, recordType: 'care_episode', recordId: id, detail }))
  }

  return {
    /** The responsible local authority records a new episode of care of a child on its own record. */
    async create(actor: Actor, personId: string, rawInput: CareEpisodeInput): Promise<CareEpisode> {
      const input = parseInput(CareEpisodeInput, rawInput)
      const errors: FieldError[] = []
      const homePostcode = normalisedPostcode('homePostcode', input.homePostcode, errors) ?? null
      const placementPostcode = normalisedPostcode('placementPostcode', input.placementPostcode, errors) ?? null
      const episode: EpisodeFacts = {
        startedOn: input.startedOn,
        endedOn: input.endedOn ?? null,
        reasonEnded: input.reasonEnded ?? null,
        placementType: input.placementType,
        placementProvider: input.placementProvider ?? null,
      }
      errors.push(...checkEpisodeRules(episode))
      if (errors.length > 0) throw new ValidationError(errors)
      const derived = await derivedPlacement(actor, actor.agencyId, homePostcode, placementPostcode)
      const id = uuidv7()
      return db.transaction().execute(async (trx) => {
        const access = await requirePersonWrite(trx, actor, personId)
        requireResponsibleAuthority(actor)
        await checkAgainstRecord(trx, personId, episode, null)
        await repo.insertCareEpisode(trx, {
          id,
          person_id: personId,
          responsible_agency_id: actor.agencyId,
          started_on: episode.startedOn,
          reason_for_new_episode: input.reasonForNewEpisode,
          legal_status: input.legalStatus,
          category_of_need: input.categoryOfNeed,
          placement_type: episode.placementType,
          placement_provider: episode.placementProvider,
          ended_on: episode.endedOn,
          reason_ended: episode.reasonEnded,
          reason_for_placement_change: input.reasonForPlacementChange ?? null,
          home_postcode: homePostcode,
          placement_postcode: placementPostcode,
          provider_urn: input.providerUrn?.toUpperCase() ?? null,
          created_by_user_id: actor.userId,
          ...derived,
        })
        await recordAudit(trx, actor, [
          { action: 'CREATE_CARE_EPISODE', subjectPersonId: personId, recordType: 'care_episode', recordId: id, detail: { placementType: episode.placementType } },
        ])
        await recordEvent(trx, { type: 'placement.recorded', actor, personId, subject: { type: 'care_episode', id }, payload: { placementType: episode.placementType } })
        const row = await repo.findCareEpisode(trx, id)
        if (!row) throw new NotFoundError('Care episode')
        return toCareEpisode(row, access)
      })
    },

    /** A child's care episodes, earliest first; audited as a consultation before they are returned. */
    async listForPerson(actor: Actor, personId: string): Promise<CareEpisode[]> {
      const access = await requirePersonRead(db, actor, personId)
      const rows = await repo.listCareEpisodesOfPerson(db, personId)
      await recordAudit(db, actor, viewed(personId, access, rows.map((row) => row.id)))
      return rows.map((row) => toCareEpisode(row, access))
    },

    async get(actor: Actor, id: string): Promise<CareEpisode> {
      const row = await repo.findCareEpisode(db, id)
      if (!row) throw new NotFoundError('Care episode')
      const access = await asCareEpisode(requirePersonRead(db, actor, row.person_id))
      await recordAudit(db, actor, viewed(row.person_id, access, [row.id]))
      return toCareEpisode(row, access)
    },

    /** Changes an episode (send the version you read); the placement's geography is worked out again. */
    async update(actor: Actor, id: string, rawInput: CareEpisodeUpdateInput): Promise<CareEpisode> {
      const input = parseInput(CareEpisodeUpdateInput, rawInput)
      const current = await repo.findCareEpisode(db, id)
      if (!current) throw new NotFoundError('Care episode')
      const access = await asCareEpisode(requirePersonWrite(db, actor, current.person_id))
      requireResponsibleAuthority(actor)
      // Everything below is worked out from this reading of the row; the write checks again, under the
      // person's lock, that the row is still at this version, so nothing computed here goes stale unnoticed.
      if (current.version !== input.version) throw new StaleVersionError('The care episode', current.version)
      const errors: FieldError[] = []
      const homePostcode = normalisedPostcode('homePostcode', input.homePostcode, errors)
      const placementPostcode = normalisedPostcode('placementPostcode', input.placementPostcode, errors)
      const episode: EpisodeFacts = {
        startedOn: input.startedOn ?? current.started_on,
        endedOn: input.endedOn !== undefined ? input.endedOn : current.ended_on,
        reasonEnded: input.reasonEnded !== undefined ? input.reasonEnded : (current.reason_ended as ReasonEnded | null),
        placementType: input.placementType ?? (current.placement_type as PlacementType),
        placementProvider: input.placementProvider !== undefined ? input.placementProvider : (current.placement_provider as PlacementProvider | null),
      }
      errors.push(...checkEpisodeRules(episode))
      if (errors.length > 0) throw new ValidationError(errors)
      const changes: RowUpdate<'care_episode'> = {
        started_on: episode.startedOn,
        ended_on: episode.endedOn,
        reason_ended: episode.reasonEnded,
        placement_type: episode.placementType,
        placement_provider: episode.placementProvider,
      }
      if (input.reasonForNewEpisode !== undefined) changes.reason_for_new_episode = input.reasonForNewEpisode
      if (input.legalStatus !== undefined) changes.legal_status = input.legalStatus
      if (input.categoryOfNeed !== undefined) changes.category_of_need = input.categoryOfNeed
      if (input.reasonForPlacementChange !== undefined) changes.reason_for_placement_change = input.reasonForPlacementChange
      if (input.providerUrn !== undefined) changes.provider_urn = input.providerUrn?.toUpperCase() ?? null
      if (homePostcode !== undefined) changes.home_postcode = homePostcode
      if (placementPostcode !== undefined) changes.placement_postcode = placementPostcode
      const derived = await derivedPlacement(
        actor,
        current.responsible_agency_id,
        homePostcode !== undefined ? homePostcode : current.home_postcode,
        placementPostcode !== undefined ? placementPostcode : current.placement_postcode,
      )
      return db.transaction().execute(async (trx) => {
        await checkAgainstRecord(trx, current.person_id, episode, { id, version: input.version })
        const applied = await repo.updateCareEpisodeVersioned(trx, id, input.version, { ...changes, ...derived })
        if (!applied) throw new Error(`care episode ${id} changed under the person lock`)
        await recordAudit(trx, actor, [
          {
            action: 'UPDATE_CARE_EPISODE',
            subjectPersonId: current.person_id,
            recordType: 'care_episode',
            recordId: id,
            detail: { fields: Object.keys(input).filter((key) => key !== 'version') },
          },
        ])
        await recordEvent(trx, {
          type: 'placement.changed',
          actor,
          personId: current.person_id,
          subject: { type: 'care_episode', id },
          payload: { fields: Object.keys(input).filter((key) => key !== 'version') },
        })
        const row = await repo.findCareEpisode(trx, id)
        if (!row) throw new NotFoundError('Care episode')
        return toCareEpisode(row, access)
      })
    },
  }
}

export type CareService = ReturnType<typeof createCareService>
