import type pg from 'pg';
import { hashAuditRecord } from '../../../src/domain/audit-chain.ts';

export interface LockedProject {
  version: number;
  state: string;
  snapshot: { context: Record<string, any> };
  last_hash: string;
}

/** The raw baselines' transaction: BEGIN; SELECT ... FOR UPDATE; the work; COMMIT (ROLLBACK on error). */
export async function inLockedProject<T>(pool: pg.Pool, id: string, work: (client: pg.PoolClient, row: LockedProject) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<LockedProject>('SELECT id, version, state, snapshot, last_hash FROM projects WHERE id = $1 FOR UPDATE', [id]);
    const result = await work(client, rows[0]!);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * What the engine writes for an event, one statement per step: the snapshot (with a real chained
 * hash, so the trail of a project the baseline touched still passes audit:verify), the audit
 * event and one outbox row.
 */
export async function writeBaselineEvent(
  client: pg.PoolClient,
  input: { id: string; row: LockedProject; eventType: string; actor: { id: string; role: string }; payload: unknown; at: string; outboxPayload: unknown },
): Promise<void> {
  const { id, row, at, payload } = input;
  const seq = row.version + 1;
  const audit = {
    projectId: id,
    seq,
    eventType: input.eventType,
    actorId: input.actor.id,
    actorRole: input.actor.role,
    channel: 'api',
    fromState: row.state,
    toState: row.state,
    payload,
    reason: null,
    occurredAt: at,
    prevHash: row.last_hash,
  };
  const hash = hashAuditRecord(audit);
  await client.query('UPDATE projects SET version = version + 1, snapshot = $2::jsonb, last_hash = $3, updated_at = $4 WHERE id = $1', [
    id,
    JSON.stringify(row.snapshot),
    hash,
    at,
  ]);
  await client.query(
    `INSERT INTO project_events (project_id, seq, event_type, actor_id, actor_role, channel, from_state, to_state, payload,
                                 reason, occurred_at, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13)`,
    [id, seq, audit.eventType, audit.actorId, audit.actorRole, audit.channel, audit.fromState, audit.toState, JSON.stringify(payload), null, at, audit.prevHash, hash],
  );
  await client.query('INSERT INTO outbox (project_id, event_seq, topic, payload, dedupe_key) VALUES ($1, $2, $3, $4::jsonb, $5)', [
    id,
    seq,
    'notify',
    JSON.stringify(input.outboxPayload),
    `${id}.${seq}.0`,
  ]);
}
