import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import type { Actor } from '../../../modules/access/actor.ts'
import { can } from '../../../modules/access/roles.ts'
import type { Task } from '../../../modules/deadlines/deadlines.service.ts'
import { TASK_KIND_NAMES, type TaskKind } from '../../../modules/deadlines/deadlines.rules.ts'
import { NotFoundError, ValidationError } from '../../../lib/errors.ts'
import { isUuid } from '../../../lib/ids.ts'
import type { WebPages } from '../../web.ts'
import { translator, type Translate } from '../../i18n.ts'
import { formatters, londonParts, type Formatters } from '../../format.ts'
import { dateTimeInput, fromServiceErrors, FormProblems, text, type FormBody } from '../../forms.ts'
import { pageActor } from '../../session.ts'
import { paths, type TaskListFilter } from '../../paths.ts'
import { pagination } from '../../pagination.ts'
import '../alerts/alerts.messages.ts'
import { LIVE_SCRIPT, liveTypes } from '../live/live-region.ts'
import './tasks.messages.ts'

// Statutory deadlines as tasks (issue 7): the agency's tasks (or one's own) by status, and one task with its
// deadline, owner, status and escalation, and the way to complete it. A task is completed by recording what it asks
// for, through the service that owns that record (the episode, the interview, the NRM decision), so the rules close
// it; the UK Missing Persons Unit notification has its own small form here because no other page records it.

const STATES = ['open', 'due', 'overdue', 'done', 'cancelled', 'all'] as const
type TaskListState = (typeof STATES)[number]

/** Whether the actor's role has tasks (the deadlines service's own rule: case workers and NRM decision-makers). */
export const hasTasks = (actor: Actor) => can.workCases(actor) || can.decideNrmReferrals(actor)

const STATE_TAG: Record<Task['state'], string> = { due: 'govuk-tag--blue', overdue: 'govuk-tag--red', done: 'govuk-tag--green', cancelled: 'govuk-tag--grey' }

export interface TaskRow {
  id: string
  href: string
  kind: string
  dueBy: string
  state: string
  stateClass: string
  escalatedTo: string | null
  doneOnTime: boolean | null
}

function taskRow(task: Task, t: Translate, fmt: Formatters): TaskRow {
  return {
    id: task.id,
    href: paths.task(task.id),
    kind: t(`tasks.kind.${task.kind}`),
    dueBy: fmt.dateTime(task.dueAt),
    state: t(`tasks.state.${task.state}`),
    stateClass: STATE_TAG[task.state],
    escalatedTo: task.escalatedToRole ? t(`roles.${task.escalatedToRole}`) : null,
    doneOnTime: task.doneOnTime,
  }
}

/** Where a task is completed: the form that records what it asks for. */
function completionPath(task: Task): string | null {
  if (!task.personId) return null
  const episode = task.episodeId ? paths.episode(task.personId, task.episodeId) : null
  switch (task.kind) {
    case 'ukmpu_notification':
      return paths.taskNotification(task.id)
    case 'risk_review':
      return episode && `${episode}/regrade`
    case 'prevention_interview':
      return episode && `${episode}/prevention`
    case 'return_home_interview':
      return episode && `${episode}/return-home`
    case 'nrm_reasonable_grounds':
      return task.referralId ? `${paths.person(task.personId)}/nrm-referrals/${task.referralId}/decision` : null
  }
}

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get('/tasks', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      const fmt = formatters(request.language)
      const query = request.query as Record<string, unknown>
      const problems = new FormProblems()
      const askedState = typeof query.state === 'string' && query.state !== '' ? query.state : 'open'
      const state = (STATES as readonly string[]).includes(askedState) ? (askedState as TaskListState) : null
      if (!state) problems.add('state', t('tasks.invalid.state'))
      const askedKind = typeof query.kind === 'string' ? query.kind : ''
      const kind = askedKind === '' ? undefined : (TASK_KIND_NAMES as readonly string[]).includes(askedKind) ? (askedKind as TaskKind) : null
      if (kind === null) problems.add('kind', t('tasks.invalid.kind'))
      const mine = query.mine === 'true'
      // Closed in the last N days (the home page's "done in the last 7 days"); anything else is ignored.
      const days = typeof query.days === 'string' && /^\d{1,3}$/.test(query.days) && Number(query.days) > 0 ? Number(query.days) : undefined
      const filter: TaskListFilter = { state: state ?? 'open', kind: kind ?? undefined, mine, days }
      const requested = Number(query.page)
      const page = Number.isInteger(requested) && requested >= 1 ? requested : 1
      const closedSince = days ? new Date(Date.now() - days * 24 * 3_600_000) : undefined
      const result = await services.deadlines.list(actor, { state: filter.state, kind: kind ?? undefined, mine, closedSince, page })
      return reply.view(
        'web/pages/tasks/task-list.njk',
        {
          title: t(`tasks.${mine ? 'titleMine' : 'title'}.${filter.state}`) + (days ? ` ${t('tasks.inLastDays', { days })}` : ''),
          filter,
          values: { state: askedState, kind: askedKind, mine },
          errors: problems.toFormErrors(),
          tabs: STATES.map((item) => ({ text: t(`tasks.state.${item}`), href: paths.tasks({ ...filter, state: item, days: undefined }), active: item === filter.state })),
          kinds: TASK_KIND_NAMES.map((item) => ({ value: item, text: t(`tasks.kind.${item}`), selected: item === askedKind })),
          total: result.total,
          rows: result.items.map((task) => taskRow(task, t, fmt)),
          pagination: pagination(result, (number) => paths.tasks(filter, number), t),
          liveTypes: liveTypes('task.'),
          scripts: [LIVE_SCRIPT],
        },
        problems.empty ? 200 : 400,
      )
    })

    app.get('/tasks/:taskId', async (request, reply) => {
      const { taskId } = request.params as { taskId: string }
      if (!isUuid(taskId)) throw new NotFoundError('Task')
      const actor = pageActor(request)
      const t = translator(request.language)
      const fmt = formatters(request.language)
      const task = await services.deadlines.detail(actor, taskId)
      const agency = (await services.agencies.get(actor, task.ownerAgencyId)).name
      const role = t(`roles.${task.ownerRole}`)
      const open = task.state === 'due' || task.state === 'overdue'
      return reply.view('web/pages/tasks/task.njk', {
        title: t(`tasks.kind.${task.kind}`),
        task: {
          ...taskRow(task, t, fmt),
          rule: t(`tasks.rule.${task.kind}`),
          owner: task.ownerUserName ? t('tasks.ownerUser', { name: task.ownerUserName, role, agency }) : t('tasks.ownerRole', { role, agency }),
          escalation: task.escalatedToRole && task.escalatedAt ? t('tasks.escalatedTo', { role: t(`roles.${task.escalatedToRole}`), when: fmt.dateTime(task.escalatedAt) }) : null,
          closed: task.closedAt ? fmt.dateTime(task.closedAt) : null,
          closedReason: task.closedReason ? t(`tasks.reason.${task.closedReason}`) : null,
          open,
          how: open ? t(`tasks.how.${task.kind}`) : null,
          action: open ? t(`tasks.action.${task.kind}`) : null,
          completeHref: open ? completionPath(task) : null,
          recordHref: task.personId ? (task.episodeId ? paths.episode(task.personId, task.episodeId) : paths.person(task.personId)) : null,
          recordText: t(task.episodeId ? 'tasks.viewEpisode' : 'tasks.viewPerson'),
        },
        notified: (request.query as Record<string, unknown>).notified === 'true',
      })
    })

    // ------------------------------------------------------------------ the UK Missing Persons Unit notification

    /** The open notification task and its episode (an audited read of the force's own record). */
    async function loadNotification(request: FastifyRequest) {
      const { taskId } = request.params as { taskId: string }
      if (!isUuid(taskId)) throw new NotFoundError('Task')
      const actor = pageActor(request)
      const task = await services.deadlines.get(actor, taskId)
      if (task.kind !== 'ukmpu_notification' || !task.episodeId) throw new NotFoundError('Task')
      const episode = await services.episodes.get(actor, task.episodeId)
      return { actor, task, episode }
    }

    function notificationForm(reply: FastifyReply, request: FastifyRequest, task: Task, context: Record<string, unknown>, status = 200) {
      const t = translator(request.language)
      return reply.view('web/pages/tasks/notify.njk', { title: t('tasks.notify.title'), task: { id: task.id, href: paths.task(task.id), open: task.state === 'due' || task.state === 'overdue' }, ...context }, status)
    }

    app.get('/tasks/:taskId/notification', async (request, reply) => {
      const { task, episode } = await loadNotification(request)
      const now = londonParts(new Date())
      return notificationForm(reply, request, task, {
        version: episode.version,
        values: { 'notifiedAt-day': now.day, 'notifiedAt-month': now.month, 'notifiedAt-year': now.year, 'notifiedAt-time': `${now.hour}:${now.minute}` },
      })
    })

    app.post('/tasks/:taskId/notification', async (request, reply) => {
      const { actor, task, episode } = await loadNotification(request)
      const t = translator(request.language)
      const body = request.body as FormBody
      const problems = new FormProblems()
      if (task.state !== 'due' && task.state !== 'overdue') problems.add('notifiedAt', t('tasks.notify.notOpen'), 'notifiedAt-day')
      const notifiedAt = dateTimeInput(body, 'notifiedAt', t('tasks.notify.label'), problems, t, true)
      if (notifiedAt && notifiedAt.getTime() > Date.now()) problems.add('notifiedAt', t('tasks.notify.future'), 'notifiedAt-day')
      if (problems.empty && notifiedAt) {
        try {
          await services.episodes.update(actor, episode.id, { version: Number(text(body, 'version')), ukmpuNotifiedAt: notifiedAt.toISOString() })
          return reply.redirect(`${paths.task(task.id)}?notified=true`, 303)
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error
          fromServiceErrors(error.errors, { fieldOf: () => 'notifiedAt' }).errors.forEach((item) => problems.add('notifiedAt', item.message, 'notifiedAt-day'))
        }
      }
      return notificationForm(reply, request, task, { version: text(body, 'version'), values: body, errors: problems.toFormErrors() }, 400)
    })
  }
}

export const taskPages: WebPages = {
  routes,
  navigation: [{ key: 'nav.tasks', href: '/tasks', show: hasTasks }],
}
