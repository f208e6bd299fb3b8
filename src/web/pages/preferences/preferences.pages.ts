import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import { StaleVersionError } from '../../../lib/errors.ts'
import { NOTIFICATION_KIND_NAMES, type NotificationKind } from '../../../modules/notifications/notifications.kinds.ts'
import type { NotificationPreferences } from '../../../modules/notifications/notifications.service.ts'
import type { WebPages } from '../../web.ts'
import { translator } from '../../i18n.ts'
import { FormProblems, list, text, type FormBody } from '../../forms.ts'
import { pageActor } from '../../session.ts'
import { paths } from '../../paths.ts'
import './preferences.messages.ts'

// A person's choice of emails (issue 7), through the notifications service: the kinds they want, saved with the
// version they read, so two windows cannot silently overwrite each other. Linked from the footer of every page.

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    function page(request: FastifyRequest, reply: FastifyReply, preferences: NotificationPreferences, context: Record<string, unknown> = {}, status = 200) {
      const t = translator(request.language)
      return reply.view(
        'web/pages/preferences/notifications.njk',
        {
          title: t('preferences.title'),
          preferences,
          kinds: NOTIFICATION_KIND_NAMES.map((kind) => ({ value: kind, text: t(`preferences.kind.${kind}`) })),
          values: { emailKinds: preferences.emailKinds },
          ...context,
        },
        status,
      )
    }

    app.get('/preferences/notifications', async (request, reply) => {
      const preferences = await services.notifications.preferences(pageActor(request))
      return page(request, reply, preferences, { saved: (request.query as Record<string, unknown>).saved === 'true' })
    })

    app.post('/preferences/notifications', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      const chosen = list(body, 'emailKinds')
      const version = Number(text(body, 'version'))
      const problems = new FormProblems()
      const known = chosen.filter((kind): kind is NotificationKind => (NOTIFICATION_KIND_NAMES as readonly string[]).includes(kind))
      if (known.length !== chosen.length || !Number.isInteger(version) || version < 0) problems.add('emailKinds', t('preferences.invalid'))
      if (problems.empty) {
        try {
          await services.notifications.choose(actor, { emailKinds: known, version })
          return reply.redirect(`${paths.notificationPreferences()}?saved=true`, 303)
        } catch (error) {
          if (!(error instanceof StaleVersionError)) throw error
          problems.add('emailKinds', t('preferences.stale'))
          // Shown as they are now, with the current version: the person chooses again.
          return page(request, reply, await services.notifications.preferences(actor), { errors: problems.toFormErrors() }, 409)
        }
      }
      const current = await services.notifications.preferences(actor)
      return page(request, reply, current, { values: { emailKinds: chosen }, errors: problems.toFormErrors() }, 400)
    })
  }
}

export const preferencesPages: WebPages = { routes }
