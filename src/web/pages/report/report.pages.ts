import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import type { Actor } from '../../../modules/access/actor.ts'
import { can } from '../../../modules/access/roles.ts'
import { ConflictError, NotFoundError, ValidationError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import { MISSING_FROM_TYPES, RISK_GRADES, RISK_QUESTIONS, VULNERABILITY_FLAGS } from '../../../modules/episodes/episodes.schemas.ts'
import { DOB_SOURCES, SEXES } from '../../../modules/people/people.schemas.ts'
import type { WebPages } from '../../web.ts'
import { translator, type Translate } from '../../i18n.ts'
import { formatters, personName } from '../../format.ts'
import { FormProblems, text, type FormBody } from '../../forms.ts'
import { pageActor } from '../../session.ts'
import { paths } from '../../paths.ts'
import {
  decodeDraft,
  emptyDraft,
  encodeDraft,
  prefillFromProfile,
  readCircumstances,
  readLastSeen,
  readPerson,
  readRisk,
  stepOfServiceField,
  withAnswers,
  type ReportDraft,
  type Step,
} from './report.draft.ts'
import './report.messages.ts'

// Report a missing person, as question pages: find the person (search first, then new), when and where last
// seen, circumstances, the risk questions and grade with rationale (police) or missing/away (local authority),
// check your answers, and a confirmation with the reference. Starting from a Herbert or Philomena profile
// pre-fills what it holds. The answers travel in the pages (see report.draft.ts).

const VIEWS = 'web/pages/report'
type QuestionStep = Exclude<Step, 'check'>

const mayReport = (actor: Actor) => can.workCases(actor) && (actor.agencyKind === 'police_force' || actor.agencyKind === 'local_authority')

function stepsFor(draft: ReportDraft): QuestionStep[] {
  return draft.personId ? ['last-seen', 'circumstances', 'risk'] : ['person', 'last-seen', 'circumstances', 'risk']
}

function isQuestionStep(value: string): value is QuestionStep {
  return value === 'person' || value === 'last-seen' || value === 'circumstances' || value === 'risk'
}

function readStep(step: QuestionStep, draft: ReportDraft, t: Translate, police: boolean): FormProblems {
  const answers = draft.answers
  if (step === 'person') return readPerson(answers, t).problems
  if (step === 'last-seen') return readLastSeen(answers, t).problems
  if (step === 'circumstances') return readCircumstances(answers, t, police).problems
  return readRisk(answers, t, police, readLastSeen(answers, t).value?.startedAt ?? null).problems
}

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    function render(request: FastifyRequest, reply: FastifyReply, step: Step, draft: ReportDraft, extra: Record<string, unknown> = {}, status = 200) {
      const t = translator(request.language)
      const actor = pageActor(request)
      const police = actor.agencyKind === 'police_force'
      const steps = stepsFor(draft)
      const index = step === 'check' ? steps.length : steps.indexOf(step)
      const previous = index > 0 ? steps[index - 1] : null
      const titles: Record<Step, string> = {
        person: t('report.person.title'),
        'last-seen': t('report.lastSeen.title'),
        circumstances: t('report.circumstances.title'),
        risk: police ? t('report.risk.title') : t('report.risk.titleLa'),
        check: t('report.check.title'),
      }
      return reply.view(`${VIEWS}/${step}.njk`, {
        title: titles[step],
        step,
        previous,
        draft: encodeDraft(draft),
        values: draft.answers,
        police,
        prefilled: draft.profile ? t(`report.protocol_${draft.profile.protocol}`) : null,
        codes: { sexes: SEXES, dobSources: DOB_SOURCES, missingFromTypes: MISSING_FROM_TYPES, grades: RISK_GRADES, flags: VULNERABILITY_FLAGS, questions: Object.keys(RISK_QUESTIONS) },
        ...extra,
      }, status)
    }

    /** Starts the journey for an existing person, pre-filled from their newest (or the chosen) protocol profile. */
    async function startWithPerson(request: FastifyRequest, reply: FastifyReply, personId: string, profileId: string | null) {
      const actor = pageActor(request)
      const t = translator(request.language)
      const profiles = await services.protocols.listForPerson(actor, personId)
      const profile = profileId ? profiles.find((candidate) => candidate.id === profileId) : [...profiles].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0]
      const draft: ReportDraft = profile
        ? { personId, profile: { id: profile.id, protocol: profile.protocol }, answers: prefillFromProfile(profile, t) }
        : { ...emptyDraft(), personId }
      return render(request, reply, 'last-seen', draft)
    }

    app.get('/report', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      if (!mayReport(actor)) return reply.view('web/views/error.njk', { title: t('errors.forbiddenTitle'), body: t('errors.forbiddenBody', { reason: t('report.nav') }) }, 403)
      const query = request.query as Record<string, unknown>
      const searched = typeof query.name === 'string'
      const name = searched ? String(query.name).trim() : ''
      const problems = new FormProblems()
      if (searched && name === '') problems.add('name', t('report.find.nameRequired'))
      else if (name.length > 200) problems.add('name', t('report.tooLong', { max: 200 }))
      let results: { id: string; name: string; born: string; profile: boolean }[] | null = null
      if (searched && problems.empty) {
        const fmt = formatters(request.language)
        const found = await services.people.list(actor, { name, pageSize: 20 })
        results = found.items.map((person) => ({
          id: person.id,
          name: personName(person.names),
          born: person.dateOfBirth ? (person.dateOfBirth.earliest === person.dateOfBirth.latest ? fmt.date(person.dateOfBirth.earliest) : `${fmt.date(person.dateOfBirth.earliest)} – ${fmt.date(person.dateOfBirth.latest)}`) : '',
          profile: false,
        }))
      }
      return reply.view(`${VIEWS}/find.njk`, { title: t('report.find.title'), name, results, errors: problems.toFormErrors() }, problems.empty ? 200 : 400)
    })

    app.post('/report/person', async (request, reply) => {
      const body = request.body as FormBody
      const personId = text(body, 'personId')
      if (!isUuid(personId)) return render(request, reply, 'person', emptyDraft())
      return startWithPerson(request, reply, personId, null)
    })

    // From a person's Herbert or Philomena profile page.
    app.get('/report/from-profile', async (request, reply) => {
      const query = request.query as Record<string, unknown>
      const personId = typeof query.personId === 'string' && isUuid(query.personId) ? query.personId : null
      const profileId = typeof query.profileId === 'string' && isUuid(query.profileId) ? query.profileId : null
      if (!personId) return reply.redirect('/report', 303)
      return startWithPerson(request, reply, personId, profileId)
    })

    app.post('/report/new', async (request, reply) => render(request, reply, 'person', emptyDraft()))

    // Back and Change: show a step with the answers so far.
    app.post('/report/show', async (request, reply) => {
      const body = request.body as FormBody
      const step = text(body, 'step')
      const draft = decodeDraft(body.draft)
      if (step === 'find') return reply.redirect('/report', 303)
      if (step === 'check') return render(request, reply, 'check', draft, await checkContext(request, draft))
      return render(request, reply, isQuestionStep(step) ? step : 'last-seen', draft, { returnToCheck: text(body, 'returnToCheck') === 'true' })
    })

    // Save a question page: its answers are checked; the next page follows, or the same page with errors.
    app.post('/report/save', async (request, reply) => {
      const t = translator(request.language)
      const body = request.body as FormBody
      const step = text(body, 'step')
      if (!isQuestionStep(step)) return reply.redirect('/report', 303)
      const police = pageActor(request).agencyKind === 'police_force'
      const draft = withAnswers(decodeDraft(body.draft), step, body)
      const returnToCheck = text(body, 'returnToCheck') === 'true'
      const problems = readStep(step, draft, t, police)
      if (!problems.empty) return render(request, reply, step, draft, { errors: problems.toFormErrors(), returnToCheck }, 400)
      const steps = stepsFor(draft)
      const next = steps[steps.indexOf(step) + 1]
      if (returnToCheck || !next) return render(request, reply, 'check', draft, await checkContext(request, draft))
      return render(request, reply, next, draft)
    })

    async function checkContext(request: FastifyRequest, draft: ReportDraft): Promise<Record<string, unknown>> {
      const actor = pageActor(request)
      const fmt = formatters(request.language)
      const t = translator(request.language)
      const existing = draft.personId ? await services.people.get(actor, draft.personId) : null
      const lastSeen = readLastSeen(draft.answers, t).value
      const answered = Object.keys(RISK_QUESTIONS).filter((question) => typeof draft.answers[question] === 'string' && draft.answers[question] !== '')
      return {
        existingName: existing ? personName(existing.names) : null,
        lastSeenWhen: lastSeen ? fmt.dateTime(new Date(lastSeen.startedAt)) : '',
        questionsAnswered: answered.length,
        questionsYes: answered.filter((question) => draft.answers[question] === 'yes').map((question) => t(`riskQuestions.${question}`)),
        flags: ([] as string[]).concat(draft.answers.vulnerabilityFlags ?? []),
      }
    }

    app.post('/report/submit', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      const draft = decodeDraft(body.draft)
      const police = actor.agencyKind === 'police_force'
      // Every page is read again: a page skipped or altered shows up here.
      for (const step of stepsFor(draft)) {
        const problems = readStep(step, draft, t, police)
        if (!problems.empty) return render(request, reply, step, draft, { errors: problems.toFormErrors() }, 400)
      }
      const lastSeen = readLastSeen(draft.answers, t).value
      const circumstances = readCircumstances(draft.answers, t, police).value
      const risk = lastSeen ? readRisk(draft.answers, t, police, lastSeen.startedAt).value : null
      if (!lastSeen || !circumstances || !risk) return render(request, reply, 'last-seen', draft)
      let personId = draft.personId
      try {
        if (!personId) {
          const person = readPerson(draft.answers, t).value
          if (!person) return render(request, reply, 'person', draft)
          personId = (await services.people.create(actor, person)).id
          // From here the person exists: a failure below must not record them twice.
          draft.personId = personId
        }
        const episode = await services.episodes.create(actor, personId, { ...lastSeen, ...circumstances, ...risk })
        return reply.redirect(`${paths.episode(personId, episode.id)}/reported`, 303)
      } catch (error) {
        if (error instanceof ValidationError) {
          const first = error.errors[0]
          const target = stepOfServiceField(first?.field ?? '')
          const problems = new FormProblems()
          for (const fieldError of error.errors) {
            const mapped = stepOfServiceField(fieldError.field)
            if (mapped.step === target.step) problems.add(mapped.field, fieldError.message.charAt(0).toUpperCase() + fieldError.message.slice(1), mapped.anchor)
          }
          return render(request, reply, target.step, draft, { errors: problems.toFormErrors() }, 400)
        }
        if (error instanceof ConflictError) {
          const problems = new FormProblems()
          problems.add('submit', error.message, 'submit')
          return render(request, reply, 'check', draft, { ...(await checkContext(request, draft)), errors: problems.toFormErrors() }, 409)
        }
        throw error
      }
    })

    app.get('/people/:personId/episodes/:episodeId/reported', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      const { personId, episodeId } = request.params as { personId: string; episodeId: string }
      if (!isUuid(personId) || !isUuid(episodeId)) throw new NotFoundError('Episode')
      const episode = await services.episodes.get(actor, episodeId)
      if (episode.personId !== personId) throw new NotFoundError('Episode')
      return reply.view(`${VIEWS}/done.njk`, {
        title: t('report.done.title'),
        reference: episode.id,
        incidentReference: episode.incidentReference,
        police: episode.recordedBy === 'police',
        episodeHref: paths.episode(personId, episodeId),
      })
    })
  }
}

export const reportPages: WebPages = {
  routes,
  navigation: [{ key: 'report.nav', href: '/report', show: mayReport }],
}
