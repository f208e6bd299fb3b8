import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Services } from '../../services.ts'
import type { Actor } from '../access/actor.ts'
import type { AgencyKind, Role } from '../access/roles.ts'
import { systemActor } from '../access/actor.ts'
import { Random } from '../../lib/random.ts'
import { londonDateOf } from '../../lib/dates.ts'
import { postcodeSectors, upperTierOfDistrict } from '../agencies/reference-data.ts'
import { NAME_POOLS, type NamePool } from './demo.names.ts'
import type { Person } from '../people/people.service.ts'

// Demo data for a newcomer's first start: a few forces and councils, a user of every role, and a few
// hundred synthetic people whose stories exercise every page and API call, including unaccompanied
// children referred to the NRM who went missing soon after they were placed. All of it is made up.

export const DEMO_PASSWORD = 'lantern-demo-password'

const AGENCIES = {
  kentPolice: 'E23000032',
  metPolice: 'E23000001',
  manchesterPolice: 'E23000005',
  southWalesPolice: 'W15000003',
  kent: 'E10000016',
  croydon: 'E09000008',
  manchester: 'E08000003',
  cardiff: 'W06000015',
  singleCompetentAuthority: 'SCA',
  guardianService: 'ICTG',
  barnardos: 'FR-BARNARDOS',
} as const
type DemoAgency = keyof typeof AGENCIES

// The force a council's children are reported to when they go missing.
const FORCE_OF: Partial<Record<DemoAgency, DemoAgency>> = {
  kent: 'kentPolice',
  croydon: 'metPolice',
  manchester: 'manchesterPolice',
  cardiff: 'southWalesPolice',
}

const USERS: readonly { email: string; name: string; agency: DemoAgency; roles: Role[] }[] = [
  { email: 'call.handler@kent.police.example', name: 'Priya Shah', agency: 'kentPolice', roles: ['call_handler'] },
  { email: 'officer@kent.police.example', name: 'Tom Fletcher', agency: 'kentPolice', roles: ['police_officer'] },
  { email: 'coordinator@kent.police.example', name: 'Sam Okafor', agency: 'kentPolice', roles: ['missing_person_coordinator'] },
  { email: 'admin@kent.police.example', name: 'Alex Morgan', agency: 'kentPolice', roles: ['administrator'] },
  { email: 'officer@met.police.example', name: 'Grace Adeyemi', agency: 'metPolice', roles: ['police_officer'] },
  { email: 'officer@gmp.police.example', name: 'Dan Whitworth', agency: 'manchesterPolice', roles: ['police_officer'] },
  { email: 'officer@south-wales.police.example', name: 'Rhys Price', agency: 'southWalesPolice', roles: ['police_officer'] },
  { email: 'social.worker@kent.gov.example', name: 'Hannah Lees', agency: 'kent', roles: ['social_worker'] },
  { email: 'missing.lead@kent.gov.example', name: 'Joanne Pike', agency: 'kent', roles: ['missing_from_care_lead'] },
  { email: 'social.worker@croydon.gov.example', name: 'Marcus Bell', agency: 'croydon', roles: ['social_worker'] },
  { email: 'social.worker@manchester.gov.example', name: 'Aisha Karim', agency: 'manchester', roles: ['social_worker'] },
  { email: 'social.worker@cardiff.gov.example', name: 'Ffion Jones', agency: 'cardiff', roles: ['social_worker'] },
  { email: 'analyst@kent.gov.example', name: 'Ravi Patel', agency: 'kent', roles: ['analyst'] },
  { email: 'decision.maker@sca.example', name: 'Helen Ward', agency: 'singleCompetentAuthority', roles: ['nrm_decision_maker'] },
  { email: 'guardian@ictg.example', name: 'Chris Doyle', agency: 'guardianService', roles: ['ictg_guardian'] },
  { email: 'first.responder@barnardos.example', name: 'Nadia Rahman', agency: 'barnardos', roles: ['first_responder'] },
]

export interface DemoUser {
  email: string
  name: string
  agencyName: string
  roles: Role[]
}

export interface SeedResult {
  created: boolean
  users: DemoUser[]
  people: number
  episodes: number
}

interface Staff {
  agencyId: string
  agencyKind: AgencyKind
  actor: Actor
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Postcodes in an authority's area, made from its real postcode sectors (the unit is made up). */
function postcodesOf(authorityCode: string): string[] {
  const districts = upperTierOfDistrict()
  const sectors: string[] = []
  for (const [sector, info] of postcodeSectors()) {
    if (districts.get(info.districtCode) === authorityCode && /^[A-Z]{1,2}\d[A-Z\d]? \d$/.test(sector)) sectors.push(sector)
  }
  return sectors
}

export async function seedDemoData(
  db: Kysely<Database>,
  services: Services,
  options: { people?: number; seed?: number; now?: Date; onProgress?: (done: number, total: number) => void } = {},
): Promise<SeedResult> {
  const agencies = new Map<DemoAgency, { id: string; name: string; kind: AgencyKind }>()
  for (const [key, code] of Object.entries(AGENCIES) as [DemoAgency, string][]) {
    const agency = await services.agencies.findByCode(code)
    if (!agency) throw new Error(`Reference agency ${code} is missing: run lantern migrate first`)
    agencies.set(key, { id: agency.id, name: agency.name, kind: agency.kind as AgencyKind })
  }
  const agencyOf = (key: DemoAgency) => {
    const agency = agencies.get(key)
    if (!agency) throw new Error(`No demo agency ${key}`)
    return agency
  }
  const demoUsers = USERS.map((user) => ({ email: user.email, name: user.name, roles: user.roles, agencyName: agencyOf(user.agency).name }))
  const firstUser = USERS[0]
  if (!firstUser) throw new Error('No demo users')
  const already = await db.selectFrom('app_user').select('id').where('email', '=', firstUser.email).executeTakeFirst()
  if (already) return { created: false, users: demoUsers, people: 0, episodes: 0 }

  // Users, added by each agency's own (system) administrator so the audit trail says who.
  const staff = new Map<string, Staff>()
  for (const user of USERS) {
    const agency = agencyOf(user.agency)
    const admin = systemActor(agency.id, agency.kind, ['administrator'], 'Demo data')
    const created = await services.users.createUserForAgency(admin, agency.id, { email: user.email, displayName: user.name, password: DEMO_PASSWORD, roles: user.roles })
    staff.set(user.email, {
      agencyId: agency.id,
      agencyKind: agency.kind,
      actor: { kind: 'user', userId: created.id, tokenId: null, agencyId: agency.id, agencyKind: agency.kind, roles: user.roles, purpose: 'Demo data' },
    })
  }
  const actorOf = (email: string): Actor => {
    const found = staff.get(email)
    if (!found) throw new Error(`No demo user ${email}`)
    return found.actor
  }
  const caseWorkerOf: Record<string, string> = {
    kent: 'social.worker@kent.gov.example',
    croydon: 'social.worker@croydon.gov.example',
    manchester: 'social.worker@manchester.gov.example',
    cardiff: 'social.worker@cardiff.gov.example',
    kentPolice: 'officer@kent.police.example',
    metPolice: 'officer@met.police.example',
    manchesterPolice: 'officer@gmp.police.example',
    southWalesPolice: 'officer@south-wales.police.example',
  }

  const random = new Random(options.seed ?? 20261121)
  const now = options.now ?? new Date()
  const total = options.people ?? 300
  const postcodes = new Map<string, string[]>()
  const postcodeIn = (authority: DemoAgency) => {
    const code = AGENCIES[authority]
    let list = postcodes.get(code)
    if (!list) {
      list = postcodesOf(code)
      postcodes.set(code, list)
    }
    return `${random.pick(list)}${random.pick(['AB', 'DE', 'HJ', 'LN', 'PQ', 'RT', 'WX'])}`
  }
  const instant = (ms: number) => new Date(Math.min(ms, now.getTime() - 60_000)).toISOString()
  const dateOf = (ms: number) => londonDateOf(new Date(ms))
  let people = 0
  let episodes = 0

  const newPerson = async (actor: Actor, pool: NamePool, sex: 'male' | 'female', dob: { earliest: string; latest: string; source: 'stated' | 'documented' | 'assessed' | 'estimated' }, extra: Record<string, unknown> = {}) => {
    const given = random.pick(pool.given)
    const family = random.pick(pool.family)
    const names: { kind: 'given' | 'family' | 'alias'; text: string; script?: string; transliteration?: string | null }[] = [
      { kind: 'given', text: given },
      { kind: 'family', text: family },
    ]
    const native = pool.native?.find((name) => name.transliteration === given)
    if (native) names.push({ kind: 'alias', text: native.text, script: native.script, transliteration: native.transliteration })
    const variant = pool.variants?.[family] ?? pool.variants?.[given]
    if (variant && random.chance(0.6)) names.push({ kind: 'alias', text: random.pick(variant) })
    const person = await services.people.create(actor, {
      names,
      sex,
      dateOfBirth: dob,
      nationalities: [pool.nationality],
      languages: [pool.language],
      description: {
        heightCm: random.int(140, 185),
        build: random.pick(['slim', 'medium', 'stocky']),
        hair: random.pick(['short black', 'long brown', 'shaved', 'curly dark brown', 'blonde ponytail']),
        eyes: random.pick(['brown', 'dark brown', 'blue', 'green']),
        distinguishingMarks: random.chance(0.3) ? random.pick(['scar on left cheek', 'tattoo of a star on right hand', 'pierced left ear']) : null,
      },
      ...extra,
    })
    people += 1
    return person
  }

  const birthRange = (minAge: number, maxAge: number, assessed: boolean) => {
    const born = now.getTime() - (minAge + random.next() * (maxAge - minAge)) * 365.25 * DAY
    if (!assessed) {
      const date = dateOf(born)
      return { earliest: date, latest: date, source: random.chance(0.5) ? ('documented' as const) : ('stated' as const) }
    }
    return { earliest: dateOf(born - 200 * DAY), latest: dateOf(born + 165 * DAY), source: 'assessed' as const }
  }

  const riskAt = (at: number, grade: 'very_low' | 'low' | 'medium' | 'high', flags: string[]) => ({
    assessedAt: instant(at),
    grade,
    rationale:
      grade === 'high'
        ? 'Child at risk of exploitation; not answering phone; seen with older associates'
        : grade === 'medium'
          ? 'Repeat missing; usually returns within a day; some concerns about associates'
          : 'Known to stay with friends; returns by morning',
    answers: { q3: { answer: 'yes' as const, explanation: 'Age' }, q16: { answer: grade === 'high' ? ('yes' as const) : ('unknown' as const) } },
    vulnerabilityFlags: flags as ('looked_after_child' | 'cce' | 'trafficking')[],
    informationSource: 'Carer, by phone',
    informationObtainedAt: instant(at),
    nextReviewDueAt: instant(at + (grade === 'high' ? 2 : 8) * HOUR),
  })

  /** A council episode (M or A) and, for M, the police report of the same absence, linked. */
  const missingFromCare = async (council: DemoAgency, child: Person, start: number, hours: number | null, flags: string[]) => {
    const childId = child.id
    const councilActor = actorOf(caseWorkerOf[council] ?? '')
    const category = random.chance(0.75) ? ('M' as const) : ('A' as const)
    const laEpisode = await services.episodes.create(councilActor, childId, {
      startedAt: instant(start),
      laCategory: category,
      missingFromType: random.pick(['childrens_home', 'foster_placement', 'supported_accommodation'] as const),
      circumstances: 'Did not return to the placement after school',
    })
    episodes += 1
    const end = hours === null ? null : start + hours * HOUR
    const force = FORCE_OF[council]
    if (category === 'M' && force) {
      const forceActor = actorOf(caseWorkerOf[force] ?? '')
      const policeRecord = await services.people.create(forceActor, {
        names: child.names.map(({ kind, text, script, transliteration }) => ({ kind, text, script, transliteration })),
        sex: child.sex,
        dateOfBirth: child.dateOfBirth?.earliest && child.dateOfBirth.latest && child.dateOfBirth.source
          ? { earliest: child.dateOfBirth.earliest, latest: child.dateOfBirth.latest, source: child.dateOfBirth.source }
          : null,
        nationalities: child.nationalities,
        flags: { unaccompanied: child.flags.unaccompanied },
      })
      people += 1
      const grade = flags.includes('trafficking') ? 'high' : random.weighted([['low', 4], ['medium', 5], ['high', 1]] as const)
      const policeEpisode = await services.episodes.create(forceActor, policeRecord.id, {
        startedAt: instant(start),
        reportedAt: instant(start + random.int(1, 6) * HOUR),
        incidentReference: `${AGENCIES[force]}-${dateOf(start).replaceAll('-', '')}-${random.int(1000, 9999)}`,
        initialRisk: riskAt(start + 2 * HOUR, grade, flags),
        lastSeen: { place: 'Near the placement', postcode: postcodeIn(council), by: 'Carer' },
        clothing: random.pick(['Black puffer jacket, grey joggers', 'Red hoodie, blue jeans', 'School uniform, black rucksack']),
      })
      episodes += 1
      await services.episodes.link(forceActor, policeEpisode.id, { version: policeEpisode.version, otherEpisodeId: laEpisode.id })
      if (end !== null) {
        const current = await services.episodes.get(forceActor, policeEpisode.id)
        await services.episodes.end(forceActor, policeEpisode.id, { version: current.version, endedAt: instant(end), outcome: 'found', returnMethod: random.pick(['found_by_police', 'returned_voluntarily'] as const), harmOutcome: 'no_apparent_harm' })
      }
    }
    if (end !== null) {
      const current = await services.episodes.get(councilActor, laEpisode.id)
      await services.episodes.end(councilActor, laEpisode.id, { version: current.version, endedAt: instant(end), outcome: 'returned', returnMethod: 'returned_voluntarily' })
      if (end < now.getTime() - 80 * HOUR && random.chance(0.7)) {
        const offered = end + random.int(2, 30) * HOUR
        const accepted = random.chance(0.7)
        await services.interviews.recordReturnHomeInterview(councilActor, laEpisode.id, {
          offeredAt: instant(offered),
          accepted,
          completedAt: accepted ? instant(offered + random.int(4, 60) * HOUR) : null,
          interviewerIndependent: true,
          notConductedReason: null,
        })
      }
    }
  }

  for (let index = 0; index < total; index += 1) {
    const scenario = random.weighted([['lookedAfter', 45], ['trafficked', 20], ['childAtHome', 20], ['dementia', 10], ['adult', 5]] as const)
    if (scenario === 'lookedAfter' || scenario === 'trafficked') {
      const trafficked = scenario === 'trafficked'
      const council = random.weighted([['kent', trafficked ? 5 : 3], ['croydon', trafficked ? 4 : 2], ['manchester', 2], ['cardiff', 1]] as const)
      const actor = actorOf(caseWorkerOf[council] ?? '')
      const pool = trafficked ? random.pick(NAME_POOLS.filter((p) => p.nationality !== 'GBR')) : random.weighted([[NAME_POOLS[0] ?? random.pick(NAME_POOLS), 9], [random.pick(NAME_POOLS), 1]] as const)
      const dob = trafficked ? birthRange(14, 17.5, true) : birthRange(10, 17.5, false)
      const child = await newPerson(actor, pool, trafficked ? (random.chance(0.78) ? 'male' : 'female') : random.chance(0.56) ? 'male' : 'female', dob, {
        ageDisputed: trafficked && random.chance(0.4),
        identifiers: [{ kind: 'la_child_id', value: `${AGENCIES[council]}-${100000 + index}` }],
        flags: { unaccompanied: trafficked, suspectedTrafficking: trafficked, restrictedLocation: trafficked },
      })
      const careStart = now.getTime() - (trafficked ? random.int(3, 400) : random.int(30, 900)) * DAY
      const outOfArea = random.chance(trafficked ? 0.5 : 0.3)
      const placementType = random.weighted([['U4', 25], ['U6', 20], ['K2', 30], ['K3', 10], ['U1', 10], ['R1', 5]] as const)
      await services.care.create(actor, child.id, {
        startedOn: dateOf(careStart),
        reasonForNewEpisode: 'S',
        legalStatus: trafficked ? 'V2' : random.pick(['C1', 'C2', 'V2'] as const),
        categoryOfNeed: trafficked ? 'N8' : random.pick(['N1', 'N4', 'N5'] as const),
        placementType,
        placementProvider: placementType === 'R1' ? 'PR3' : random.pick(['PR1', 'PR4', 'PR5'] as const),
        homePostcode: postcodeIn(council),
        placementPostcode: postcodeIn(outOfArea ? random.pick(['kent', 'croydon', 'manchester'] as const) : council),
      })
      if (trafficked) {
        const referredOn = careStart + random.int(1, 20) * DAY
        if (referredOn < now.getTime() - DAY) {
          const referral = await services.trafficking.createReferral(actor, child.id, {
            competentAuthorityId: agencyOf('singleCompetentAuthority').id,
            referredOn: dateOf(referredOn),
            exploitationTypes: [random.weighted([['criminal', 43], ['labour', 25], ['sexual', 20], ['domestic_servitude', 7], ['unknown', 5]] as const)],
            countyLines: random.chance(0.3),
            exploitationLocation: random.pick(['uk', 'overseas', 'uk_and_overseas'] as const),
            ageAtExploitation: 'child',
          })
          const reasonableOn = referredOn + random.int(6, 23) * DAY
          const decider = actorOf('decision.maker@sca.example')
          if (reasonableOn < now.getTime() - DAY) {
            const positive = random.chance(0.74)
            const afterRg = await services.trafficking.recordDecision(decider, referral.id, { stage: 'reasonable_grounds', outcome: positive ? 'positive' : 'negative', decidedOn: dateOf(reasonableOn) })
            const conclusiveOn = reasonableOn + random.int(40, 300) * DAY
            if (positive && conclusiveOn < now.getTime() - DAY && random.chance(0.6)) {
              const cgPositive = random.chance(0.66)
              await services.trafficking.recordDecision(decider, afterRg.id, {
                stage: 'conclusive_grounds',
                outcome: cgPositive ? 'positive' : 'negative',
                conclusiveFinding: cgPositive ? 'human_trafficking' : null,
                decidedOn: dateOf(conclusiveOn),
              })
            }
          }
          if (random.chance(0.5)) {
            const guardian = actorOf('guardian@ictg.example')
            await services.trafficking.assignGuardian(actor, child.id, {
              guardianAgencyId: agencyOf('guardianService').id,
              guardianUserId: guardian.userId,
              role: 'direct_worker',
              allocatedOn: dateOf(Math.min(referredOn + random.int(1, 10) * DAY, now.getTime() - DAY)),
            })
          }
        }
      }
      // ECPAT / APPG: about 24-31% of trafficked children in care go missing, many within 48 hours of placement,
      // and a share are never found; about 11% of looked-after children go missing in a year.
      const goesMissing = random.chance(trafficked ? 0.3 : 0.15)
      if (goesMissing) {
        const flags = trafficked ? ['looked_after_child', 'trafficking'] : ['looked_after_child']
        let start = trafficked ? careStart + random.int(2, 48) * HOUR : careStart + random.int(5, 200) * DAY
        const count = random.int(1, trafficked ? 4 : 3)
        for (let episode = 0; episode < count && start < now.getTime() - 2 * HOUR; episode += 1) {
          const last = episode === count - 1
          const neverFound = trafficked && last && random.chance(0.2)
          const hours = neverFound ? null : random.weighted([[random.int(1, 24), 6], [random.int(24, 72), 3], [random.int(72, 400), 1]] as const)
          if (hours !== null && start + hours * HOUR > now.getTime() - HOUR) {
            await missingFromCare(council, child, start, null, flags)
            break
          }
          await missingFromCare(council, child, start, hours, flags)
          start = start + (hours ?? 0) * HOUR + random.int(3, 60) * DAY
        }
      }
    } else if (scenario === 'childAtHome' || scenario === 'adult' || scenario === 'dementia') {
      const force = random.weighted([['kentPolice', 4], ['metPolice', 3], ['manchesterPolice', 2], ['southWalesPolice', 1]] as const)
      const actor = actorOf(caseWorkerOf[force] ?? '')
      const pool = random.weighted([[NAME_POOLS[0] ?? random.pick(NAME_POOLS), 8], [random.pick(NAME_POOLS), 2]] as const)
      const ages = scenario === 'childAtHome' ? [12, 17.5] : scenario === 'dementia' ? [70, 92] : [19, 60]
      const person = await newPerson(actor, pool, random.chance(0.5) ? 'male' : 'female', birthRange(ages[0] ?? 20, ages[1] ?? 40, false), {
        identifiers: [{ kind: 'force_reference', value: `${AGENCIES[force]}-P${200000 + index}` }],
      })
      if (scenario === 'dementia') {
        await services.protocols.create(actor, person.id, {
          protocol: 'herbert',
          consentBasis: random.chance(0.5) ? 'consent' : 'best_interests',
          details: {
            routines: [{ when: 'Every morning', description: 'Walks to the newsagent', place: 'High Street' }],
            placesOfInterest: [{ place: 'The house they grew up in', reason: 'Has tried to go back there before' }],
            transportHabits: 'Uses a bus pass; has taken buses to the coast',
          },
          lastReviewedOn: dateOf(now.getTime() - random.int(10, 300) * DAY),
          photoUpdatedOn: dateOf(now.getTime() - random.int(10, 400) * DAY),
        })
      }
      const count = random.int(1, scenario === 'childAtHome' ? 3 : 1)
      let start = now.getTime() - random.int(1, 300) * DAY
      for (let episode = 0; episode < count; episode += 1) {
        const open = episode === count - 1 && random.chance(scenario === 'dementia' ? 0.3 : 0.15)
        const grade = scenario === 'dementia' ? 'high' : random.weighted([['very_low', 1], ['low', 4], ['medium', 4], ['high', 1]] as const)
        const actualStart = open ? now.getTime() - random.int(2, 90) * HOUR : start
        const created = await services.episodes.create(actor, person.id, {
          startedAt: instant(actualStart),
          incidentReference: `${AGENCIES[force]}-${dateOf(actualStart).replaceAll('-', '')}-${random.int(1000, 9999)}`,
          initialRisk: riskAt(actualStart + HOUR, grade, scenario === 'childAtHome' ? ['cce'] : ['dementia']),
          lastSeen: { place: random.pick(['Home address', 'Town centre', 'Railway station', 'Park near home']), by: 'Family member' },
          missingFromType: 'home',
          circumstances: scenario === 'dementia' ? 'Left home in the early morning; confused recently' : 'Argument at home; left on foot',
        })
        episodes += 1
        if (random.chance(0.5)) {
          await services.episodes.recordAction(actor, created.id, { kind: 'cctv', description: 'Review town centre CCTV', dueAt: instant(actualStart + 6 * HOUR) })
        }
        if (open) break
        const end = actualStart + random.int(2, 60) * HOUR
        const current = await services.episodes.get(actor, created.id)
        await services.episodes.end(actor, created.id, { version: current.version, endedAt: instant(end), outcome: random.chance(0.5) ? 'found' : 'returned', returnMethod: random.pick(['found_by_police', 'returned_voluntarily', 'found_by_carer_or_family'] as const), harmOutcome: 'no_apparent_harm' })
        if (random.chance(0.8)) {
          await services.interviews.recordPreventionInterview(actor, created.id, { conductedAt: instant(end + random.int(1, 20) * HOUR), method: random.pick(['face_to_face', 'phone'] as const), harmDisclosed: false })
        }
        start = end + random.int(5, 90) * DAY
        if (start > now.getTime() - 3 * DAY) break
      }
    }
    options.onProgress?.(index + 1, total)
  }
  return { created: true, users: demoUsers, people, episodes }
}
