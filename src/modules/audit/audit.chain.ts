import { createHash } from 'node:crypto'

// The same canonical text the database hashes (migration 001, audit_event_canonical), recomputed
// independently here so `lantern audit verify` does not trust the database's own function.

export interface ChainRow {
  seq: number
  lane: number
  position: number
  occurredMicros: string
  actorUserId: string | null
  actorTokenId: string | null
  actorAgencyId: string | null
  operation: string
  action: string
  subjectPersonId: string | null
  recordType: string | null
  recordId: string | null
  purpose: string | null
  recipientAgencyId: string | null
  detail: string | null
  prevHash: string
  hash: string
}

export const GENESIS_HASH = '0'.repeat(64)

export function canonicalText(row: ChainRow): string {
  return [
    String(row.lane),
    String(row.position),
    row.prevHash,
    row.occurredMicros,
    row.actorUserId ?? '',
    row.actorTokenId ?? '',
    row.actorAgencyId ?? '',
    row.operation,
    row.action,
    row.subjectPersonId ?? '',
    row.recordType ?? '',
    row.recordId ?? '',
    row.purpose ?? '',
    row.recipientAgencyId ?? '',
    row.detail ?? '',
  ].join('|')
}

export function rowHash(row: ChainRow): string {
  return createHash('sha256').update(canonicalText(row), 'utf8').digest('hex')
}

export interface ChainProblem {
  seq: number
  lane: number
  position: number
  problem: string
}

/** Checks one lane's rows, in position order, from its genesis. */
export class LaneVerifier {
  readonly lane: number
  private expectedPosition = 1
  private previousHash = GENESIS_HASH
  checked = 0

  constructor(lane: number) {
    this.lane = lane
  }

  check(row: ChainRow): ChainProblem | null {
    this.checked += 1
    const at = { seq: row.seq, lane: row.lane, position: row.position }
    try {
      if (row.position !== this.expectedPosition) {
        return { ...at, problem: `expected position ${this.expectedPosition}: a row is missing` }
      }
      if (row.prevHash !== this.previousHash) {
        return { ...at, problem: 'previous hash does not match the row before it' }
      }
      if (rowHash(row) !== row.hash) {
        return { ...at, problem: 'hash does not match the row contents: the row was altered' }
      }
      return null
    } finally {
      this.expectedPosition = row.position + 1
      this.previousHash = row.hash
    }
  }

  get lastHash(): string {
    return this.previousHash
  }

  get lastPosition(): number {
    return this.expectedPosition - 1
  }
}
