import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import { NotFoundError, ValidationError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import * as codes from '../../../modules/care/care.codes.ts'
import type { CareEpisode } from '../../../modules/care/care.service.ts'
import type { WebPages } from '../../web.ts'
import { translator, type Translate } from '../../i18n.ts'
import { personName } from '../../format.ts'
import { choice, dateInput, fromServiceErrors, FormProblems, optionalText, text, type FormBody } from '../../forms.ts'
import { actorForPerson } from '../../session.ts'
import { paths } from '../../paths.ts'
import './placements.messages.ts'
import '../people/people.messages.ts'

// Placements (SSDA903 episodes of care): a local authority adds, changes and ends its looked-after child's
// placements. The codes are DfE's and shown with DfE's descriptions. Rules and geography are the care service's.

const VIEWS = 'web/pages/placements'
const POSTCODE = /^[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}$/

const SELECTS = {
  reasonForNewEpisode: [codes.REASON_FOR_NEW_EPISODE_CODES, codes.REASON_FOR_NEW_EPISODE_LABELS],
  legalStatus: [codes.LEGAL_STATUS_CODES, codes.LEGAL_STATUS_LABELS],
  categoryOfNeed: [codes.CATEGORY_OF_NEED_CODES, codes.CATEGORY_OF_NEED_LABELS],
  placementType: [codes.PLACEMENT_TYPE_CODES, codes.PLACEMENT_TYPE_LABELS],
  placementProvider: [codes.PLACEMENT_PROVIDER_CODES, codes.PLACEMENT_PROVIDER_LABELS],
  reasonEnded: [codes.REASON_ENDED_CODES, codes.REASON_ENDED_LABELS],
  reasonForPlacementChange: [codes.REASON_FOR_PLACEMENT_CHANGE_CODES, codes.REASON_FOR_PLACEMENT_CHANGE_LABELS],
} as const
type SelectField = keyof typeof SELECTS

function options(field: SelectField, selected: string, t: Translate) {
  const [list, labels] = SELECTS[field]
  return [{ value: '', text: t('placement.select') }, ...list.map((code) => ({ value: code, text: `${code}: ${(labels as Record<string, string>)[code]}`, selected: code === selected }))]
}

function read(body: FormBody, t: Translate, editing: boolean) {
  const problems = new FormProblems()
  const required = (field: SelectField) => t('placement.required', { label: t(`placement.${field}`).toLowerCase() })
  const startedOn = dateInput(body, 'startedOn', t('placement.startedLabel'), problems, t, true)
  const values = {
    reasonForNewEpisode: choice(body, 'reasonForNewEpisode', codes.REASON_FOR_NEW_EPISODE_CODES, problems, required('reasonForNewEpisode')),
    legalStatus: choice(body, 'legalStatus', codes.LEGAL_STATUS_CODES, problems, required('legalStatus')),
    categoryOfNeed: choice(body, 'categoryOfNeed', codes.CATEGORY_OF_NEED_CODES, problems, required('categoryOfNeed')),
    placementType: choice(body, 'placementType', codes.PLACEMENT_TYPE_CODES, problems, required('placementType')),
    placementProvider: choice(body, 'placementProvider', codes.PLACEMENT_PROVIDER_CODES, problems, null),
  }
  for (const field of ['homePostcode', 'placementPostcode'] as const) {
    const value = text(body, field)
    if (value !== '' && !POSTCODE.test(value)) problems.add(field, t('placement.postcodeFormat'))
  }
  const endedOn = editing ? dateInput(body, 'endedOn', t('placement.endedLabel'), problems, t, false) : null
  const reasonEnded = editing ? choice(body, 'reasonEnded', codes.REASON_ENDED_CODES, problems, null) : null
  const reasonForPlacementChange = editing ? choice(body, 'reasonForPlacementChange', codes.REASON_FOR_PLACEMENT_CHANGE_CODES, problems, null) : null
  return {
    problems,
    input: {
      startedOn: startedOn ?? '',
      reasonForNewEpisode: values.reasonForNewEpisode,
      legalStatus: values.legalStatus,
      categoryOfNeed: values.categoryOfNeed,
      placementType: values.placementType,
      placementProvider: values.placementProvider,
      homePostcode: optionalText(body, 'homePostcode'),
      placementPostcode: optionalText(body, 'placementPostcode'),
      providerUrn: optionalText(body, 'providerUrn'),
      ...(editing ? { endedOn, reasonEnded, reasonForPlacementChange } : {}),
    },
  }
}

function dateValues(name: string, iso: string | null): FormBody {
  if (!iso) return {}
  const [year = '', month = '', day = ''] = iso.split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year }
}

function valuesOf(placement: CareEpisode): FormBody {
  return {
    ...dateValues('startedOn', placement.startedOn), ...dateValues('endedOn', placement.endedOn),
    reasonForNewEpisode: placement.reasonForNewEpisode, legalStatus: placement.legalStatus, categoryOfNeed: placement.categoryOfNeed,
    placementType: placement.placementType, placementProvider: placement.placementProvider ?? '', reasonEnded: placement.reasonEnded ?? '',
    reasonForPlacementChange: placement.reasonForPlacementChange ?? '', homePostcode: placement.homePostcode ?? '',
    placementPostcode: placement.placementPostcode ?? '', providerUrn: placement.providerUrn ?? '',
  }
}

const SERVICE_FIELDS: Record<string, string> = { startedOn: 'startedOn', endedOn: 'endedOn', reasonEnded: 'reasonEnded', placementProvider: 'placementProvider', homePostcode: 'homePostcode', placementPostcode: 'placementPostcode', placementType: 'placementType' }
const ANCHORS: Record<string, string> = { startedOn: 'startedOn-day', endedOn: 'endedOn-day' }

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    function ids(request: FastifyRequest) {
      const { personId, placementId } = request.params as { personId: string; placementId?: string }
      if (!isUuid(personId) || (placementId !== undefined && !isUuid(placementId))) throw new NotFoundError('Placement')
      return { personId, placementId: placementId ?? null }
    }

    async function render(request: FastifyRequest, personId: string, context: { title: string; action: string; values: FormBody; editing: boolean; version?: string | number; errors?: unknown }, status = 200) {
      const t = translator(request.language)
      const person = await services.people.get(actorForPerson(request, personId), personId)
      const value = (field: string) => (typeof context.values[field] === 'string' ? String(context.values[field]) : '')
      return {
        status,
        context: {
          ...context,
          identity: { name: personName(person.names), dob: null, href: paths.person(personId) },
          selects: Object.fromEntries((Object.keys(SELECTS) as SelectField[]).map((field) => [field, options(field, value(field), t)])),
        },
      }
    }

    app.get('/people/:personId/placements/new', async (request, reply) => {
      const { personId } = ids(request)
      const t = translator(request.language)
      const page = await render(request, personId, { title: t('placement.newTitle'), action: `/people/${personId}/placements/new`, values: {}, editing: false })
      return reply.view(`${VIEWS}/placement-form.njk`, page.context)
    })

    app.post('/people/:personId/placements/new', async (request, reply) => {
      const { personId } = ids(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      let { problems, input } = read(body, t, false)
      if (problems.empty && input.reasonForNewEpisode && input.legalStatus && input.categoryOfNeed && input.placementType) {
        try {
          await services.care.create(actorForPerson(request, personId), personId, { ...input, reasonForNewEpisode: input.reasonForNewEpisode, legalStatus: input.legalStatus, categoryOfNeed: input.categoryOfNeed, placementType: input.placementType })
          return reply.redirect(`${paths.person(personId)}?saved=placement`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          problems = fromServiceErrors(error.errors, { fieldOf: (path) => SERVICE_FIELDS[path], anchorOf: (field) => ANCHORS[field] ?? field, fallbackField: 'startedOn' })
          input = { ...input }
        }
      }
      const page = await render(request, personId, { title: t('placement.newTitle'), action: `/people/${personId}/placements/new`, values: body, editing: false, errors: problems.toFormErrors() }, 400)
      return reply.view(`${VIEWS}/placement-form.njk`, page.context, page.status)
    })

    app.get('/people/:personId/placements/:placementId/edit', async (request, reply) => {
      const { personId, placementId } = ids(request)
      const t = translator(request.language)
      const placement = await services.care.get(actorForPerson(request, personId), placementId ?? '')
      if (placement.personId !== personId) throw new NotFoundError('Placement')
      const page = await render(request, personId, { title: t('placement.editTitle'), action: `/people/${personId}/placements/${placement.id}/edit`, values: valuesOf(placement), editing: true, version: placement.version })
      return reply.view(`${VIEWS}/placement-form.njk`, page.context)
    })

    app.post('/people/:personId/placements/:placementId/edit', async (request, reply) => {
      const { personId, placementId } = ids(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      const actor = actorForPerson(request, personId)
      const placement = await services.care.get(actor, placementId ?? '')
      if (placement.personId !== personId) throw new NotFoundError('Placement')
      let { problems, input } = read(body, t, true)
      if (problems.empty && input.reasonForNewEpisode && input.legalStatus && input.categoryOfNeed && input.placementType) {
        try {
          await services.care.update(actor, placement.id, {
            ...input,
            reasonForNewEpisode: input.reasonForNewEpisode, legalStatus: input.legalStatus, categoryOfNeed: input.categoryOfNeed, placementType: input.placementType,
            version: Number(text(body, 'version')),
          })
          return reply.redirect(`${paths.person(personId)}?saved=placement`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          problems = fromServiceErrors(error.errors, { fieldOf: (path) => SERVICE_FIELDS[path], anchorOf: (field) => ANCHORS[field] ?? field, fallbackField: 'startedOn' })
          input = { ...input }
        }
      }
      const page = await render(request, personId, { title: t('placement.editTitle'), action: `/people/${personId}/placements/${placement.id}/edit`, values: body, editing: true, version: text(body, 'version'), errors: problems.toFormErrors() }, 400)
      return reply.view(`${VIEWS}/placement-form.njk`, page.context, page.status)
    })
  }
}

export const placementPages: WebPages = { routes }
