// What both API benchmarks act as: a police officer of one force, signed in with a bearer token, and the
// services over the benchmark's database.
import type { Kysely } from 'kysely'
import type { Database } from '../../src/db/database.ts'
import { services as buildServices } from '../../src/services.ts'
import { systemActor, type Actor } from '../../src/modules/access/actor.ts'
import { newBearerSecret, secretHash } from '../../src/lib/secrets.ts'
import { uuidv7 } from '../../src/lib/ids.ts'

/** The Metropolitan Police's officer `name` (synthetic), with a session token and the actor its requests are made as. */
export async function benchOfficer(db: Kysely<Database>, name: string, purpose: string) {
  const services = buildServices(db, { sessionHours: 12 })
  const force = await db.selectFrom('agency').select(['id']).where('code', '=', 'E23000032').executeTakeFirstOrThrow()
  const userId = uuidv7()
  await db.insertInto('app_user').values({ id: userId, agency_id: force.id, email: `${name.toLowerCase()}-${userId}@example.test`, display_name: name, password_hash: 'x', roles: ['police_officer'] }).execute()
  const token = newBearerSecret('lts')
  await db.insertInto('user_session').values({ id: uuidv7(), user_id: userId, token_hash: secretHash(token), expires_at: new Date(Date.now() + 3_600_000) }).execute()
  const actor: Actor = { ...systemActor(force.id, 'police_force', ['police_officer'], purpose), kind: 'user', userId }
  return { services, token, actor }
}
