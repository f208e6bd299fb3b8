// One place for the address of every page, so links and routes cannot drift apart.

export type EpisodeListFilter = {
  open?: boolean
  risk?: string
  laCategory?: string
  reviewOverdue?: boolean
  actionsOverdue?: boolean
}

function query(values: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(values).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}`
}

export type AlertListState = 'open' | 'acknowledged' | 'all'
export type TaskListFilter = { state?: 'open' | 'due' | 'overdue' | 'done' | 'cancelled' | 'all'; kind?: string; mine?: boolean; days?: number }

export const paths = {
  home: () => '/',
  signIn: () => '/sign-in',
  episodes: (filter: EpisodeListFilter = {}, page?: number) => `/episodes${query({ ...filter, page })}`,
  returnHomeInterviews: (window: 'due' | 'overdue', page?: number) => `/return-home-interviews${query({ window, page })}`,
  person: (personId: string) => `/people/${personId}`,
  episode: (personId: string, episodeId: string) => `/people/${personId}/episodes/${episodeId}`,
  alerts: (state?: AlertListState, page?: number) => `/alerts${query({ state: state === 'open' ? undefined : state, page })}`,
  alert: (alertId: string) => `/alerts/${alertId}`,
  tasks: (filter: TaskListFilter = {}, page?: number) => `/tasks${query({ state: filter.state, kind: filter.kind, mine: filter.mine || undefined, days: filter.days, page })}`,
  task: (taskId: string) => `/tasks/${taskId}`,
  taskNotification: (taskId: string) => `/tasks/${taskId}/notification`,
  notificationPreferences: () => '/preferences/notifications',
}
