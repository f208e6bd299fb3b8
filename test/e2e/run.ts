// The browser suite: starts the real app (PGlite in memory, reference agencies, the demo data) on a random
// loopback port, then runs every spec in test/e2e (or the files given) with Node's test runner against it,
// in Debian's Chromium. `npm run test:e2e`; `npm run test:e2e -- test/e2e/sign-in.test.ts` for one spec.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { openDatabase } from '../../src/db/open.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { services as buildServices } from '../../src/services.ts'
import { buildApp } from '../../src/app.ts'
import { loadReferenceAgencies } from '../../src/modules/agencies/agencies.service.ts'
import { seedDemoData } from '../../src/modules/demo/demo.seed.ts'
import { startEventFeed } from '../../src/modules/events/events.feed.ts'
import { CHROMIUM_PATH } from './browser.ts'

if (!existsSync(CHROMIUM_PATH)) {
  console.error(`Chromium is not at ${CHROMIUM_PATH}: install it with "apt-get install -y --no-install-recommends chromium".`)
  process.exit(1)
}

const started = Date.now()
const database = await openDatabase({ engine: 'pglite' })
await migrateToLatest(database.db)
const services = buildServices(database.db, { sessionHours: 12 })
await loadReferenceAgencies(database.db)
const seeded = await seedDemoData(database.db, services, { people: 300, seed: 20261121 })
const app = await buildApp(services, { logger: { level: 'warn' } })
// Committed events reach this instance's streams (the live boards), as in `lantern serve`.
const feed = startEventFeed({ db: database.db, listenVia: database.listenVia, hub: services.events.hub })
await feed.ready
await app.listen({ host: '127.0.0.1', port: 0 })
const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
console.log(`Lantern for the browser suite at ${url} (PGlite in memory, ${seeded.people} demo people, ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`)

const patterns = process.argv.slice(2)
const child = spawn(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-timeout=300000', '--test-reporter=spec', ...(patterns.length > 0 ? patterns : ['test/e2e/**/*.test.ts'])],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', LANTERN_E2E_URL: url } },
)
const code = await new Promise<number>((resolve) => child.on('exit', (status) => resolve(status ?? 1)))
await app.close()
await feed.close()
await database.close()
process.exit(code)
