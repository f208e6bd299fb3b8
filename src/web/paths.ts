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

export const paths = {
  home: () => '/',
  signIn: () => '/sign-in',
  episodes: (filter: EpisodeListFilter = {}, page?: number) => `/episodes${query({ ...filter, page })}`,
  returnHomeInterviews: (window: 'due' | 'overdue', page?: number) => `/return-home-interviews${query({ window, page })}`,
  person: (personId: string) => `/people/${personId}`,
  episode: (personId: string, episodeId: string) => `/people/${personId}/episodes/${episodeId}`,
}
