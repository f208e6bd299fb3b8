// What a user may choose to be emailed about. Each email says only that there is something to look at, with a link.
export const NOTIFICATION_KINDS = {
  alert_raised: 'An alert for your agency and role',
  alert_escalated: 'An alert nobody acknowledged in time, now with your supervising role',
  task_created: 'A new statutory task for you or your role',
  task_escalated: 'A task past its deadline, now with your supervising role',
} as const

export type NotificationKind = keyof typeof NOTIFICATION_KINDS

export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as [NotificationKind, ...NotificationKind[]]

/** Until a user chooses, they receive everything except new tasks (their task list and home page show those). */
export const DEFAULT_EMAIL_KINDS: readonly NotificationKind[] = ['alert_raised', 'alert_escalated', 'task_escalated']

/** The subject line of each kind: no name, no case detail. */
export const SUBJECTS: Record<NotificationKind, string> = {
  alert_raised: 'Lantern: a new alert',
  alert_escalated: 'Lantern: an alert needs acknowledging',
  task_created: 'Lantern: a new task',
  task_escalated: 'Lantern: a task is overdue',
}
