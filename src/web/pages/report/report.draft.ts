import type { Translate } from '../../i18n.ts'
import { choice, dateInput, dateTimeInput, descriptionAnswers, FormProblems, list, optionalText, text, wholeNumber, type FormBody } from '../../forms.ts'
import { MISSING_FROM_TYPES, RISK_ANSWERS, RISK_GRADES, RISK_QUESTIONS, VULNERABILITY_FLAGS, LA_CATEGORIES, type EpisodeInput, type RiskQuestion } from '../../../modules/episodes/episodes.schemas.ts'
import { DOB_SOURCES, SEXES, type PersonInput } from '../../../modules/people/people.schemas.ts'
import type { ProtocolProfile } from '../../../modules/protocols/protocols.service.ts'
import { addDays, londonDateOf } from '../../../lib/dates.ts'

// The "report a missing person" journey keeps its answers in the pages themselves (a hidden `draft` field), not
// on the server: nothing personal is parked between requests. Each question page reads and checks its own
// answers; the check-answers page reads them all again, and only then are the services called.

export const STEPS = ['person', 'last-seen', 'circumstances', 'risk', 'check'] as const
export type Step = (typeof STEPS)[number]

export interface ReportDraft {
  /** An existing person of the agency, chosen on the find page; null for a new person. */
  personId: string | null
  /** The Herbert or Philomena profile the answers were pre-filled from. */
  profile: { id: string; protocol: string } | null
  /** Every answer so far, by form field name. */
  answers: Record<string, string | string[]>
}

export function emptyDraft(): ReportDraft {
  return { personId: null, profile: null, answers: {} }
}

export function encodeDraft(draft: ReportDraft): string {
  return Buffer.from(JSON.stringify(draft), 'utf8').toString('base64url')
}

/** A draft from the page; anything malformed starts afresh (the services check everything at the end anyway). */
export function decodeDraft(value: unknown): ReportDraft {
  if (typeof value !== 'string' || value === '') return emptyDraft()
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<ReportDraft>
    const answers: Record<string, string | string[]> = {}
    if (parsed.answers && typeof parsed.answers === 'object') {
      for (const [key, answer] of Object.entries(parsed.answers)) {
        if (typeof answer === 'string') answers[key] = answer
        else if (Array.isArray(answer)) answers[key] = answer.filter((item): item is string => typeof item === 'string')
      }
    }
    const profile = parsed.profile && typeof parsed.profile.id === 'string' && typeof parsed.profile.protocol === 'string' ? { id: parsed.profile.id, protocol: parsed.profile.protocol } : null
    return { personId: typeof parsed.personId === 'string' ? parsed.personId : null, profile, answers }
  } catch {
    return emptyDraft()
  }
}

/** The fields each step owns, so a step's answers replace only its own (unticked boxes included). */
export const STEP_FIELDS: Record<Exclude<Step, 'check'>, readonly string[]> = {
  person: [
    'givenName', 'familyName', 'otherName', 'sex', 'dob-day', 'dob-month', 'dob-year', 'dobSource', 'age',
    'heightCm', 'build', 'hair', 'eyes', 'distinguishingMarks', 'flags',
  ],
  'last-seen': ['lastSeen-day', 'lastSeen-month', 'lastSeen-year', 'lastSeen-time', 'lastSeenPlace', 'lastSeenPostcode', 'lastSeenBy', 'missingFrom', 'missingFromType'],
  circumstances: ['circumstances', 'clothing', 'reportedBy', 'incidentReference'],
  risk: [
    ...Object.keys(RISK_QUESTIONS).flatMap((question) => [question, `${question}-explanation`]),
    'vulnerabilityFlags', 'grade', 'rationale', 'informationSource', 'nextReview-day', 'nextReview-month', 'nextReview-year', 'nextReview-time', 'laCategory',
  ],
}

export function withAnswers(draft: ReportDraft, step: Exclude<Step, 'check'>, body: FormBody): ReportDraft {
  const answers = { ...draft.answers }
  for (const field of STEP_FIELDS[step]) {
    const value = body[field]
    if (value === undefined) delete answers[field]
    else answers[field] = Array.isArray(value) ? value.map((item) => item.trim()) : value.trim()
  }
  return { ...draft, answers }
}

// ------------------------------------------------------------------ reading each step

export interface StepResult<T> {
  problems: FormProblems
  value: T | null
}

const PERSON_FLAGS = ['unaccompanied', 'suspectedTrafficking'] as const

export function readPerson(answers: FormBody, t: Translate, today = londonDateOf(new Date())): StepResult<PersonInput> {
  const problems = new FormProblems()
  const givenName = text(answers, 'givenName')
  const familyName = text(answers, 'familyName')
  const otherName = text(answers, 'otherName')
  if (givenName === '' && familyName === '') problems.add('givenName', t('report.person.nameRequired'))
  for (const [field, value] of [['givenName', givenName], ['familyName', familyName], ['otherName', otherName]] as const) {
    if (value.length > 200) problems.add(field, t('report.tooLong', { max: 200 }))
  }
  const sex = choice(answers, 'sex', SEXES, problems, t('report.person.sexRequired'), 'sex')
  const dob = dateInput(answers, 'dob', t('report.person.dobLabel'), problems, t, false)
  const age = wholeNumber(answers, 'age', t('report.person.ageLabel'), { min: 0, max: 120 }, problems, t)
  let dateOfBirth: PersonInput['dateOfBirth'] = null
  if (dob) {
    const source = choice(answers, 'dobSource', DOB_SOURCES, problems, t('report.person.dobSourceRequired'), 'dobSource')
    if (dob > today) problems.add('dob', t('report.person.dobFuture'), 'dob-day')
    if (age !== null) problems.add('age', t('report.person.dobOrAge'))
    if (source) dateOfBirth = { earliest: dob, latest: dob, source }
  } else if (age !== null) {
    // An age alone is an estimated range: born between age+1 years ago (plus a day) and age years ago.
    const year = Number(today.slice(0, 4))
    const latest = `${year - age}${today.slice(4)}`
    const earliest = addDays(`${year - age - 1}${today.slice(4)}`, 1)
    dateOfBirth = { earliest, latest: latest.endsWith('02-29') ? `${year - age}-02-28` : latest, source: 'estimated' }
  }
  const description = descriptionAnswers(answers, problems, t)
  const flags = list(answers, 'flags').filter((flag): flag is (typeof PERSON_FLAGS)[number] => (PERSON_FLAGS as readonly string[]).includes(flag))
  if (!problems.empty || !sex) return { problems, value: null }
  const names: PersonInput['names'] = []
  if (givenName) names.push({ kind: 'given', text: givenName })
  if (familyName) names.push({ kind: 'family', text: familyName })
  if (otherName) names.push({ kind: 'alias', text: otherName })
  return {
    problems,
    value: {
      names,
      sex,
      dateOfBirth,
      description,
      flags: { unaccompanied: flags.includes('unaccompanied'), suspectedTrafficking: flags.includes('suspectedTrafficking') },
    },
  }
}

export type LastSeen = Pick<EpisodeInput, 'startedAt' | 'lastSeen' | 'missingFrom' | 'missingFromType'>

export function readLastSeen(answers: FormBody, t: Translate, now = new Date()): StepResult<LastSeen> {
  const problems = new FormProblems()
  const startedAt = dateTimeInput(answers, 'lastSeen', t('report.lastSeen.whenLabel'), problems, t, true)
  if (startedAt && startedAt > now) problems.add('lastSeen', t('report.lastSeen.future'), 'lastSeen-day')
  const place = text(answers, 'lastSeenPlace')
  if (place === '') problems.add('lastSeenPlace', t('report.lastSeen.placeRequired'))
  else if (place.length > 500) problems.add('lastSeenPlace', t('report.tooLong', { max: 500 }))
  const postcode = text(answers, 'lastSeenPostcode')
  if (postcode !== '' && !/^[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}$/.test(postcode)) problems.add('lastSeenPostcode', t('report.lastSeen.postcodeFormat'))
  const missingFromType = choice(answers, 'missingFromType', MISSING_FROM_TYPES, problems, null, 'missingFromType')
  if (!problems.empty || !startedAt) return { problems, value: null }
  return {
    problems,
    value: {
      startedAt: startedAt.toISOString(),
      lastSeen: { place, postcode: postcode || null, by: optionalText(answers, 'lastSeenBy') },
      missingFrom: optionalText(answers, 'missingFrom'),
      missingFromType,
    },
  }
}

export type Circumstances = Pick<EpisodeInput, 'circumstances' | 'clothing' | 'reportedBy' | 'incidentReference'>

export function readCircumstances(answers: FormBody, t: Translate, police: boolean): StepResult<Circumstances> {
  const problems = new FormProblems()
  const circumstances = text(answers, 'circumstances')
  if (circumstances === '') problems.add('circumstances', t('report.circumstances.required'))
  else if (circumstances.length > 4000) problems.add('circumstances', t('report.tooLong', { max: 4000 }))
  const clothing = text(answers, 'clothing')
  if (clothing.length > 1000) problems.add('clothing', t('report.tooLong', { max: 1000 }))
  const reference = text(answers, 'incidentReference')
  if (reference.length > 50) problems.add('incidentReference', t('report.tooLong', { max: 50 }))
  if (!problems.empty) return { problems, value: null }
  return {
    problems,
    value: {
      circumstances,
      clothing: clothing || null,
      reportedBy: optionalText(answers, 'reportedBy'),
      ...(police ? { incidentReference: reference || null } : {}),
    },
  }
}

export type RiskStep = { initialRisk: NonNullable<EpisodeInput['initialRisk']> } | { laCategory: 'M' | 'A' }

/** Police grade the initial risk (APP); a local authority says missing (M) or away (A). */
export function readRisk(answers: FormBody, t: Translate, police: boolean, startedAt: string | null, now = new Date()): StepResult<RiskStep> {
  const problems = new FormProblems()
  if (!police) {
    const laCategory = choice(answers, 'laCategory', LA_CATEGORIES, problems, t('report.risk.categoryRequired'), 'laCategory')
    return { problems, value: laCategory ? { laCategory } : null }
  }
  const answered: Partial<Record<RiskQuestion, { answer: (typeof RISK_ANSWERS)[number]; explanation: string | null }>> = {}
  for (const question of Object.keys(RISK_QUESTIONS) as RiskQuestion[]) {
    const answer = choice(answers, question, RISK_ANSWERS, problems, null, `${question}`)
    const explanation = text(answers, `${question}-explanation`)
    if (explanation.length > 2000) problems.add(`${question}-explanation`, t('report.tooLong', { max: 2000 }))
    if (answer) answered[question] = { answer, explanation: explanation || null }
  }
  const flags = list(answers, 'vulnerabilityFlags').filter((flag): flag is (typeof VULNERABILITY_FLAGS)[number] => (VULNERABILITY_FLAGS as readonly string[]).includes(flag))
  const grade = choice(answers, 'grade', RISK_GRADES, problems, t('report.risk.gradeRequired'), 'grade')
  const rationale = text(answers, 'rationale')
  if (rationale === '') problems.add('rationale', t('report.risk.rationaleRequired'))
  else if (rationale.length > 4000) problems.add('rationale', t('report.tooLong', { max: 4000 }))
  const nextReview = dateTimeInput(answers, 'nextReview', t('report.risk.nextReviewLabel'), problems, t, false)
  if (nextReview && nextReview < now) problems.add('nextReview', t('report.risk.nextReviewPast'), 'nextReview-day')
  if (!problems.empty || !grade) return { problems, value: null }
  // The initial assessment is made now, on the report; it cannot be before the person was last seen.
  const assessedAt = startedAt && new Date(startedAt) > now ? startedAt : now.toISOString()
  return {
    problems,
    value: {
      initialRisk: {
        assessedAt,
        grade,
        rationale,
        answers: answered,
        vulnerabilityFlags: flags,
        informationSource: optionalText(answers, 'informationSource'),
        informationObtainedAt: assessedAt,
        nextReviewDueAt: nextReview ? nextReview.toISOString() : null,
      },
    },
  }
}

/** Which step to show again for a service's field error. */
export function stepOfServiceField(field: string): { step: Exclude<Step, 'check'>; field: string; anchor: string } {
  const direct: Record<string, { step: Exclude<Step, 'check'>; field: string; anchor: string }> = {
    startedAt: { step: 'last-seen', field: 'lastSeen', anchor: 'lastSeen-day' },
    'lastSeen/postcode': { step: 'last-seen', field: 'lastSeenPostcode', anchor: 'lastSeenPostcode' },
    reportedAt: { step: 'last-seen', field: 'lastSeen', anchor: 'lastSeen-day' },
    laCategory: { step: 'risk', field: 'laCategory', anchor: 'laCategory' },
    'initialRisk/nextReviewDueAt': { step: 'risk', field: 'nextReview', anchor: 'nextReview-day' },
    'dateOfBirth/latest': { step: 'person', field: 'dob', anchor: 'dob-day' },
    'dateOfBirth/earliest': { step: 'person', field: 'dob', anchor: 'dob-day' },
  }
  const known = direct[field]
  if (known) return known
  if (field.startsWith('initialRisk')) return { step: 'risk', field: 'grade', anchor: 'grade' }
  if (field.startsWith('names') || field.startsWith('description') || field === 'sex') return { step: 'person', field: 'givenName', anchor: 'givenName' }
  return { step: 'circumstances', field: 'circumstances', anchor: 'circumstances' }
}

// ------------------------------------------------------------------ pre-filling from a Herbert or Philomena profile

const PROFILE_FLAG: Record<string, (typeof VULNERABILITY_FLAGS)[number]> = {
  cse: 'cse',
  cce: 'cce',
  county_lines: 'county_lines',
  trafficking: 'trafficking',
  self_harm: 'self_harm',
  mental_health: 'mental_health',
  dementia: 'dementia',
  learning_disability: 'learning_disability',
  substance_misuse: 'drugs',
}

/**
 * The answers a profile gives before anyone is asked: the risk questions it answers, the vulnerabilities, the
 * information source, and everything else it holds (places, routines, people, phones, medication) written into
 * the circumstances for the officer to edit. Clothing and when and where last seen are part 2 of the forms,
 * asked at the time, so they are left for the person reporting.
 */
export function prefillFromProfile(profile: ProtocolProfile, t: Translate): Record<string, string | string[]> {
  const answers: Record<string, string | string[]> = {}
  const flags = [...new Set(profile.vulnerabilities.map((vulnerability) => PROFILE_FLAG[vulnerability]).filter((flag) => flag !== undefined))]
  if (flags.length > 0) answers.vulnerabilityFlags = flags
  const yes = (question: RiskQuestion, explanation: string) => {
    answers[question] = 'yes'
    answers[`${question}-explanation`] = explanation.slice(0, 2000)
  }
  const medical = profile.details.medical
  if (medical?.conditions?.length) yes('q5', medical.conditions.join('; '))
  const critical = (medical?.medication ?? []).filter((medication) => medication.effectIfMissed)
  if (critical.length > 0) yes('q4', critical.map((medication) => `${medication.name}: ${medication.effectIfMissed}`).join('; '))
  if (profile.vulnerabilities.includes('dementia')) yes('q25', t('report.prefill.fromProfile'))
  if (profile.vulnerabilities.includes('mental_health')) yes('q24', t('report.prefill.fromProfile'))
  if (profile.vulnerabilities.includes('substance_misuse')) yes('q7', t('report.prefill.fromProfile'))
  const exploitation = profile.vulnerabilities.filter((vulnerability) => ['cse', 'trafficking', 'cce', 'county_lines'].includes(vulnerability))
  if (exploitation.some((vulnerability) => vulnerability === 'cse' || vulnerability === 'trafficking')) yes('q16', t('report.prefill.fromProfile'))
  const previous = profile.details.previousMissingIncidents
  if (previous !== undefined && previous !== null && previous > 0) yes('q21', t('report.prefill.previousIncidents', { count: previous }))
  answers.informationSource = t(`report.prefill.source.${profile.protocol}`, { reviewed: profile.lastReviewedOn ?? t('layout.notRecorded') })

  const lines: string[] = [t(`report.prefill.heading.${profile.protocol}`)]
  const section = (key: string, items: string[]) => {
    if (items.length > 0) lines.push('', `${t(`report.prefill.${key}`)}:`, ...items.map((item) => `- ${item}`))
  }
  const details = profile.details
  const personal = details.personal
  section('personal', [
    personal?.preferredName ? `${t('report.prefill.preferredName')}: ${personal.preferredName}` : '',
    personal?.firstLanguage ? `${t('report.prefill.firstLanguage')}: ${personal.firstLanguage}` : '',
    personal?.accent ?? '',
    personal?.mobilityAndCommunicationAids ?? '',
    details.legalStatus ?? '',
  ].filter((item) => item !== ''))
  section('medication', (medical?.medication ?? []).map((item) => [item.name, item.dose, item.effectIfMissed].filter(Boolean).join(', ')))
  section('placesOfInterest', (details.placesOfInterest ?? []).map((item) => [item.place, item.reason].filter(Boolean).join(': ')))
  section('placesPreviouslyFound', (details.placesPreviouslyFound ?? []).map((item) => [item.place, item.foundOn, item.notes].filter(Boolean).join(', ')))
  section('riskAssessedLocations', profile.riskAssessedLocations.map((item) => [item.address, item.reason, item.associatedPeople?.join(', '), item.riskNotes].filter(Boolean).join('; ')))
  section('routines', (details.routines ?? []).map((item) => [item.when, item.description, item.place].filter(Boolean).join(': ')))
  section('associates', [
    ...profile.associates.map((item) => [item.name, item.relationship, item.phone, item.risk].filter(Boolean).join(', ')),
    ...(details.significantIndividuals ?? []).map((item) => [item.name, item.relationship, item.phone].filter(Boolean).join(', ')),
  ])
  section('phones', [
    ...(details.phones ?? []).map((item) => [item.number, item.provider, item.handset].filter(Boolean).join(', ')),
    ...(details.socialMedia ?? []).map((item) => `${item.platform}: ${item.username}`),
    ...(details.emails ?? []),
  ])
  section('transport', [details.transportHabits ?? '', details.locator ? [details.locator.type, details.locator.contactCentreNumber].filter(Boolean).join(', ') : ''].filter((item) => item !== ''))
  section('bankCards', (details.bankCards ?? []).map((item) => [item.cardType, item.issuer, `**** ${item.lastFourDigits}`].filter(Boolean).join(', ')))
  answers.circumstances = lines.join('\n').slice(0, 4000)
  return answers
}
