import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import type { Actor } from '../../../modules/access/actor.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import { GUARDIAN_ROLES, type GuardianAssignmentUpdateInput } from '../../../modules/trafficking/trafficking.schemas.ts'
import { mayAssignGuardian, mayChangeGuardianAssignment, type GuardianAssignment } from '../../../modules/trafficking/trafficking.service.ts'
import type { Guardian } from '../../../modules/users/users.service.ts'
import type { Person } from '../../../modules/people/people.service.ts'
import type { WebPages } from '../../web.ts'
import { translator, type Translate } from '../../i18n.ts'
import { personName } from '../../format.ts'
import { choice, dateInput, fromServiceErrors, FormProblems, isVersion, text, type FormBody } from '../../forms.ts'
import { actorForPerson } from '../../session.ts'
import { paths } from '../../paths.ts'
import './guardians.messages.ts'
import '../people/people.messages.ts'
import '../placements/placements.messages.ts'

// Independent Child Trafficking Guardian assignments, from the person page: allocate one, change the guardian or
// role, or end it. Who may (the child's owning agency, or a guardian of the guardian service for its own
// assignments), the rules on dates and guardians, the version check and the audit are the trafficking service's.

const VIEWS = 'web/pages/guardians'
const SERVICE_FIELDS: Record<string, string> = { guardianAgencyId: 'guardianAgencyId', guardianUserId: 'guardianUserId', role: 'role', allocatedOn: 'allocatedOn', endedOn: 'endedOn' }
const anchorOf = (field: string) => (field === 'allocatedOn' || field === 'endedOn' ? `${field}-day` : field)

interface Option {
  value: string
  text: string
}

function ids(request: FastifyRequest): { personId: string; assignmentId: string | null } {
  const { personId, assignmentId } = request.params as { personId: string; assignmentId?: string }
  if (!isUuid(personId) || (assignmentId !== undefined && !isUuid(assignmentId))) throw new NotFoundError('Guardian assignment')
  return { personId, assignmentId: assignmentId ?? null }
}

const identityOf = (person: Person) => ({ name: personName(person.names), dob: null, href: paths.person(person.id) })

function dateValues(name: string, iso: string | null): FormBody {
  if (!iso) return {}
  const [year = '', month = '', day = ''] = iso.split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year }
}

const serviceProblems = (error: unknown) => {
  if (!(error instanceof ValidationError)) throw error
  return fromServiceErrors(error.errors, { fieldOf: (path) => SERVICE_FIELDS[path], anchorOf, fallbackField: 'role' })
}

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    /** The guardian services this actor may allocate to (a guardian service only to itself), and their guardians. */
    async function allocationChoices(actor: Actor, t: Translate) {
      const agencies = (await services.agencies.list(actor, { kind: 'ictg_service', activeOnly: true, pageSize: 100 })).items
        .filter((agency) => actor.agencyKind !== 'ictg_service' || agency.id === actor.agencyId)
      const names = new Map(agencies.map((agency) => [agency.id, agency.name]))
      const directory = await services.users.guardianDirectory(actor)
      return {
        agencies: agencies.map((agency): Option => ({ value: agency.id, text: agency.name })),
        guardians: [
          { value: '', text: t('guardian.notNamed') },
          ...directory.filter((guardian) => guardian.active && names.has(guardian.agencyId)).map((guardian): Option => ({ value: guardian.id, text: t('guardian.guardianOf', { name: guardian.displayName, service: names.get(guardian.agencyId) ?? '' }) })),
        ],
      }
    }

    /** The guardians an assignment may be given to: the active ones of its service, and whoever holds it now. */
    function guardiansFor(assignment: GuardianAssignment, directory: Guardian[], t: Translate): Option[] {
      const options: Option[] = [{ value: '', text: t('guardian.notNamed') }]
      for (const guardian of directory) {
        if (guardian.agencyId !== assignment.guardianAgencyId) continue
        if (guardian.active) options.push({ value: guardian.id, text: guardian.displayName })
        else if (guardian.id === assignment.guardianUserId) options.push({ value: guardian.id, text: t('guardian.inactive', { name: guardian.displayName }) })
      }
      return options
    }

    async function readablePerson(actor: Actor, personId: string) {
      return services.people.get(actor, personId)
    }

    // ---------------------------------------------------------------- allocate

    async function newForm(request: FastifyRequest, personId: string) {
      const actor = actorForPerson(request, personId)
      const person = await readablePerson(actor, personId)
      if (!mayAssignGuardian(actor, person.access)) throw new ForbiddenError('Only the agency that recorded this child, or a guardian service, can assign a guardian')
      const t = translator(request.language)
      return { actor, person, t, choices: await allocationChoices(actor, t) }
    }

    app.get('/people/:personId/guardian-assignments/new', async (request, reply) => {
      const { personId } = ids(request)
      const { person, t, choices } = await newForm(request, personId)
      const only = choices.agencies.length === 1 ? choices.agencies[0]?.value : undefined
      return reply.view(`${VIEWS}/assignment-form.njk`, {
        title: t('guardian.newTitle'), identity: identityOf(person), action: `/people/${personId}/guardian-assignments/new`,
        values: { guardianAgencyId: only ?? '' }, choices, roles: GUARDIAN_ROLES, editing: false,
      })
    })

    app.post('/people/:personId/guardian-assignments/new', async (request, reply) => {
      const { personId } = ids(request)
      const { actor, person, t, choices } = await newForm(request, personId)
      const body = (request.body ?? {}) as FormBody
      let problems = new FormProblems()
      const guardianAgencyId = choice(body, 'guardianAgencyId', choices.agencies.map((option) => option.value), problems, t('guardian.serviceRequired'))
      const guardianUserId = choice(body, 'guardianUserId', choices.guardians.map((option) => option.value), problems, t('guardian.guardianChoose'))
      const role = choice(body, 'role', GUARDIAN_ROLES, problems, t('guardian.roleRequired'))
      const allocatedOn = dateInput(body, 'allocatedOn', t('guardian.allocatedLabel'), problems, t, true)
      if (problems.empty && guardianAgencyId && role && allocatedOn) {
        try {
          await services.trafficking.assignGuardian(actor, personId, { guardianAgencyId, guardianUserId: guardianUserId || null, role, allocatedOn })
          return reply.redirect(`${paths.person(personId)}?saved=guardian`, 303)
        } catch (error) {
          problems = serviceProblems(error)
        }
      }
      return reply.view(`${VIEWS}/assignment-form.njk`, {
        title: t('guardian.newTitle'), identity: identityOf(person), action: `/people/${personId}/guardian-assignments/new`,
        values: body, choices, roles: GUARDIAN_ROLES, editing: false, errors: problems.toFormErrors(),
      }, 400)
    })

    // ---------------------------------------------------------------- change or end

    async function editForm(request: FastifyRequest) {
      const { personId, assignmentId } = ids(request)
      const actor = actorForPerson(request, personId)
      const assignment = await services.trafficking.getGuardianAssignment(actor, assignmentId ?? '')
      if (assignment.personId !== personId) throw new NotFoundError('Guardian assignment')
      const person = await readablePerson(actor, personId)
      if (!mayChangeGuardianAssignment(actor, person.access, assignment))
        throw new ForbiddenError('Only the agency that recorded this child, or the assignment’s guardian service, can change it')
      const t = translator(request.language)
      const [agency, directory] = await Promise.all([services.agencies.get(actor, assignment.guardianAgencyId), services.users.guardianDirectory(actor)])
      return {
        actor, person, assignment, t,
        context: {
          identity: identityOf(person), action: `/people/${personId}/guardian-assignments/${assignment.id}/edit`, title: t('guardian.editTitle'),
          serviceName: agency.name, allocatedOn: assignment.allocatedOn, choices: { guardians: guardiansFor(assignment, directory, t) }, roles: GUARDIAN_ROLES, editing: true,
        },
      }
    }

    app.get('/people/:personId/guardian-assignments/:assignmentId/edit', async (request, reply) => {
      const { assignment, context } = await editForm(request)
      return reply.view(`${VIEWS}/assignment-form.njk`, {
        ...context, version: assignment.version,
        values: { guardianUserId: assignment.guardianUserId ?? '', role: assignment.role, ...dateValues('endedOn', assignment.endedOn) },
      })
    })

    app.post('/people/:personId/guardian-assignments/:assignmentId/edit', async (request, reply) => {
      const { actor, person, assignment, t, context } = await editForm(request)
      const body = (request.body ?? {}) as FormBody
      const version = text(body, 'version')
      let problems = new FormProblems()
      const guardianUserId = choice(body, 'guardianUserId', context.choices.guardians.map((option) => option.value), problems, t('guardian.guardianChoose'))
      const role = choice(body, 'role', GUARDIAN_ROLES, problems, t('guardian.roleRequired'))
      const endedOn = dateInput(body, 'endedOn', t('guardian.endedLabel'), problems, t, false)
      if (!isVersion(version)) problems.add('save', t('guardian.outOfDate'))
      if (problems.empty && role) {
        // Only what changed is sent: a guardian who has since left can still have their assignment ended.
        const changes: Omit<GuardianAssignmentUpdateInput, 'version'> = {}
        if ((guardianUserId || null) !== assignment.guardianUserId) changes.guardianUserId = guardianUserId || null
        if (role !== assignment.role) changes.role = role
        if (endedOn !== assignment.endedOn) changes.endedOn = endedOn
        if (Object.keys(changes).length === 0) return reply.redirect(`${paths.person(person.id)}?saved=unchanged`, 303)
        try {
          const saved = await services.trafficking.updateGuardianAssignment(actor, assignment.id, { ...changes, version: Number(version) })
          // A guardian who ends their own assignment no longer reads the child: back to their home page.
          const stillReads = !(person.access === 'guardian' && saved.endedOn !== null && saved.guardianUserId === actor.userId)
          return reply.redirect(stillReads ? `${paths.person(person.id)}?saved=guardian` : paths.home(), 303)
        } catch (error) {
          problems = serviceProblems(error)
        }
      }
      return reply.view(`${VIEWS}/assignment-form.njk`, { ...context, version, values: body, errors: problems.toFormErrors() }, 400)
    })
  }
}

export const guardianPages: WebPages = { routes }
