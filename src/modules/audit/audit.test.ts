import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { personBody, startTestKit, type TestKit, type TestUser } from '../../../test/kit.ts'

describe('the audit log (DPA 2018 s62)', () => {
  let kit: TestKit
  let officer: TestUser
  let coordinator: TestUser
  let personId: string

  before(async () => {
    kit = await startTestKit()
    const force = await kit.agency('police_force')
    officer = await kit.user(force, ['police_officer'])
    coordinator = await kit.user(force, ['missing_person_coordinator'])
    personId = (await kit.request(officer, { method: 'POST', url: '/api/v1/people', payload: personBody() })).json().id
    await kit.request(officer, { method: 'GET', url: `/api/v1/people/${personId}` })
    await kit.request(officer, { method: 'PATCH', url: `/api/v1/people/${personId}`, payload: { version: 1, languages: ['Vietnamese'] } })
  })
  after(() => kit.close())

  test('records actor, agency, operation, subject and time for collection, consultation and alteration', async () => {
    const rows = await kit.db.selectFrom('audit_event').selectAll().where('subject_person_id', '=', personId).orderBy('seq').execute()
    assert.deepEqual(rows.map((row) => row.operation), ['collection', 'consultation', 'alteration'])
    for (const row of rows) {
      assert.equal(row.actor_user_id, officer.id)
      assert.equal(row.actor_agency_id, officer.agency.id)
      assert.ok(row.occurred_at instanceof Date)
      assert.match(row.hash, /^[0-9a-f]{64}$/)
    }
  })

  test('the database refuses to update, delete or truncate audit rows', async () => {
    await assert.rejects(sql`update audit_event set purpose = 'tampered'`.execute(kit.db), /append-only/)
    await assert.rejects(sql`delete from audit_event`.execute(kit.db), /append-only/)
    await assert.rejects(sql`truncate audit_event`.execute(kit.db), /append-only/)
    const count = await kit.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    assert.ok(Number(count.n) >= 3)
  })

  test('a change and its audit row commit together: a failed write leaves neither', async () => {
    const before = await kit.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const stale = await kit.request(officer, { method: 'PATCH', url: `/api/v1/people/${personId}`, payload: { version: 1, languages: ['French'] } })
    assert.equal(stale.statusCode, 409)
    const afterCount = await kit.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    assert.equal(Number(afterCount.n), Number(before.n))
  })

  test('every row carries the hash of the one before it in its lane, and verify recomputes the chains', async () => {
    const rows = await kit.db.selectFrom('audit_event').select(['lane', 'position', 'prev_hash', 'hash']).orderBy('lane').orderBy('position').execute()
    for (let i = 1; i < rows.length; i += 1) {
      const [previous, row] = [rows[i - 1], rows[i]]
      if (previous && row && previous.lane === row.lane) {
        assert.equal(row.position, previous.position + 1)
        assert.equal(row.prev_hash, previous.hash)
      }
    }
    const verified = await kit.services.audit.verifyChain()
    assert.deepEqual(verified.problems, [])
    assert.equal(verified.checked, rows.length)
  })

  test('verify finds a row altered behind the triggers', async () => {
    // Simulate tampering by someone able to disable triggers (a superuser): the chain must show it.
    const target = await kit.db.selectFrom('audit_event').select(['seq', 'lane', 'position']).where('subject_person_id', '=', personId).orderBy('seq').executeTakeFirstOrThrow()
    await sql`alter table audit_event disable trigger audit_event_append_only`.execute(kit.db)
    await sql`update audit_event set purpose = 'rewritten' where seq = ${target.seq}`.execute(kit.db)
    await sql`alter table audit_event enable trigger audit_event_append_only`.execute(kit.db)
    const verified = await kit.services.audit.verifyChain()
    assert.equal(verified.problems.length, 1)
    assert.equal(verified.problems[0]?.seq, target.seq)
    assert.match(verified.problems[0]?.problem ?? '', /altered/)
  })

  test("a coordinator reads a person's audit trail, which is itself audited; an officer cannot", async () => {
    const trail = await kit.services.audit.trailForPerson(coordinator.actor, personId, { limit: 50, offset: 0 })
    assert.ok(trail.items.some((item) => item.action === 'VIEW_PERSON' && item.actor.userId === officer.id))
    await assert.rejects(kit.services.audit.trailForPerson(officer.actor, personId, { limit: 50, offset: 0 }), /cannot see audit trails/)
    const viewed = await kit.db.selectFrom('audit_event').select('action').where('actor_user_id', '=', coordinator.id).execute()
    assert.deepEqual(viewed.map((row) => row.action), ['VIEW_AUDIT_TRAIL'])
  })
})
