import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { startTestKit, type TestKit } from '../../test/kit.ts'
import { openDatabase } from './open.ts'
import { executePrepared } from './prepared.ts'

describe('prepared statements for the hot path', () => {
  let kit: TestKit
  before(async () => {
    kit = await startTestKit()
  })
  after(() => kit.close())

  test('a prepared query returns what the same query returns', async () => {
    const query = kit.db.selectFrom('agency').select(['id', 'code']).where('kind', '=', 'police_force').orderBy('code')
    assert.deepEqual(await executePrepared(kit.db, query), await query.execute())
  })

  test('on PostgreSQL it is a named prepared statement of the connection, parsed once and run again by name', { skip: !process.env.LANTERN_TEST_DATABASE_URL && 'PostgreSQL only' }, async () => {
    if (!kit.databaseUrl) return
    // One connection, so the statements listed are the ones this test's queries made.
    const handle = await openDatabase({ engine: 'postgres', url: kit.databaseUrl, poolSize: 1 })
    try {
      const query = handle.db.selectFrom('agency').select('id').where('kind', '=', 'police_force').where('code', '=', 'E23000032')
      await executePrepared(handle.db, query)
      await executePrepared(handle.db, query)
      const prepared = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(handle.db)
      const ours = prepared.rows.filter((row) => row.name.startsWith('lantern_'))
      assert.equal(ours.length, 1)
      assert.equal(ours[0]?.statement, query.compile().sql)
      await handle.db.selectFrom('agency').select('code').where('kind', '=', 'local_authority').execute()
      const after = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(handle.db)
      assert.equal(after.rows.filter((row) => row.name.startsWith('lantern_')).length, 1, 'a query not run through executePrepared is not prepared')
    } finally {
      await handle.close()
    }
  })
})
