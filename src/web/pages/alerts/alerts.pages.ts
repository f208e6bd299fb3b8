import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import type { Actor } from '../../../modules/access/actor.ts'
import { can } from '../../../modules/access/roles.ts'
import type { Alert } from '../../../modules/alerts/alerts.service.ts'
import { NotFoundError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import type { WebPages } from '../../web.ts'
import { translator, type Translate } from '../../i18n.ts'
import { formatters, type Formatters } from '../../format.ts'
import { FormProblems, text, type FormBody } from '../../forms.ts'
import { pageActor } from '../../session.ts'
import { paths, type AlertListState } from '../../paths.ts'
import { pagination } from '../../pagination.ts'
import { LIVE_SCRIPT, liveTypes } from '../live/live-region.ts'
import './alerts.messages.ts'

// Alerts (issue 7): the list of the alerts reaching the signed-in person's agency and role (not yet acknowledged
// first), and one alert with what happened, a link to the record (through its own access checks and audit) and the
// acknowledge button. Alerts carry ids and codes only, so these pages show no name: the record is one click away.

const STATES: readonly AlertListState[] = ['open', 'acknowledged', 'all']

/** Whether the actor's role receives alerts at all (case roles, decision-makers, guardians). */
export const receivesAlerts = (actor: Actor) => can.workCases(actor) || can.decideNrmReferrals(actor) || can.actAsGuardian(actor)

export interface AlertRow {
  id: string
  href: string
  rule: string
  raised: string
  acknowledged: boolean
  escalatedTo: string | null
}

function alertRow(alert: Alert, t: Translate, fmt: Formatters): AlertRow {
  return {
    id: alert.id,
    href: paths.alert(alert.id),
    rule: t(`alerts.rule.${alert.rule}`),
    raised: fmt.dateTime(alert.raisedAt),
    acknowledged: alert.acknowledgedAt !== null,
    escalatedTo: alert.escalatedToRole ? t(`roles.${alert.escalatedToRole}`) : null,
  }
}

/** What happened, as summary-list rows: the codes and ids of the alert's detail, in words. */
async function whatHappened(services: Services, actor: Actor, alert: Alert, t: Translate, fmt: Formatters) {
  const rows: { key: { text: string }; value: { text: string } }[] = []
  const row = (key: string, value: string) => rows.push({ key: { text: t(key) }, value: { text: value } })
  const agencyName = async (id: unknown) => (typeof id === 'string' && isUuid(id) ? (await services.agencies.get(actor, id)).name : t('layout.unknown'))
  const detail = alert.detail
  if (alert.rule === 'child_matched_elsewhere') {
    if (typeof detail.matchProbability === 'number') row('alerts.matchProbability', `${fmt.number(Math.round(detail.matchProbability * 1000) / 10)}%`)
    if (detail.matchedByAgencyId) row('alerts.matchedBy', await agencyName(detail.matchedByAgencyId))
    if (detail.source === 'encounter_search' || detail.source === 'new_person_record') row('alerts.matchSource', t(`alerts.source.${detail.source}`))
  }
  if (alert.rule === 'placed_child_missing') {
    row('alerts.responsibleAuthority', await agencyName(detail.responsibleAgencyId))
    row('alerts.hostAuthority', await agencyName(detail.hostAgencyId))
  }
  if (alert.rule === 'referred_child_missing' && Array.isArray(detail.referralIds)) row('alerts.openReferrals', fmt.number(detail.referralIds.length))
  if (alert.rule === 'repeat_missing' && typeof detail.missingEpisodesIn90Days === 'number') row('alerts.missingIn90Days', fmt.number(detail.missingEpisodesIn90Days))
  return rows
}

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    async function showAlert(request: FastifyRequest, reply: FastifyReply, id: string, status = 200, extra: Record<string, unknown> = {}) {
      const actor = pageActor(request)
      const t = translator(request.language)
      const fmt = formatters(request.language)
      const alert = await services.alerts.detail(actor, id)
      return reply.view(
        'web/pages/alerts/alert.njk',
        {
          title: t('alerts.alertTitle', { rule: t(`alerts.rule.${alert.rule}`) }),
          alert: {
            ...alertRow(alert, t, fmt),
            what: t(`alerts.what.${alert.rule}`),
            version: alert.version,
            recordHref: alert.personId ? (alert.episodeId ? paths.episode(alert.personId, alert.episodeId) : paths.person(alert.personId)) : null,
            recordText: t(alert.episodeId ? 'alerts.viewEpisode' : 'alerts.viewPerson'),
            acknowledgedBy: alert.acknowledgedAt ? t('alerts.acknowledgedBy', { name: alert.acknowledgedByName ?? t('alerts.someone'), when: fmt.dateTime(alert.acknowledgedAt) }) : null,
            acknowledgedByMe: alert.acknowledgedByUserId === actor.userId,
            escalatedAt: alert.escalatedAt ? fmt.dateTime(alert.escalatedAt) : null,
          },
          details: await whatHappened(services, actor, alert, t, fmt),
          ...extra,
        },
        status,
      )
    }

    app.get('/alerts', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      const fmt = formatters(request.language)
      const query = request.query as Record<string, unknown>
      const problems = new FormProblems()
      const asked = typeof query.state === 'string' && query.state !== '' ? query.state : 'open'
      const state = (STATES as readonly string[]).includes(asked) ? (asked as AlertListState) : null
      if (!state) problems.add('state', t('alerts.filter.invalid'), 'state')
      const requested = Number(query.page)
      const page = Number.isInteger(requested) && requested >= 1 ? requested : 1
      const result = await services.alerts.list(actor, { state: state ?? 'open', page })
      return reply.view(
        'web/pages/alerts/alert-list.njk',
        {
          title: t(`alerts.title.${state ?? 'open'}`),
          intro: t('alerts.intro', { minutes: services.alerts.escalateAfterMinutes }),
          state: state ?? 'open',
          values: { state: asked },
          errors: problems.toFormErrors(),
          total: result.total,
          rows: result.items.map((alert) => alertRow(alert, t, fmt)),
          pagination: pagination(result, (number) => paths.alerts(state ?? 'open', number), t),
          liveTypes: liveTypes('alert.'),
          scripts: [LIVE_SCRIPT],
        },
        state ? 200 : 400,
      )
    })

    app.get('/alerts/:alertId', async (request, reply) => {
      const { alertId } = request.params as { alertId: string }
      if (!isUuid(alertId)) throw new NotFoundError('Alert')
      const acknowledged = (request.query as Record<string, unknown>).acknowledged === 'true'
      return showAlert(request, reply, alertId, 200, { acknowledgedNow: acknowledged })
    })

    // Acknowledging goes through the alerts service: only a person of the alerted agency and role, once, at the version read.
    app.post('/alerts/:alertId/acknowledge', async (request, reply) => {
      const { alertId } = request.params as { alertId: string }
      if (!isUuid(alertId)) throw new NotFoundError('Alert')
      const actor = pageActor(request)
      const t = translator(request.language)
      const version = Number(text(request.body as FormBody, 'version'))
      if (!Number.isInteger(version) || version < 0) {
        const problems = new FormProblems()
        problems.add('acknowledge', t('alerts.versionMissing'), 'acknowledge')
        return showAlert(request, reply, alertId, 400, { errors: problems.toFormErrors() })
      }
      await services.alerts.acknowledge(actor, alertId, version)
      return reply.redirect(`${paths.alert(alertId)}?acknowledged=true`, 303)
    })
  }
}

export const alertPages: WebPages = {
  routes,
  navigation: [{ key: 'nav.alerts', href: '/alerts', show: receivesAlerts }],
}
