import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import type { Actor } from '../../../modules/access/actor.ts'
import { can } from '../../../modules/access/roles.ts'
import { DomainError, NotFoundError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import { PLACEMENT_TYPE_LABELS } from '../../../modules/care/care.codes.ts'
import type { Episode } from '../../../modules/episodes/episodes.service.ts'
import type { CareEpisode } from '../../../modules/care/care.service.ts'
import { mayAssignGuardian, mayChangeGuardianAssignment, type GuardianAssignment, type NrmReferral } from '../../../modules/trafficking/trafficking.service.ts'
import type { Guardian } from '../../../modules/users/users.service.ts'
import type { PreventionInterview, ReturnHomeInterview } from '../../../modules/interviews/interviews.service.ts'
import type { WebPages } from '../../web.ts'
import { translator, type Translate } from '../../i18n.ts'
import { formatters, personName, type Formatters } from '../../format.ts'
import { actorForPerson } from '../../session.ts'
import { paths } from '../../paths.ts'
import './people.messages.ts'
import '../episodes/episode.messages.ts'
import '../report/report.messages.ts'
import '../profiles/profile.messages.ts'
import '../placements/placements.messages.ts'
import './person-details.messages.ts'
import '../guardians/guardians.messages.ts'

// The person page: identity (names with their scripts, date of birth range and its source, photos,
// description), flags, and one timeline of every episode, placement, NRM decision, interview and risk review.
// Every part is read through its own service, so each is access-checked and audited as the API would.

const TIMELINE_EPISODES = 20

/** The banner after a form on the person's record saved (`?saved=...`). */
const SAVED: Record<string, string> = {
  placement: 'placement.saved',
  nrm: 'nrm.saved',
  details: 'personEdit.saved',
  photo: 'personEdit.photoSaved',
  guardian: 'guardian.saved',
  unchanged: 'personEdit.unchanged',
}

export interface TimelineItem {
  at: Date
  label: string
  text: string
  href: string | null
  kind: 'episode' | 'risk' | 'placement' | 'nrm' | 'interview'
}

/** A calendar date as the instant it is shown at (noon, so it sorts within its day). */
const dayOf = (isoDate: string) => new Date(`${isoDate}T12:00:00Z`)

/** Everything that happened to a person, newest first: pure view shaping of what the services returned. */
export function personTimeline(
  input: {
    personId: string
    episodes: Episode[]
    interviews: Map<string, { preventionInterview: PreventionInterview | null; returnHomeInterview: ReturnHomeInterview | null }>
    placements: CareEpisode[]
    referrals: NrmReferral[]
  },
  t: Translate,
  fmt: Formatters,
): TimelineItem[] {
  const items: TimelineItem[] = []
  for (const episode of input.episodes) {
    const href = paths.episode(input.personId, episode.id)
    const place = [episode.lastSeen.place, episode.lastSeen.postcode].filter(Boolean).join(', ')
    items.push({
      at: episode.startedAt,
      kind: 'episode',
      label: episode.laCategory ? t('person.event.episodeStartedLa', { category: t(`codes.laCategory.${episode.laCategory}`) }) : t('person.event.episodeStarted'),
      text: place,
      href,
    })
    if (episode.endedAt) {
      items.push({ at: episode.endedAt, kind: 'episode', label: t('person.event.episodeEnded'), text: fmt.duration((episode.endedAt.getTime() - episode.startedAt.getTime()) / 3_600_000), href })
    }
    for (const risk of episode.riskAssessments) {
      items.push({ at: risk.assessedAt, kind: 'risk', label: t('person.event.risk', { grade: t(`codes.risk.${risk.grade}`) }), text: risk.rationale, href })
    }
    const interviews = input.interviews.get(episode.id)
    const prevention = interviews?.preventionInterview
    if (prevention) {
      if (prevention.conductedAt) items.push({ at: prevention.conductedAt, kind: 'interview', label: t('person.event.prevention'), text: prevention.notes ?? '', href })
      else if (prevention.notConductedReason && episode.endedAt) items.push({ at: episode.endedAt, kind: 'interview', label: t('person.event.preventionNot', { reason: prevention.notConductedReason }), text: '', href })
    }
    const returnHome = interviews?.returnHomeInterview
    if (returnHome) {
      if (returnHome.offeredAt) items.push({ at: returnHome.offeredAt, kind: 'interview', label: t('person.event.returnHomeOffered'), text: '', href })
      if (returnHome.completedAt) items.push({ at: returnHome.completedAt, kind: 'interview', label: t('person.event.returnHomeCompleted'), text: returnHome.within72Hours === false ? t('episode.rhi.late') : t('episode.rhi.onTime'), href })
      if (returnHome.notConductedReason && episode.endedAt) items.push({ at: episode.endedAt, kind: 'interview', label: t('person.event.returnHomeNot', { reason: returnHome.notConductedReason }), text: '', href })
    }
  }
  for (const placement of input.placements) {
    const label = `${placement.placementType}: ${PLACEMENT_TYPE_LABELS[placement.placementType]}`
    const where = placement.locationRestricted ? t('person.flag.restrictedLocation') : placement.placementPostcode ?? ''
    items.push({ at: dayOf(placement.startedOn), kind: 'placement', label: t('person.event.placementStarted', { placement: label }), text: where, href: null })
    if (placement.endedOn) items.push({ at: dayOf(placement.endedOn), kind: 'placement', label: t('person.event.placementEnded'), text: label, href: null })
  }
  for (const referral of input.referrals) {
    items.push({ at: dayOf(referral.referredOn), kind: 'nrm', label: t('person.event.nrmReferral'), text: referral.nrmReference ?? '', href: null })
    for (const decision of referral.decisions) {
      items.push({
        at: dayOf(decision.decidedOn),
        kind: 'nrm',
        label: t('person.event.nrmDecision', { stage: t(`person.stage.${decision.stage}`), outcome: t(`person.outcome.${decision.outcome}`) }),
        text: '',
        href: null,
      })
    }
  }
  return items.sort((a, b) => b.at.getTime() - a.at.getTime())
}

/** A part of the record this reader's role has no business with (403) is left out; anything else is an error. */
async function ifAllowed<T>(read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read()
  } catch (error) {
    if (error instanceof DomainError && error.status === 403 && error.title === 'Forbidden') return fallback
    throw error
  }
}

function personIdOf(request: FastifyRequest): string {
  const { personId } = request.params as { personId: string }
  if (!isUuid(personId)) throw new NotFoundError('Person')
  return personId
}

async function readPersonPage(services: Services, actor: Actor, personId: string, t: Translate, fmt: Formatters) {
  const person = await services.people.get(actor, personId)
  const [summaries, placements, referrals, owner, profiles, assignments, guardianDirectory] = await Promise.all([
    services.episodes.listForPerson(actor, personId),
    ifAllowed(() => services.care.listForPerson(actor, personId), [] as CareEpisode[]),
    ifAllowed(() => services.trafficking.listReferralsOfPerson(actor, personId), [] as NrmReferral[]),
    services.agencies.get(actor, person.owningAgencyId),
    services.protocols.listForPerson(actor, personId),
    ifAllowed(() => services.trafficking.listGuardianAssignmentsOfPerson(actor, personId), [] as GuardianAssignment[]),
    ifAllowed(() => services.users.guardianDirectory(actor), [] as Guardian[]),
  ])
  const guardianServices = new Map(
    await Promise.all([...new Set(assignments.map((assignment) => assignment.guardianAgencyId))].map(async (id) => [id, (await services.agencies.get(actor, id)).name] as const)),
  )
  const guardianNames = new Map(guardianDirectory.map((guardian) => [guardian.id, guardian.displayName]))
  const recent = summaries.slice(0, TIMELINE_EPISODES)
  const episodes = await Promise.all(recent.map((summary) => services.episodes.get(actor, summary.id)))
  const interviews = new Map(
    await Promise.all(
      episodes.filter((episode) => episode.endedAt).map(async (episode) => [episode.id, await services.interviews.forEpisode(actor, episode.id)] as const),
    ),
  )
  const today = new Date().toISOString().slice(0, 10)
  const lookedAfter = placements.some((placement) => placement.startedOn <= today && (placement.endedOn === null || placement.endedOn >= today))
  const latestReferral = [...referrals].sort((a, b) => b.referredOn.localeCompare(a.referredOn))[0]
  const open = summaries.find((summary) => summary.open)
  const name = personName(person.names)
  return {
    person,
    name,
    owner: owner.name,
    dob: person.dateOfBirth
      ? person.dateOfBirth.earliest === person.dateOfBirth.latest
        ? fmt.date(person.dateOfBirth.earliest)
        : t('person.dobBetween', { earliest: fmt.date(person.dateOfBirth.earliest), latest: fmt.date(person.dateOfBirth.latest) })
      : null,
    flags: [
      open ? { text: t('person.flag.missing'), colour: 'red', id: 'missing' } : null,
      lookedAfter ? { text: t('person.flag.lookedAfter'), colour: 'blue', id: 'looked-after' } : null,
      person.flags.unaccompanied ? { text: t('person.flag.unaccompanied'), colour: 'purple', id: 'unaccompanied' } : null,
      person.flags.suspectedTrafficking ? { text: t('person.flag.suspectedTrafficking'), colour: 'orange', id: 'suspected-trafficking' } : null,
      latestReferral ? { text: t('person.flag.nrm', { status: t(`person.status.${latestReferral.status}`) }), colour: 'yellow', id: 'nrm' } : null,
      person.flags.restrictedLocation ? { text: t('person.flag.restrictedLocation'), colour: 'grey', id: 'restricted-location' } : null,
    ].filter((flag) => flag !== null),
    openEpisodeHref: open ? paths.episode(personId, open.id) : null,
    timeline: personTimeline({ personId, episodes, interviews, placements, referrals }, t, fmt).map((item) => ({ ...item, when: fmt.dateTime(item.at), datetime: item.at.toISOString() })),
    mayReport: person.access === 'owner' && !open && (actor.agencyKind === 'police_force' || actor.agencyKind === 'local_authority'),
    mayReadAudit: can.readAuditTrail(actor),
    profiles: profiles.map((profile) => ({ href: `/people/${personId}/profiles/${profile.id}`, text: t(`profile.title.${profile.protocol}`), reviewDue: profile.reviewDue })),
    mayAddProfile: person.access === 'owner',
    placements: placements.map((placement) => ({
      id: placement.id,
      type: `${placement.placementType}: ${PLACEMENT_TYPE_LABELS[placement.placementType]}`,
      from: fmt.date(placement.startedOn),
      to: placement.endedOn ? fmt.date(placement.endedOn) : '',
      where: placement.locationRestricted ? t('placement.withheld') : (placement.placementPostcode ?? ''),
      distance: placement.distanceMiles === null ? '' : t('placement.miles', { miles: fmt.number(Math.round(placement.distanceMiles)) }),
      outOfArea: placement.outOfArea === true,
    })),
    mayAddPlacement: person.access === 'owner' && actor.agencyKind === 'local_authority',
    referrals: referrals.map((referral) => ({
      id: referral.id,
      referredOn: fmt.date(referral.referredOn),
      reference: referral.nrmReference,
      types: referral.exploitationTypes.map((type) => t(`nrm.type.${type}`)).join(', '),
      status: t(`person.status.${referral.status}`),
      due: referral.status === 'awaiting_reasonable_grounds' ? t('nrm.due', { date: fmt.date(referral.reasonableGroundsDueOn) }) : null,
      overdue: referral.reasonableGroundsOverdue,
      decisions: referral.decisions.map((decision) => `${t(`person.stage.${decision.stage}`)}: ${t(`person.outcome.${decision.outcome}`)}, ${fmt.date(decision.decidedOn)}`),
    })),
    mayRefer: person.access === 'owner',
    mayDecide: can.decideNrmReferrals(actor),
    mayChangeDetails: person.access === 'owner',
    suspectedSince: person.flags.suspectedTraffickingSince ? fmt.date(person.flags.suspectedTraffickingSince) : null,
    guardians: assignments.map((assignment) => ({
      id: assignment.id,
      service: guardianServices.get(assignment.guardianAgencyId) ?? '',
      guardian: assignment.guardianUserId === null ? t('guardian.notNamed') : (guardianNames.get(assignment.guardianUserId) ?? t('layout.notRecorded')),
      role: t(`guardian.role.${assignment.role}`),
      allocated: fmt.date(assignment.allocatedOn),
      ended: assignment.endedOn ? fmt.date(assignment.endedOn) : null,
      mayChange: mayChangeGuardianAssignment(actor, person.access, assignment),
    })),
    mayAssignGuardian: mayAssignGuardian(actor, person.access),
  }
}

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get('/people/:personId', async (request, reply) => {
      const personId = personIdOf(request)
      const actor = actorForPerson(request, personId)
      const t = translator(request.language)
      const page = await readPersonPage(services, actor, personId, t, formatters(request.language))
      const saved = (request.query as Record<string, unknown>).saved
      return reply.view('web/pages/people/person.njk', { title: page.name || t('layout.nameNotKnown'), ...page, personId, saved: typeof saved === 'string' && Object.hasOwn(SAVED, saved) ? t(SAVED[saved] ?? '') : null })
    })

    app.get('/people/:personId/photos/:photoId', async (request, reply) => {
      const personId = personIdOf(request)
      const { photoId } = request.params as { photoId: string }
      if (!isUuid(photoId)) throw new NotFoundError('Photo')
      const photo = await services.people.getPhoto(actorForPerson(request, personId), personId, photoId)
      return reply.type(photo.contentType).header('cache-control', 'private, no-store').send(Buffer.from(photo.bytes))
    })
  }
}

export const peoplePages: WebPages = { routes }
