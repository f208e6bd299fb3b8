import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import type { Actor } from '../../../modules/access/actor.ts'
import { NotFoundError, ValidationError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import { londonDateOf } from '../../../lib/dates.ts'
import { AGES_AT_EXPLOITATION, CONCLUSIVE_FINDINGS, DECISION_OUTCOMES, DECISION_STAGES, EXPLOITATION_LOCATIONS, EXPLOITATION_TYPES } from '../../../modules/trafficking/trafficking.schemas.ts'
import type { WebPages } from '../../web.ts'
import { translator } from '../../i18n.ts'
import { personName } from '../../format.ts'
import { choice, dateInput, fromServiceErrors, FormProblems, list, optionalText, text, type FormBody } from '../../forms.ts'
import { actorForPerson } from '../../session.ts'
import { paths } from '../../paths.ts'
import '../placements/placements.messages.ts'
import '../people/people.messages.ts'

// National Referral Mechanism referrals (made by the person's agency) and the competent authority's decisions.
// Who may do which, and the rules on stages and dates, are the trafficking service's.

const VIEWS = 'web/pages/nrm'
const REFERRAL_FIELDS: Record<string, string> = { referredOn: 'referredOn', competentAuthorityId: 'competentAuthorityId', exploitationTypes: 'exploitationTypes', nrmReference: 'nrmReference' }
const DECISION_FIELDS: Record<string, string> = { decidedOn: 'decidedOn', stage: 'stage', outcome: 'outcome', conclusiveFinding: 'conclusiveFinding', reconsideration: 'reconsideration' }

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    function personIdOf(request: FastifyRequest): string {
      const { personId } = request.params as { personId: string }
      if (!isUuid(personId)) throw new NotFoundError('Person')
      return personId
    }

    async function identity(actor: Actor, personId: string) {
      const person = await services.people.get(actor, personId)
      return { name: personName(person.names), dob: null, href: paths.person(personId) }
    }

    async function authorities(actor: Actor) {
      return (await services.agencies.list(actor, { kind: 'competent_authority', activeOnly: true, pageSize: 100 })).items.map((agency) => ({ value: agency.id, text: agency.name }))
    }

    const referralCodes = { types: EXPLOITATION_TYPES, locations: EXPLOITATION_LOCATIONS, ages: AGES_AT_EXPLOITATION }

    app.get('/people/:personId/nrm-referrals/new', async (request, reply) => {
      const personId = personIdOf(request)
      const actor = actorForPerson(request, personId)
      return reply.view(`${VIEWS}/referral-form.njk`, {
        title: translator(request.language)('nrm.newTitle'), identity: await identity(actor, personId), action: `/people/${personId}/nrm-referrals/new`,
        values: {}, authorities: await authorities(actor), codes: referralCodes,
      })
    })

    function readReferral(body: FormBody, t: ReturnType<typeof translator>, authorityIds: string[]) {
      const problems = new FormProblems()
      const referredOn = dateInput(body, 'referredOn', t('nrm.referredLabel'), problems, t, true)
      if (referredOn && referredOn > londonDateOf(new Date())) problems.add('referredOn', t('nrm.referredFuture'), 'referredOn-day')
      const competentAuthorityId = choice(body, 'competentAuthorityId', authorityIds, problems, t('nrm.authorityRequired'))
      const exploitationTypes = list(body, 'exploitationTypes').filter((value): value is (typeof EXPLOITATION_TYPES)[number] => (EXPLOITATION_TYPES as readonly string[]).includes(value))
      if (exploitationTypes.length === 0) problems.add('exploitationTypes', t('nrm.typesRequired'))
      const exploitationLocation = choice(body, 'exploitationLocation', EXPLOITATION_LOCATIONS, problems, t('nrm.locationRequired'))
      const ageAtExploitation = choice(body, 'ageAtExploitation', AGES_AT_EXPLOITATION, problems, t('nrm.ageRequired'))
      const input = problems.empty && referredOn && competentAuthorityId && exploitationLocation && ageAtExploitation
        ? {
            referredOn, competentAuthorityId, exploitationTypes, exploitationLocation, ageAtExploitation,
            countyLines: list(body, 'countyLines').includes('yes'), nrmReference: optionalText(body, 'nrmReference'), notes: optionalText(body, 'notes'),
          }
        : null
      return { problems, input }
    }

    const referralProblems = (error: unknown) => {
      if (!(error instanceof ValidationError)) throw error
      return fromServiceErrors(error.errors, { fieldOf: (path) => REFERRAL_FIELDS[path], anchorOf: (field) => (field === 'referredOn' ? 'referredOn-day' : field), fallbackField: 'referredOn' })
    }

    app.post('/people/:personId/nrm-referrals/new', async (request, reply) => {
      const personId = personIdOf(request)
      const actor = actorForPerson(request, personId)
      const t = translator(request.language)
      const body = request.body as FormBody
      const authorityList = await authorities(actor)
      let { problems, input } = readReferral(body, t, authorityList.map((authority) => authority.value))
      if (input) {
        try {
          await services.trafficking.createReferral(actor, personId, input)
          return reply.redirect(`${paths.person(personId)}?saved=nrm`, 303)
        } catch (error) {
          problems = referralProblems(error)
          input = null
        }
      }
      return reply.view(`${VIEWS}/referral-form.njk`, {
        title: t('nrm.newTitle'), identity: await identity(actor, personId), action: `/people/${personId}/nrm-referrals/new`,
        values: body, authorities: authorityList, codes: referralCodes, errors: problems.toFormErrors(),
      }, 400)
    })

    async function ownReferral(request: FastifyRequest) {
      const personId = personIdOf(request)
      const { referralId } = request.params as { referralId: string }
      if (!isUuid(referralId)) throw new NotFoundError('Referral')
      const actor = actorForPerson(request, personId)
      const referral = await services.trafficking.getReferral(actor, referralId)
      if (referral.personId !== personId) throw new NotFoundError('Referral')
      return { personId, actor, referral }
    }

    app.get('/people/:personId/nrm-referrals/:referralId/edit', async (request, reply) => {
      const { personId, actor, referral } = await ownReferral(request)
      const [year = '', month = '', day = ''] = referral.referredOn.split('-')
      return reply.view(`${VIEWS}/referral-form.njk`, {
        title: translator(request.language)('nrm.editTitle'), identity: await identity(actor, personId), action: `/people/${personId}/nrm-referrals/${referral.id}/edit`,
        version: referral.version, authorities: await authorities(actor), codes: referralCodes,
        values: {
          'referredOn-day': String(Number(day)), 'referredOn-month': String(Number(month)), 'referredOn-year': year, competentAuthorityId: referral.competentAuthorityId,
          exploitationTypes: referral.exploitationTypes, countyLines: referral.countyLines ? ['yes'] : [], exploitationLocation: referral.exploitationLocation,
          ageAtExploitation: referral.ageAtExploitation, nrmReference: referral.nrmReference ?? '', notes: referral.notes ?? '',
        },
      })
    })

    app.post('/people/:personId/nrm-referrals/:referralId/edit', async (request, reply) => {
      const { personId, actor, referral } = await ownReferral(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      const authorityList = await authorities(actor)
      let { problems, input } = readReferral(body, t, authorityList.map((authority) => authority.value))
      if (input) {
        try {
          await services.trafficking.updateReferral(actor, referral.id, { ...input, version: Number(text(body, 'version')) })
          return reply.redirect(`${paths.person(personId)}?saved=nrm`, 303)
        } catch (error) {
          problems = referralProblems(error)
          input = null
        }
      }
      return reply.view(`${VIEWS}/referral-form.njk`, {
        title: t('nrm.editTitle'), identity: await identity(actor, personId), action: `/people/${personId}/nrm-referrals/${referral.id}/edit`,
        version: text(body, 'version'), values: body, authorities: authorityList, codes: referralCodes, errors: problems.toFormErrors(),
      }, 400)
    })

    const decisionCodes = { stages: DECISION_STAGES, outcomes: DECISION_OUTCOMES, findings: CONCLUSIVE_FINDINGS }

    app.get('/people/:personId/nrm-referrals/:referralId/decision', async (request, reply) => {
      const personId = personIdOf(request)
      const { referralId } = request.params as { referralId: string }
      if (!isUuid(referralId)) throw new NotFoundError('Referral')
      const actor = actorForPerson(request, personId)
      const referral = await services.trafficking.getReferral(actor, referralId)
      if (referral.personId !== personId) throw new NotFoundError('Referral')
      return reply.view(`${VIEWS}/decision-form.njk`, {
        title: translator(request.language)('nrm.decisionTitle'), identity: await identity(actor, personId), action: `/people/${personId}/nrm-referrals/${referralId}/decision`, values: {}, codes: decisionCodes,
      })
    })

    app.post('/people/:personId/nrm-referrals/:referralId/decision', async (request, reply) => {
      const personId = personIdOf(request)
      const { referralId } = request.params as { referralId: string }
      if (!isUuid(referralId)) throw new NotFoundError('Referral')
      const actor = actorForPerson(request, personId)
      const t = translator(request.language)
      const body = request.body as FormBody
      const referral = await services.trafficking.getReferral(actor, referralId)
      if (referral.personId !== personId) throw new NotFoundError('Referral')
      let problems = new FormProblems()
      const stage = choice(body, 'stage', DECISION_STAGES, problems, t('nrm.stageRequired'))
      const outcome = choice(body, 'outcome', DECISION_OUTCOMES, problems, t('nrm.outcomeRequired'))
      const conclusiveFinding = choice(body, 'conclusiveFinding', CONCLUSIVE_FINDINGS, problems, null)
      const decidedOn = dateInput(body, 'decidedOn', t('nrm.decidedLabel'), problems, t, true)
      if (problems.empty && stage && outcome && decidedOn) {
        try {
          await services.trafficking.recordDecision(actor, referralId, { stage, outcome, conclusiveFinding, decidedOn, reconsideration: list(body, 'reconsideration').includes('yes') })
          return reply.redirect(`${paths.person(personId)}?saved=nrm`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          problems = fromServiceErrors(error.errors, { fieldOf: (path) => DECISION_FIELDS[path], anchorOf: (field) => (field === 'decidedOn' ? 'decidedOn-day' : field), fallbackField: 'stage' })
        }
      }
      return reply.view(`${VIEWS}/decision-form.njk`, {
        title: t('nrm.decisionTitle'), identity: await identity(actor, personId), action: `/people/${personId}/nrm-referrals/${referralId}/decision`, values: body, codes: decisionCodes, errors: problems.toFormErrors(),
      }, 400)
    })
  }
}

export const nrmPages: WebPages = { routes }
