import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { startTestKit, type TestKit } from '../../../test/kit.ts'
import { systemActor } from './actor.ts'
import { ROLES, ROLE_AGENCY_KINDS } from './roles.ts'
import { personReadAllowedSql, personReadFromFacts } from './access.service.ts'
import type { PersonAccessFacts } from './access.repository.ts'

const FACTS = ['owned_here', 'hosted_here', 'linked_episode_here', 'referred_here', 'guarded_by_me'] as const

describe('the read check in SQL', () => {
  let kit: TestKit
  before(async () => {
    kit = await startTestKit()
  })
  after(() => kit.close())

  test('allows exactly the reads requirePersonRead allows: every role, every combination of facts, with and without a purpose', async () => {
    // Every combination of the five facts, as rows named `facts`.
    const combinations = Array.from({ length: 2 ** FACTS.length }, (_, bits) => FACTS.map((_, i) => (bits & (1 << i)) !== 0))
    const rows = sql.join(combinations.map((values) => sql`(${sql.join(values.map((value) => sql.lit(value)))})`))
    let allowedSomewhere = 0
    for (const role of ROLES) {
      for (const purpose of [null, 'locate missing child']) {
        const actor = systemActor('0190a5b2-0000-7000-8000-000000000001', ROLE_AGENCY_KINDS[role][0], [role], 'test')
        const withPurpose = { ...actor, purpose }
        const result = await sql<{ allowed: boolean }>`select ${personReadAllowedSql(withPurpose, 'facts')} as allowed
          from (values ${rows}) as facts (${sql.join(FACTS.map((fact) => sql.ref(fact)))})`.execute(kit.db)
        combinations.forEach((values, i) => {
          const facts = {
            id: '0190a5b2-0000-7000-8000-000000000002',
            owning_agency_id: '0190a5b2-0000-7000-8000-000000000003',
            restricted_location: false,
            ...Object.fromEntries(FACTS.map((fact, j) => [fact, values[j]])),
          } as PersonAccessFacts
          let expected = true
          try {
            personReadFromFacts(withPurpose, facts.id, facts)
          } catch {
            expected = false
          }
          if (expected) allowedSomewhere += 1
          assert.equal(result.rows[i]?.allowed, expected, `${role}, purpose ${purpose ?? 'none'}, facts ${JSON.stringify(values)}`)
        })
      }
    }
    assert.ok(allowedSomewhere > 0, 'some reads are allowed')
  })
})
