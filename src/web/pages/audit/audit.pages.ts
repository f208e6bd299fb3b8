import type { FastifyPluginAsync } from 'fastify'
import type { Services } from '../../../services.ts'
import { NotFoundError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import { pageWindow } from '../../../lib/pagination.ts'
import type { WebPages } from '../../web.ts'
import { translator } from '../../i18n.ts'
import { formatters, personName } from '../../format.ts'
import { actorForPerson } from '../../session.ts'
import { paths } from '../../paths.ts'
import { pagination } from '../../pagination.ts'
import './audit.messages.ts'
import '../people/people.messages.ts'

// Who has seen and changed one person's record: the audit trail, for the roles allowed to see it (missing-person
// coordinators and missing-from-care leads). The person is read first, so the usual access and purpose apply.

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get('/people/:personId/audit-trail', async (request, reply) => {
      const { personId } = request.params as { personId: string }
      if (!isUuid(personId)) throw new NotFoundError('Person')
      const actor = actorForPerson(request, personId)
      const t = translator(request.language)
      const fmt = formatters(request.language)
      const person = await services.people.get(actor, personId)
      const requested = Number((request.query as Record<string, unknown>).page)
      const window = pageWindow({ page: Number.isInteger(requested) && requested > 0 ? requested : 1, pageSize: 50 })
      const trail = await services.audit.trailForPerson(actor, personId, window)
      const name = personName(person.names)
      return reply.view('web/pages/audit/audit-trail.njk', {
        title: t('audit.title'),
        identity: { name, dob: null, href: paths.person(personId) },
        total: trail.total,
        rows: trail.items.map((entry) => ({
          when: fmt.dateTime(entry.occurredAt),
          who: entry.actor.name ? `${entry.actor.name}${entry.actor.agencyName ? `, ${entry.actor.agencyName}` : ''}` : t('audit.system'),
          operation: t(`audit.operation.${entry.operation}`),
          action: entry.action.toLowerCase().replaceAll('_', ' '),
          purpose: entry.purpose ?? '',
        })),
        pagination: pagination({ page: window.page, pageSize: window.pageSize, total: trail.total }, (page) => `/people/${personId}/audit-trail?page=${page}`, t),
      })
    })
  }
}

export const auditPages: WebPages = { routes }
