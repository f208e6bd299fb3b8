// Live regions (issue 7, docs/adr/0017): progressive enhancement of the home page's board and of the alerts and
// tasks lists. Without this script a page is right when loaded and a reload shows the same. With it, the page
// listens to the person's event stream (/live/events, the session cookie) and, when an event of the region's types
// arrives, fetches the region again (the home board from /live/board; a list by reading its own page again and
// taking the region out of it) and puts it in place of the old one, keeping the keyboard focus where it was and
// saying so in the page's status region (role="status", polite).
/* global document, window, EventSource, setTimeout, fetch, CSS, DOMParser */
import { initAll as initMoj } from '/assets/moj/moj-frontend.min.js'

const REFRESH_DELAY_MS = 300
const RECONNECT_MIN_MS = 2000
const RECONNECT_MAX_MS = 60_000

const board = document.querySelector('[data-live-board]')
const status = document.querySelector('[data-live-status]')

if (board && status && 'EventSource' in window) start(board, status)

function start(board, status) {
  const streamUrl = board.getAttribute('data-live-stream')
  const boardUrl = board.getAttribute('data-live-source')
  const types = (board.getAttribute('data-live-types') ?? '').split(' ').filter(Boolean)
  let source = null
  let timer = null
  let running = false
  let again = false
  let stopped = false
  let reconnectDelay = RECONNECT_MIN_MS
  let everOpened = false

  board.setAttribute('data-live-state', 'connecting')

  function connect() {
    if (stopped) return
    source = new EventSource(streamUrl)
    source.addEventListener('open', () => {
      board.setAttribute('data-live-state', 'open')
      reconnectDelay = RECONNECT_MIN_MS
      // After a reconnection of our own (no Last-Event-ID), something may have happened meanwhile.
      if (everOpened) schedule()
      everOpened = true
    })
    // Every event is a reason to look again; a reset means more was missed than the server replays.
    for (const type of [...types, 'lantern.reset', 'message']) source.addEventListener(type, schedule)
    source.addEventListener('error', () => {
      // EventSource reconnects by itself (with Last-Event-ID) while CONNECTING; CLOSED means it gave up
      // (the server answered with an error or a page): try again later, backing off.
      if (source.readyState !== EventSource.CLOSED) return
      board.setAttribute('data-live-state', 'reconnecting')
      source = null
      setTimeout(connect, reconnectDelay)
      reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS)
    })
  }

  function schedule() {
    if (timer !== null) return
    timer = setTimeout(() => {
      timer = null
      refresh()
    }, REFRESH_DELAY_MS)
  }

  async function refresh() {
    if (running) {
      again = true
      return
    }
    running = true
    try {
      // The region's own fragment route when it has one (the home board), or else this page read again.
      const response = await fetch(boardUrl ?? window.location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      if (response.redirected || response.status === 401 || response.status === 403) {
        // Signed out or expired: stop listening; the next page load shows the sign-in page.
        stop()
        return
      }
      if (!response.ok) return
      if (boardUrl) {
        if (response.headers.get('x-lantern-board')) replace(await response.text())
        return
      }
      const fresh = regionOf(await response.text(), board.getAttribute('data-live-board'))
      if (fresh !== null) replace(fresh)
    } catch {
      // The network failed: the stream's own reconnection will bring the next event.
    } finally {
      running = false
      if (again) {
        again = false
        schedule()
      }
    }
  }

  function stop() {
    stopped = true
    source?.close()
    board.setAttribute('data-live-state', 'stopped')
  }

  function replace(html) {
    const fresh = document.createElement('template')
    fresh.innerHTML = html
    const before = normalise(board.innerHTML)
    if (normalise(fresh.innerHTML) === before) return
    const focus = focusKey(board)
    board.replaceChildren(fresh.content)
    initMoj(board)
    restoreFocus(board, focus)
    board.setAttribute('data-live-updated', String(Date.now()))
    announce(status)
  }

  // Leaving the page closes the stream at once (and lets the browser keep the page in its back/forward cache);
  // coming back to it reconnects and looks again, since events may have been missed meanwhile.
  window.addEventListener('pagehide', () => {
    source?.close()
    source = null
  })
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted || stopped || source) return
    connect()
    schedule()
  })

  connect()
}

const normalise = (html) => html.replace(/\s+/g, ' ').trim()

/** The contents of the live region of this kind in a whole page's HTML, or null when the page has none. */
function regionOf(html, kind) {
  const page = new DOMParser().parseFromString(html, 'text/html')
  const region = page.querySelector(`[data-live-board="${CSS.escape(kind ?? '')}"]`)
  return region ? region.innerHTML : null
}

/** Where the focus was inside the board, as something that survives the replacement: a count, or a link's address. */
function focusKey(board) {
  const active = document.activeElement
  if (!active || !board.contains(active)) return null
  const count = active.closest('[data-count]')
  if (count) return { selector: `[data-count="${CSS.escape(count.getAttribute('data-count'))}"]` }
  const link = active.closest('a[href]')
  if (link) return { selector: `a[href="${CSS.escape(link.getAttribute('href'))}"]` }
  return { selector: null }
}

function restoreFocus(board, focus) {
  if (!focus) return
  const target = focus.selector ? board.querySelector(focus.selector) : null
  if (target) {
    target.focus()
    return
  }
  // What had the focus is gone: keep it in the board rather than lose it to the top of the page.
  board.setAttribute('tabindex', '-1')
  board.focus()
}

function announce(status) {
  const message = status.getAttribute('data-live-message') ?? ''
  // Emptied first, so the same message is announced again.
  status.textContent = ''
  setTimeout(() => {
    status.textContent = message
  }, 50)
}
