import type { FastifyInstance } from 'fastify'
import type { Config } from './config.ts'
import { openDatabase, type DatabaseHandle } from './db/open.ts'
import { migrateToLatest } from './db/migrate.ts'
import { services as buildServices, type Services } from './services.ts'
import { buildApp } from './app.ts'
import { loadReferenceAgencies } from './modules/agencies/agencies.service.ts'
import { startLive } from './modules/events/live.runtime.ts'

export interface Runtime {
  config: Config
  database: DatabaseHandle
  services: Services
  close: () => Promise<void>
}

/** Opens the database, brings it to the latest migration and loads the reference agencies. */
export async function openRuntime(config: Config): Promise<Runtime> {
  const database = await openDatabase(config.database)
  await migrateToLatest(database.db)
  const services = buildServices(database.db, config)
  await loadReferenceAgencies(database.db)
  return { config, database, services, close: () => database.close() }
}

/** config -> database -> app -> listen, with a graceful shutdown on SIGINT and SIGTERM. */
export async function serve(runtime: Runtime): Promise<FastifyInstance> {
  const { config } = runtime
  const app = await buildApp(runtime.services, {
    logger: {
      level: config.logLevel,
      // Ids only: never a bearer secret, a password, a name or an address.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["lantern-purpose"]'],
      // Query strings can hold names (a register search): log the path only, which carries ids at most.
      serializers: {
        req: (request: { method: string; url: string; id: string }) => ({ method: request.method, path: request.url.split('?')[0], reqId: request.id }),
      },
    },
  })
  // The encounter search index is rebuilt from the register on every start, then follows its changes.
  await runtime.services.identity.start()
  // Real time (issue 7): committed events into this instance's streams; webhooks, emails, escalations.
  const live = await startLive({ handle: runtime.database, services: runtime.services, config, log: app.log })
  app.addHook('onClose', () => live.close())
  await app.listen({ host: config.host, port: config.port })
  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    await app.close()
    await runtime.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  return app
}
