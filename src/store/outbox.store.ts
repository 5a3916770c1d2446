import type { Database } from './database.ts';

export interface OutboxRow {
  id: number;
  project_id: string | null;
  event_seq: number | null;
  topic: string;
  payload: Record<string, unknown>;
  dedupe_key: string;
  relayed_at: Date | null;
  applied_at: Date | null;
  attempts: number;
}

const COLUMNS = 'id, project_id, event_seq, topic, payload, dedupe_key, relayed_at, applied_at, attempts';

/**
 * Hands rows of `topics` to `relay` and records them relayed, in one transaction: first the rows never
 * relayed (outbox order), then, when `staleBefore` is given, rows relayed before it and still not
 * applied by their consumer (lost with Redis, or given up by the queue). Rows are taken FOR UPDATE
 * SKIP LOCKED (several relays may run); if `relay` throws, nothing is recorded.
 * Locks: the taken outbox rows, in id order.
 */
export async function relayOutboxRows(
  db: Database,
  input: { topics: readonly string[]; batchSize: number; now: Date; staleBefore?: Date },
  relay: (rows: OutboxRow[], kind: 'new' | 'stale') => Promise<void>,
): Promise<{ fresh: number; stale: number }> {
  return db.transaction(async (tx) => {
    const fresh = await tx.query<OutboxRow>(
      `SELECT ${COLUMNS} FROM outbox WHERE relayed_at IS NULL AND topic = ANY($2::text[])
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [input.batchSize, input.topics],
    );
    const stale = input.staleBefore
      ? await tx.query<OutboxRow>(
          `SELECT ${COLUMNS} FROM outbox WHERE applied_at IS NULL AND relayed_at < $3 AND topic = ANY($2::text[])
            ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [input.batchSize, input.topics, input.staleBefore.toISOString()],
        )
      : [];
    if (fresh.length > 0) await relay(fresh, 'new');
    if (stale.length > 0) await relay(stale, 'stale');
    const ids = [...fresh, ...stale].map((row) => row.id);
    if (ids.length > 0) {
      await tx.query(`UPDATE outbox SET relayed_at = $2, attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [ids, input.now.toISOString()]);
    }
    return { fresh: fresh.length, stale: stale.length };
  });
}

/** An outbox row as its consumer reads it: with whether the project event it names exists. */
export interface CommittedOutboxRow extends OutboxRow {
  /** True when the row names no project event, or names one the project has. */
  event_exists: boolean;
}

const WITH_EVENT = `${COLUMNS},
  (project_id IS NULL OR event_seq IS NULL
    OR EXISTS (SELECT 1 FROM project_events e WHERE e.project_id = o.project_id AND e.seq = o.event_seq)) AS event_exists`;

/** The outbox row a job names by its id (the row's dedupe key), and whether its project event exists: one round trip. */
export async function findOutboxRow(db: Database, dedupeKey: string): Promise<CommittedOutboxRow | undefined> {
  return (await db.query<CommittedOutboxRow>(`SELECT ${WITH_EVENT} FROM outbox o WHERE dedupe_key = $1`, [dedupeKey], 'outbox.find'))[0];
}

/** The outbox rows of these dedupe keys (those that exist), as findOutboxRow reads them: one round trip. */
export async function findOutboxRows(db: Database, dedupeKeys: readonly string[]): Promise<CommittedOutboxRow[]> {
  return db.query<CommittedOutboxRow>(`SELECT ${WITH_EVENT} FROM outbox o WHERE dedupe_key = ANY($1::text[])`, [dedupeKeys], 'outbox.find-many');
}

/**
 * Takes, in the caller's transaction, the rows `ownIds` still unapplied (waiting for any other
 * consumer that holds one) and up to `limit` more unapplied rows of `topics` that no other consumer
 * holds (SKIP LOCKED), oldest first, each naming an event its project has; rows whose consumer
 * failed before (last_error) are left to their own jobs and retries. Answers in id order; an own row
 * applied meanwhile is missing.
 * Locks: the taken outbox rows (own ones first, in id order, then the others in id order), until the transaction ends.
 */
export async function claimOutboxRows(tx: Database, input: { ownIds: readonly number[]; topics: readonly string[]; limit: number }): Promise<OutboxRow[]> {
  return tx.query<OutboxRow>(
    `WITH own AS (
       SELECT ${COLUMNS} FROM outbox WHERE id = ANY($1::bigint[]) AND applied_at IS NULL ORDER BY id FOR UPDATE
     ), others AS (
       SELECT ${COLUMNS} FROM outbox o
        WHERE o.applied_at IS NULL AND NOT (o.id = ANY($1::bigint[])) AND o.topic = ANY($2::text[]) AND o.last_error IS NULL
          AND EXISTS (SELECT 1 FROM project_events e WHERE e.project_id = o.project_id AND e.seq = o.event_seq)
        ORDER BY o.id LIMIT $3 FOR UPDATE SKIP LOCKED
     )
     SELECT * FROM own UNION ALL SELECT * FROM others ORDER BY id`,
    [input.ownIds, input.topics, input.limit],
    'outbox.claim',
  );
}

/** Records that the consumer applied the row; true the first time. */
export async function markOutboxApplied(db: Database, id: number, at: Date): Promise<boolean> {
  return (await markOutboxRowsApplied(db, [id], at)) === 1;
}

/** Records that the consumer applied these rows, in one statement; answers how many were not applied before. */
export async function markOutboxRowsApplied(db: Database, ids: readonly number[], at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db.query(
    `UPDATE outbox SET applied_at = $2, last_error = NULL WHERE id = ANY($1::bigint[]) AND applied_at IS NULL RETURNING id`,
    [ids, at.toISOString()],
    'outbox.applied',
  );
  return rows.length;
}

/** Keeps the consumer's last error on the row, for the operator (the row stays pending). */
export async function noteOutboxError(db: Database, id: number, error: string): Promise<void> {
  await db.query(`UPDATE outbox SET last_error = $2 WHERE id = $1 AND applied_at IS NULL`, [id, error.slice(0, 2_000)]);
}

export interface PendingEffects {
  /** Seconds since the oldest pending effect was committed (outbox row not applied) or claimed (delivery still 'sending'); 0 when none. */
  oldestAgeSeconds: number;
  unapplied: number;
  sending: number;
}

/**
 * What is still owed, as seen at `now`. Both scans are of partial indexes (outbox_unapplied,
 * outbox_pending, deliveries_sending), so a scrape costs little however large the tables are.
 */
export async function measurePendingEffects(db: Database, now: Date): Promise<PendingEffects> {
  const rows = await db.query<{ oldest_outbox: Date | null; oldest_claim: Date | null; unapplied: string; sending: string }>(
    `SELECT (SELECT min(created_at) FROM outbox WHERE applied_at IS NULL) AS oldest_outbox,
            (SELECT count(*) FROM outbox WHERE applied_at IS NULL) AS unapplied,
            (SELECT min(claimed_at) FROM deliveries WHERE status = 'sending') AS oldest_claim,
            (SELECT count(*) FROM deliveries WHERE status = 'sending') AS sending`,
  );
  const row = rows[0]!;
  const oldest = [row.oldest_outbox, row.oldest_claim].filter((at): at is Date => at !== null).map((at) => new Date(at).getTime());
  const ageMs = oldest.length > 0 ? now.getTime() - Math.min(...oldest) : 0;
  return { oldestAgeSeconds: Math.max(0, Math.round(ageMs / 1000)), unapplied: Number(row.unapplied), sending: Number(row.sending) };
}
