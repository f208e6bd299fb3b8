import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import { NotFoundError, ValidationError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import { VULNERABILITIES, CONSENT_BASES, type PROTOCOLS } from '../../../modules/protocols/protocols.schemas.ts'
import type { WebPages } from '../../web.ts'
import { translator } from '../../i18n.ts'
import { formatters, personName } from '../../format.ts'
import { text, type FormBody } from '../../forms.ts'
import { actorForPerson } from '../../session.ts'
import { paths } from '../../paths.ts'
import { profileServiceErrors, profileValues, readProfileForm } from './profile.form.ts'
import './profile.messages.ts'
import '../people/people.messages.ts'

// Herbert and Philomena profiles: create, view, change. Owned by the person's agency (the service checks);
// read by the person's readers. "Report missing using this profile" starts the report journey pre-filled.

const VIEWS = 'web/pages/profiles'
type Protocol = (typeof PROTOCOLS)[number]

function ids(request: FastifyRequest): { personId: string; profileId: string | null } {
  const { personId, profileId } = request.params as { personId: string; profileId?: string }
  if (!isUuid(personId) || (profileId !== undefined && !isUuid(profileId))) throw new NotFoundError('Profile')
  return { personId, profileId: profileId ?? null }
}

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    async function identity(request: FastifyRequest, personId: string) {
      const person = await services.people.get(actorForPerson(request, personId), personId)
      return { name: personName(person.names), dob: null, href: paths.person(personId) }
    }

    const formContext = (protocol: Protocol) => ({ protocol, vulnerabilities: VULNERABILITIES, consentBases: CONSENT_BASES, philomena: protocol === 'philomena' })

    app.get('/people/:personId/profiles/new', async (request, reply) => {
      const { personId } = ids(request)
      const protocol: Protocol = (request.query as Record<string, unknown>).protocol === 'herbert' ? 'herbert' : 'philomena'
      const t = translator(request.language)
      return reply.view(`${VIEWS}/profile-form.njk`, {
        title: t(`profile.new.${protocol}`), identity: await identity(request, personId), action: `/people/${personId}/profiles/new?protocol=${protocol}`, values: {}, ...formContext(protocol),
      })
    })

    app.post('/people/:personId/profiles/new', async (request, reply) => {
      const { personId } = ids(request)
      const protocol: Protocol = (request.query as Record<string, unknown>).protocol === 'herbert' ? 'herbert' : 'philomena'
      const t = translator(request.language)
      const body = request.body as FormBody
      let { problems, value } = readProfileForm(body, t, protocol === 'philomena')
      if (problems.empty && value) {
        try {
          const created = await services.protocols.create(actorForPerson(request, personId), personId, { protocol, ...value })
          return reply.redirect(`/people/${personId}/profiles/${created.id}?saved=1`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          problems = profileServiceErrors(error.errors, t)
          value = null
        }
      }
      return reply.view(`${VIEWS}/profile-form.njk`, {
        title: t(`profile.new.${protocol}`), identity: await identity(request, personId), action: `/people/${personId}/profiles/new?protocol=${protocol}`, values: body, errors: problems.toFormErrors(), ...formContext(protocol),
      }, 400)
    })

    app.get('/people/:personId/profiles/:profileId', async (request, reply) => {
      const { personId, profileId } = ids(request)
      const actor = actorForPerson(request, personId)
      const t = translator(request.language)
      const fmt = formatters(request.language)
      const profile = await services.protocols.get(actor, profileId ?? '')
      if (profile.personId !== personId) throw new NotFoundError('Profile')
      const person = await services.people.get(actor, personId)
      return reply.view(`${VIEWS}/profile.njk`, {
        title: t(`profile.title.${profile.protocol}`),
        identity: { name: personName(person.names), dob: null, href: paths.person(personId) },
        profile,
        lists: profileValues(profile),
        lastReviewed: fmt.date(profile.lastReviewedOn),
        photoUpdated: fmt.date(profile.photoUpdatedOn),
        saved: (request.query as Record<string, unknown>).saved === '1',
        owner: person.access === 'owner',
        personId,
      })
    })

    app.get('/people/:personId/profiles/:profileId/edit', async (request, reply) => {
      const { personId, profileId } = ids(request)
      const t = translator(request.language)
      const profile = await services.protocols.get(actorForPerson(request, personId), profileId ?? '')
      if (profile.personId !== personId) throw new NotFoundError('Profile')
      return reply.view(`${VIEWS}/profile-form.njk`, {
        title: t(`profile.title.${profile.protocol}`), identity: await identity(request, personId), action: `/people/${personId}/profiles/${profile.id}/edit`, values: profileValues(profile), version: profile.version, ...formContext(profile.protocol),
      })
    })

    app.post('/people/:personId/profiles/:profileId/edit', async (request, reply) => {
      const { personId, profileId } = ids(request)
      const actor = actorForPerson(request, personId)
      const t = translator(request.language)
      const body = request.body as FormBody
      const current = await services.protocols.get(actor, profileId ?? '')
      if (current.personId !== personId) throw new NotFoundError('Profile')
      let { problems, value } = readProfileForm(body, t, current.protocol === 'philomena')
      if (problems.empty && value) {
        try {
          await services.protocols.update(actor, current.id, { ...value, version: Number(text(body, 'version')) })
          return reply.redirect(`/people/${personId}/profiles/${current.id}?saved=1`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          problems = profileServiceErrors(error.errors, t)
          value = null
        }
      }
      return reply.view(`${VIEWS}/profile-form.njk`, {
        title: t(`profile.title.${current.protocol}`), identity: await identity(request, personId), action: `/people/${personId}/profiles/${current.id}/edit`, values: body, version: text(body, 'version'), errors: problems.toFormErrors(), ...formContext(current.protocol),
      }, 400)
    })
  }
}

export const profilePages: WebPages = { routes }
