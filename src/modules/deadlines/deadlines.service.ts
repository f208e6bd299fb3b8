import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can } from '../access/roles.ts'
import type { Clock } from '../../lib/clock.ts'
import { pageWindow, type Page, type PageRequest } from '../../lib/pagination.ts'
import { ForbiddenError, NotFoundError } from '../../lib/errors.ts'
import { SUPERVISOR_ROLE } from '../alerts/recipients.ts'
import { queueEmails } from '../notifications/notifications.queue.ts'
import { appendTaskEvent, CLOSED_REASONS, TASK_KINDS, type ClosedReason, type TaskKind } from './deadlines.rules.ts'
import * as repo from './deadlines.repository.ts'

export type TaskState = 'due' | 'overdue' | 'done' | 'cancelled'

export interface Task {
  id: string
  kind: TaskKind
  title: string
  state: TaskState
  personId: string | null
  episodeId: string | null
  referralId: string | null
  ownerAgencyId: string
  ownerRole: string
  ownerUserId: string | null
  dueAt: Date
  closedAt: Date | null
  closedReason: ClosedReason | null
  closedReasonText: string | null
  /** Done by the deadline (null while open or when cancelled). */
  doneOnTime: boolean | null
  escalatedAt: Date | null
  escalatedToRole: string | null
  version: number
}

export interface TaskQuery extends Partial<PageRequest> {
  state?: 'open' | 'due' | 'overdue' | 'done' | 'cancelled' | 'all'
  mine?: boolean
  kind?: TaskKind
  episodeId?: string
  /** Only tasks closed at or after this instant (the home page's "done in the last 7 days"). */
  closedSince?: Date
}

export function toTask(row: repo.TaskRow, now: Date): Task {
  const kind = row.kind as TaskKind
  const state: TaskState = row.status === 'open' ? (row.due_at <= now ? 'overdue' : 'due') : (row.status as TaskState)
  const reason = row.closed_reason as ClosedReason | null
  return {
    id: row.id,
    kind,
    title: TASK_KINDS[kind].title,
    state,
    personId: row.person_id,
    episodeId: row.episode_id,
    referralId: row.referral_id,
    ownerAgencyId: row.owner_agency_id,
    ownerRole: row.owner_role,
    ownerUserId: row.owner_user_id,
    dueAt: row.due_at,
    closedAt: row.closed_at,
    closedReason: reason,
    closedReasonText: reason ? CLOSED_REASONS[reason] : null,
    doneOnTime: row.status === 'done' && row.closed_at ? row.closed_at <= row.due_at : null,
    escalatedAt: row.escalated_at,
    escalatedToRole: row.escalated_to_role,
    version: row.version,
  }
}

/** The role an overdue task goes to: the supervising role of the owning agency's kind. */
const supervisorOf = (task: { kind: string }) => SUPERVISOR_ROLE[TASK_KINDS[task.kind as TaskKind].agencyKind]

/** Who sees an agency's tasks: its case workers (not administrators or analysts); tasks carry ids, never case detail. */
function requireTaskReader(actor: Actor) {
  if (!can.workCases(actor) && !can.decideNrmReferrals(actor)) throw new ForbiddenError('Your role has no tasks')
}

export function createDeadlinesService(db: Kysely<Database>, clock: Clock) {
  return {
    /** The actor's agency's tasks (or only the actor's own): overdue first, then by due time; closed ones after. */
    async list(actor: Actor, query: TaskQuery): Promise<Page<Task>> {
      requireTaskReader(actor)
      const window = pageWindow(query)
      const now = clock.now()
      const filter: repo.TaskFilter = {
        agencyId: actor.agencyId,
        state: query.state ?? 'open',
        ownerUserId: query.mine ? actor.userId : null,
        kind: query.kind ?? null,
        episodeId: query.episodeId ?? null,
        closedSince: query.closedSince ?? null,
      }
      const [rows, total] = await Promise.all([repo.listTasks(db, filter, now, window), repo.countTasks(db, filter, now)])
      return { page: window.page, pageSize: window.pageSize, total, items: rows.map((row) => toTask(row, now)) }
    },

    async get(actor: Actor, id: string): Promise<Task> {
      requireTaskReader(actor)
      const row = await repo.findTask(db, id)
      if (!row || row.owner_agency_id !== actor.agencyId) throw new NotFoundError('Task')
      return toTask(row, clock.now())
    },

    /** One task for its page: with the name of the person who owns it, when one person does. */
    async detail(actor: Actor, id: string): Promise<Task & { ownerUserName: string | null }> {
      const task = await this.get(actor, id)
      const ownerUserName = task.ownerUserId ? await repo.ownerName(db, task.ownerUserId, task.ownerAgencyId) : null
      return { ...task, ownerUserName }
    },

    /**
     * Every open task past its deadline goes to the supervising role, once: marked escalated, published, and emailed
     * to the supervisors who want it. Safe to run on every instance at once (rows are claimed with SKIP LOCKED).
     */
    async escalateOverdue(limit = 200): Promise<number> {
      const now = clock.now()
      return db.transaction().execute(async (trx) => {
        const escalated = await repo.escalateOverdueTasks(trx, now, supervisorOf, limit)
        for (const task of escalated) {
          await appendTaskEvent(trx, 'task.escalated', task)
          await queueEmails(trx, { agencyId: task.owner_agency_id, roles: [supervisorOf(task)], kind: 'task_escalated', linkPath: `/tasks/${task.id}` })
        }
        return escalated.length
      })
    },
  }
}

export type DeadlinesService = ReturnType<typeof createDeadlinesService>
