import type { Actor } from '../modules/access/actor.ts'

/** One link in the service navigation, shown to the actors `show` lets see it. */
export interface NavItem {
  /** Message key of the link text, e.g. `nav.home`. */
  key: string
  href: string
  show: (actor: Actor) => boolean
  /** Whether a path belongs to this item (marks it current); by default the path starts with href. */
  matches?: (path: string) => boolean
}

export interface NavLink {
  text: string
  href: string
  active: boolean
}

export function navigationFor(items: readonly NavItem[], actor: Actor | null, path: string, t: (key: string) => string): NavLink[] {
  if (!actor) return []
  return items
    .filter((item) => item.show(actor))
    .map((item) => ({
      text: t(item.key),
      href: item.href,
      active: item.matches ? item.matches(path) : item.href === '/' ? path === '/' : path === item.href || path.startsWith(`${item.href}/`),
    }))
}
