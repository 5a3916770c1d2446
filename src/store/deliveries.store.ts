import type { Database } from './database.ts';

/**
 * Claims a delivery under its unique key. Returns false when it was already sent: a retried or
 * duplicated job then sends nothing.
 */
export async function claimDelivery(
  db: Database,
  input: { key: string; reminderId: string | null; userId: string; email: string; messageId: string },
): Promise<boolean> {
  const rows = await db.query<{ status: string }>(
    `INSERT INTO deliveries (delivery_key, reminder_id, user_id, email, message_id, status, attempts)
     VALUES ($1, $2, $3, $4, $5, 'sending', 1)
     ON CONFLICT (delivery_key) DO UPDATE SET attempts = deliveries.attempts + 1
     RETURNING status`,
    [input.key, input.reminderId, input.userId, input.email, input.messageId],
  );
  return rows[0]!.status !== 'sent';
}

export async function markDelivered(db: Database, key: string, now: Date, lagMs: number): Promise<void> {
  await db.query(`UPDATE deliveries SET status = 'sent', sent_at = $2, lag_ms = $3, error = NULL WHERE delivery_key = $1`, [key, now.toISOString(), lagMs]);
}

export async function markDeliveryError(db: Database, key: string, error: string, final: boolean): Promise<void> {
  await db.query(`UPDATE deliveries SET status = CASE WHEN $3 THEN 'failed' ELSE status END, error = $2 WHERE delivery_key = $1 AND status <> 'sent'`, [
    key,
    error,
    final,
  ]);
}
