import type { FastifyPluginAsync } from 'fastify'
import type { Services } from '../../../services.ts'
import { eventStreams } from '../../../modules/events/events.routes.ts'
import type { WebPages } from '../../web.ts'
import { formatters } from '../../format.ts'
import { pageActor } from '../../session.ts'
import { homeBoard } from '../home/home.pages.ts'

// Live boards (issue 7, docs/adr/0017): what the home page's script (assets/live-board.mjs) uses.
// - GET /live/events: the events stream of the signed-in person, authenticated by the session cookie (EventSource
//   cannot send a bearer header). The same stream as GET /api/v1/events/stream (scope, Last-Event-ID replay, 5-minute
//   lifetime): only the way in differs. The cookie is SameSite=Lax, so another site cannot open it in a person's name.
// - GET /live/board: the home page's board alone (an HTML fragment), which the script puts in place of the old one.
//   Other pages with a live region (the alerts and tasks lists) have no fragment route: the script reads the page's
//   own address again and takes the region out of it.

/** The header that tells the script it got a board, not (say) the sign-in page after a session expired. */
export const BOARD_HEADER = 'x-lantern-board'

function routes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const streams = eventStreams(services.events)
    app.addHook('preClose', async () => streams.closeAll())

    app.get('/live/events', async (request, reply) => streams.serve(request, reply, pageActor(request), {}))

    app.get('/live/board', async (request, reply) => {
      const board = await homeBoard(services, pageActor(request), formatters(request.language))
      reply.header(BOARD_HEADER, board.kind ?? 'none')
      return reply.view('web/pages/live/board-fragment.njk', board)
    })
  }
}

export const livePages: WebPages = { routes }
