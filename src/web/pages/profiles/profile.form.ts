import type { Translate } from '../../i18n.ts'
import { choice, dateInput, FormProblems, list, optionalText, text, wholeNumber, type FormBody } from '../../forms.ts'
import { CONSENT_BASES, VULNERABILITIES, type ProtocolProfileInput } from '../../../modules/protocols/protocols.schemas.ts'
import type { ProtocolProfile } from '../../../modules/protocols/protocols.service.ts'
import type { FieldError } from '../../../lib/errors.ts'
import { isIsoDate } from '../../../lib/dates.ts'

// The Herbert and Philomena profile form. Lists (places, people, medication...) are one item per line, parts of
// an item separated by "|", so the form works without JavaScript; an error names the list and the line.

type Profile = Omit<ProtocolProfileInput, 'protocol'>

/** Each list field: its parts in order, and how a line becomes the service's item. */
const LISTS = {
  medication: ['name', 'dose', 'effectIfMissed'],
  placesOfInterest: ['place', 'reason'],
  placesPreviouslyFound: ['place', 'foundOn', 'notes'],
  routines: ['when', 'description', 'place'],
  phones: ['number', 'provider', 'handset'],
  associates: ['name', 'relationship', 'phone', 'risk'],
  riskAssessedLocations: ['address', 'reason', 'riskNotes'],
  significantIndividuals: ['name', 'relationship', 'phone'],
} as const
export type ListField = keyof typeof LISTS | 'medicalConditions'
export const LIST_FIELDS = [...Object.keys(LISTS), 'medicalConditions'] as ListField[]

const MAX_LINES = 50

function lines(body: FormBody, name: string): string[] {
  return text(body, name).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '')
}

/** A line's parts as an object: blank parts are left out (the service treats them as absent). */
function item(line: string, parts: readonly string[]): Record<string, string> {
  const values = line.split('|').map((part) => part.trim())
  return Object.fromEntries(parts.map((part, index) => [part, values[index] ?? '']).filter(([, value]) => value !== ''))
}

export function readProfileForm(body: FormBody, t: Translate, philomena: boolean): { problems: FormProblems; value: Profile | null } {
  const problems = new FormProblems()
  const consentBasis = choice(body, 'consentBasis', CONSENT_BASES, problems, t('profile.consentRequired'))
  const vulnerabilities = list(body, 'vulnerabilities').filter((value): value is (typeof VULNERABILITIES)[number] => (VULNERABILITIES as readonly string[]).includes(value))
  const lastReviewedOn = dateInput(body, 'lastReviewedOn', t('profile.lastReviewedLabel'), problems, t, false)
  const photoUpdatedOn = dateInput(body, 'photoUpdatedOn', t('profile.photoUpdatedLabel'), problems, t, false)
  const previousMissingIncidents = philomena ? wholeNumber(body, 'previousMissingIncidents', t('profile.previousIncidents'), { min: 0, max: 10000 }, problems, t) : null
  const lists: Record<string, Record<string, string>[]> = {}
  for (const [field, parts] of Object.entries(LISTS)) {
    const rows = lines(body, field)
    if (rows.length > MAX_LINES) problems.add(field, t('profile.tooManyLines', { max: MAX_LINES }))
    lists[field] = rows.slice(0, MAX_LINES).map((line) => item(line, parts))
  }
  // A date in a line is checked here, so the message can say which line and what a date looks like.
  lists.placesPreviouslyFound?.forEach((place, index) => {
    if (place.foundOn !== undefined && !isIsoDate(place.foundOn)) problems.add('placesPreviouslyFound', t('profile.lineDate', { line: index + 1 }))
  })
  const conditions = lines(body, 'medicalConditions')
  if (!problems.empty || !consentBasis) return { problems, value: null }
  const details: Profile['details'] = {
    personal: {
      preferredName: optionalText(body, 'preferredName'),
      firstLanguage: optionalText(body, 'firstLanguage'),
      mobilityAndCommunicationAids: optionalText(body, 'mobilityAndCommunicationAids'),
    },
    medical: { conditions, medication: lists.medication as never },
    routines: lists.routines as never,
    placesOfInterest: lists.placesOfInterest as never,
    placesPreviouslyFound: lists.placesPreviouslyFound as never,
    phones: lists.phones as never,
    transportHabits: optionalText(body, 'transportHabits'),
    ...(philomena ? { legalStatus: optionalText(body, 'legalStatus'), previousMissingIncidents, significantIndividuals: lists.significantIndividuals as never } : {}),
  }
  return {
    problems,
    value: {
      consentBasis,
      vulnerabilities,
      details,
      associates: lists.associates as never,
      riskAssessedLocations: lists.riskAssessedLocations as never,
      lastReviewedOn,
      photoUpdatedOn,
    },
  }
}

/**
 * A service's field errors (`details/placesPreviouslyFound/1/foundOn`) on the form: the list field, naming the
 * line (1-based) and the part.
 */
export function profileServiceErrors(errors: FieldError[], t: Translate): FormProblems {
  const problems = new FormProblems()
  for (const error of errors) {
    const path = error.field.replace(/^details\//, '').replace(/^medical\/(conditions|medication)/, (_whole, part: string) => (part === 'conditions' ? 'medicalConditions' : 'medication'))
    const [field = 'consentBasis', index, part] = path.split('/')
    const target = field === 'personal' ? (index ?? 'preferredName') : field
    if (index !== undefined && /^\d+$/.test(index)) problems.add(target, t('profile.lineError', { line: Number(index) + 1, message: part ? `${part} ${error.message}` : error.message }))
    else problems.add(target, error.message)
  }
  return problems
}

/** A profile as the form's answers, for the change page. */
export function profileValues(profile: ProtocolProfile): FormBody {
  const join = (items: Record<string, unknown>[] | undefined, parts: readonly string[]) =>
    (items ?? []).map((entry) => parts.map((part) => (entry[part] === undefined || entry[part] === null ? '' : String(entry[part]))).join(' | ').replace(/( \| )+$/, '')).join('\n')
  const details = profile.details
  const date = (name: string, iso: string | null): FormBody => {
    if (!iso) return {}
    const [year = '', month = '', day = ''] = iso.split('-')
    return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year }
  }
  return {
    consentBasis: profile.consentBasis,
    vulnerabilities: profile.vulnerabilities,
    preferredName: details.personal?.preferredName ?? '',
    firstLanguage: details.personal?.firstLanguage ?? '',
    mobilityAndCommunicationAids: details.personal?.mobilityAndCommunicationAids ?? '',
    medicalConditions: (details.medical?.conditions ?? []).join('\n'),
    medication: join(details.medical?.medication, LISTS.medication),
    placesOfInterest: join(details.placesOfInterest, LISTS.placesOfInterest),
    placesPreviouslyFound: join(details.placesPreviouslyFound, LISTS.placesPreviouslyFound),
    routines: join(details.routines, LISTS.routines),
    phones: join(details.phones, LISTS.phones),
    associates: join(profile.associates, LISTS.associates),
    riskAssessedLocations: join(profile.riskAssessedLocations as Record<string, unknown>[], LISTS.riskAssessedLocations),
    significantIndividuals: join(details.significantIndividuals, LISTS.significantIndividuals),
    transportHabits: details.transportHabits ?? '',
    legalStatus: details.legalStatus ?? '',
    previousMissingIncidents: details.previousMissingIncidents === undefined || details.previousMissingIncidents === null ? '' : String(details.previousMissingIncidents),
    ...date('lastReviewedOn', profile.lastReviewedOn),
    ...date('photoUpdatedOn', profile.photoUpdatedOn),
  }
}
