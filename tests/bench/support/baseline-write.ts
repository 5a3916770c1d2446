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

/** A ledger movement the one-statement baseline writes with the event (the balance rows in the engine's lock order). */
export interface BaselineLedgerMove {
  column: 'committed_fen' | 'disbursed_fen' | 'released_fen' | 'recovered_fen';
  kind: 'commit' | 'disburse' | 'release' | 'recover';
  fundId: string;
  item: number;
  category: number;
  amountFen: number;
}

export interface BaselineEvent {
  eventType: string;
  actor: { id: string; role: string };
  payload: unknown;
  at: string;
  outboxPayload: unknown;
  ledger?: BaselineLedgerMove;
}

/**
 * The best plain implementation of one command, as a competent engineer would write it without the
 * engine: read the row without a lock, compute the change and the chained hash, then write
 * everything in ONE statement of data-modifying CTEs under an optimistic version check (snapshot,
 * audit event, outbox row and, for a ledger movement, project, fund, category and item balances
 * then the ledger entry, in the engine's lock order), autocommitted: two round trips, no
 * BEGIN/COMMIT. When another writer won the race, the same statement runs again inside
 * BEGIN; SELECT ... FOR UPDATE; COMMIT, where it cannot lose (as the engine does). Named
 * statements, so PostgreSQL plans each once per connection. A CHECK constraint failure throws.
 */
export async function writeInOneStatement(pool: pg.Pool, id: string, change: (row: LockedProject) => BaselineEvent): Promise<void> {
  const optimistic = await pool.query<LockedProject>({ name: 'baseline-read', text: 'SELECT id, version, state, snapshot, last_hash FROM projects WHERE id = $1', values: [id] });
  if (await runOneStatement(pool, id, optimistic.rows[0]!, change)) return;
  const won = await inLockedProject(pool, id, (client, row) => runOneStatement(client, id, row, change));
  if (!won) throw Object.assign(new Error('lost the race under the row lock'), { code: 'lost-race' });
}

async function runOneStatement(db: pg.Pool | pg.PoolClient, id: string, row: LockedProject, change: (row: LockedProject) => BaselineEvent): Promise<boolean> {
  // The change mutates a copy: a lost race must start again from the row it reads next.
  const copy: LockedProject = { ...row, snapshot: structuredClone(row.snapshot) };
  const event = change(copy);
  const seq = row.version + 1;
  const audit = {
    projectId: id,
    seq,
    eventType: event.eventType,
    actorId: event.actor.id,
    actorRole: event.actor.role,
    channel: 'api',
    fromState: row.state,
    toState: row.state,
    payload: event.payload,
    reason: null,
    occurredAt: event.at,
    prevHash: row.last_hash,
  };
  const hash = hashAuditRecord(audit);
  const values: unknown[] = [
    id,
    row.version,
    JSON.stringify(copy.snapshot),
    hash,
    event.at,
    event.eventType,
    event.actor.id,
    event.actor.role,
    row.state,
    JSON.stringify(event.payload),
    row.last_hash,
    JSON.stringify(event.outboxPayload),
    `${id}.${seq}.0`,
  ];
  let ledger = '';
  let guard = '';
  const move = event.ledger;
  if (move) {
    values.push(move.amountFen, move.fundId, move.item, move.category, move.kind);
    const c = move.column;
    ledger = `
     , lp AS (UPDATE project_balances SET ${c} = project_balances.${c} + $14 FROM updated WHERE project_id = $1 AND fund_id = $15 RETURNING 1)
     , lf AS (UPDATE fund_balances SET ${c} = fund_balances.${c} + $14 FROM lp WHERE fund_id = $15 RETURNING 1)
     , lc AS (UPDATE fund_category_balances SET ${c} = fund_category_balances.${c} + $14 FROM lf WHERE fund_id = $15 AND category = $17 RETURNING 1)
     , li AS (UPDATE fund_item_balances SET ${c} = fund_item_balances.${c} + $14 FROM lc WHERE fund_id = $15 AND item = $16 RETURNING 1)
     , le AS (INSERT INTO ledger_entries (fund_id, kind, project_id, item, amount_fen, actor_id, event_type, event_seq, reason, occurred_at)
              SELECT $15, $18, $1, $16, $14, $7, $6, updated.version, NULL, $5 FROM li, updated RETURNING 1)`;
    // All or nothing: a balance row missing would leave the entry unwritten, so the statement fails instead.
    guard = ', (SELECT 1 / (SELECT count(*) FROM le)::int) AS written';
  }
  const text = `WITH updated AS (
       UPDATE projects SET version = version + 1, snapshot = $3::jsonb, last_hash = $4, updated_at = $5
        WHERE id = $1 AND version = $2 RETURNING version
     ), audit AS (
       INSERT INTO project_events (project_id, seq, event_type, actor_id, actor_role, channel, from_state, to_state, payload, reason, occurred_at, prev_hash, hash)
       SELECT $1, version, $6, $7, $8, 'api', $9, $9, $10::jsonb, NULL, $5, $11, $4 FROM updated
     ), notify AS (
       INSERT INTO outbox (project_id, event_seq, topic, payload, dedupe_key) SELECT $1, version, 'notify', $12::jsonb, $13 FROM updated
     )${ledger}
     SELECT version${guard} FROM updated`;
  const result = await db.query({ name: move ? `baseline-write-${move.kind}` : 'baseline-write', text, values });
  return result.rowCount === 1;
}
