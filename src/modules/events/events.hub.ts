import { admits, publicEvent, type LiveEvent, type Recipient } from './events.model.ts'

// The in-process fan-out: every SSE stream of this instance is a subscriber. The feed (events.feed.ts) puts in
// each event once, whichever instance committed it; the hub hands it to the subscribers its audience admits.

export interface HubSubscriber {
  recipient: Recipient
  /** Only these event types, or every type when null. */
  types: ReadonlySet<string> | null
  deliver: (event: LiveEvent, frame: string) => void
}

/** One server-sent event: the sequence number as its id (a reconnecting client sends it back), the type, the JSON. */
export function sseFrame(event: LiveEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(publicEvent(event))}\n\n`
}

export function createEventHub() {
  const subscribers = new Set<HubSubscriber>()
  const listeners = new Set<(event: LiveEvent) => void>()
  return {
    subscribe(subscriber: HubSubscriber): () => void {
      subscribers.add(subscriber)
      return () => {
        subscribers.delete(subscriber)
      }
    },

    /** Every event, unfiltered, for code of this process (tests, benchmarks, workers): never for a person. */
    onEvent(listener: (event: LiveEvent) => void): () => void {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },

    publish(event: LiveEvent): void {
      let frame: string | null = null
      for (const subscriber of subscribers) {
        if (subscriber.types && !subscriber.types.has(event.type)) continue
        if (!admits(subscriber.recipient, event.audience)) continue
        // Serialised once, for however many streams receive it.
        frame ??= sseFrame(event)
        subscriber.deliver(event, frame)
      }
      for (const listener of listeners) listener(event)
    },

    get size(): number {
      return subscribers.size
    },
  }
}

export type EventHub = ReturnType<typeof createEventHub>
