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

/** An attachment row as audit:verify compares it with the ATTACH_FILE event that recorded it. */
export interface AttachmentRecord {
  id: string;
  kind: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  eventSeq: number | null;
  auditSeq: number;
}

/**
 * Attachments enter the hash chain by their ATTACH_FILE event (payload: attachmentId, kind,
 * fileName, mediaType, sizeBytes, sha256, eventSeq). Given one project's events of that type, its
 * attachment rows and what the blob store holds under each hash (hashed again), names the first
 * file that does not fit: a row altered or without its event, an event without its row, bytes
 * missing, or bytes that no longer hash to the recorded SHA-256 (a swapped file).
 */
export function checkAttachmentRecords(
  events: readonly { seq: number; payload: Record<string, unknown> }[],
  rows: readonly AttachmentRecord[],
  stored: ReadonlyMap<string, { actualSha256: string; sizeBytes: number } | null>,
): { seq: number; problem: string } | null {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const recorded = new Set<string>();
  for (const event of events) {
    const id = String(event.payload.attachmentId ?? '');
    recorded.add(id);
    const row = byId.get(id);
    if (!row) return { seq: event.seq, problem: `attachment ${id} recorded in the audit trail has no attachment row (deleted)` };
    const expected: AttachmentRecord = {
      id,
      kind: event.payload.kind as string,
      fileName: event.payload.fileName as string,
      mediaType: event.payload.mediaType as string,
      sizeBytes: event.payload.sizeBytes as number,
      sha256: event.payload.sha256 as string,
      eventSeq: (event.payload.eventSeq as number | null | undefined) ?? null,
      auditSeq: event.seq,
    };
    if (canonicalJson(expected) !== canonicalJson({ ...row })) {
      return { seq: event.seq, problem: `attachment ${id} (“${row.fileName}”) does not match its audit event (the row was altered)` };
    }
    const blob = stored.get(row.sha256);
    if (!blob) return { seq: event.seq, problem: `the bytes of attachment ${id} (sha256 ${row.sha256}) are missing from storage` };
    if (blob.actualSha256 !== row.sha256 || blob.sizeBytes !== row.sizeBytes) {
      return { seq: event.seq, problem: `the stored bytes of attachment ${id} (“${row.fileName}”) no longer hash to ${row.sha256} (swapped or altered)` };
    }
  }
  const stray = rows.find((row) => !recorded.has(row.id));
  if (stray) return { seq: stray.auditSeq, problem: `attachment ${stray.id} (“${stray.fileName}”) is not in the audit trail (no ATTACH_FILE event)` };
  return null;
}
