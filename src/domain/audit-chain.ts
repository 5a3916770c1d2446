import { createHash } from 'node:crypto';

/** The prev_hash of a project's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  projectId: string;
  seq: number;
  eventType: string;
  actorId: string | null;
  actorRole: string;
  channel: string;
  fromState: string | null;
  toState: string;
  payload: unknown;
  reason: string | null;
  occurredAt: string;
  prevHash: string;
}

/** JSON with object keys sorted, so the same value always hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function hashAuditRecord(record: AuditRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

export type ChainCheck = { ok: true; checked: number } | { ok: false; checked: number; seq: number; problem: string };

/** Recomputes one project's chain, in seq order; names the first event that does not fit. */
export function verifyChain(records: readonly (AuditRecord & { hash: string })[]): ChainCheck {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const [index, record] of records.entries()) {
    if (record.seq !== expectedSeq) return { ok: false, checked: index, seq: record.seq, problem: `expected seq ${expectedSeq}, found ${record.seq} (an event is missing)` };
    if (record.prevHash !== prev) return { ok: false, checked: index, seq: record.seq, problem: 'prev_hash does not match the previous event' };
    const { hash, ...fields } = record;
    if (hashAuditRecord(fields) !== hash) return { ok: false, checked: index, seq: record.seq, problem: 'hash does not match the event content (altered)' };
    prev = hash;
    expectedSeq += 1;
  }
  return { ok: true, checked: records.length };
}
