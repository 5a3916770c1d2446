import type { AuditRecord } from '../domain/audit-chain.ts';
import type { Database } from './database.ts';

interface BatchRow {
  id: string;
  code: string;
  version: number;
  last_hash: string;
  seq: number | null;
  event_type: string | null;
  actor_id: string | null;
  actor_role: string | null;
  channel: string | null;
  from_state: string | null;
  to_state: string | null;
  payload: unknown;
  reason: string | null;
  occurred_at: Date | string | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface ProjectChain {
  id: string;
  code: string;
  version: number;
  lastHash: string;
  records: (AuditRecord & { hash: string })[];
}

/**
 * An event row as the AuditRecord that src/engine/create-project.ts and apply-event.ts hashed.
 * occurred_at went in as the ISO string of the command time (millisecond precision), so its
 * round trip through timestamptz gives the same string back.
 */
function auditRecordOf(row: BatchRow): AuditRecord & { hash: string } {
  return {
    projectId: row.id,
    seq: row.seq!,
    eventType: row.event_type!,
    actorId: row.actor_id,
    actorRole: row.actor_role!,
    channel: row.channel!,
    fromState: row.from_state,
    toState: row.to_state!,
    payload: row.payload,
    reason: row.reason,
    occurredAt: new Date(row.occurred_at!).toISOString(),
    prevHash: row.prev_hash!,
    hash: row.hash!,
  };
}

/**
 * Up to `batchSize` projects after `after` in id order (or the one project), each with its whole
 * audit trail, in ONE statement so a batch is one consistent snapshot. Takes no locks.
 */
export async function readAuditBatch(db: Database, after: string | null, onlyProject: string | undefined, batchSize: number): Promise<ProjectChain[]> {
  // A plain `id > $1` (no `$1 IS NULL OR ...`) so every batch is an index range scan: O(batch), not O(table).
  const [where, params] = onlyProject
    ? ['WHERE id = $2', [batchSize, onlyProject]]
    : after === null
      ? ['', [batchSize]]
      : ['WHERE id > $2', [batchSize, after]];
  const rows = await db.query<BatchRow>(
    `SELECT p.id, p.code, p.version, p.last_hash, e.seq, e.event_type, e.actor_id, e.actor_role, e.channel, e.from_state,
            e.to_state, e.payload, e.reason, e.occurred_at, e.prev_hash, e.hash
       FROM (SELECT id, code, version, last_hash FROM projects ${where} ORDER BY id LIMIT $1) p
       LEFT JOIN project_events e ON e.project_id = p.id
      ORDER BY p.id, e.seq`,
    params,
  );
  const chains: ProjectChain[] = [];
  for (const row of rows) {
    let chain = chains.at(-1);
    if (!chain || chain.id !== row.id) {
      chain = { id: row.id, code: row.code, version: row.version, lastHash: row.last_hash, records: [] };
      chains.push(chain);
    }
    if (row.seq !== null) chain.records.push(auditRecordOf(row));
  }
  return chains;
}

