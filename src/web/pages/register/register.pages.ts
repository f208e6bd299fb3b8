import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import { can } from '../../../modules/access/roles.ts'
import { NotFoundError, ValidationError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import { londonDateOf } from '../../../lib/dates.ts'
import { ageOn, type RegisterEntry } from '../../../modules/register/register.service.ts'
import type { WebPages } from '../../web.ts'
import { translator, type Translate } from '../../i18n.ts'
import { formatters, personName, type Formatters } from '../../format.ts'
import { choice, dateInput, FormProblems, text, type FormBody } from '../../forms.ts'
import { pageActor, purposeFor, rememberPurpose } from '../../session.ts'
import { PURPOSE_MAX_LENGTH } from '../purpose/purpose.pages.ts'
import './register.messages.ts'
import '../report/report.messages.ts'
import '../people/people.messages.ts'

// The police national register: search every open episode in the country by name (any spelling), age or date
// of birth, sex and description words, with a stated purpose. The search is a POST, so names never sit in
// addresses or browser history; the purpose is remembered for 30 minutes so the photos can be shown.

const PURPOSE_KEY = 'register'
const PAGE_SIZE = 20
const SEXES = ['male', 'female', 'unknown'] as const

export function registerCard(entry: RegisterEntry, t: Translate, fmt: Formatters) {
  const name = personName(entry.names)
  const others = entry.names.filter((item) => item.kind === 'alias' || item.kind === 'nickname').map((item) => item.transliteration ? `${item.text} (${item.transliteration})` : item.text)
  const age = entry.ageRange
    ? entry.ageRange.youngest === entry.ageRange.oldest
      ? t('register.ageOne', { age: entry.ageRange.youngest })
      : t('register.age', { youngest: entry.ageRange.youngest, oldest: entry.ageRange.oldest })
    : null
  const description = [
    entry.description.heightCm ? t('register.height', { cm: entry.description.heightCm }) : null,
    entry.description.build, entry.description.hair, entry.description.eyes,
  ].filter(Boolean).join(', ')
  return {
    episodeId: entry.episodeId,
    name,
    others,
    sex: t(`report.sex.${entry.sex}`),
    age,
    description,
    marks: entry.description.distinguishingMarks,
    clothing: entry.description.clothing,
    grade: entry.riskGrade,
    flags: [entry.flags.unaccompanied ? t('person.flag.unaccompanied') : null, entry.flags.suspectedTrafficking ? t('person.flag.suspectedTrafficking') : null].filter(Boolean),
    missingSince: fmt.dateTime(entry.missingSince),
    lastSeen: entry.lastSeenPlace,
    owner: entry.owningAgency.name,
    contact: [entry.owningAgency.contactPhone, entry.owningAgency.contactEmail].filter(Boolean).join(', '),
    reference: entry.incidentReference,
    photos: entry.photoIds.map((photoId) => `/register/${entry.episodeId}/photos/${photoId}`),
  }
}

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const render = (request: FastifyRequest, context: Record<string, unknown>) => ({
      title: translator(request.language)('register.title'),
      values: {},
      sexes: SEXES,
      ...context,
    })

    app.get('/register', async (request, reply) => {
      const actor = pageActor(request)
      if (!can.readNationalRegister(actor)) throw new NotFoundError('Page')
      return reply.view('web/pages/register/register.njk', render(request, { values: { purpose: purposeFor(request, PURPOSE_KEY) ?? '' } }))
    })

    app.post('/register', async (request, reply) => {
      const actor = pageActor(request)
      if (!can.readNationalRegister(actor)) throw new NotFoundError('Page')
      const t = translator(request.language)
      const fmt = formatters(request.language)
      const body = request.body as FormBody
      const problems = new FormProblems()
      const name = text(body, 'name')
      const description = text(body, 'description')
      const sex = choice(body, 'sex', SEXES, problems, null)
      const ageOf = (field: 'ageFrom' | 'ageTo', label: string) => {
        const value = text(body, field)
        if (value === '') return undefined
        if (!/^\d{1,3}$/.test(value) || Number(value) > 120) {
          problems.add(field, t('register.ageWhole', { label }))
          return undefined
        }
        return Number(value)
      }
      let ageFrom = ageOf('ageFrom', t('register.ageFrom'))
      let ageTo = ageOf('ageTo', t('register.ageTo'))
      if (ageFrom !== undefined && ageTo !== undefined && ageFrom > ageTo) problems.add('ageTo', t('register.ageOrder'))
      const dob = dateInput(body, 'dob', t('register.dobLabel'), problems, t, false)
      if (dob) {
        if (ageFrom !== undefined || ageTo !== undefined) problems.add('dob', t('register.dobOrAges'), 'dob-day')
        const age = ageOn(dob, londonDateOf(new Date()))
        ageFrom = Math.max(0, age - 1)
        ageTo = age + 1
      }
      if (name.length > 200) problems.add('name', t('report.tooLong', { max: 200 }))
      if (description.length > 200) problems.add('description', t('report.tooLong', { max: 200 }))
      if (problems.empty && !name && !description && !sex && ageFrom === undefined && ageTo === undefined) problems.add('name', t('register.criterionRequired'))
      const purpose = text(body, 'purpose')
      if (purpose === '') problems.add('purpose', t('register.purposeRequired'))
      else if (purpose.length > PURPOSE_MAX_LENGTH) problems.add('purpose', t('register.purposeTooLong'))
      const page = Math.max(1, Number(text(body, 'page')) || 1)
      if (problems.empty) {
        try {
          const result = await services.register.search({ ...actor, purpose }, { name: name || undefined, description: description || undefined, sex: sex ?? undefined, ageFrom, ageTo, page, pageSize: PAGE_SIZE })
          rememberPurpose(request, reply, PURPOSE_KEY, purpose)
          return reply.view('web/pages/register/register.njk', render(request, {
            values: body,
            results: result.items.map((entry) => registerCard(entry, t, fmt)),
            total: result.total,
            nextPage: result.total > page * PAGE_SIZE ? page + 1 : null,
          }))
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          error.errors.forEach((item) => problems.add(item.field.replace(/^query\//, ''), item.message))
        }
      }
      return reply.view('web/pages/register/register.njk', render(request, { values: body, errors: problems.toFormErrors() }), 400)
    })

    app.get('/register/:episodeId/photos/:photoId', async (request, reply) => {
      const { episodeId, photoId } = request.params as { episodeId: string; photoId: string }
      if (!isUuid(episodeId) || !isUuid(photoId)) throw new NotFoundError('Photo')
      const actor = { ...pageActor(request), purpose: purposeFor(request, PURPOSE_KEY) }
      const photo = await services.register.photo(actor, episodeId, photoId)
      return reply.type(photo.contentType).header('cache-control', 'private, no-store').send(Buffer.from(photo.bytes))
    })
  }
}

export const registerPages: WebPages = {
  routes,
  navigation: [{ key: 'register.nav', href: '/register', show: (actor) => can.readNationalRegister(actor) }],
}
