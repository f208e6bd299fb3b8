import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import type { Actor } from '../../../modules/access/actor.ts'
import { NotFoundError, ValidationError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import { ACTION_KINDS, HARM_OUTCOMES, OUTCOMES, RETURN_METHODS, RISK_GRADES, RISK_QUESTIONS, VULNERABILITY_FLAGS } from '../../../modules/episodes/episodes.schemas.ts'
import type { Episode as EpisodeDetail } from '../../../modules/episodes/episodes.service.ts'
import { EXPLOITATION_INDICATORS, INTERVIEW_METHODS } from '../../../modules/interviews/interviews.schemas.ts'
import type { PreventionInterview, ReturnHomeInterview } from '../../../modules/interviews/interviews.service.ts'
import type { WebPages } from '../../web.ts'
import { translator, type Translate } from '../../i18n.ts'
import { formatters, londonParts, personName } from '../../format.ts'
import { choice, dateTimeInput, fromServiceErrors, FormProblems, list, optionalText, text, yesNo, type FormBody } from '../../forms.ts'
import { actorForPerson } from '../../session.ts'
import { paths } from '../../paths.ts'
import { readRisk } from '../report/report.draft.ts'
import './episode.messages.ts'
import '../people/people.messages.ts'
import '../report/report.messages.ts'

// The episode page (risk history, actions log, sightings, interviews) and its forms: record a sighting or
// update, re-grade the risk, add and complete actions, record found or returned with the outcome, the police
// prevention interview and the local authority's return home interview. Each form follows the GOV.UK error
// pattern; each change goes through the episodes or interviews service with the version read.

const VIEWS = 'web/pages/episodes'
const POSTCODE = /^[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}$/
const DONE = ['sighting', 'regrade', 'action', 'actionComplete', 'end', 'prevention', 'returnHome'] as const

interface Loaded {
  actor: Actor
  personId: string
  episode: EpisodeDetail
  identity: { name: string; dob: string | null; href: string }
  owner: boolean
}

function dateTimeValues(name: string, instant: Date | null): Record<string, string> {
  if (!instant) return {}
  const parts = londonParts(instant)
  return { [`${name}-day`]: parts.day, [`${name}-month`]: parts.month, [`${name}-year`]: parts.year, [`${name}-time`]: `${parts.hour}:${parts.minute}` }
}

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    async function load(request: FastifyRequest): Promise<Loaded> {
      const { personId, episodeId } = request.params as { personId: string; episodeId: string }
      if (!isUuid(personId) || !isUuid(episodeId)) throw new NotFoundError('Episode')
      const actor = actorForPerson(request, personId)
      const person = await services.people.get(actor, personId)
      const episode = await services.episodes.get(actor, episodeId)
      if (episode.personId !== personId) throw new NotFoundError('Episode')
      const fmt = formatters(request.language)
      const dob = person.dateOfBirth
        ? person.dateOfBirth.earliest === person.dateOfBirth.latest
          ? fmt.date(person.dateOfBirth.earliest)
          : `${fmt.date(person.dateOfBirth.earliest)} – ${fmt.date(person.dateOfBirth.latest)}`
        : null
      return { actor, personId, episode, identity: { name: personName(person.names), dob, href: paths.person(personId) }, owner: person.access === 'owner' }
    }

    function form(reply: FastifyReply, template: string, loaded: Loaded, context: Record<string, unknown>, status = 200) {
      return reply.view(`${VIEWS}/${template}.njk`, {
        identity: loaded.identity,
        episodeHref: paths.episode(loaded.personId, loaded.episode.id),
        action: `${paths.episode(loaded.personId, loaded.episode.id)}/${template}`,
        version: loaded.episode.version,
        police: loaded.episode.recordedBy === 'police',
        ...context,
      }, status)
    }

    function done(reply: FastifyReply, loaded: Loaded, what: (typeof DONE)[number]) {
      return reply.redirect(`${paths.episode(loaded.personId, loaded.episode.id)}?done=${what}`, 303)
    }

    /** A service's ValidationError as the form's errors, or rethrown. */
    function serviceProblems(error: unknown, fieldOf: Record<string, string>, anchors: Record<string, string> = {}): FormProblems {
      if (!(error instanceof ValidationError)) throw error
      return fromServiceErrors(error.errors, { fieldOf: (path) => fieldOf[path], anchorOf: (field) => anchors[field] ?? field, fallbackField: Object.values(fieldOf)[0] })
    }

    // ------------------------------------------------------------------ the episode page

    app.get('/people/:personId/episodes/:episodeId', async (request, reply) => {
      const loaded = await load(request)
      const { actor, episode } = loaded
      const t = translator(request.language)
      const fmt = formatters(request.language)
      const interviews = episode.endedAt ? await services.interviews.forEpisode(actor, episode.id) : { preventionInterview: null, returnHomeInterview: null }
      const doneKey = (request.query as Record<string, unknown>).done
      const police = episode.recordedBy === 'police'
      const now = new Date()
      return reply.view(`${VIEWS}/episode.njk`, {
        title: `${loaded.identity.name}: ${t('episode.title')}`,
        identity: loaded.identity,
        episode,
        police,
        base: paths.episode(loaded.personId, episode.id),
        done: typeof doneKey === 'string' && (DONE as readonly string[]).includes(doneKey) ? t(`episode.done.${doneKey}`) : null,
        started: fmt.dateTime(episode.startedAt),
        ended: fmt.dateTime(episode.endedAt),
        missingFor: fmt.duration(episode.hoursMissing),
        ukmpuDue: fmt.dateTime(episode.ukmpuNotificationDueAt),
        ukmpuNotified: fmt.dateTime(episode.ukmpuNotifiedAt),
        risks: [...episode.riskAssessments].reverse().map((risk) => ({
          when: fmt.dateTime(risk.assessedAt), grade: risk.grade, rationale: risk.rationale, initial: risk.isInitial, nextReview: fmt.dateTime(risk.nextReviewDueAt),
          flags: risk.vulnerabilityFlags.map((flag) => t(`riskQuestions.flag.${flag}`)).join(', '),
          yes: Object.entries(risk.answers).filter(([, answer]) => answer.answer === 'yes').map(([question, answer]) => `${t(`riskQuestions.${question}`)}${answer.explanation ? ` (${answer.explanation})` : ''}`),
        })),
        actions: episode.actions.map((item) => ({
          id: item.id, version: item.version, kind: t(`episode.actionKind.${item.kind}`), description: item.description, due: fmt.dateTime(item.dueAt),
          overdue: item.overdue, completed: item.completedAt ? t('episode.completed', { when: fmt.dateTime(item.completedAt) }) : null, result: item.result,
        })),
        sightings: [...episode.sightings].sort((a, b) => b.seenAt.getTime() - a.seenAt.getTime()).map((sighting) => ({
          when: fmt.dateTime(sighting.seenAt), place: [sighting.place, sighting.postcode].filter(Boolean).join(', '), reportedBy: sighting.reportedBy, notes: sighting.notes,
        })),
        prevention: interviews.preventionInterview ? preventionView(interviews.preventionInterview, t, fmt) : null,
        returnHome: interviews.returnHomeInterview ? returnHomeView(interviews.returnHomeInterview, t, fmt) : null,
        returnHomeDue: !police && episode.endedAt ? fmt.dateTime(new Date(episode.endedAt.getTime() + 72 * 3_600_000)) : null,
        may: {
          change: loaded.owner && episode.open,
          regrade: loaded.owner && episode.open && police,
          prevention: loaded.owner && !episode.open && police,
          returnHome: loaded.owner && !episode.open && !police,
          completeActions: loaded.owner,
        },
        reviewOverdue: episode.open && (episode.riskAssessments.at(-1)?.nextReviewDueAt ?? now) < now,
      })
    })

    // ------------------------------------------------------------------ sighting or update

    app.get('/people/:personId/episodes/:episodeId/sighting', async (request, reply) => {
      const loaded = await load(request)
      return form(reply, 'sighting', loaded, { title: translator(request.language)('episode.sighting.title'), values: {} })
    })

    app.post('/people/:personId/episodes/:episodeId/sighting', async (request, reply) => {
      const loaded = await load(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      const problems = new FormProblems()
      const seenAt = dateTimeInput(body, 'seenAt', t('episode.sighting.whenLabel'), problems, t, true)
      if (seenAt && seenAt > new Date()) problems.add('seenAt', t('episode.sighting.future'), 'seenAt-day')
      const place = text(body, 'place')
      if (place === '') problems.add('place', t('episode.sighting.placeRequired'))
      else if (place.length > 500) problems.add('place', t('report.tooLong', { max: 500 }))
      const postcode = text(body, 'postcode')
      if (postcode !== '' && !POSTCODE.test(postcode)) problems.add('postcode', t('report.lastSeen.postcodeFormat'))
      const notes = text(body, 'notes')
      if (notes.length > 4000) problems.add('notes', t('report.tooLong', { max: 4000 }))
      if (problems.empty && seenAt) {
        try {
          await services.episodes.recordSighting(loaded.actor, loaded.episode.id, { seenAt: seenAt.toISOString(), place, postcode: postcode || null, reportedBy: optionalText(body, 'reportedBy'), notes: notes || null })
          return done(reply, loaded, 'sighting')
        } catch (error) {
          const mapped = serviceProblems(error, { seenAt: 'seenAt', place: 'place', postcode: 'postcode', notes: 'notes' }, { seenAt: 'seenAt-day' })
          mapped.errors.forEach((item) => problems.add(item.field, item.message, item.anchor))
        }
      }
      return form(reply, 'sighting', loaded, { title: t('episode.sighting.title'), values: body, errors: problems.toFormErrors() }, 400)
    })

    // ------------------------------------------------------------------ re-grade

    const riskCodes = { grades: RISK_GRADES, flags: VULNERABILITY_FLAGS, questions: Object.keys(RISK_QUESTIONS) }

    app.get('/people/:personId/episodes/:episodeId/regrade', async (request, reply) => {
      const loaded = await load(request)
      const latest = loaded.episode.riskAssessments.at(-1)
      // Start from the latest assessment's answers: a re-grade revisits them.
      const values: Record<string, string | string[]> = latest
        ? {
            ...Object.fromEntries(Object.entries(latest.answers).flatMap(([question, answer]) => [[question, answer.answer], [`${question}-explanation`, answer.explanation ?? '']])),
            vulnerabilityFlags: latest.vulnerabilityFlags,
          }
        : {}
      return form(reply, 'regrade', loaded, { title: translator(request.language)('episode.regrade.title'), values, codes: riskCodes })
    })

    app.post('/people/:personId/episodes/:episodeId/regrade', async (request, reply) => {
      const loaded = await load(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      const risk = readRisk(body, t, true, loaded.episode.startedAt.toISOString())
      let problems = risk.problems
      if (problems.empty && risk.value && 'initialRisk' in risk.value) {
        try {
          await services.episodes.recordRiskAssessment(loaded.actor, loaded.episode.id, { ...risk.value.initialRisk, version: Number(text(body, 'version')) })
          return done(reply, loaded, 'regrade')
        } catch (error) {
          problems = serviceProblems(error, { grade: 'grade', rationale: 'rationale', nextReviewDueAt: 'nextReview', assessedAt: 'grade', version: 'grade' }, { nextReview: 'nextReview-day' })
        }
      }
      return form(reply, 'regrade', loaded, { title: t('episode.regrade.title'), values: body, codes: riskCodes, errors: problems.toFormErrors() }, 400)
    })

    // ------------------------------------------------------------------ actions

    app.get('/people/:personId/episodes/:episodeId/action', async (request, reply) => {
      const loaded = await load(request)
      return form(reply, 'action', loaded, { title: translator(request.language)('episode.action.title'), values: {}, kinds: ACTION_KINDS })
    })

    app.post('/people/:personId/episodes/:episodeId/action', async (request, reply) => {
      const loaded = await load(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      const problems = new FormProblems()
      const kind = choice(body, 'kind', ACTION_KINDS, problems, t('episode.action.kindRequired'))
      const description = text(body, 'description')
      if (description === '') problems.add('description', t('episode.action.descriptionRequired'))
      else if (description.length > 2000) problems.add('description', t('report.tooLong', { max: 2000 }))
      const dueAt = dateTimeInput(body, 'dueAt', t('episode.action.dueLabel'), problems, t, false)
      if (problems.empty && kind) {
        try {
          await services.episodes.recordAction(loaded.actor, loaded.episode.id, { kind, description, dueAt: dueAt ? dueAt.toISOString() : null })
          return done(reply, loaded, 'action')
        } catch (error) {
          serviceProblems(error, { kind: 'kind', description: 'description', dueAt: 'dueAt' }, { dueAt: 'dueAt-day' }).errors.forEach((item) => problems.add(item.field, item.message, item.anchor))
        }
      }
      return form(reply, 'action', loaded, { title: t('episode.action.title'), values: body, kinds: ACTION_KINDS, errors: problems.toFormErrors() }, 400)
    })

    app.post('/people/:personId/episodes/:episodeId/actions/:actionId/complete', async (request, reply) => {
      const loaded = await load(request)
      const { actionId } = request.params as { actionId: string }
      const action = loaded.episode.actions.find((candidate) => candidate.id === actionId)
      if (!action) throw new NotFoundError('Action')
      const body = request.body as FormBody
      await services.episodes.updateAction(loaded.actor, actionId, { version: Number(text(body, 'version')), completedAt: new Date().toISOString(), result: optionalText(body, 'result')?.slice(0, 4000) ?? null })
      return done(reply, loaded, 'actionComplete')
    })

    // ------------------------------------------------------------------ found or returned

    app.get('/people/:personId/episodes/:episodeId/end', async (request, reply) => {
      const loaded = await load(request)
      return form(reply, 'end', loaded, { title: translator(request.language)('episode.end.title'), values: {}, codes: { outcomes: OUTCOMES, returnMethods: RETURN_METHODS, harms: HARM_OUTCOMES } })
    })

    app.post('/people/:personId/episodes/:episodeId/end', async (request, reply) => {
      const loaded = await load(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      const problems = new FormProblems()
      const endedAt = dateTimeInput(body, 'endedAt', t('episode.end.whenLabel'), problems, t, true)
      if (endedAt && endedAt > new Date()) problems.add('endedAt', t('episode.end.future'), 'endedAt-day')
      const outcome = choice(body, 'outcome', OUTCOMES, problems, t('episode.end.outcomeRequired'))
      const returnMethod = choice(body, 'returnMethod', RETURN_METHODS, problems, null)
      const harmOutcome = choice(body, 'harmOutcome', HARM_OUTCOMES, problems, null)
      const foundPostcode = text(body, 'foundPostcode')
      if (foundPostcode !== '' && !POSTCODE.test(foundPostcode)) problems.add('foundPostcode', t('report.lastSeen.postcodeFormat'))
      if (problems.empty && endedAt && outcome) {
        try {
          await services.episodes.end(loaded.actor, loaded.episode.id, {
            version: Number(text(body, 'version')), endedAt: endedAt.toISOString(), outcome, returnMethod, harmOutcome, foundPlace: optionalText(body, 'foundPlace'), foundPostcode: foundPostcode || null,
          })
          return done(reply, loaded, 'end')
        } catch (error) {
          serviceProblems(error, { endedAt: 'endedAt', foundPostcode: 'foundPostcode', outcome: 'outcome' }, { endedAt: 'endedAt-day' }).errors.forEach((item) => problems.add(item.field, item.message, item.anchor))
        }
      }
      return form(reply, 'end', loaded, { title: t('episode.end.title'), values: body, codes: { outcomes: OUTCOMES, returnMethods: RETURN_METHODS, harms: HARM_OUTCOMES }, errors: problems.toFormErrors() }, 400)
    })

    // ------------------------------------------------------------------ prevention interview (police)

    app.get('/people/:personId/episodes/:episodeId/prevention', async (request, reply) => {
      const loaded = await load(request)
      const existing = (await services.interviews.forEpisode(loaded.actor, loaded.episode.id)).preventionInterview
      const values: Record<string, string | string[]> = existing
        ? {
            conducted: existing.conductedAt ? 'yes' : 'no', ...dateTimeValues('conductedAt', existing.conductedAt), method: existing.method ?? '',
            harmDisclosed: existing.harmDisclosed === null ? '' : existing.harmDisclosed ? 'yes' : 'no', offencesDisclosed: existing.offencesDisclosed ?? '',
            safeguardingReferral: existing.safeguardingReferral ? ['yes'] : [], notes: existing.notes ?? '', notConductedReason: existing.notConductedReason ?? '',
          }
        : {}
      return form(reply, 'prevention', loaded, { title: translator(request.language)('episode.prevention'), values, methods: INTERVIEW_METHODS, interviewVersion: existing?.version ?? '' })
    })

    app.post('/people/:personId/episodes/:episodeId/prevention', async (request, reply) => {
      const loaded = await load(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      const problems = new FormProblems()
      const conducted = yesNo(body, 'conducted')
      if (conducted === null) problems.add('conducted', t('episode.interview.conductedRequired'))
      const conductedAt = conducted ? dateTimeInput(body, 'conductedAt', t('episode.interview.whenLabel'), problems, t, true) : null
      if (conductedAt && conductedAt > new Date()) problems.add('conductedAt', t('episode.interview.future'), 'conductedAt-day')
      const method = conducted ? choice(body, 'method', INTERVIEW_METHODS, problems, null) : null
      const reason = text(body, 'notConductedReason')
      if (conducted === false && reason === '') problems.add('notConductedReason', t('episode.interview.reasonRequired'))
      const input = {
        conductedAt: conductedAt ? conductedAt.toISOString() : null,
        method,
        harmDisclosed: conducted ? yesNo(body, 'harmDisclosed') : null,
        offencesDisclosed: conducted ? optionalText(body, 'offencesDisclosed') : null,
        safeguardingReferral: conducted ? list(body, 'safeguardingReferral').includes('yes') : false,
        notes: optionalText(body, 'notes'),
        notConductedReason: conducted === false ? reason : null,
      }
      if (problems.empty) {
        try {
          const version = Number(text(body, 'interviewVersion'))
          const existing = (await services.interviews.forEpisode(loaded.actor, loaded.episode.id)).preventionInterview
          if (existing) await services.interviews.updatePreventionInterview(loaded.actor, existing.id, { ...input, version })
          else await services.interviews.recordPreventionInterview(loaded.actor, loaded.episode.id, input)
          return done(reply, loaded, 'prevention')
        } catch (error) {
          serviceProblems(error, { conductedAt: 'conductedAt', notConductedReason: 'notConductedReason', method: 'method' }, { conductedAt: 'conductedAt-day' }).errors.forEach((item) => problems.add(item.field, item.message, item.anchor))
        }
      }
      return form(reply, 'prevention', loaded, { title: t('episode.prevention'), values: body, methods: INTERVIEW_METHODS, interviewVersion: text(body, 'interviewVersion'), errors: problems.toFormErrors() }, 400)
    })

    // ------------------------------------------------------------------ return home interview (local authority)

    function returnHomeContext(loaded: Loaded, request: FastifyRequest) {
      const t = translator(request.language)
      const fmt = formatters(request.language)
      const due = loaded.episode.endedAt ? new Date(loaded.episode.endedAt.getTime() + 72 * 3_600_000) : null
      return { title: t('episode.returnHome'), intro: t('episode.rhi.intro', { due: fmt.dateTime(due) }), indicators: EXPLOITATION_INDICATORS }
    }

    app.get('/people/:personId/episodes/:episodeId/return-home', async (request, reply) => {
      const loaded = await load(request)
      const existing = (await services.interviews.forEpisode(loaded.actor, loaded.episode.id)).returnHomeInterview
      const values: Record<string, string | string[]> = existing
        ? {
            offered: existing.offeredAt ? 'yes' : 'no', ...dateTimeValues('offeredAt', existing.offeredAt),
            accepted: existing.accepted === null ? 'not_yet' : existing.accepted ? 'yes' : 'no', ...dateTimeValues('completedAt', existing.completedAt),
            interviewerIndependent: existing.interviewerIndependent === null ? '' : existing.interviewerIndependent ? 'yes' : 'no',
            pushFactors: existing.pushFactors ?? '', pullFactors: existing.pullFactors ?? '', exploitationIndicators: existing.exploitationIndicators,
            actionsAgreed: existing.actionsAgreed ?? '', notConductedReason: existing.notConductedReason ?? '',
          }
        : {}
      return form(reply, 'return-home', loaded, { ...returnHomeContext(loaded, request), values, interviewVersion: existing?.version ?? '' })
    })

    app.post('/people/:personId/episodes/:episodeId/return-home', async (request, reply) => {
      const loaded = await load(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      const problems = new FormProblems()
      const offered = yesNo(body, 'offered')
      if (offered === null) problems.add('offered', t('episode.rhi.offeredRequired'))
      const offeredAt = offered ? dateTimeInput(body, 'offeredAt', t('episode.rhi.offeredAtLabel'), problems, t, true) : null
      const acceptedAnswer = offered ? text(body, 'accepted') : ''
      const accepted = acceptedAnswer === 'yes' ? true : acceptedAnswer === 'no' ? false : null
      const completedAt = offered ? dateTimeInput(body, 'completedAt', t('episode.rhi.completedAtLabel'), problems, t, false) : null
      if (completedAt && accepted !== true) problems.add('completedAt', t('episode.rhi.completedNeedsAccepted'), 'completedAt-day')
      const now = new Date()
      if (offeredAt && offeredAt > now) problems.add('offeredAt', t('episode.interview.future'), 'offeredAt-day')
      if (completedAt && completedAt > now) problems.add('completedAt', t('episode.interview.future'), 'completedAt-day')
      const reason = text(body, 'notConductedReason')
      if (offered === false && reason === '') problems.add('notConductedReason', t('episode.interview.reasonRequired'))
      const independent = yesNo(body, 'interviewerIndependent')
      const input = {
        offeredAt: offeredAt ? offeredAt.toISOString() : null,
        accepted,
        completedAt: completedAt ? completedAt.toISOString() : null,
        interviewerIndependent: independent,
        pushFactors: optionalText(body, 'pushFactors'),
        pullFactors: optionalText(body, 'pullFactors'),
        exploitationIndicators: list(body, 'exploitationIndicators').filter((item): item is (typeof EXPLOITATION_INDICATORS)[number] => (EXPLOITATION_INDICATORS as readonly string[]).includes(item)),
        actionsAgreed: optionalText(body, 'actionsAgreed'),
        notConductedReason: offered === false ? reason : (accepted === false && reason !== '' ? reason : null),
      }
      if (problems.empty) {
        try {
          const existing = (await services.interviews.forEpisode(loaded.actor, loaded.episode.id)).returnHomeInterview
          if (existing) await services.interviews.updateReturnHomeInterview(loaded.actor, existing.id, { ...input, version: Number(text(body, 'interviewVersion')) })
          else await services.interviews.recordReturnHomeInterview(loaded.actor, loaded.episode.id, input)
          return done(reply, loaded, 'returnHome')
        } catch (error) {
          serviceProblems(error, { offeredAt: 'offeredAt', accepted: 'accepted', completedAt: 'completedAt', notConductedReason: 'notConductedReason' }, { offeredAt: 'offeredAt-day', completedAt: 'completedAt-day' }).errors.forEach((item) => problems.add(item.field, item.message, item.anchor))
        }
      }
      return form(reply, 'return-home', loaded, { ...returnHomeContext(loaded, request), values: body, interviewVersion: text(body, 'interviewVersion'), errors: problems.toFormErrors() }, 400)
    })
  }
}

function preventionView(interview: PreventionInterview, t: Translate, fmt: ReturnType<typeof formatters>) {
  return {
    when: fmt.dateTime(interview.conductedAt),
    method: interview.method ? t(`episode.method.${interview.method}`) : null,
    harm: interview.harmDisclosed === null ? null : interview.harmDisclosed ? t('layout.yes') : t('layout.no'),
    referral: interview.safeguardingReferral,
    notes: interview.notes,
    notConductedReason: interview.notConductedReason,
  }
}

function returnHomeView(interview: ReturnHomeInterview, t: Translate, fmt: ReturnType<typeof formatters>) {
  return {
    offered: fmt.dateTime(interview.offeredAt),
    accepted: interview.accepted === null ? null : interview.accepted ? t('layout.yes') : t('layout.no'),
    completed: fmt.dateTime(interview.completedAt),
    dueBy: fmt.dateTime(interview.dueBy),
    within72Hours: interview.within72Hours,
    indicators: interview.exploitationIndicators.map((indicator) => t(`episode.indicator.${indicator}`)).join(', '),
    notConductedReason: interview.notConductedReason,
  }
}

export const episodePages: WebPages = { routes }
