import type { Page } from '../lib/pagination.ts'
import type { Translate } from './i18n.ts'

/** Parameters for govukPagination, or null when everything fits on one page. */
export function pagination(page: Pick<Page<unknown>, 'page' | 'pageSize' | 'total'>, href: (page: number) => string, t: Translate) {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize))
  if (pages <= 1) return null
  const numbers = [...new Set([1, page.page - 1, page.page, page.page + 1, pages])].filter((number) => number >= 1 && number <= pages).sort((a, b) => a - b)
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = []
  numbers.forEach((number, index) => {
    const previous = numbers[index - 1]
    if (previous !== undefined && number - previous > 1) items.push({ ellipsis: true })
    items.push({ number, href: href(number), current: number === page.page })
  })
  return {
    items,
    previous: page.page > 1 ? { href: href(page.page - 1), text: t('layout.previous') } : null,
    next: page.page < pages ? { href: href(page.page + 1), text: t('layout.next') } : null,
    landmarkLabel: t('layout.page', { page: page.page, pages }),
  }
}
