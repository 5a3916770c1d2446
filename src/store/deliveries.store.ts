import type { Database } from './database.ts';

export interface DeliveryClaim {
  /** Unique per notification and recipient. */
  key: string;
  reminderId: string | null;
  userId: string;
  email: string;
  messageId: string;
}

/**
 * Claims deliveries under their unique keys, all in one statement. Returns the keys still to send:
 * one already sent is left out, so a retried or duplicated job sends nothing twice.
 */
export async function claimDeliveries(db: Database, claims: readonly DeliveryClaim[]): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const rows = await db.query<{ delivery_key: string; status: string }>(
    `INSERT INTO deliveries (delivery_key, reminder_id, user_id, email, message_id, status, attempts)
     SELECT c.key, c.reminder_id, c.user_id, c.email, c.message_id, 'sending', 1
       FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[]) AS c(key, reminder_id, user_id, email, message_id)
     ON CONFLICT (delivery_key) DO UPDATE SET attempts = deliveries.attempts + 1
     RETURNING delivery_key, status`,
    [claims.map((c) => c.key), claims.map((c) => c.reminderId), claims.map((c) => c.userId), claims.map((c) => c.email), claims.map((c) => c.messageId)],
    'deliveries.claim',
  );
  return new Set(rows.filter((row) => row.status !== 'sent').map((row) => row.delivery_key));
}

export interface DeliveryResults {
  sent: { key: string; lagMs: number }[];
  failed: { key: string; error: string }[];
  /** On the last attempt a failure is recorded as final ('failed'); before, the delivery stays 'sending' with its error. */
  final: boolean;
  now: Date;
  /** The reminder these deliveries belong to, settled in the same statement when it is over. */
  settle?: { reminderId: string; status: 'sent' | 'failed'; reason: string | null };
}

/** Records what sending did, and settles the reminder, in one statement (one commit per reminder). */
export async function recordDeliveries(db: Database, results: DeliveryResults): Promise<void> {
  await db.query(
    // Keys matched with = ANY (an index scan), values picked by position: a join on unnest() is
    // planned as a hash join over the whole table once the statement is prepared (measured: 1.3 ms
    // a delivery at 6,000 rows, and growing).
    `WITH sent AS (
       UPDATE deliveries d SET status = 'sent', sent_at = $1, lag_ms = ($3::int8[])[array_position($2::text[], d.delivery_key)], error = NULL
        WHERE d.delivery_key = ANY($2::text[])
       RETURNING 1
     ), failed AS (
       UPDATE deliveries d SET status = CASE WHEN $6::boolean THEN 'failed' ELSE d.status END, error = ($5::text[])[array_position($4::text[], d.delivery_key)]
        WHERE d.delivery_key = ANY($4::text[]) AND d.status <> 'sent'
       RETURNING 1
     ), settled AS (
       UPDATE reminders SET status = $8, status_reason = $9, settled_at = $1, attempts = attempts + 1
        WHERE $7::text IS NOT NULL AND id = $7 AND status = 'planned'
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM sent) AS sent, (SELECT count(*) FROM failed) AS failed, (SELECT count(*) FROM settled) AS settled`,
    [
      results.now.toISOString(),
      results.sent.map((s) => s.key),
      results.sent.map((s) => s.lagMs),
      results.failed.map((f) => f.key),
      results.failed.map((f) => f.error),
      results.final,
      results.settle?.reminderId ?? null,
      results.settle?.status ?? null,
      results.settle?.reason ?? null,
    ],
    'deliveries.record',
  );
}
