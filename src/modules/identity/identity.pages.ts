import type { FastifyPluginAsync } from 'fastify'
import type { Services } from '../../services.ts'
import { can } from '../access/roles.ts'
import { DomainError, ValidationError } from '../../lib/errors.ts'
import { isUuid } from '../../lib/ids.ts'
import type { WebPages } from '../../web/web.ts'
import { translator, type Translate } from '../../web/i18n.ts'
import { formatters, personName, type Formatters } from '../../web/format.ts'
import { pageActor } from '../../web/session.ts'
import { FormProblems, choice, dateInput, descriptionAnswers, fromServiceErrors, text, wholeNumber, type FormBody } from '../../web/forms.ts'
import { IDENTIFIER_KINDS } from '../people/people.schemas.ts'
import type { EncounterMatch, Explanation, MatchPerson, ReviewItem } from './identity.service.ts'
import type { EncounterSearchInput } from './identity.schemas.ts'
import './identity.messages.ts'

// The encounter search page (who is this child?) and the identity review queue. Pages shape what the identity
// service returns; the service checks access, audits, and raises the alerts.

const VIEWS = 'modules/identity/views'

/** The waterfall as rows: the prior, then each field, with the running total after it. */
export function waterfallRows(explanation: Explanation, t: Translate): { step: string; level: string; weight: string; total: string; positive: boolean }[] {
  const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`
  let total = explanation.prior.weight
  const rows = [{ step: t('encounter.prior'), level: t('encounter.priorLevel'), weight: signed(explanation.prior.weight), total: signed(total), positive: explanation.prior.weight >= 0 }]
  for (const field of explanation.fields) {
    total += field.weight
    rows.push({ step: t(`encounter.field_${field.field}`), level: field.level, weight: signed(field.weight), total: signed(total), positive: field.weight >= 0 })
  }
  return rows
}

function dateOfBirthText(person: MatchPerson, fmt: Formatters): string {
  const dob = person.dateOfBirth
  if (!dob) return ''
  if (dob.earliest && dob.earliest === dob.latest) return fmt.date(dob.earliest)
  return `${fmt.date(dob.earliest)} – ${fmt.date(dob.latest)}`
}

function matchView(match: EncounterMatch, t: Translate, fmt: Formatters) {
  return {
    rank: match.rank,
    name: personName(match.person.names),
    percent: Math.round(match.matchProbability * 1000) / 10,
    born: dateOfBirthText(match.person, fmt),
    sex: match.person.sex,
    missing: match.openEpisode
      ? {
          text: t('encounter.missingFrom', { agency: match.openEpisode.owningAgency.name, since: fmt.dateTime(match.openEpisode.missingSince) }),
          contact: match.openEpisode.owningAgency.contactPhone ? t('encounter.contact', { phone: match.openEpisode.owningAgency.contactPhone }) : '',
          risk: match.openEpisode.riskGrade ? t(`codes.risk.${match.openEpisode.riskGrade}`) : '',
        }
      : null,
    recordedBy: t('encounter.notMissing', { agency: match.person.recordedBy.name }),
    // What the officer can check against the child in front of them.
    looks: [match.description.heightCm ? t('encounter.height', { cm: match.description.heightCm }) : null, match.description.build, match.description.hair, match.description.eyes].filter(Boolean).join(', '),
    marks: match.description.distinguishingMarks,
    waterfall: waterfallRows(match.explanation, t),
    matchWeight: match.matchWeight.toFixed(1),
  }
}

function reviewView(item: ReviewItem, t: Translate, fmt: Formatters) {
  return {
    id: item.id,
    version: item.version,
    percent: Math.round(item.matchProbability * 1000) / 10,
    records: item.records.map((record) => ({ name: personName(record.names), born: dateOfBirthText(record, fmt), recordedBy: record.recordedBy.name, nationalities: record.nationalities.join(', ') })),
    waterfall: item.explanation ? waterfallRows(item.explanation, t) : [],
  }
}

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const mayCoordinate = (roles: readonly string[]) => roles.includes('missing_person_coordinator')

    app.get('/encounter-search', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      if (!can.readNationalRegister(actor)) return reply.view('web/views/error.njk', { title: t('errors.forbiddenTitle'), body: t('errors.forbiddenBody', { reason: t('nav.encounterSearch') }) }, 403)
      return reply.view(`${VIEWS}/search.njk`, { title: t('encounter.title'), values: {}, identifierKinds: IDENTIFIER_KINDS, mayCoordinate: mayCoordinate(actor.roles), results: null, errors: null })
    })

    app.post('/encounter-search', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      if (!can.readNationalRegister(actor)) return reply.view('web/views/error.njk', { title: t('errors.forbiddenTitle'), body: t('errors.forbiddenBody', { reason: t('nav.encounterSearch') }) }, 403)
      const body = request.body as FormBody
      const problems = new FormProblems()
      const name = text(body, 'name')
      const purpose = text(body, 'purpose')
      const identifierKind = choice(body, 'identifierKind', IDENTIFIER_KINDS, problems, null)
      const identifierValue = text(body, 'identifierValue')
      if (name === '' && !(identifierKind && identifierValue)) problems.add('name', t('encounter.nameRequired'))
      if (purpose === '') problems.add('purpose', t('encounter.purposeRequired'))
      const dateOfBirth = dateInput(body, 'dateOfBirth', t('encounter.dateOfBirth'), problems, t, false)
      const ageFrom = wholeNumber(body, 'ageFrom', t('encounter.ageFrom'), { min: 0, max: 120 }, problems, t)
      const ageTo = wholeNumber(body, 'ageTo', t('encounter.ageTo'), { min: 0, max: 120 }, problems, t)
      const sex = choice(body, 'sex', ['male', 'female'] as const, problems, null)
      const nationality = text(body, 'nationality').toUpperCase()
      const described = Object.entries(descriptionAnswers(body, problems, t)).filter(([, value]) => value !== null)
      const values = { ...body }
      const view = (results: unknown, status: number, errors: FormProblems | null) =>
        reply.view(`${VIEWS}/search.njk`, { title: t('encounter.title'), values, identifierKinds: IDENTIFIER_KINDS, mayCoordinate: mayCoordinate(actor.roles), results, errors: errors?.toFormErrors() ?? null }, status)
      if (!problems.empty) return view(null, 400, problems)
      const input: EncounterSearchInput = {
        ...(name ? { name } : {}),
        ...(dateOfBirth ? { dateOfBirth } : {}),
        ...(ageFrom !== null ? { ageFrom } : {}),
        ...(ageTo !== null ? { ageTo } : {}),
        ...(sex ? { sex } : {}),
        ...(nationality ? { nationality } : {}),
        ...(identifierKind && identifierValue ? { identifiers: [{ kind: identifierKind, value: identifierValue }] } : {}),
        ...(described.length > 0 ? { description: Object.fromEntries(described) } : {}),
        scope: text(body, 'scope') === 'all' && mayCoordinate(actor.roles) ? 'all' : 'missing',
      }
      try {
        const found = await services.identity.search({ ...actor, purpose }, input)
        const fmt = formatters(request.language)
        return view(
          found.results.map((match) => matchView(match, t, fmt)),
          200,
          null,
        )
      } catch (error) {
        if (error instanceof ValidationError) return view(null, 400, fromServiceErrors(error.errors, { fallbackField: 'name' }))
        throw error
      }
    })

    app.get('/identity-reviews', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      if (!can.workCases(actor)) return reply.view('web/views/error.njk', { title: t('errors.forbiddenTitle'), body: t('errors.forbiddenBody', { reason: t('nav.identityReviews') }) }, 403)
      const query = request.query as Record<string, unknown>
      const purpose = typeof query.purpose === 'string' ? query.purpose.trim() : ''
      const asked = typeof query.purpose === 'string'
      const problems = new FormProblems()
      if (asked && purpose === '') problems.add('purpose', t('reviews.purposeRequired'))
      let items: ReturnType<typeof reviewView>[] | null = null
      if (purpose !== '') {
        const fmt = formatters(request.language)
        const page = await services.identity.reviews({ ...actor, purpose }, { pageSize: 20 })
        items = page.items.map((item) => reviewView(item, t, fmt))
      }
      return reply.view(
        `${VIEWS}/reviews.njk`,
        { title: t('reviews.title'), purpose, items, saved: query.saved === '1', errors: problems.toFormErrors() },
        problems.empty ? 200 : 400,
      )
    })

    app.post('/identity-reviews/:linkId', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      const { linkId } = request.params as { linkId: string }
      const body = request.body as FormBody
      const purpose = text(body, 'purpose')
      if (!isUuid(linkId)) return reply.view('web/views/error.njk', { title: t('errors.notFoundTitle'), body: t('errors.notFoundBody') }, 404)
      const problems = new FormProblems()
      const decision = choice(body, 'decision', ['same_person', 'different_people'] as const, problems, t('reviews.decisionRequired'), `decision-${linkId}`)
      const reason = text(body, 'reason')
      if (reason === '') problems.add(`reason-${linkId}`, t('reviews.reasonRequired'))
      const render = async (status: number) => {
        const fmt = formatters(request.language)
        const page = purpose ? await services.identity.reviews({ ...actor, purpose }, { pageSize: 20 }) : { items: [] }
        return reply.view(
          `${VIEWS}/reviews.njk`,
          { title: t('reviews.title'), purpose, items: page.items.map((item) => reviewView(item, t, fmt)), saved: false, errors: problems.toFormErrors(), values: body },
          status,
        )
      }
      if (!problems.empty || !decision) return render(400)
      try {
        await services.identity.decide(actor, linkId, { decision, reason, version: Number(text(body, 'version')) || 1 })
      } catch (error) {
        if (error instanceof ValidationError) {
          for (const problem of error.errors) problems.add(`reason-${linkId}`, problem.message)
          return render(400)
        }
        if (error instanceof DomainError && error.status === 409) {
          problems.add(`decision-${linkId}`, error.message)
          return render(409)
        }
        throw error
      }
      return reply.redirect(`/identity-reviews?purpose=${encodeURIComponent(purpose)}&saved=1`, 303)
    })
  }
}

export const identityPages: WebPages = {
  routes,
  navigation: [
    { key: 'nav.encounterSearch', href: '/encounter-search', show: (actor) => can.readNationalRegister(actor) },
    { key: 'nav.identityReviews', href: '/identity-reviews', show: (actor) => can.workCases(actor) },
  ],
}
