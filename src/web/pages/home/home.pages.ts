import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Services } from '../../../services.ts'
import type { Actor } from '../../../modules/access/actor.ts'
import { can } from '../../../modules/access/roles.ts'
import type { EpisodeSummary } from '../../../modules/episodes/episodes.service.ts'
import { RISK_GRADES, LA_CATEGORIES } from '../../../modules/episodes/episodes.schemas.ts'
import { hoursBetween } from '../../../lib/dates.ts'
import type { WebPages } from '../../web.ts'
import { translator, type Translate } from '../../i18n.ts'
import { formatters, type Formatters } from '../../format.ts'
import { pageActor } from '../../session.ts'
import { paths, type EpisodeListFilter } from '../../paths.ts'
import { pagination } from '../../pagination.ts'
import { receivesAlerts } from '../alerts/alerts.pages.ts'
import { hasTasks } from '../tasks/tasks.pages.ts'
import { LIVE_SCRIPT, liveTypes } from '../live/live-region.ts'
import './home.messages.ts'

// Home, by role. Police: the force's open cases, high risk first, with time missing, the next risk review and
// overdue actions. Local authority: its looked-after children missing or away now, and return home interviews
// due and overdue. Every count links to its list. The board is marked `data-live-board` so a live-update
// script (issue 7) can refresh it; see src/web/README.md.

const BOARD_SIZE = 10
/** The home page counts tasks done in this many days. */
export const DONE_DAYS = 7

interface Count {
  value: number
  key: string
  href: string
  id: string
}

/**
 * Alerts not yet acknowledged, and tasks due, overdue and done lately: for everyone whose role has them (police,
 * local authorities, NRM decision-makers; guardians have alerts only). Each links to its list.
 */
async function workCounts(services: Services, actor: Actor): Promise<Count[]> {
  const counts: Count[] = []
  const [alerts, tasks] = await Promise.all([
    receivesAlerts(actor) ? services.alerts.list(actor, { state: 'open', pageSize: 1 }) : null,
    hasTasks(actor)
      ? Promise.all([
          services.deadlines.list(actor, { state: 'due', pageSize: 1 }),
          services.deadlines.list(actor, { state: 'overdue', pageSize: 1 }),
          services.deadlines.list(actor, { state: 'done', closedSince: new Date(Date.now() - DONE_DAYS * 24 * 3_600_000), pageSize: 1 }),
        ])
      : null,
  ])
  if (alerts) counts.push({ value: alerts.total, key: 'home.alertsOpen', href: paths.alerts(), id: 'alerts-open' })
  if (tasks) {
    const [due, overdue, done] = tasks
    counts.push(
      { value: due.total, key: 'home.tasksDue', href: paths.tasks({ state: 'due' }), id: 'tasks-due' },
      { value: overdue.total, key: 'home.tasksOverdue', href: paths.tasks({ state: 'overdue' }), id: 'tasks-overdue' },
      { value: done.total, key: 'home.tasksDone', href: paths.tasks({ state: 'done', days: DONE_DAYS }), id: 'tasks-done' },
    )
  }
  return counts
}

/** Everything the home page's board shows for this actor (also served alone, for live updates: src/web/pages/live). */
export async function homeBoard(services: Services, actor: Actor, fmt: Formatters) {
  const [home, work] = await Promise.all([
    can.isPolice(actor) ? policeHome(services, actor, fmt) : can.isLocalAuthority(actor) ? localAuthorityHome(services, actor, fmt) : null,
    workCounts(services, actor),
  ])
  return { home, work, kind: home?.kind ?? (work.length > 0 ? 'other' : null) }
}

export interface BoardRow {
  name: string
  href: string
  grade: string | null
  laCategory: string | null
  since: string
  missingFor: string
  nextReview: string
  reviewOverdue: boolean
  overdueActions: number
}

/** An episode summary as one row of a board table. */
export function boardRow(episode: EpisodeSummary, fmt: Formatters, now: Date): BoardRow {
  return {
    name: episode.personName,
    href: paths.episode(episode.personId, episode.id),
    grade: episode.currentRiskGrade,
    laCategory: episode.laCategory,
    since: fmt.dateTime(episode.startedAt),
    missingFor: fmt.duration(hoursBetween(episode.startedAt, episode.endedAt ?? now)),
    nextReview: fmt.dateTime(episode.nextReviewDueAt),
    reviewOverdue: episode.endedAt === null && episode.nextReviewDueAt !== null && episode.nextReviewDueAt < now,
    overdueActions: episode.overdueActions,
  }
}

async function policeHome(services: Services, actor: Actor, fmt: Formatters) {
  const now = new Date()
  const count = async (filter: EpisodeListFilter) => (await services.episodes.listForAgency(actor, { ...filter, pageSize: 1 })).total
  const [board, high, reviewsOverdue, actionsOverdue] = await Promise.all([
    services.episodes.listForAgency(actor, { open: true, pageSize: BOARD_SIZE }),
    count({ open: true, risk: 'high' }),
    count({ reviewOverdue: true }),
    count({ open: true, actionsOverdue: true }),
  ])
  return {
    kind: 'police',
    counts: [
      { value: board.total, key: 'home.openEpisodes', href: paths.episodes({ open: true }), id: 'open' },
      { value: high, key: 'home.highRisk', href: paths.episodes({ open: true, risk: 'high' }), id: 'high-risk' },
      { value: reviewsOverdue, key: 'home.reviewsOverdue', href: paths.episodes({ reviewOverdue: true }), id: 'reviews-overdue' },
      { value: actionsOverdue, key: 'home.actionsOverdue', href: paths.episodes({ open: true, actionsOverdue: true }), id: 'actions-overdue' },
    ],
    rows: board.items.map((episode) => boardRow(episode, fmt, now)),
    total: board.total,
  }
}

async function localAuthorityHome(services: Services, actor: Actor, fmt: Formatters) {
  const now = new Date()
  const [board, missing, away, due, overdue] = await Promise.all([
    services.episodes.listForAgency(actor, { open: true, pageSize: BOARD_SIZE }),
    services.episodes.listForAgency(actor, { open: true, laCategory: 'M', pageSize: 1 }),
    services.episodes.listForAgency(actor, { open: true, laCategory: 'A', pageSize: 1 }),
    services.interviews.outstandingReturnHomeInterviews(actor, { window: 'due', pageSize: 1 }),
    services.interviews.outstandingReturnHomeInterviews(actor, { window: 'overdue', pageSize: 1 }),
  ])
  return {
    kind: 'localAuthority',
    counts: [
      { value: missing.total, key: 'home.missingNow', href: paths.episodes({ open: true, laCategory: 'M' }), id: 'missing' },
      { value: away.total, key: 'home.awayNow', href: paths.episodes({ open: true, laCategory: 'A' }), id: 'away' },
      { value: due.total, key: 'home.interviewsDue', href: paths.returnHomeInterviews('due'), id: 'interviews-due' },
      { value: overdue.total, key: 'home.interviewsOverdue', href: paths.returnHomeInterviews('overdue'), id: 'interviews-overdue' },
    ],
    rows: board.items.map((episode) => boardRow(episode, fmt, now)),
    total: board.total,
  }
}

/** The list filter a query string asks for; unknown values are ignored. */
export function listFilter(query: Record<string, unknown>): EpisodeListFilter {
  const flag = (value: unknown) => (value === 'true' ? true : value === 'false' ? false : undefined)
  const risk = typeof query.risk === 'string' && (RISK_GRADES as readonly string[]).includes(query.risk) ? query.risk : undefined
  const laCategory = typeof query.laCategory === 'string' && (LA_CATEGORIES as readonly string[]).includes(query.laCategory) ? query.laCategory : undefined
  return { open: flag(query.open), risk, laCategory, reviewOverdue: flag(query.reviewOverdue) || undefined, actionsOverdue: flag(query.actionsOverdue) || undefined }
}

function listTitle(filter: EpisodeListFilter, t: Translate): string {
  if (filter.reviewOverdue) return t('lists.filter.reviewOverdue')
  if (filter.actionsOverdue) return t('lists.filter.actionsOverdue')
  if (filter.risk === 'high') return t('lists.filter.high')
  if (filter.laCategory === 'M' || filter.laCategory === 'A') return t(`lists.filter.${filter.laCategory}`)
  if (filter.open === true) return t('lists.filter.open')
  if (filter.open === false) return t('lists.filter.closed')
  return t('lists.filter.all')
}

function pageNumber(request: FastifyRequest): number {
  const page = Number((request.query as Record<string, unknown>).page)
  return Number.isInteger(page) && page >= 1 ? page : 1
}

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.get('/', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      const board = await homeBoard(services, actor, formatters(request.language))
      // The live script refreshes the board when an event in the person's scope arrives (src/web/pages/live).
      return reply.view('web/pages/home/home.njk', {
        title: t('home.title'),
        ...board,
        liveTypes: liveTypes(),
        scripts: board.kind ? [LIVE_SCRIPT] : [],
      })
    })

    app.get('/episodes', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      const fmt = formatters(request.language)
      const filter = listFilter(request.query as Record<string, unknown>)
      const page = pageNumber(request)
      const result = await services.episodes.listForAgency(actor, { ...filter, page })
      const now = new Date()
      return reply.view('web/pages/home/episode-list.njk', {
        title: listTitle(filter, t),
        rows: result.items.map((episode) => boardRow(episode, fmt, now)),
        total: result.total,
        localAuthority: can.isLocalAuthority(actor),
        pagination: pagination(result, (number) => paths.episodes(filter, number), t),
      })
    })

    app.get('/return-home-interviews', async (request, reply) => {
      const actor = pageActor(request)
      const t = translator(request.language)
      const fmt = formatters(request.language)
      const window = (request.query as Record<string, unknown>).window === 'overdue' ? 'overdue' : 'due'
      const result = await services.interviews.outstandingReturnHomeInterviews(actor, { window, page: pageNumber(request) })
      return reply.view('web/pages/home/interview-list.njk', {
        title: t(window === 'due' ? 'lists.interviewsDueTitle' : 'lists.interviewsOverdueTitle'),
        total: result.total,
        rows: result.items.map((item) => ({
          name: item.personName,
          href: paths.episode(item.personId, item.episodeId),
          returned: fmt.dateTime(item.returnedAt),
          dueBy: fmt.dateTime(item.dueBy),
          overdue: item.overdue,
          offered: item.offeredAt ? fmt.dateTime(item.offeredAt) : null,
        })),
        pagination: pagination(result, (number) => paths.returnHomeInterviews(window, number), t),
      })
    })
  }
}

export const homePages: WebPages = {
  routes,
  navigation: [{ key: 'nav.home', href: paths.home(), show: () => true, matches: (path) => path === '/' || path === '/episodes' || path === '/return-home-interviews' }],
}
