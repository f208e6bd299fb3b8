// Migration 006: the audit chain and the search index's change log, written by triggers that cost the same per
// row however many rows a statement writes (docs/adr/0019).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { startTestKit, type TestAgency, type TestKit } from '../../test/kit.ts'
import { uuidv7 } from '../lib/ids.ts'

describe('set-based triggers (migration 006)', () => {
  let kit: TestKit
  let agency: TestAgency

  before(async () => {
    kit = await startTestKit()
    agency = await kit.agency('local_authority')
  })
  after(() => kit.close())

  const auditRows = (n: number, action: string, lane: number | null = null) =>
    sql`insert into audit_event (lane, operation, action, detail)
        select ${lane}::smallint, 'collection', ${action}, 'row ' || g from generate_series(1, ${n}::integer) as g`

  test('thousands of audit rows in one transaction, over several statements and two lanes, chain unbroken to the lane heads', async () => {
    const before = await kit.db.selectFrom('audit_lane').selectAll().orderBy('lane').execute()
    const started = performance.now()
    await kit.db.transaction().execute(async (trx) => {
      await auditRows(3_000, 'BULK_ONE', 2).execute(trx)
      // A statement that writes to two lanes at once, then more rows on the first lane.
      await sql`insert into audit_event (lane, operation, action) select (g % 2 + 2)::smallint, 'collection', 'BULK_TWO' from generate_series(1, 1000) as g`.execute(trx)
      await auditRows(1_000, 'BULK_THREE', 2).execute(trx)
    })
    const elapsed = performance.now() - started
    const after = await kit.db.selectFrom('audit_lane').selectAll().orderBy('lane').execute()
    const grew = (lane: number) => Number(after[lane]?.last_position) - Number(before[lane]?.last_position)
    assert.equal(grew(2), 3_000 + 500 + 1_000)
    assert.equal(grew(3), 500)
    for (const lane of [2, 3]) {
      const last = await kit.db.selectFrom('audit_event').select(['position', 'hash']).where('lane', '=', lane).orderBy('position', 'desc').limit(1).executeTakeFirstOrThrow()
      assert.equal(Number(last.position), Number(after[lane]?.last_position))
      assert.equal(last.hash, after[lane]?.last_hash)
    }
    const verified = await kit.services.audit.verifyChain()
    assert.deepEqual(verified.problems, [])
    assert.ok(verified.checked >= 5_000)
    // 5,000 rows through the old trigger took about 3 s on a quiet machine and grew with the square of the count.
    assert.ok(elapsed < 60_000, `took ${elapsed} ms`)
  })

  test('a statement rolled back to a savepoint leaves no gap: the chain continues from the last row kept', async () => {
    const head = await kit.db.selectFrom('audit_lane').selectAll().where('lane', '=', 4).executeTakeFirstOrThrow()
    await kit.db.transaction().execute(async (trx) => {
      await auditRows(10, 'KEPT', 4).execute(trx)
      await sql`savepoint s`.execute(trx)
      // The operation check fails on the third row, after two rows went through the chain trigger.
      await assert.rejects(
        sql`insert into audit_event (lane, operation, action) select 4::smallint, case when g = 3 then 'nonsense' else 'collection' end, 'LOST' from generate_series(1, 5) as g`.execute(trx),
      )
      await sql`rollback to savepoint s`.execute(trx)
      await auditRows(10, 'AFTER', 4).execute(trx)
    })
    const rows = await kit.db.selectFrom('audit_event').select(['position', 'action']).where('lane', '=', 4).where('position', '>', head.last_position).orderBy('position').execute()
    assert.deepEqual(rows.map((row) => Number(row.position)), Array.from({ length: 20 }, (_, i) => Number(head.last_position) + i + 1))
    assert.equal(rows.filter((row) => row.action === 'LOST').length, 0)
    assert.deepEqual((await kit.services.audit.verifyChain()).problems, [])
  })

  test("a running head left in the session's settings by anything but this transaction is ignored", async () => {
    const head = await kit.db.selectFrom('audit_lane').selectAll().where('lane', '=', 5).executeTakeFirstOrThrow()
    await kit.db.connection().execute(async (connection) => {
      // A forged head, and one tagged with a transaction that is long over: neither is believed.
      await sql`select set_config('lantern.audit_lane_5', '1:999:' || repeat('f', 64), false)`.execute(connection)
      await auditRows(3, 'AFTER_FORGED', 5).execute(connection)
      await sql`select set_config('lantern.audit_lane_5', '', false)`.execute(connection)
    })
    const rows = await kit.db.selectFrom('audit_event').select(['position', 'prev_hash']).where('action', '=', 'AFTER_FORGED').orderBy('position').execute()
    assert.equal(Number(rows[0]?.position), Number(head.last_position) + 1)
    assert.equal(rows[0]?.prev_hash, head.last_hash)
    assert.deepEqual((await kit.services.audit.verifyChain()).problems, [])
  })

  test('the change log notes each person once per transaction and statement, however many rows, and again in the next transaction', async () => {
    const ids = Array.from({ length: 1_200 }, () => uuidv7())
    const seqBefore = Number((await sql<{ n: number }>`select coalesce(max(seq), 0)::int as n from identity_change`.execute(kit.db)).rows[0]?.n)
    await kit.db.transaction().execute(async (trx) => {
      await sql`insert into person (id, owning_agency_id, sex, dob_source) select id, ${agency.id}::uuid, 'female', 'stated' from unnest(${ids}::uuid[]) as id`.execute(trx)
      await sql`insert into person_identifier (id, person_id, kind, value, issuing_agency_id)
                select gen_random_uuid(), id, k, id::text || k, ${agency.id}::uuid from unnest(${ids}::uuid[]) as id, (values ('la_child_id'), ('upn')) as kinds(k)`.execute(trx)
    })
    const noted = await kit.db.selectFrom('identity_change').select(['person_id', 'seq']).where('person_id', 'in', ids).execute()
    assert.equal(noted.length, ids.length)
    assert.equal(new Set(noted.map((row) => row.seq)).size, ids.length)
    assert.ok(noted.every((row) => Number(row.seq) > seqBefore))
    const firstSeq = new Map(noted.map((row) => [row.person_id, Number(row.seq)]))

    // A later change to some of them (an update, a deleted identifier) notes exactly those, with newer numbers.
    const changed = ids.slice(0, 10)
    const removed = ids.slice(10, 15)
    await sql`update person set sex = 'male' where id = any(${changed}::uuid[])`.execute(kit.db)
    await sql`delete from person_identifier where kind = 'upn' and person_id = any(${removed}::uuid[])`.execute(kit.db)
    const again = await kit.db.selectFrom('identity_change').select(['person_id', 'seq']).where('person_id', 'in', ids).execute()
    const bumped = again.filter((row) => Number(row.seq) !== firstSeq.get(row.person_id)).map((row) => row.person_id).sort()
    assert.deepEqual(bumped, [...changed, ...removed].sort())

    // Erasure is seen too: the deleted person stays in the log for the index to drop.
    const [erased] = ids
    if (!erased) throw new Error('no ids')
    const beforeErasure = firstSeq.get(erased)
    await sql`delete from person where id = ${erased}::uuid`.execute(kit.db)
    const row = await kit.db.selectFrom('identity_change').select('seq').where('person_id', '=', erased).executeTakeFirstOrThrow()
    assert.ok(Number(row.seq) > Number(beforeErasure))
  })
})
