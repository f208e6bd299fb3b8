import type { Kysely } from 'kysely'
import type { Database, NewRow } from '../../db/database.ts'
import type { Actor } from '../access/actor.ts'
import { can } from '../access/roles.ts'
import { ForbiddenError } from '../../lib/errors.ts'
import { ACTIONS, type AuditEntry } from './audit.actions.ts'
import { LaneVerifier, type ChainProblem } from './audit.chain.ts'
import {
  countAuditEventsForSubject,
  insertAuditEvents,
  listAuditEventsForSubject,
  readLaneBatch,
  readLaneHeads,
} from './audit.repository.ts'

/** The row of one audit entry, as the actor's (who, for which agency, with which purpose). */
export function auditRowOf(actor: Actor, entry: AuditEntry): NewRow<'audit_event'> {
  return {
    lane: null,
    actor_user_id: actor.userId,
    actor_token_id: actor.tokenId,
    actor_agency_id: actor.agencyId,
    operation: ACTIONS[entry.action],
    action: entry.action,
    subject_person_id: entry.subjectPersonId,
    record_type: entry.recordType,
    record_id: entry.recordId,
    purpose: actor.purpose,
    recipient_agency_id: entry.recipientAgencyId ?? null,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  }
}

/**
 * Writes audit events. Call it with the transaction that makes the change, so the change and its
 * record commit or fail together (DPA 2018 s62).
 */
export async function recordAudit(trx: Kysely<Database>, actor: Actor, entries: AuditEntry[]): Promise<void> {
  await insertAuditEvents(
    trx,
    entries.map((entry) => auditRowOf(actor, entry)),
  )
}

/**
 * Writes audit events for an operator's command run from the CLI, which acts for no agency (bulk generation of
 * synthetic data, a statistics refresh). The purpose says what was run.
 */
export async function recordOperatorAudit(trx: Kysely<Database>, purpose: string, entries: AuditEntry[]): Promise<void> {
  await insertAuditEvents(
    trx,
    entries.map((entry) => ({
      lane: null,
      actor_user_id: null,
      actor_token_id: null,
      actor_agency_id: null,
      operation: ACTIONS[entry.action],
      action: entry.action,
      subject_person_id: entry.subjectPersonId,
      record_type: entry.recordType,
      record_id: entry.recordId,
      purpose,
      recipient_agency_id: entry.recipientAgencyId ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    })),
  )
}

export interface AuditTrailEntry {
  seq: number
  occurredAt: Date
  operation: string
  action: string
  recordType: string | null
  recordId: string | null
  purpose: string | null
  actor: { userId: string | null; tokenId: string | null; name: string | null; agencyName: string | null }
}

export function createAuditService(db: Kysely<Database>) {
  return {
    /** Who has seen and changed one person's record. Reading the trail is itself audited. */
    async trailForPerson(
      actor: Actor,
      personId: string,
      page: { limit: number; offset: number },
    ): Promise<{ items: AuditTrailEntry[]; total: number }> {
      if (!can.readAuditTrail(actor)) throw new ForbiddenError('Your role cannot see audit trails')
      return db.transaction().execute(async (trx) => {
        const [rows, total] = await Promise.all([
          listAuditEventsForSubject(trx, personId, page),
          countAuditEventsForSubject(trx, personId),
        ])
        await recordAudit(trx, actor, [
          { action: 'VIEW_AUDIT_TRAIL', subjectPersonId: personId, recordType: 'person', recordId: personId },
        ])
        return {
          total,
          items: rows.map((row) => ({
            seq: Number(row.seq),
            occurredAt: row.occurred_at,
            operation: row.operation,
            action: row.action,
            recordType: row.record_type,
            recordId: row.record_id,
            purpose: row.purpose,
            actor: {
              userId: row.actor_user_id,
              tokenId: row.actor_token_id,
              name: row.actor_user_name ?? row.actor_token_name,
              agencyName: row.actor_agency_name,
            },
          })),
        }
      })
    },

    /** Recomputes every lane's hash chain from its genesis. */
    async verifyChain(onProgress?: (checked: number) => void): Promise<{ checked: number; problems: ChainProblem[] }> {
      const problems: ChainProblem[] = []
      let checked = 0
      for (const head of await readLaneHeads(db)) {
        const verifier = new LaneVerifier(head.lane)
        let after = 0
        for (;;) {
          const batch = await readLaneBatch(db, head.lane, after, 5000)
          if (batch.length === 0) break
          for (const row of batch) {
            const problem = verifier.check(row)
            if (problem) problems.push(problem)
          }
          after = batch.at(-1)?.position ?? after
          checked += batch.length
          onProgress?.(checked)
        }
        if (verifier.lastHash !== head.last_hash || verifier.lastPosition !== Number(head.last_position)) {
          problems.push({
            seq: 0,
            lane: head.lane,
            position: verifier.lastPosition,
            problem: `lane head says position ${head.last_position}, rows end at ${verifier.lastPosition}: rows were removed from the end`,
          })
        }
      }
      return { checked, problems }
    },
  }
}

export type AuditService = ReturnType<typeof createAuditService>
