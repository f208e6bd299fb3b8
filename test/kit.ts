// The shared test kit: a real database (PGlite in memory, or a fresh PostgreSQL database when
// LANTERN_TEST_DATABASE_URL is set), migrated, with the real services and app on top, and factories.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Kysely } from 'kysely'
import { openDatabase, type DatabaseHandle, type ListenVia } from '../src/db/open.ts'
import { startEventFeed } from '../src/modules/events/events.feed.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import type { Database } from '../src/db/database.ts'
import { services as buildServices, type Services } from '../src/services.ts'
import { buildApp } from '../src/app.ts'
import type { Actor } from '../src/modules/access/actor.ts'
import type { AgencyKind, Role } from '../src/modules/access/roles.ts'
import { uuidv7 } from '../src/lib/ids.ts'
import { hashPassword, newBearerSecret, secretHash } from '../src/lib/secrets.ts'
import { offsetClock } from '../src/lib/clock.ts'

export const TEST_PASSWORD = 'correct horse battery staple'
let passwordHash: Promise<string> | null = null

export interface TestAgency {
  id: string
  kind: AgencyKind
  code: string
  name: string
}

export interface TestUser {
  id: string
  email: string
  agency: TestAgency
  roles: Role[]
  token: string
  actor: Actor
  /** Authorization header (and a purpose, when given) for app.inject. */
  headers: (purpose?: string) => Record<string, string>
}

export interface TestKit {
  engine: DatabaseHandle['engine']
  /** The PostgreSQL URL of the test database (null on PGlite), for code that opens its own connections. */
  databaseUrl: string | null
  db: Kysely<Database>
  services: Services
  app: FastifyInstance
  agency: (kind: AgencyKind, overrides?: Partial<Pick<TestAgency, 'code' | 'name'>>) => Promise<TestAgency>
  user: (agency: TestAgency, roles: Role[]) => Promise<TestUser>
  request: (user: TestUser | null, options: InjectOptions & { purpose?: string }) => Promise<LightMyRequestResponse>
  /** How this database is listened to (events); for PostgreSQL it holds the test database's URL. */
  listenVia: ListenVia
  /** The services' clock: real time, moved forward by a test to see what happens hours later. */
  clock: ReturnType<typeof offsetClock>
  close: () => Promise<void>
}

async function openTestDatabase(): Promise<{ handle: DatabaseHandle; url: string | null; drop: () => Promise<void> }> {
  const serverUrl = process.env.LANTERN_TEST_DATABASE_URL
  if (!serverUrl) return { handle: await openDatabase({ engine: 'pglite' }), url: null, drop: async () => {} }
  const name = `lantern_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const handle = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 5 })
  return {
    handle,
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: serverUrl })
      await dropper.connect()
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await dropper.end()
    },
  }
}

let sequence = 0
const unique = () => `${Date.now().toString(36)}${(sequence++).toString(36)}${randomBytes(2).toString('hex')}`

export async function startTestKit(): Promise<TestKit> {
  const { handle, url, drop } = await openTestDatabase()
  const db = handle.db
  await migrateToLatest(db)
  const clock = offsetClock()
  const services = buildServices(db, { sessionHours: 12 }, clock)
  const app = await buildApp(services, { logger: false })
  await app.ready()
  // Committed events reach this instance's streams, as `lantern serve` does.
  const feed = startEventFeed({ db, listenVia: handle.listenVia, hub: services.events.hub })
  await feed.ready

  const kit: TestKit = {
    engine: handle.engine,
    databaseUrl: url,
    db,
    services,
    app,
    async agency(kind, overrides = {}) {
      const id = uuidv7()
      const code = overrides.code ?? `T-${unique()}`
      const name = overrides.name ?? `Test ${kind.replace('_', ' ')} ${code}`
      await db.insertInto('agency').values({ id, kind, code, name, nation: 'england', region: null, welsh_name: null, contact_phone: '101', contact_email: null, replaced_by_code: null }).execute()
      return { id, kind, code, name }
    },
    async user(agency, roles) {
      passwordHash ??= hashPassword(TEST_PASSWORD)
      const id = uuidv7()
      const email = `user-${unique()}@example.test`
      await db.insertInto('app_user').values({ id, agency_id: agency.id, email, display_name: `Test ${roles.join(' ')}`, password_hash: await passwordHash, roles }).execute()
      const token = newBearerSecret('lts')
      await db.insertInto('user_session').values({ id: uuidv7(), user_id: id, token_hash: secretHash(token), expires_at: new Date(Date.now() + 3_600_000) }).execute()
      const actor: Actor = { kind: 'user', userId: id, tokenId: null, agencyId: agency.id, agencyKind: agency.kind, roles, purpose: null }
      return {
        id,
        email,
        agency,
        roles,
        token,
        actor,
        headers: (purpose?: string) => ({ authorization: `Bearer ${token}`, ...(purpose ? { 'lantern-purpose': purpose } : {}) }),
      }
    },
    async request(user, options) {
      const { purpose, ...inject } = options
      const headers = { ...(user ? user.headers(purpose) : {}), ...(inject.headers ?? {}) }
      return app.inject({ ...inject, headers })
    },
    listenVia: handle.listenVia,
    clock,
    async close() {
      await app.close()
      await feed.close()
      await handle.close()
      await drop()
    },
  }
  return kit
}

/** The actor with a purpose, as a request carrying the Lantern-Purpose header would make it. */
export function withPurpose(actor: Actor, purpose: string): Actor {
  return { ...actor, purpose }
}

/** A minimal valid person body. */
export function personBody(overrides: Record<string, unknown> = {}) {
  return {
    names: [
      { kind: 'given', text: 'Van An' },
      { kind: 'family', text: 'Nguyễn', transliteration: 'Nguyen', script: 'Latn' },
    ],
    sex: 'male',
    dateOfBirth: { earliest: '2008-01-01', latest: '2008-12-31', source: 'assessed' },
    nationalities: ['VNM'],
    ...overrides,
  }
}
