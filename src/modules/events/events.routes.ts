import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { requireActor } from '../../platform/auth.ts'
import { problemResponses } from '../../platform/openapi.ts'
import type { Actor } from '../access/actor.ts'
import type { EventsService } from './events.service.ts'
import { sseFrame } from './events.hub.ts'
import { StreamQuery } from './events.schemas.ts'

/** A comment line often enough that proxies keep the connection open. */
const HEARTBEAT_MS = 15_000
/**
 * A stream ends after this long and the client reconnects (EventSource does so itself, with Last-Event-ID), so a
 * signed-out user or a changed role stops receiving within this time.
 */
export const STREAM_MAX_MS = 5 * 60_000
/** A client this far behind is cut off rather than buffered without end; it reconnects and replays. */
const MAX_BUFFERED_BYTES = 1024 * 1024

/**
 * Serves event streams: the API's (bearer session or token) and the web pages' (the session cookie, src/web/pages/live).
 * One implementation, so scope, replay and lifetime are the same for both. `closeAll` ends every open stream
 * (call it from the app's preClose hook, or closing would wait for them).
 */
export function eventStreams(events: EventsService) {
  const open = new Set<() => void>()
  return {
    closeAll(): void {
      for (const end of open) end()
    },

    /** Answers the request with the actor's stream (after `events.requireStream`), replaying after `lastEventId` or the Last-Event-ID header. */
    async serve(request: FastifyRequest, reply: FastifyReply, actor: Actor, query: StreamQuery): Promise<void> {
      const recipient = events.requireStream(actor)
      const types = query.types ? new Set<string>(query.types) : null
      const header = request.headers['last-event-id']
      const lastEventId = query.lastEventId ?? (typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : null)

      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      raw.write('retry: 2000\n\n')

      let ended = false
      // Live events that arrive while the replay is being read wait here, so none falls between the two.
      let waiting: { seq: number; frame: string }[] | null = lastEventId === null ? null : []
      const write = (frame: string) => {
        if (ended) return
        raw.write(frame)
        if (raw.writableLength > MAX_BUFFERED_BYTES) end()
      }
      const unsubscribe = events.hub.subscribe({
        recipient,
        types,
        deliver: (event, frame) => (waiting ? waiting.push({ seq: event.seq, frame }) : write(frame)),
      })
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS)
      const lifetime = setTimeout(() => end(), STREAM_MAX_MS)
      function end() {
        if (ended) return
        ended = true
        unsubscribe()
        clearInterval(heartbeat)
        clearTimeout(lifetime)
        open.delete(end)
        raw.end()
      }
      open.add(end)
      request.raw.on('close', end)

      if (lastEventId !== null) {
        try {
          const missed = await events.replay(recipient, lastEventId, types)
          if (missed.truncated) write('event: lantern.reset\ndata: {}\n\n')
          for (const event of missed.events) write(sseFrame(event))
          const replayed = new Set(missed.events.map((event) => event.seq))
          const queued = waiting ?? []
          waiting = null
          for (const item of queued) if (!replayed.has(item.seq)) write(item.frame)
        } catch (error) {
          request.log.error({ err: error }, 'event stream: replay failed')
          end()
        }
      }
    },
  }
}

export function eventsRoutes(events: EventsService) {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>()
    const streams = eventStreams(events)
    app.addHook('preClose', async () => streams.closeAll())

    app.get('/events/stream', {
      schema: {
        tags: ['events'],
        summary: 'Live events in your scope, as server-sent events (text/event-stream): ids and codes, read the records through the API',
        description:
          'Each event is `id: <seq>`, `event: <type>`, `data: <LiveEvent JSON>`. Reconnect with the Last-Event-ID header (EventSource does) ' +
          'to receive what was missed; an event `lantern.reset` means more was missed than is replayed: reload. The stream ends every ' +
          `${STREAM_MAX_MS / 60_000} minutes so access is checked again on reconnection.`,
        querystring: StreamQuery,
        response: { 200: { description: 'The event stream', content: { 'text/event-stream': { schema: Type.String() } } }, ...problemResponses },
      },
    }, async (request, reply) => streams.serve(request, reply, requireActor(request), request.query))
  }
}
