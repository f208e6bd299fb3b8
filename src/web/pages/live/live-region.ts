import { EVENT_TYPE_NAMES } from '../../../modules/events/events.catalogue.ts'

// What a page with a live region (the `liveRegion` macro in web/views/macros.njk) passes to its view.

/** The script that keeps a page's live region current (docs/adr/0017). */
export const LIVE_SCRIPT = '/assets/lantern/live-board.mjs'

/** The event types, of those whose names start with `prefix` (all when none), that make a live region look again. */
export const liveTypes = (prefix = '') => EVENT_TYPE_NAMES.filter((name) => name.startsWith(prefix)).join(' ')
