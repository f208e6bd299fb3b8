export interface PageRequest {
  page: number
  pageSize: number
}

export interface Page<T> {
  items: T[]
  page: number
  pageSize: number
  total: number
}

export const DEFAULT_PAGE_SIZE = 20
export const MAX_PAGE_SIZE = 100

export function pageWindow(request: Partial<PageRequest>): { limit: number; offset: number; page: number; pageSize: number } {
  const pageSize = Math.min(Math.max(request.pageSize ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE)
  const page = Math.max(request.page ?? 1, 1)
  return { limit: pageSize, offset: (page - 1) * pageSize, page, pageSize }
}
